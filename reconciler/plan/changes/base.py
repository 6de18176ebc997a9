"""What every change shares: kinds and actions, field changes, refs, and the named-object bases.

Kinds and actions are enums; their values are the contract's JSON strings, and strings appear
only at the edges (plan file, renderers).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from reconciler.model.enums import (
    ContactGroupPrivacy,
    PronounsOption,
    UserType,
    readable_name,
)
from reconciler.model.live import LiveObjectKind, LiveRef

JsonValue = Any


class Kind(StrEnum):
    USER = "user"
    USER_ASSISTANT = "user_assistant"
    GROUP = "group"
    GROUP_MEMBER = "group_member"
    GROUP_ADMIN = "group_admin"
    GROUP_SETTINGS = "group_settings"
    GROUP_LOCK_SETTINGS = "group_lock_settings"
    DIVISION = "division"
    DIVISION_MEMBER = "division_member"
    CONTACT_GROUP = "contact_group"
    CONTACT_GROUP_MEMBER = "contact_group_member"
    USER_FEATURES = "user_features"
    USER_SETTINGS = "user_settings"


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


def user_ref(email: str) -> LiveRef:
    return LiveRef(LiveObjectKind.USER, email.lower())


def existing_or_named(
    kind: LiveObjectKind, name_kind: LiveObjectKind, object_id: str | None, name: str
) -> LiveRef:
    return LiveRef(kind, object_id) if object_id is not None else LiveRef(name_kind, name)


def group_ref(group_id: str | None, name: str) -> LiveRef:
    return existing_or_named(LiveObjectKind.GROUP, LiveObjectKind.GROUP_NAME, group_id, name)


def division_ref(division_id: str | None, name: str) -> LiveRef:
    return existing_or_named(
        LiveObjectKind.DIVISION, LiveObjectKind.DIVISION_NAME, division_id, name
    )


def contact_ref(contact_id: str | None, name: str) -> LiveRef:
    return existing_or_named(
        LiveObjectKind.CONTACT_GROUP, LiveObjectKind.CONTACT_GROUP_NAME, contact_id, name
    )


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
