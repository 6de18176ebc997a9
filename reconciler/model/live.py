"""The live account as the reader saw it: frozen, indexed, and fingerprintable for saved plans.

It mirrors what Zoom's list calls return in few requests (users of every status with their
`group_ids` and `division_ids`; groups; divisions) plus what is read only when the configuration
manages it (a group's settings, lock settings and admins; contact groups and their members).
Anything not read is `None`, never an empty collection, so that "unknown" is never mistaken
for "empty".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

JsonValue = Any
"""A value as Zoom sends it in JSON (settings leaves, profile fields)."""


class ZoomUserStatus(StrEnum):
    """A user's status as Zoom lists it; `pending` users have accepted no invitation yet."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    PENDING = "pending"


class ContactMemberType(StrEnum):
    """What a contact-group member is: Zoom's type 1 (a user) or 2 (a user group)."""

    USER = "user"
    GROUP = "group"


class LiveObjectKind(StrEnum):
    """The live objects a saved plan fingerprints, each keyed as documented on `LiveRef`."""

    USER = "user"
    GROUP = "group"
    GROUP_NAME = "group_name"
    GROUP_SETTINGS = "group_settings"
    GROUP_LOCK_SETTINGS = "group_lock_settings"
    GROUP_ADMINS = "group_admins"
    USER_FEATURES = "user_features"
    USER_SETTINGS = "user_settings"
    DIVISION = "division"
    DIVISION_NAME = "division_name"
    CONTACT_GROUP = "contact_group"
    CONTACT_GROUP_NAME = "contact_group_name"


OWNER_ROLE_ID = "0"
ADMIN_ROLE_ID = "1"


@dataclass(frozen=True, slots=True)
class LiveRef:
    """One live object a change depends on.

    `key` is a lower-cased email for users, a Zoom id for groups, divisions, contact groups
    and the per-group objects, and a name for the `*_NAME` kinds, which stand for "whichever
    object holds this name" (so that a create notices when the name was taken meanwhile).
    """

    kind: LiveObjectKind
    key: str

    def format(self) -> str:
        return f"{self.kind.value}:{self.key}"

    @classmethod
    def parse(cls, text: str) -> LiveRef:
        kind, _, key = text.partition(":")
        return cls(LiveObjectKind(kind), key)


@dataclass(frozen=True, slots=True)
class LiveUser:
    """A user of any status. Pending users have no `id` (Zoom does not list one)."""

    email: str
    status: ZoomUserStatus
    type: int
    id: str | None = None
    role_id: str | None = None
    profile: Mapping[str, JsonValue] = field(default_factory=dict, hash=False)
    group_ids: tuple[str, ...] = ()
    division_ids: tuple[str, ...] = ()
    features: Mapping[str, JsonValue] | None = field(default=None, hash=False)
    """Licences in the configuration's terms (`reconciler.model.features`); `None` when not read."""
    settings: Mapping[str, JsonValue] | None = field(default=None, hash=False)
    """The user's own settings, in the configuration's shape; `None` when not read."""
    primary_group: str | None = None
    """The name of the user's primary group, read through SCIM2; `None` when not read."""
    assistants: Mapping[str, str] | None = field(default=None, hash=False)
    """Scheduling assistants, lower-cased email -> id; `None` when not read."""

    @property
    def key(self) -> str:
        return self.email.lower()

    @property
    def is_pending(self) -> bool:
        return self.status is ZoomUserStatus.PENDING

    @property
    def is_owner(self) -> bool:
        return self.role_id == OWNER_ROLE_ID

    @property
    def is_account_admin(self) -> bool:
        return self.role_id in (OWNER_ROLE_ID, ADMIN_ROLE_ID)


@dataclass(frozen=True, slots=True)
class LiveGroup:
    """A user group; `settings`, `lock_settings` and `admins` are `None` when not read."""

    id: str
    name: str
    total_members: int = 0
    settings: Mapping[str, JsonValue] | None = field(default=None, hash=False)
    lock_settings: Mapping[str, JsonValue] | None = field(default=None, hash=False)
    admins: frozenset[str] | None = None
    """Lower-cased emails of the group's admins."""


