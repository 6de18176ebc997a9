"""Which operation carries out a change. Which changes share one request, and how many fit, is
the plan's cost table (`reconciler.plan.costs`): the estimate counts from the same rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from reconciler.apply.ids import IdBook
from reconciler.apply.operations.assistants import (
    add_assistants,
    clear_assistants,
    remove_assistant,
)
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
    set_primary_group,
    update_group,
    update_settings,
)
from reconciler.apply.operations.user_settings import (
    update_features_in_bulk,
    update_user_features,
    update_user_settings,
)
from reconciler.apply.operations.users import create_user, delete_user, update_user
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
    GroupPrimarySet,
    GroupSettingsUpdate,
    GroupUpdate,
    UserAssistantAdd,
    UserAssistantRemove,
    UserCreate,
    UserDelete,
    UserFeaturesUpdate,
    UserSettingsUpdate,
    UserUpdate,
)
from reconciler.plan.costs import batch_key, batch_limit
from reconciler.zoom import ZoomClient

SingleOperation = Callable[[ZoomClient, IdBook, Any], Awaitable[None]]
BatchOperation = Callable[[ZoomClient, IdBook, Sequence[Any]], Awaitable[list[Exception | None]]]

SINGLE: dict[type[Change], SingleOperation] = {
    UserCreate: create_user,
    UserUpdate: update_user,
    UserDelete: delete_user,
    UserAssistantRemove: remove_assistant,
    GroupCreate: create_group,
    GroupUpdate: update_group,
    GroupDelete: delete_group,
    GroupMemberRemove: remove_group_member,
    GroupPrimarySet: set_primary_group,
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

BATCHED: dict[type[Change], BatchOperation] = {
    GroupMemberAdd: add_group_members,
    GroupAdminAdd: add_group_admins,
    DivisionMemberAdd: assign_division,
    ContactGroupMemberAdd: add_contact_members,
    ContactGroupMemberRemove: remove_contact_members,
    UserFeaturesUpdate: update_features_in_bulk,
    UserAssistantAdd: add_assistants,
    UserAssistantRemove: clear_assistants,
}
"""Changes Zoom takes several at a time (`batch_key` groups them, up to `batch_limit`)."""

__all__ = ["BATCHED", "SINGLE", "batch_key", "batch_limit", "run_batch", "run_single"]


async def run_batch(
    zoom: ZoomClient, ids: IdBook, changes: Sequence[Change]
) -> list[Exception | None]:
    """Carry out changes sharing one `batch_key` in a single request."""
    return await BATCHED[type(changes[0])](zoom, ids, changes)


async def run_single(zoom: ZoomClient, ids: IdBook, change: Change) -> None:
    """Carry out one change on its own."""
    if isinstance(change, GroupMemberAdd):
        await add_pending_member(zoom, ids, change)
        return
    await SINGLE[type(change)](zoom, ids, change)
