"""Typed changes: one frozen class per (kind, action), each knowing its key, what it touches
in the live account, what it depends on, and how it reads before and after.

Kinds and actions are enums; their values are the contract's JSON strings, and strings appear
only at the edges (plan file, renderers).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from reconciler.model.enums import (
    ContactGroupPrivacy,
    CreateAction,
    PronounsOption,
    UserType,
    readable_name,
)
from reconciler.model.live import ContactMemberType, LiveObjectKind, LiveRef

JsonValue = Any


class Kind(StrEnum):
    USER = "user"
    GROUP = "group"
    GROUP_MEMBER = "group_member"
    GROUP_ADMIN = "group_admin"
    GROUP_SETTINGS = "group_settings"
    GROUP_LOCK_SETTINGS = "group_lock_settings"
    DIVISION = "division"
    DIVISION_MEMBER = "division_member"
    CONTACT_GROUP = "contact_group"
    CONTACT_GROUP_MEMBER = "contact_group_member"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ADD = "add"
    REMOVE = "remove"


class Bucket(StrEnum):
    """Where a change counts in the summary: `add` is a create; `remove` and deactivation a delete."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class DeleteMode(StrEnum):
    """Zoom's `action` on DELETE /users: `disassociate` unlinks (the user keeps a free account)."""

    DELETE = "delete"
    DISASSOCIATE = "disassociate"


CODED_FIELDS: dict[str, type[IntEnum]] = {
    "type": UserType,
    "pronouns_option": PronounsOption,
    "privacy": ContactGroupPrivacy,
}
"""Fields Zoom spells as numbers; a plan shows them by the names the configuration uses."""

LEGACY_TYPE_NONE = 99
"""Zoom's deprecated user type "None": still found on old accounts, never written."""

PRIVACY_NAMES: dict[int, str] = {int(m): readable_name(m) for m in ContactGroupPrivacy}


def readable_value(field: str, value: JsonValue) -> JsonValue:
    """The configuration's name for a coded field's number (`2` -> `licensed`); else the value."""
    coded = CODED_FIELDS.get(field)
    if coded is None or isinstance(value, bool) or not isinstance(value, int):
        return value
    if coded is UserType and value == LEGACY_TYPE_NONE:
        return "none"
    try:
        return readable_name(coded(value))
    except ValueError:
        return value


def readable_field(change: FieldChange) -> FieldChange:
    return FieldChange(
        field=change.field,
        old=readable_value(change.field, change.old),
        new=readable_value(change.field, change.new),
    )


def user_type_name(code: int) -> str:
    return str(readable_value("type", code))


def privacy_name(code: int) -> str:
    return str(readable_value("privacy", code))


class ChangeRef(BaseModel):
    """Names a change another depends on, by kind and key; the applier skips dependants of a failure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Kind
    key: str

    def format(self) -> str:
        return f"{self.kind.value}:{self.key}"


class FieldChange(BaseModel):
    """One field's old and new value; `old` is `None` on creates, `new` is `None` on deletes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: str
    old: JsonValue = None
    new: JsonValue = None


