"""Groups: the groups themselves, their members (batched; primary set after), admins
(batched) and their settings and lock settings."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from reconciler.apply.ids import IdBook
from reconciler.apply.operations.common import (
    OperationError,
    add_with_read_back,
    resend_state,
    resolve_ambiguous,
)
from reconciler.errors import ReconcilerError
from reconciler.plan.changes import (
    GroupAdminAdd,
    GroupAdminRemove,
    GroupCreate,
    GroupDelete,
    GroupLockSettingsUpdate,
    GroupMemberAdd,
    GroupMemberRemove,
    GroupPrimarySet,
    GroupUpdate,
    SettingsUpdate,
)
from reconciler.schema import SettingsDocument, split_settings_by_option
from reconciler.zoom import ZoomClient
from reconciler.zoom.types import MemberAction, MemberRef, SettingsOption


async def create_group(zoom: ZoomClient, ids: IdBook, change: GroupCreate) -> None:
    async def send() -> str:
        return (await zoom.create_group(change.name))["id"]

    async def read_back() -> str | None:
        wanted = change.name.lower()
        return next(
            (g["id"] for g in await zoom.list_groups() if g["name"].lower() == wanted), None
        )

    ids.groups[change.name] = await resolve_ambiguous(send, read_back)


async def update_group(zoom: ZoomClient, ids: IdBook, change: GroupUpdate) -> None:
    await zoom.update_group(change.group_id, name=change.name)
    ids.groups[change.name] = change.group_id


async def delete_group(zoom: ZoomClient, ids: IdBook, change: GroupDelete) -> None:
    await zoom.delete_group(change.group_id)


def _member_ref(ids: IdBook, email: str, user_id: str | None) -> MemberRef:
    known = user_id or ids.users.get(email.lower())
    return {"id": known} if known else {"email": email}


def _is_member(ref: MemberRef, present_ids: set[str], present_emails: set[str]) -> bool:
    if "id" in ref:
        return ref["id"] in present_ids
    return ref.get("email", "").lower() in present_emails


async def add_group_members(
    zoom: ZoomClient, ids: IdBook, changes: Sequence[GroupMemberAdd]
) -> list[Exception | None]:
    """One POST for up to 30 members of one group, then `set_primary` where `sets_primary`.

    Returns a failure (or None) per change for the steps after the shared request.
    """
    group_id = await ids.group_id(changes[0].group, changes[0].group_id)
    refs = [_member_ref(ids, c.email, c.user_id) for c in changes]

    async def send(missing: list[MemberRef]) -> None:
        await zoom.add_group_members(group_id, missing)

    async def missing_members(wanted: list[MemberRef]) -> list[MemberRef]:
        present = await zoom.list_group_members(group_id)
        present_ids = {m["id"] for m in present}
        present_emails = {m["email"].lower() for m in present}
        return [r for r in wanted if not _is_member(r, present_ids, present_emails)]

    await add_with_read_back(refs, send, missing_members)
    return list(
        await asyncio.gather(
            *(
                _set_primary(zoom, ids, group_id, c) if c.sets_primary else _nothing()
                for c in changes
            )
        )
    )


async def _nothing() -> None:
    return None


async def _set_primary(
    zoom: ZoomClient, ids: IdBook, group_id: str, change: GroupMemberAdd
) -> Exception | None:
    ref = ids.user_ref(change.email, change.user_id)
    try:
        await resend_state(
            lambda: zoom.update_group_member(
                group_id, ref, MemberAction.SET_PRIMARY, target_group_id=group_id
            )
        )
    except ReconcilerError as failed:
        return OperationError(f"added, but making {change.group} primary failed: {failed}")
    return None


async def set_primary_group(zoom: ZoomClient, ids: IdBook, change: GroupPrimarySet) -> None:
    """PATCH `set_primary` for a user already in the group (a state: safe to send again)."""
    group_id = await ids.group_id(change.group, change.group_id)
    ref = ids.user_ref(change.email, change.user_id)
    await resend_state(
        lambda: zoom.update_group_member(
            group_id, ref, MemberAction.SET_PRIMARY, target_group_id=group_id
        )
    )


async def add_pending_member(zoom: ZoomClient, ids: IdBook, change: GroupMemberAdd) -> None:
    """Zoom places a user who has not accepted the invitation through PATCH /users `group_id`."""
    group_id = await ids.group_id(change.group, change.group_id)
    await zoom.update_user(ids.user_ref(change.email, change.user_id), {"group_id": group_id})


async def remove_group_member(zoom: ZoomClient, ids: IdBook, change: GroupMemberRemove) -> None:
    group_id = await ids.group_id(change.group, change.group_id)
    await zoom.remove_group_member(group_id, ids.user_ref(change.email, change.user_id))


async def add_group_admins(
    zoom: ZoomClient, ids: IdBook, changes: Sequence[GroupAdminAdd]
) -> list[Exception | None]:
    """One POST for up to 10 admins of one group."""
    group_id = await ids.group_id(changes[0].group, changes[0].group_id)
    wanted = [(c.email.lower(), _member_ref(ids, c.email, c.user_id)) for c in changes]

    async def send(missing: list[tuple[str, MemberRef]]) -> None:
        await zoom.add_group_admins(group_id, [ref for _, ref in missing])

    async def missing_admins(left: list[tuple[str, MemberRef]]) -> list[tuple[str, MemberRef]]:
        present = {a["email"].lower() for a in await zoom.list_group_admins(group_id)}
        return [(email, ref) for email, ref in left if email not in present]

    await add_with_read_back(wanted, send, missing_admins)
    return [None] * len(changes)


async def remove_group_admin(zoom: ZoomClient, ids: IdBook, change: GroupAdminRemove) -> None:
    group_id = await ids.group_id(change.group, change.group_id)
    await zoom.remove_group_admin(group_id, ids.user_ref(change.email, change.user_id))


async def update_settings(zoom: ZoomClient, ids: IdBook, change: SettingsUpdate) -> None:
    """One PATCH per `option` part the written leaves fall in; only those leaves are sent."""
    group_id = await ids.group_id(change.group, change.group_id)
    locks = isinstance(change, GroupLockSettingsUpdate)
    document = SettingsDocument.LOCK_SETTINGS if locks else SettingsDocument.SETTINGS
    write = zoom.update_group_lock_settings if locks else zoom.update_group_settings
    for option, body in split_settings_by_option(document, change.patch_body()).items():
        await write(group_id, body, SettingsOption(option) if option else None)
