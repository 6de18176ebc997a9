"""Users: create (POST, then the fields POST cannot take), update in Zoom's order, delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.apply.ids import IdBook
from reconciler.apply.operations.common import OperationError, resolve_ambiguous
from reconciler.plan.changes import UserCreate, UserDelete, UserUpdate
from reconciler.plan.costs import POST_USER_FIELDS
from reconciler.zoom import NotFound, ZoomClient
from reconciler.zoom.types import CreateAction, DeleteAction, NewUserInfo, StatusAction
from reconciler.zoom.types import (
    UserUpdate as UserPatch,
)


async def create_user(zoom: ZoomClient, ids: IdBook, change: UserCreate) -> None:
    """POST /users, then a PATCH for fields POST cannot take, then deactivate if asked."""
    email = change.email
    info: NewUserInfo = {"email": email, "type": change.type}
    for name in sorted(POST_USER_FIELDS & set(change.profile)):
        info[name] = change.profile[name]  # type: ignore[literal-required]
    if change.password_set:
        password = ids.passwords.get(email.lower())
        if not password:
            raise OperationError(f"user {email}: no password to create it with")
        info["password"] = password

    async def send() -> str:
        created = await zoom.create_user(CreateAction(change.create_action), info)
        return created["id"]

    async def read_back() -> str | None:
        try:
            found = await zoom.get_user(email)
        except NotFound:
            return None
        return found.get("id") or email

    user_id = await resolve_ambiguous(send, read_back)
    ids.users[email.lower()] = user_id
    rest = {k: v for k, v in change.profile.items() if k not in POST_USER_FIELDS}
    if rest:
        await zoom.update_user(user_id, _user_patch(rest))
    if change.deactivate:
        await zoom.set_user_status(user_id, StatusAction.DEACTIVATE)


def _user_patch(fields: Mapping[str, Any]) -> UserPatch:
    return dict(fields)  # type: ignore[return-value]


async def update_user(zoom: ZoomClient, ids: IdBook, change: UserUpdate) -> None:
    """Email first (later steps and changes name the user by it), then activate, profile,
    type (Zoom wants it alone), and deactivate last."""
    if change.renamed_from is not None:
        await _change_email(zoom, ids, change)
    ref = ids.user_ref(change.email, change.user_id)
    if change.activates:
        await zoom.set_user_status(ref, StatusAction.ACTIVATE)
    if change.profile:
        await zoom.update_user(ref, _user_patch({f.field: f.new for f in change.profile}))
    if change.type is not None:
        await zoom.update_user(ref, {"type": int(change.type.new)})
    if change.deactivates:
        await zoom.set_user_status(ref, StatusAction.DEACTIVATE)


async def _change_email(zoom: ZoomClient, ids: IdBook, change: UserUpdate) -> None:
    """PUT /users/{id}/email; after an unclear failure, the user's email says whether it took."""
    user_id = change.user_id or ids.user_ref(str(change.renamed_from))

    async def send() -> bool:
        await zoom.update_user_email(user_id, change.email)
        return True

    async def read_back() -> bool | None:
        found = await zoom.get_user(user_id)
        return True if str(found.get("email", "")).lower() == change.key else None

    await resolve_ambiguous(send, read_back)
    if change.user_id is not None:
        ids.users[change.key] = change.user_id


async def delete_user(zoom: ZoomClient, ids: IdBook, change: UserDelete) -> None:
    ref = ids.user_ref(change.email, change.user_id)
    await zoom.delete_user(ref, DeleteAction(change.mode.value))