class Change(BaseModel):
    """Base of every change: frozen, serialisable, and free of secrets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ClassVar[Kind]
    action: ClassVar[Action]

    @property
    def key(self) -> str:
        raise NotImplementedError

    @property
    def ref(self) -> ChangeRef:
        return ChangeRef(kind=self.kind, key=self.key)

    @property
    def bucket(self) -> Bucket:
        if self.action in (Action.CREATE, Action.ADD):
            return Bucket.CREATE
        if self.action in (Action.DELETE, Action.REMOVE):
            return Bucket.DELETE
        return Bucket.UPDATE

    def fields(self) -> tuple[FieldChange, ...]:
        """The field-level view renderers show (`~ field: old -> new`)."""
        return ()

    def notes(self) -> tuple[str, ...]:
        """Warnings that belong to this change (a lock above that overrides it, for instance)."""
        return ()

    def before(self) -> dict[str, JsonValue] | None:
        if self.bucket is Bucket.CREATE:
            return None
        return {f.field: f.old for f in self.fields()}

    def after(self) -> dict[str, JsonValue] | None:
        if self.action in (Action.DELETE, Action.REMOVE):
            return None
        return {f.field: f.new for f in self.fields()}

    def touches(self) -> tuple[LiveRef, ...]:
        """The live objects whose state this change assumes; a saved plan fingerprints them."""
        return ()

    def depends_on(self) -> tuple[ChangeRef, ...]:
        return ()


def _user_ref(email: str) -> LiveRef:
    return LiveRef(LiveObjectKind.USER, email.lower())


def _existing_or_named(
    kind: LiveObjectKind, name_kind: LiveObjectKind, object_id: str | None, name: str
) -> LiveRef:
    return LiveRef(kind, object_id) if object_id is not None else LiveRef(name_kind, name)


def _group_ref(group_id: str | None, name: str) -> LiveRef:
    return _existing_or_named(LiveObjectKind.GROUP, LiveObjectKind.GROUP_NAME, group_id, name)


def _division_ref(division_id: str | None, name: str) -> LiveRef:
    return _existing_or_named(
        LiveObjectKind.DIVISION, LiveObjectKind.DIVISION_NAME, division_id, name
    )


def _contact_ref(contact_id: str | None, name: str) -> LiveRef:
    return _existing_or_named(
        LiveObjectKind.CONTACT_GROUP, LiveObjectKind.CONTACT_GROUP_NAME, contact_id, name
    )


# users -------------------------------------------------------------------------------------


class UserCreate(Change):
    """POST /users with the chosen `action`; the profile fields POST cannot take follow as a PATCH,
    and `deactivate` as a PUT /status.

    A password (autoCreate) is never recorded here: only that one is set.
    """

    kind = Kind.USER
    action = Action.CREATE

    email: str
    create_action: CreateAction
    type: int
    profile: dict[str, JsonValue] = {}
    password_set: bool = False
    deactivate: bool = False
    """Deactivate right after creating (only for actions that create an active user)."""

    @property
    def key(self) -> str:
        return self.email.lower()

    def fields(self) -> tuple[FieldChange, ...]:
        found = [
            FieldChange(field="create_action", new=self.create_action),
            FieldChange(field="type", new=user_type_name(self.type)),
        ]
        found += [
            FieldChange(field=k, new=readable_value(k, v)) for k, v in sorted(self.profile.items())
        ]
        if self.password_set:
            found.append(FieldChange(field="password", new="(set)"))
        if self.deactivate:
            found.append(FieldChange(field="status", new="inactive"))
        return tuple(found)

    def touches(self) -> tuple[LiveRef, ...]:
        return (_user_ref(self.email),)


class UserUpdate(Change):
    """Profile fields, type and status of one user, kept apart because Zoom needs them apart.

    The applier sends the profile fields in one PATCH, the type in a PATCH of its own (Zoom
    refuses `type` together with other plan fields), and the status through PUT /status.
    Deactivation counts as a delete in the summary.
    """

    kind = Kind.USER
    action = Action.UPDATE

    email: str
    user_id: str | None = None
    pending: bool = False
    profile: tuple[FieldChange, ...] = ()
    type: FieldChange | None = None
    status: FieldChange | None = None

    @property
    def key(self) -> str:
        return self.email.lower()

    @property
    def deactivates(self) -> bool:
        return self.status is not None and self.status.new == "inactive"

    @property
    def activates(self) -> bool:
        return self.status is not None and self.status.new == "active"

    @property
    def bucket(self) -> Bucket:
        return Bucket.DELETE if self.deactivates else Bucket.UPDATE

    def fields(self) -> tuple[FieldChange, ...]:
        found = [readable_field(f) for f in self.profile]
        if self.type is not None:
            found.append(readable_field(self.type))
        if self.status is not None:
            found.append(self.status)
        return tuple(found)

    def before(self) -> dict[str, JsonValue] | None:
        return {f.field: f.old for f in self.fields()}

    def after(self) -> dict[str, JsonValue] | None:
        return {f.field: f.new for f in self.fields()}

    def touches(self) -> tuple[LiveRef, ...]:
        return (_user_ref(self.email),)


class UserDelete(Change):
    """DELETE /users/{id}; pending users can only be disassociated (their invitation withdrawn)."""

    kind = Kind.USER
    action = Action.DELETE

    email: str
    user_id: str | None = None
    mode: DeleteMode
    status: str
    type: int

    @property
    def key(self) -> str:
        return self.email.lower()

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="status", old=self.status),
            FieldChange(field="type", old=user_type_name(self.type)),
            FieldChange(field="delete_action", old=self.mode.value),
        )

    def before(self) -> dict[str, JsonValue] | None:
        return {"status": self.status, "type": user_type_name(self.type), "action": self.mode.value}

    def touches(self) -> tuple[LiveRef, ...]:
        return (_user_ref(self.email),)


# groups, divisions and contact groups: named objects ---------------------------------------


class NamedChange(Change):
    """A change to a group, division or contact group, keyed by the name it will have."""

    name: str

    @property
    def key(self) -> str:
        return self.name


class NamedCreate(NamedChange):
    """A create: what it assumes is that no live object has the name yet."""

    name_kind: ClassVar[LiveObjectKind]

    def touches(self) -> tuple[LiveRef, ...]:
        return (LiveRef(self.name_kind, self.name),)


class NamedExisting(NamedChange):
    """An update or delete of a live object, which it names by its id."""

    live_kind: ClassVar[LiveObjectKind]

    @property
    def live_id(self) -> str:
        raise NotImplementedError

    def touches(self) -> tuple[LiveRef, ...]:
        return (LiveRef(self.live_kind, self.live_id),)


class NamedDelete(NamedExisting):
    def fields(self) -> tuple[FieldChange, ...]:
        return (FieldChange(field="name", old=self.name),)


# groups ------------------------------------------------------------------------------------


class GroupCreate(NamedCreate):
    kind = Kind.GROUP
    action = Action.CREATE
    name_kind = LiveObjectKind.GROUP_NAME

    def fields(self) -> tuple[FieldChange, ...]:
        return (FieldChange(field="name", new=self.name),)


class GroupUpdate(NamedExisting):
    """A rename, found through the group's pinned `id`."""

    kind = Kind.GROUP
    action = Action.UPDATE
    live_kind = LiveObjectKind.GROUP

    group_id: str
    old_name: str

    @property
    def live_id(self) -> str:
        return self.group_id

    def fields(self) -> tuple[FieldChange, ...]:
        return (FieldChange(field="name", old=self.old_name, new=self.name),)

    def touches(self) -> tuple[LiveRef, ...]:
        """The group, and the new name (which must still be free)."""
        return (*super().touches(), LiveRef(LiveObjectKind.GROUP_NAME, self.name))


