"""Divisions: create, update, delete, and assigning users (a state, so safe to send again)."""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.apply.ids import IdBook
from reconciler.apply.operations.common import resend_state, resolve_ambiguous
from reconciler.plan.changes import (
    DivisionCreate,
    DivisionDelete,
    DivisionMemberAdd,
    DivisionUpdate,
)
from reconciler.zoom import ZoomClient
from reconciler.zoom.types import DivisionUserRef


async def create_division(zoom: ZoomClient, ids: IdBook, change: DivisionCreate) -> None:
    async def send() -> str:
        return (await zoom.create_division(change.name, change.description))["division_id"]

    async def read_back() -> str | None:
        wanted = change.name.lower()
        found = await zoom.list_divisions()
        return next((d["division_id"] for d in found if d["division_name"].lower() == wanted), None)

    ids.divisions[change.name] = await resolve_ambiguous(send, read_back)


async def update_division(zoom: ZoomClient, ids: IdBook, change: DivisionUpdate) -> None:
    values = {f.field: f.new for f in change.changes}
    await zoom.update_division(
        change.division_id, name=values.get("name"), description=values.get("description")
    )
    ids.divisions[change.name] = change.division_id


async def delete_division(zoom: ZoomClient, ids: IdBook, change: DivisionDelete) -> None:
    await zoom.delete_division(change.division_id)


async def assign_division(
    zoom: ZoomClient, ids: IdBook, changes: Sequence[DivisionMemberAdd]
) -> list[Exception | None]:
    """One POST for up to 30 users; a user is in one division, so sending it again is harmless."""
    division_id = await ids.division_id(changes[0].division, changes[0].division_id)
    refs: list[DivisionUserRef] = []
    for change in changes:
        known = change.user_id or ids.users.get(change.email.lower())
        refs.append({"user_id": known} if known else {"user_email": change.email})
    await resend_state(lambda: zoom.assign_division_users(division_id, refs))
    return [None] * len(changes)
