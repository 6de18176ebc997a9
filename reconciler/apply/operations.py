"""One function per change type: the ZoomClient call(s) that carry it out.

Each function either returns (the change is done) or raises (it failed, with Zoom's message).
Changes Zoom takes in batches have a function over a list of changes of one target.

A write that is not safe to repeat and failed without a clear answer (`AmbiguousWriteError`)
is never blindly sent again: the object is read back to learn whether the write happened, and
only if it did not is the write sent once more. Writes that set a state (assign a division,
set a primary group) are simply sent again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from reconciler.apply.ids import IdBook
from reconciler.errors import ReconcilerError
from reconciler.model.live import ContactMemberType
from reconciler.plan.changes import (
    PRIVACY_NAMES,
    Change,
    ContactGroupCreate,
    ContactGroupDelete,
    ContactGroupMemberAdd,
    ContactGroupMemberRemove,
    ContactGroupUpdate,
    DivisionCreate,
    DivisionDelete,
    DivisionMemberAdd,
    DivisionUpdate,
    GroupAdminAdd,
    GroupAdminRemove,
    GroupCreate,
    GroupDelete,
    GroupLockSettingsUpdate,
    GroupMemberAdd,
    GroupMemberRemove,
    GroupSettingsUpdate,
    GroupUpdate,
    SettingsUpdate,
    UserCreate,
    UserDelete,
    UserUpdate,
)
from reconciler.schema import SettingsDocument, split_settings_by_option
from reconciler.zoom import AmbiguousWriteError, NotFound, ZoomClient
from reconciler.zoom.types import (
    ContactGroupPrivacy,
    ContactMemberRef,
    CreateAction,
    DeleteAction,
    DivisionUserRef,
    MemberAction,
    MemberRef,
    NewUserInfo,
    SettingsOption,
    StatusAction,
)
from reconciler.zoom.types import (
    ContactMemberType as ZoomContactMemberType,
)
from reconciler.zoom.types import (
    UserUpdate as UserPatch,
)

T = TypeVar("T")

AMBIGUOUS_ATTEMPTS = 3
"""How many times a write of unknown outcome is read back and, if absent, sent again."""

POST_USER_FIELDS = frozenset({"first_name", "last_name", "display_name"})
"""Profile fields POST /users takes; the others follow in a PATCH."""


class OperationError(ReconcilerError):
    """A change could not be carried out for a reason of our own (not an answer from Zoom)."""


async def resolve_ambiguous(
    send: Callable[[], Awaitable[T]], read_back: Callable[[], Awaitable[T | None]]
) -> T:
    """Send a write that must not happen twice; after an unclear failure, read back first."""
    last: AmbiguousWriteError | None = None
    for _ in range(AMBIGUOUS_ATTEMPTS):
        try:
            return await send()
        except AmbiguousWriteError as unknown:
            last = unknown
        try:
            found = await read_back()
        except ReconcilerError as unreadable:
            raise OperationError(
                f"{last.method} {last.path} may or may not have been applied ({last.cause}), "
                f"and reading it back failed: {unreadable}"
            ) from None
        if found is not None:
            return found
    assert last is not None
    raise last


async def resend_state(send: Callable[[], Awaitable[T]]) -> T:
    """Send a write whose effect is a state (repeating it changes nothing more)."""
    last: AmbiguousWriteError | None = None
    for _ in range(AMBIGUOUS_ATTEMPTS):
        try:
            return await send()
        except AmbiguousWriteError as unknown:
            last = unknown
    assert last is not None
    raise last


# users -------------------------------------------------------------------------------------


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
    """Activate first, then profile, then type (Zoom wants it alone), deactivate last."""
    ref = ids.user_ref(change.email, change.user_id)
    if change.activates:
        await zoom.set_user_status(ref, StatusAction.ACTIVATE)
    if change.profile:
        await zoom.update_user(ref, _user_patch({f.field: f.new for f in change.profile}))
    if change.type is not None:
        await zoom.update_user(ref, {"type": int(change.type.new)})
    if change.deactivates:
        await zoom.set_user_status(ref, StatusAction.DEACTIVATE)


async def delete_user(zoom: ZoomClient, ids: IdBook, change: UserDelete) -> None:
    ref = ids.user_ref(change.email, change.user_id)
    await zoom.delete_user(ref, DeleteAction(change.mode.value))


# groups ------------------------------------------------------------------------------------


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
    """One POST for up to 30 members of one group, then `set_primary` for primary groups.

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

    await _add_with_read_back(refs, send, missing_members)
    return list(
        await asyncio.gather(
            *(_set_primary(zoom, ids, group_id, c) if c.primary else _nothing() for c in changes)
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


async def _add_with_read_back(
    refs: list[T],
    send: Callable[[list[T]], Awaitable[None]],
    missing: Callable[[list[T]], Awaitable[list[T]]],
) -> None:
    """A batch add whose outcome may be unknown: read back, and add only who is missing."""
    wanted = refs
    last: AmbiguousWriteError | None = None
    for _ in range(AMBIGUOUS_ATTEMPTS):
        try:
            await send(wanted)
            return
        except AmbiguousWriteError as unknown:
            last = unknown
        try:
            wanted = await missing(wanted)
        except ReconcilerError as unreadable:
            raise OperationError(
                f"{last.method} {last.path} may or may not have been applied ({last.cause}), "
                f"and reading it back failed: {unreadable}"
            ) from None
        if not wanted:
            return
    assert last is not None
    raise last


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

    await _add_with_read_back(wanted, send, missing_admins)
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


# divisions ---------------------------------------------------------------------------------


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


# contact groups ----------------------------------------------------------------------------


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

    await _add_with_read_back(refs, send, missing_members)
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

    await _add_with_read_back(member_ids, send, still_there)
    return [None] * len(changes)


# dispatch ----------------------------------------------------------------------------------

SingleOperation = Callable[[ZoomClient, IdBook, Any], Awaitable[None]]
BatchOperation = Callable[[ZoomClient, IdBook, Sequence[Any]], Awaitable[list[Exception | None]]]

SINGLE: dict[type[Change], SingleOperation] = {
    UserCreate: create_user,
    UserUpdate: update_user,
    UserDelete: delete_user,
    GroupCreate: create_group,
    GroupUpdate: update_group,
    GroupDelete: delete_group,
    GroupMemberRemove: remove_group_member,
    GroupAdminRemove: remove_group_admin,
    GroupSettingsUpdate: update_settings,
    GroupLockSettingsUpdate: update_settings,
    DivisionCreate: create_division,
    DivisionUpdate: update_division,
    DivisionDelete: delete_division,
    ContactGroupCreate: create_contact_group,
    ContactGroupUpdate: update_contact_group,
    ContactGroupDelete: delete_contact_group,
}
"""Changes carried out one at a time."""

BATCHED: dict[type[Change], tuple[BatchOperation, int]] = {
    GroupMemberAdd: (add_group_members, 30),
    GroupAdminAdd: (add_group_admins, 10),
    DivisionMemberAdd: (assign_division, 30),
    ContactGroupMemberRemove: (remove_contact_members, 20),
}
"""Changes Zoom takes several at a time, with how many fit in one request.
Contact-group adds are batched too, with a limit per member type (see `batch_key`)."""

CONTACT_ADD_LIMITS = {ContactMemberType.USER: 50, ContactMemberType.GROUP: 3}


def batch_key(change: Change) -> tuple[str, ...] | None:
    """Changes sharing a key travel in one request; None means the change goes alone."""
    if isinstance(change, GroupMemberAdd):
        return None if change.user_pending else ("group members", change.group)
    if isinstance(change, GroupAdminAdd):
        return ("group admins", change.group)
    if isinstance(change, DivisionMemberAdd):
        return ("division users", change.division)
    if isinstance(change, ContactGroupMemberAdd):
        return ("contact members", change.contact_group, change.member_type.value)
    if isinstance(change, ContactGroupMemberRemove):
        return ("contact removals", change.contact_group)
    return None


def batch_limit(change: Change) -> int:
    if isinstance(change, ContactGroupMemberAdd):
        return CONTACT_ADD_LIMITS[change.member_type]
    return BATCHED[type(change)][1]


async def run_batch(
    zoom: ZoomClient, ids: IdBook, changes: Sequence[Change]
) -> list[Exception | None]:
    """Carry out changes sharing one `batch_key` in a single request."""
    first = changes[0]
    if isinstance(first, ContactGroupMemberAdd):
        return await add_contact_members(zoom, ids, changes)  # type: ignore[arg-type]
    operation, _ = BATCHED[type(first)]
    return await operation(zoom, ids, changes)


async def run_single(zoom: ZoomClient, ids: IdBook, change: Change) -> None:
    """Carry out one change on its own."""
    if isinstance(change, GroupMemberAdd):
        await add_pending_member(zoom, ids, change)
        return
    await SINGLE[type(change)](zoom, ids, change)
