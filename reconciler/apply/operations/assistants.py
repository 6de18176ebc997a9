"""Scheduling assistants: one POST for a user's new ones, one DELETE each, or one for all."""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.apply.ids import IdBook
from reconciler.apply.operations.common import add_with_read_back, resend_state
from reconciler.plan.changes import UserAssistantAdd, UserAssistantRemove
from reconciler.zoom import ZoomClient
from reconciler.zoom.types import Assistant


async def add_assistants(
    zoom: ZoomClient, ids: IdBook, changes: Sequence[UserAssistantAdd]
) -> list[Exception | None]:
    """Up to 30 new assistants of one user in one POST; after an unclear failure, only the
    ones still missing are sent again (Zoom refuses an assistant twice)."""
    first = changes[0]
    user = ids.user_ref(first.email, first.user_id)
    wanted: list[Assistant] = [{"email": change.assistant} for change in changes]

    async def send(missing: list[Assistant]) -> None:
        await zoom.add_user_assistants(user, missing)

    async def still_missing(asked: list[Assistant]) -> list[Assistant]:
        present = {a.get("email", "").lower() for a in await zoom.list_user_assistants(user)}
        return [a for a in asked if a.get("email", "").lower() not in present]

    await add_with_read_back(wanted, send, still_missing)
    return [None] * len(changes)


async def clear_assistants(
    zoom: ZoomClient, ids: IdBook, changes: Sequence[UserAssistantRemove]
) -> list[Exception | None]:
    """Every assistant of one user goes: one DELETE /users/{userId}/assistants."""
    first = changes[0]
    user = ids.user_ref(first.email, first.user_id)
    await resend_state(lambda: zoom.delete_user_assistants(user))
    return [None] * len(changes)


async def remove_assistant(zoom: ZoomClient, ids: IdBook, change: UserAssistantRemove) -> None:
    user = ids.user_ref(change.email, change.user_id)
    assistant = change.assistant_id or await ids.user_id(change.assistant)
    await resend_state(lambda: zoom.delete_user_assistant(user, assistant))
