"""Typed changes: one frozen class per (kind, action), each knowing its key, what it touches
in the live account, what it depends on, and how it reads before and after.

One module per kind, mirroring `reconciler.apply.operations`: `base` (what every change shares),
`users`, `groups`, `settings` (the settings leaves groups and users share), `user_settings`
(a user's licences and own settings), `divisions`, `contacts`. `CHANGE_TYPES` below is the one registry of concrete change classes.
"""

from __future__ import annotations

from reconciler.plan.changes.assistants import (
    UserAssistant,
    UserAssistantAdd,
    UserAssistantRemove,
)
from reconciler.plan.changes.base import (
    CODED_FIELDS,
    LEGACY_TYPE_NONE,
    PRIVACY_NAMES,
    Action,
    Bucket,
    Change,
    ChangeRef,
    DeleteMode,
    FieldChange,
    JsonValue,
    Kind,
    NamedChange,
    NamedCreate,
    NamedDelete,
    NamedExisting,
    privacy_name,
    readable_field,
    readable_value,
    user_type_name,
)
from reconciler.plan.changes.contacts import (
    ContactGroupCreate,
    ContactGroupDelete,
    ContactGroupMemberAdd,
    ContactGroupMemberRemove,
    ContactGroupUpdate,
    ContactMembership,
)
from reconciler.plan.changes.divisions import (
    DivisionCreate,
    DivisionDelete,
    DivisionMemberAdd,
    DivisionUpdate,
)
from reconciler.plan.changes.groups import (
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
    Membership,
)
from reconciler.plan.changes.settings import SettingChange, SettingLeavesUpdate, SettingsUpdate
from reconciler.plan.changes.user_settings import (
    LicenceChange,
    LockedSetting,
    UserFeaturesUpdate,
    UserSettingsUpdate,
)
from reconciler.plan.changes.users import UserCreate, UserDelete, UserUpdate

__all__ = [
    "CHANGE_TYPES",
    "CODED_FIELDS",
    "LEGACY_TYPE_NONE",
    "PRIVACY_NAMES",
    "Action",
    "Bucket",
    "Change",
    "ChangeRef",
    "ContactGroupCreate",
    "ContactGroupDelete",
    "ContactGroupMemberAdd",
    "ContactGroupMemberRemove",
    "ContactGroupUpdate",
    "ContactMembership",
    "DeleteMode",
    "DivisionCreate",
    "DivisionDelete",
    "DivisionMemberAdd",
    "DivisionUpdate",
    "FieldChange",
    "GroupAdminAdd",
    "GroupAdminRemove",
    "GroupCreate",
    "GroupDelete",
    "GroupLockSettingsUpdate",
    "GroupMemberAdd",
    "GroupMemberRemove",
    "GroupPrimarySet",
    "GroupSettingsUpdate",
    "GroupUpdate",
    "JsonValue",
    "Kind",
    "LicenceChange",
    "LockedSetting",
    "Membership",
    "NamedChange",
    "NamedCreate",
    "NamedDelete",
    "NamedExisting",
    "SettingChange",
    "SettingLeavesUpdate",
    "SettingsUpdate",
    "UserAssistant",
    "UserAssistantAdd",
    "UserAssistantRemove",
    "UserCreate",
    "UserDelete",
    "UserFeaturesUpdate",
    "UserSettingsUpdate",
    "UserUpdate",
    "privacy_name",
    "readable_field",
    "readable_value",
    "user_type_name",
]

CHANGE_TYPES: dict[tuple[Kind, Action], type[Change]] = {
    (cls.kind, cls.action): cls
    for cls in (
        UserCreate,
        UserUpdate,
        UserDelete,
        UserAssistantAdd,
        UserAssistantRemove,
        GroupCreate,
        GroupUpdate,
        GroupDelete,
        GroupMemberAdd,
        GroupMemberRemove,
        GroupPrimarySet,
        GroupAdminAdd,
        GroupAdminRemove,
        GroupSettingsUpdate,
        GroupLockSettingsUpdate,
        DivisionCreate,
        DivisionUpdate,
        DivisionDelete,
        DivisionMemberAdd,
        ContactGroupCreate,
        ContactGroupUpdate,
        ContactGroupDelete,
        ContactGroupMemberAdd,
        ContactGroupMemberRemove,
        UserFeaturesUpdate,
        UserSettingsUpdate,
    )
}
"""Every concrete change class by its (kind, action): exactly one each."""