class GroupDelete(NamedDelete):
    kind = Kind.GROUP
    action = Action.DELETE
    live_kind = LiveObjectKind.GROUP

    group_id: str
    total_members: int = 0

    @property
    def live_id(self) -> str:
        return self.group_id

    def fields(self) -> tuple[FieldChange, ...]:
        return (*super().fields(), FieldChange(field="total_members", old=self.total_members))


class Membership(Change):
    """A user in a group (as member or admin); ids are `None` for objects this plan creates."""

    group: str
    group_id: str | None = None
    email: str
    user_id: str | None = None

    @property
    def key(self) -> str:
        return f"{self.group}/{self.email.lower()}"

    def touches(self) -> tuple[LiveRef, ...]:
        return (_group_ref(self.group_id, self.group), _user_ref(self.email))

    def depends_on(self) -> tuple[ChangeRef, ...]:
        return (
            ChangeRef(kind=Kind.GROUP, key=self.group),
            ChangeRef(kind=Kind.USER, key=self.email.lower()),
        )


class GroupMemberAdd(Membership):
    """POST /groups/{id}/members (≤30 a call); a primary group also gets PATCH set_primary.

    A pending user has no id: Zoom places pending users only through PATCH /users `group_id`.
    """

    kind = Kind.GROUP_MEMBER
    action = Action.ADD

    primary: bool = False
    user_pending: bool = False

    def fields(self) -> tuple[FieldChange, ...]:
        found = [
            FieldChange(field="group", new=self.group),
            FieldChange(field="user", new=self.email),
        ]
        if self.primary:
            found.append(FieldChange(field="primary", new=True))
        return tuple(found)


class GroupMemberRemove(Membership):
    kind = Kind.GROUP_MEMBER
    action = Action.REMOVE

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="group", old=self.group),
            FieldChange(field="user", old=self.email),
        )


class GroupAdminAdd(Membership):
    kind = Kind.GROUP_ADMIN
    action = Action.ADD

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="group", new=self.group),
            FieldChange(field="user", new=self.email),
        )

    def touches(self) -> tuple[LiveRef, ...]:
        return (*super().touches(), *_admins_ref(self.group_id))


