"""Contact groups: create (with its first members), update, delete, and members by id."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reconciler.apply.ids import IdBook
from reconciler.apply.operations.common import (
    OperationError,
    add_with_read_back,
    resolve_ambiguous,
)
from reconciler.model.live import ContactMemberType
from reconciler.plan.changes import (
    PRIVACY_NAMES,
    ContactGroupCreate,
    ContactGroupDelete,
    ContactGroupMemberAdd,
    ContactGroupMemberRemove,
    ContactGroupUpdate,
)
from reconciler.zoom import ZoomClient
from reconciler.zoom.types import ContactGroupPrivacy, ContactMemberRef
from reconciler.zoom.types import (
    ContactMemberType as ZoomContactMemberType,
)


def _privacy(value: Any) -> ContactGroupPrivacy:
    if isinstance(value, str) and not value.isdigit():
        codes = {name: code for code, name in PRIVACY_NAMES.items()}
        return ContactGroupPrivacy(codes[value])
    return ContactGroupPrivacy(int(value))


async def contact_member_ref(ids: IdBook, change: ContactGroupMemberAdd) -> ContactMemberRef:
    """Zoom names contact-group members by id only: a user's id, or a user group's id."""
    if change.member_type is ContactMemberType.USER:
        user_id = await ids.user_id(change.member, change.member_id)
        return {"id": user_id, "type": ZoomContactMemberType.USER}
    group_id = await ids.group_id(change.member, change.member_id)
    return {"id": group_id, "type": ZoomContactMemberType.GROUP}


async def create_contact_group(
    zoom: ZoomClient,
    ids: IdBook,
    change: ContactGroupCreate,
    first_members: Sequence[ContactMemberRef] = (),
) -> None:
    """POST /contacts/groups with the first members folded in (Zoom wants at least one)."""

    async def send() -> str:
        created = await zoom.create_contact_group(
            change.name,
            ContactGroupPrivacy(change.privacy),
            description=change.description,
            members=first_members,
        )
        return created["group_id"]

    async def read_back() -> str | None:
        wanted = change.name.lower()
        found = await zoom.list_contact_groups()
        return next((c["group_id"] for c in found if c["group_name"].lower() == wanted), None)

    ids.contact_groups[change.name] = await resolve_ambiguous(send, read_back)


async def update_contact_group(zoom: ZoomClient, ids: IdBook, change: ContactGroupUpdate) -> None:
    values = {f.field: f.new for f in change.changes}
    privacy = values.get("privacy")
    await zoom.update_contact_group(
        change.contact_group_id,
        name=values.get("name"),
        privacy=_privacy(privacy) if privacy is not None else None,
        description=values.get("description"),
    )
    ids.contact_groups[change.name] = change.contact_group_id


async def delete_contact_group(zoom: ZoomClient, ids: IdBook, change: ContactGroupDelete) -> None:
    """Zoom answers "not found" for contact groups with a 400 the client cannot tell from other
    refusals, so a retried delete of unknown outcome is settled by looking."""

    async def send() -> bool:
        await zoom.delete_contact_group(change.contact_group_id)
        return True

    async def read_back() -> bool | None:
        present = {c["group_id"] for c in await zoom.list_contact_groups()}
        return None if change.contact_group_id in present else True

    await resolve_ambiguous(send, read_back)


async def add_contact_members(
    zoom: ZoomClient, ids: IdBook, changes: Sequence[ContactGroupMemberAdd]
) -> list[Exception | None]:
    """One POST for up to 50 users or 3 groups of one contact group."""
    contact_id = await ids.contact_group_id(changes[0].contact_group, changes[0].contact_group_id)
    refs = [await contact_member_ref(ids, c) for c in changes]

    async def send(missing: list[ContactMemberRef]) -> None:
        await zoom.add_contact_group_members(contact_id, missing)

    async def missing_members(wanted: list[ContactMemberRef]) -> list[ContactMemberRef]:
        present = {m["id"] for m in await zoom.list_contact_group_members(contact_id)}
        return [r for r in wanted if r["id"] not in present]

    await add_with_read_back(refs, send, missing_members)
    return [None] * len(changes)


async def remove_contact_members(
    zoom: ZoomClient, ids: IdBook, changes: Sequence[ContactGroupMemberRemove]
) -> list[Exception | None]:
    """One DELETE for up to 20 members; after an unclear failure, remove whoever is left."""
    contact_id = await ids.contact_group_id(changes[0].contact_group, changes[0].contact_group_id)
    member_ids = []
    for change in changes:
        if change.member_id is None:
            raise OperationError(f"{change.member} has no member id in the plan")
        member_ids.append(change.member_id)

    async def send(remaining: list[str]) -> None:
        await zoom.remove_contact_group_members(contact_id, remaining)

    async def still_there(wanted: list[str]) -> list[str]:
        present = {m["id"] for m in await zoom.list_contact_group_members(contact_id)}
        return [m for m in wanted if m in present]

    await add_with_read_back(member_ids, send, still_there)
    return [None] * len(changes)