@dataclass(frozen=True, slots=True)
class LiveDivision:
    id: str
    name: str
    description: str | None = None
    is_main: bool = False


@dataclass(frozen=True, slots=True)
class LiveContactMember:
    """One member of a contact group: a user id or a user-group id, as Zoom reports it."""

    type: ContactMemberType
    id: str


@dataclass(frozen=True, slots=True)
class LiveContactGroup:
    """A contact group; `members` is `None` when not read. `privacy` is Zoom's code 1, 2 or 3."""

    id: str
    name: str
    privacy: int = 1
    description: str | None = None
    members: frozenset[LiveContactMember] | None = None


def _index(items: Iterable[Any], attribute: str) -> dict[str, Any]:
    return {getattr(item, attribute): item for item in items}


@dataclass(frozen=True)
class LiveState:
    """Everything read from the account, with lookups by email, id and name."""

    users: tuple[LiveUser, ...] = ()
    groups: tuple[LiveGroup, ...] = ()
    divisions: tuple[LiveDivision, ...] = ()
    contact_groups: tuple[LiveContactGroup, ...] | None = None
    """`None` when contact groups were not read (the configuration does not manage them)."""
    account_lock_settings: Mapping[str, JsonValue] | None = field(default=None, hash=False)
    """The account's lock settings, when read: a lock there overrides any group's setting."""

    _users_by_email: dict[str, LiveUser] = field(init=False, repr=False, compare=False)
    _users_by_id: dict[str, LiveUser] = field(init=False, repr=False, compare=False)
    _groups_by_id: dict[str, LiveGroup] = field(init=False, repr=False, compare=False)
    _groups_by_name: dict[str, LiveGroup] = field(init=False, repr=False, compare=False)
    _divisions_by_id: dict[str, LiveDivision] = field(init=False, repr=False, compare=False)
    _divisions_by_name: dict[str, LiveDivision] = field(init=False, repr=False, compare=False)
    _contacts_by_id: dict[str, LiveContactGroup] = field(init=False, repr=False, compare=False)
    _contacts_by_name: dict[str, LiveContactGroup] = field(init=False, repr=False, compare=False)
    _members: dict[str, list[LiveUser]] = field(init=False, repr=False, compare=False)
    _division_users: dict[str, list[LiveUser]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        members: dict[str, list[LiveUser]] = {}
        division_users: dict[str, list[LiveUser]] = {}
        for user in self.users:
            for group_id in user.group_ids:
                members.setdefault(group_id, []).append(user)
            for division_id in user.division_ids:
                division_users.setdefault(division_id, []).append(user)
        contacts = self.contact_groups or ()
        indexes = {
            "_users_by_email": {u.key: u for u in self.users},
            "_users_by_id": {u.id: u for u in self.users if u.id is not None},
            "_groups_by_id": _index(self.groups, "id"),
            "_groups_by_name": _index(self.groups, "name"),
            "_divisions_by_id": _index(self.divisions, "id"),
            "_divisions_by_name": _index(self.divisions, "name"),
            "_contacts_by_id": _index(contacts, "id"),
            "_contacts_by_name": _index(contacts, "name"),
            "_members": members,
            "_division_users": division_users,
        }
        for name, value in indexes.items():
            object.__setattr__(self, name, value)

    # lookups -----------------------------------------------------------------------------

    def user(self, email: str) -> LiveUser | None:
        found = self._users_by_email.get(email)
        return found if found is not None else self._users_by_email.get(email.lower())

    def user_by_id(self, user_id: str) -> LiveUser | None:
        return self._users_by_id.get(user_id)

    def group(self, group_id: str) -> LiveGroup | None:
        return self._groups_by_id.get(group_id)

    def group_named(self, name: str) -> LiveGroup | None:
        return self._groups_by_name.get(name)

    def division(self, division_id: str) -> LiveDivision | None:
        return self._divisions_by_id.get(division_id)

    def division_named(self, name: str) -> LiveDivision | None:
        return self._divisions_by_name.get(name)

    @property
    def main_division(self) -> LiveDivision | None:
        return next((d for d in self.divisions if d.is_main), None)

    def contact_group(self, group_id: str) -> LiveContactGroup | None:
        return self._contacts_by_id.get(group_id)

    def contact_group_named(self, name: str) -> LiveContactGroup | None:
        return self._contacts_by_name.get(name)

    def members_of(self, group_id: str) -> list[LiveUser]:
        """The group's members, from the users' own `group_ids` (no per-group call needed)."""
        return self._members.get(group_id, [])

    def users_in_division(self, division_id: str) -> list[LiveUser]:
        return self._division_users.get(division_id, [])

    # fingerprints --------------------------------------------------------------------------

    def fingerprint(self, ref: LiveRef) -> str | None:
        """A stable hash of the object's compared fields, or `None` when it does not exist."""
        content = self._fingerprint_content(ref)
        if content is None:
            return None
        text = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def _fingerprint_content(self, ref: LiveRef) -> Any:
        kind, key = ref.kind, ref.key
        if kind is LiveObjectKind.USER:
            user = self.user(key)
            return None if user is None else _user_content(user)
        if kind in (LiveObjectKind.USER_FEATURES, LiveObjectKind.USER_SETTINGS):
            owner = self.user(key)
            if owner is None:
                return None
            return owner.features if kind is LiveObjectKind.USER_FEATURES else owner.settings
        if kind is LiveObjectKind.GROUP_NAME:
            named = self.group_named(key)
            return None if named is None else {"id": named.id}
        if kind is LiveObjectKind.DIVISION_NAME:
            division_named = self.division_named(key)
            return None if division_named is None else {"id": division_named.id}
        if kind is LiveObjectKind.CONTACT_GROUP_NAME:
            contact_named = self.contact_group_named(key)
            return None if contact_named is None else {"id": contact_named.id}
        if kind is LiveObjectKind.DIVISION:
            division = self.division(key)
            return None if division is None else _division_content(division)
        if kind is LiveObjectKind.CONTACT_GROUP:
            contact = self.contact_group(key)
            return None if contact is None else _contact_content(contact)
        group = self.group(key)
        if group is None:
            return None
        if kind is LiveObjectKind.GROUP_SETTINGS:
            return group.settings
        if kind is LiveObjectKind.GROUP_LOCK_SETTINGS:
            return group.lock_settings
        if kind is LiveObjectKind.GROUP_ADMINS:
            return None if group.admins is None else sorted(group.admins)
        return {"id": group.id, "name": group.name}


def _user_content(user: LiveUser) -> dict[str, Any]:
    content = {
        "email": user.key,
        "id": user.id,
        "status": user.status.value,
        "type": user.type,
        "role_id": user.role_id,
        "profile": dict(user.profile),
        "group_ids": sorted(user.group_ids),
        "division_ids": sorted(user.division_ids),
    }
    # Each only when read, so other plans' fingerprints stay as they were.
    if user.primary_group is not None:
        content["primary_group"] = user.primary_group
    if user.assistants is not None:
        content["assistants"] = sorted(user.assistants)
    return content


def _division_content(division: LiveDivision) -> dict[str, Any]:
    return {
        "id": division.id,
        "name": division.name,
        "description": division.description,
        "is_main": division.is_main,
    }


def _contact_content(contact: LiveContactGroup) -> dict[str, Any]:
    members = None
    if contact.members is not None:
        members = sorted(f"{m.type.value}:{m.id}" for m in contact.members)
    return {
        "id": contact.id,
        "name": contact.name,
        "privacy": contact.privacy,
        "description": contact.description,
        "members": members,
    }