class GroupAdminRemove(Membership):
    kind = Kind.GROUP_ADMIN
    action = Action.REMOVE

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="group", old=self.group),
            FieldChange(field="user", old=self.email),
        )

    def touches(self) -> tuple[LiveRef, ...]:
        return (*super().touches(), *_admins_ref(self.group_id))


def _admins_ref(group_id: str | None) -> tuple[LiveRef, ...]:
    return () if group_id is None else (LiveRef(LiveObjectKind.GROUP_ADMINS, group_id),)


class SettingChange(BaseModel):
    """One settings leaf (a scalar or a list) by its path of keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: tuple[str, ...]
    old: JsonValue = None
    new: JsonValue = None
    old_present: bool = True
    locked_above: bool = False
    """True when a lock above this level (the account's lock settings) would override the value."""

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def _nest(changes: tuple[SettingChange, ...], new: bool) -> dict[str, JsonValue]:
    tree: dict[str, JsonValue] = {}
    for change in changes:
        node = tree
        for part in change.path[:-1]:
            node = node.setdefault(part, {})
        node[change.path[-1]] = change.new if new else change.old
    return tree


class SettingsUpdate(Change):
    """PATCH of the written settings leaves only; `before`/`after` are nested like Zoom's body."""

    action = Action.UPDATE

    group: str
    group_id: str | None = None
    changes: tuple[SettingChange, ...]

    @property
    def key(self) -> str:
        return self.group

    def fields(self) -> tuple[FieldChange, ...]:
        return tuple(FieldChange(field=c.dotted, old=c.old, new=c.new) for c in self.changes)

    def before(self) -> dict[str, JsonValue] | None:
        return _nest(tuple(c for c in self.changes if c.old_present), new=False)

    def after(self) -> dict[str, JsonValue] | None:
        return _nest(self.changes, new=True)

    def patch_body(self) -> dict[str, JsonValue]:
        """The nested body to PATCH (before any split by Zoom's `option` variants)."""
        return _nest(self.changes, new=True)

    def notes(self) -> tuple[str, ...]:
        return tuple(
            f"{c.dotted} is locked at the account level; the account's value wins"
            for c in self.changes
            if c.locked_above
        )

    def depends_on(self) -> tuple[ChangeRef, ...]:
        return (ChangeRef(kind=Kind.GROUP, key=self.group),)


class GroupSettingsUpdate(SettingsUpdate):
    kind = Kind.GROUP_SETTINGS

    def touches(self) -> tuple[LiveRef, ...]:
        if self.group_id is None:
            return (LiveRef(LiveObjectKind.GROUP_NAME, self.group),)
        return (LiveRef(LiveObjectKind.GROUP_SETTINGS, self.group_id),)


class GroupLockSettingsUpdate(SettingsUpdate):
    kind = Kind.GROUP_LOCK_SETTINGS

    def touches(self) -> tuple[LiveRef, ...]:
        if self.group_id is None:
            return (LiveRef(LiveObjectKind.GROUP_NAME, self.group),)
        return (LiveRef(LiveObjectKind.GROUP_LOCK_SETTINGS, self.group_id),)


# divisions ---------------------------------------------------------------------------------


class DivisionCreate(NamedCreate):
    kind = Kind.DIVISION
    action = Action.CREATE
    name_kind = LiveObjectKind.DIVISION_NAME

    description: str | None = None

    def fields(self) -> tuple[FieldChange, ...]:
        found = [FieldChange(field="name", new=self.name)]
        if self.description is not None:
            found.append(FieldChange(field="description", new=self.description))
        return tuple(found)


class DivisionUpdate(NamedExisting):
    """A rename (through a pinned `id`) and/or a new description."""

    kind = Kind.DIVISION
    action = Action.UPDATE
    live_kind = LiveObjectKind.DIVISION

    division_id: str
    changes: tuple[FieldChange, ...]

    @property
    def live_id(self) -> str:
        return self.division_id

    def fields(self) -> tuple[FieldChange, ...]:
        return self.changes


class DivisionDelete(NamedDelete):
    """Only for undeclared divisions that are empty once this plan's own moves are done."""

    kind = Kind.DIVISION
    action = Action.DELETE
    live_kind = LiveObjectKind.DIVISION

    division_id: str

    @property
    def live_id(self) -> str:
        return self.division_id


class DivisionMemberAdd(Change):
    """POST /divisions/{id}/users: a user belongs to one division, so adding moves them.

    Zoom has no unassign endpoint; leaving a division means joining another (the main one).
    """

    kind = Kind.DIVISION_MEMBER
    action = Action.ADD

    division: str
    division_id: str | None = None
    email: str
    user_id: str | None = None
    previous: str | None = None

    @property
    def key(self) -> str:
        return f"{self.division}/{self.email.lower()}"

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="division", old=self.previous, new=self.division),
            FieldChange(field="user", new=self.email),
        )

    def before(self) -> dict[str, JsonValue] | None:
        return None if self.previous is None else {"division": self.previous}

    def touches(self) -> tuple[LiveRef, ...]:
        return (_division_ref(self.division_id, self.division), _user_ref(self.email))

    def depends_on(self) -> tuple[ChangeRef, ...]:
        return (
            ChangeRef(kind=Kind.DIVISION, key=self.division),
            ChangeRef(kind=Kind.USER, key=self.email.lower()),
        )


