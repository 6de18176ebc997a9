"""Which operation carries out a change, and which changes may share one request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from reconciler.apply.ids import IdBook
from reconciler.apply.operations.contacts import (
    add_contact_members,
    create_contact_group,
    delete_contact_group,
    remove_contact_members,
    update_contact_group,
)
from reconciler.apply.operations.divisions import (
    assign_division,
    create_division,
    delete_division,
    update_division,
)
from reconciler.apply.operations.groups import (
    add_group_admins,
    add_group_members,
    add_pending_member,
    create_group,
    delete_group,
    remove_group_admin,
    remove_group_member,
    update_group,
    update_settings,
)
from reconciler.apply.operations.user_settings import (
    update_features_in_bulk,
    update_user_features,
    update_user_settings,
)
from reconciler.apply.operations.users import create_user, delete_user, update_user
from reconciler.model.features import BULK_USERS_PER_REQUEST
from reconciler.model.live import ContactMemberType
from reconciler.plan.changes import (
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
    UserCreate,
    UserDelete,
    UserFeaturesUpdate,
    UserSettingsUpdate,
    UserUpdate,
)
from reconciler.plan.licences import bulk_key
from reconciler.zoom import ZoomClient

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
    UserFeaturesUpdate: update_user_features,
    UserSettingsUpdate: update_user_settings,
}
"""Changes carried out one at a time."""

BATCHED: dict[type[Change], tuple[BatchOperation, int]] = {
    GroupMemberAdd: (add_group_members, 30),
    GroupAdminAdd: (add_group_admins, 10),
    DivisionMemberAdd: (assign_division, 30),
    ContactGroupMemberRemove: (remove_contact_members, 20),
    UserFeaturesUpdate: (update_features_in_bulk, BULK_USERS_PER_REQUEST),
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
    if isinstance(change, UserFeaturesUpdate):
        key = bulk_key(change)  # routed at plan time: bulk, or a PATCH of its own
        return None if key is None else ("user features", *key)
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