# contact groups ----------------------------------------------------------------------------


class ContactGroupCreate(NamedCreate):
    """POST /contacts/groups; Zoom wants at least one member, so the applier folds in the first adds."""

    kind = Kind.CONTACT_GROUP
    action = Action.CREATE
    name_kind = LiveObjectKind.CONTACT_GROUP_NAME

    privacy: int = 1
    description: str | None = None

    def fields(self) -> tuple[FieldChange, ...]:
        found = [
            FieldChange(field="name", new=self.name),
            FieldChange(field="privacy", new=privacy_name(self.privacy)),
        ]
        if self.description is not None:
            found.append(FieldChange(field="description", new=self.description))
        return tuple(found)


class ContactGroupUpdate(NamedExisting):
    """PATCH name, privacy (Zoom's code, shown by name) and description."""

    kind = Kind.CONTACT_GROUP
    action = Action.UPDATE
    live_kind = LiveObjectKind.CONTACT_GROUP

    contact_group_id: str
    changes: tuple[FieldChange, ...]

    @property
    def live_id(self) -> str:
        return self.contact_group_id

    def fields(self) -> tuple[FieldChange, ...]:
        return tuple(readable_field(c) for c in self.changes)


class ContactGroupDelete(NamedDelete):
    kind = Kind.CONTACT_GROUP
    action = Action.DELETE
    live_kind = LiveObjectKind.CONTACT_GROUP

    contact_group_id: str

    @property
    def live_id(self) -> str:
        return self.contact_group_id


class ContactMembership(Change):
    """A user (by email) or a user group (by name) in a contact group."""

    contact_group: str
    contact_group_id: str | None = None
    member_type: ContactMemberType
    member: str
    member_id: str | None = None

    @property
    def key(self) -> str:
        member = self.member.lower() if self.member_type is ContactMemberType.USER else self.member
        return f"{self.contact_group}/{self.member_type.value}:{member}"

    def touches(self) -> tuple[LiveRef, ...]:
        return (_contact_ref(self.contact_group_id, self.contact_group),)

    def depends_on(self) -> tuple[ChangeRef, ...]:
        member_kind = Kind.USER if self.member_type is ContactMemberType.USER else Kind.GROUP
        member = self.member.lower() if self.member_type is ContactMemberType.USER else self.member
        return (
            ChangeRef(kind=Kind.CONTACT_GROUP, key=self.contact_group),
            ChangeRef(kind=member_kind, key=member),
        )


class ContactGroupMemberAdd(ContactMembership):
    """POST members: at most 50 users and 3 groups a call."""

    kind = Kind.CONTACT_GROUP_MEMBER
    action = Action.ADD

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="contact_group", new=self.contact_group),
            FieldChange(field=self.member_type.value, new=self.member),
        )


class ContactGroupMemberRemove(ContactMembership):
    """DELETE members (≤20 a call); Zoom refuses to remove a group's last member."""

    kind = Kind.CONTACT_GROUP_MEMBER
    action = Action.REMOVE

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="contact_group", old=self.contact_group),
            FieldChange(field=self.member_type.value, old=self.member),
        )


CHANGE_TYPES: dict[tuple[Kind, Action], type[Change]] = {
    (cls.kind, cls.action): cls
    for cls in (
        UserCreate,
        UserUpdate,
        UserDelete,
        GroupCreate,
        GroupUpdate,
        GroupDelete,
        GroupMemberAdd,
        GroupMemberRemove,
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
    )
}
"""Every concrete change class by its (kind, action): exactly one each."""
