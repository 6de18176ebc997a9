"""What to read: the listings every plan needs, and the per-group reads only some plans need.

A plan that manages no settings should not pay for two hundred settings calls, so the caller
says which groups' settings, lock settings and admins it compares, and whether contact groups
are managed. A plan that manages settings also reads the account's lock settings, once. `export`
asks for everything but those (a configuration cannot write them), and may ask for every user's
details too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from reconciler.model.live import LiveGroup
from reconciler.model.policy import PrimaryGroups
from reconciler.plan.desired import Desired, DesiredGroup, DesiredUser
from reconciler.schema import Option, SettingsDocument, settings_schema
from reconciler.schema.documents import option_sections

# Profile fields that `GET /users` lists (custom attributes with `include_fields`, which the
# reader always asks for); any other written profile field needs `GET /users/{id}`.
LISTED_PROFILE_FIELDS = frozenset(
    {"first_name", "last_name", "display_name", "dept", "timezone", "custom_attributes"}
)


def all_parts(document: SettingsDocument) -> frozenset[Option]:
    """Every request a document is read with: the one without `option`, and one per option."""
    return frozenset({None, *option_sections(document)})


def parts_for(document: SettingsDocument, written: Iterable[str]) -> frozenset[Option]:
    """The requests that return the top-level sections a configuration wrote."""
    options = option_sections(document)
    return frozenset(key if key in options else None for key in written)


@dataclass(frozen=True)
class GroupSelection:
    """Some groups, named by name or pinned id, or every group of the account."""

    every: bool = False
    names: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()

    @classmethod
    def all(cls) -> GroupSelection:
        return cls(every=True)

    def selects(self, group: LiveGroup) -> bool:
        return self.every or group.name in self.names or group.id in self.ids

    def __bool__(self) -> bool:
        return self.every or bool(self.names or self.ids)


def _select(groups: Iterable[DesiredGroup]) -> GroupSelection:
    chosen = list(groups)
    return GroupSelection(
        names=frozenset(g.name for g in chosen),
        ids=frozenset(g.id for g in chosen if g.id is not None),
    )


@dataclass(frozen=True)
class PrimaryGroupRead:
    """Whose primary group to read through SCIM2: these users, when in two of these groups."""

    users: frozenset[str]
    """Lower-cased emails of the managed users."""
    groups: GroupSelection
    """The groups whose membership the configuration manages (by name, or pinned id)."""


@dataclass(frozen=True)
class ReadRequest:
    """The reads beyond the listings (users of every status, groups, divisions)."""

    settings: GroupSelection = GroupSelection()
    settings_parts: frozenset[Option] = field(
        default_factory=lambda: all_parts(SettingsDocument.SETTINGS)
    )
    lock_settings: GroupSelection = GroupSelection()
    lock_settings_parts: frozenset[Option] = field(
        default_factory=lambda: all_parts(SettingsDocument.LOCK_SETTINGS)
    )
    admins: GroupSelection = GroupSelection()
    contact_groups: bool = False
    """Contact groups and each one's members."""
    account_lock_settings: bool = False
    """The account's lock settings (one call), for the notes on group settings a lock overrides;
    a refusal (the app lacks the scope) lets the read go on without them."""
    user_details: frozenset[str] = frozenset()
    """Lower-cased emails whose profile needs fields `GET /users` does not list (`job_title`)."""
    assistants: frozenset[str] = frozenset()
    """Users whose scheduling assistants are read (`GET /users/{userId}/assistants`, Medium),
    by lower-cased email or pinned id: only users whose configuration writes `assistants`."""
    every_user_assistants: bool = False
    """Every active user's assistants, for an export."""
    every_user_details: bool = False
    """`GET /users/{id}` for every user: one Light call each, for a faithful export."""
    groups_optional: bool = False
    """Read on without groups when the account's plan has none (Zoom's 400, code 200: a free
    account): export, and a plan whose configuration never mentions a group."""
    contact_groups_optional: bool = False
    """The same for contact groups: export reads on, a plan that manages them fails instead."""
    user_settings: frozenset[str] = frozenset()
    """Lower-cased emails (and pinned ids) of the users whose licences or own settings are
    compared: `GET /users/{id}/settings`."""
    user_settings_parts: frozenset[Option] = frozenset({None})
    """The requests per user (None holds `feature`, the licences, and the default sections)."""
    every_user_settings: bool = False
    """Every user's licences and settings, for an export."""
    user_group_locks: frozenset[str] = frozenset()
    """Lower-cased emails whose live groups' lock settings are read too (a lock there overrides
    the user's own setting), for users whose configuration does not name their groups."""
    primary_groups: PrimaryGroupRead | None = None
    """`policy.primary_groups: verify`: users' primary groups through SCIM2 (one Light call each)."""

    @classmethod
    def everything(cls) -> ReadRequest:
        """Every listing and every group's and contact group's reads; no per-user details."""
        return cls(
            settings=GroupSelection.all(),
            lock_settings=GroupSelection.all(),
            admins=GroupSelection.all(),
            contact_groups=True,
        )

    @classmethod
    def for_export(cls, *, user_details: bool = True) -> ReadRequest:
        """Everything the account's plan has, and with `user_details` the profile fields only
        `GET /users/{id}` returns."""
        return replace(
            cls.everything(),
            every_user_details=user_details,
            # Licences and the default sections: one Medium call a user. The `option` sections
            # (three more calls each) are left unmanaged rather than quadruple the cost.
            every_user_settings=user_details,
            every_user_assistants=True,
            groups_optional=True,
            contact_groups_optional=True,
        )

    @classmethod
    def for_desired(cls, desired: Desired) -> ReadRequest:
        """Only what the differ compares for this configuration."""
        with_settings = [g for g in desired.groups if g.settings is not None]
        with_locks = [g for g in desired.groups if g.lock_settings is not None]
        settings_keys = {key for g in with_settings for key in g.settings or {}}
        lock_keys = {key for g in with_locks for key in g.lock_settings or {}}
        # A user's own setting that one of their groups locks does not take effect: the plan
        # says so, from those groups' lock settings.
        own_settings = [u for u in desired.users if u.settings is not None]
        own_keys = {key for u in own_settings for key in u.settings or {}}
        locking = _select(with_locks)
        sections = lockable_sections()
        lockable = [u for u in own_settings if set(u.settings or {}) & sections]
        if lockable:
            lock_keys |= own_keys & sections
            own_groups = {g for u in lockable for g in u.groups or ()}
            locking = replace(locking, names=locking.names | own_groups)
        details = frozenset(
            key
            for user in desired.users
            if set(user.profile) - LISTED_PROFILE_FIELDS
            for key in _identities(user)
        )
        return cls(
            settings=_select(with_settings),
            settings_parts=parts_for(SettingsDocument.SETTINGS, settings_keys),
            lock_settings=locking,
            lock_settings_parts=parts_for(SettingsDocument.LOCK_SETTINGS, lock_keys),
            admins=_select(g for g in desired.groups if g.admins is not None),
            contact_groups=bool(desired.contact_groups or desired.policy.prune_contact_groups),
            account_lock_settings=bool(with_settings or own_settings),
            user_details=details,
            user_settings=frozenset(
                key
                for u in desired.users
                if u.features is not None or u.settings is not None
                for key in _identities(u)
            ),
            user_settings_parts=frozenset({None})
            | parts_for(SettingsDocument.USER_SETTINGS, own_keys),
            user_group_locks=frozenset(u.email.lower() for u in lockable if u.groups is None),
            assistants=frozenset(
                key
                for user in desired.users
                if user.assistants is not None
                for key in _identities(user)
            ),
            groups_optional=not _uses_groups(desired),
            primary_groups=_primary_group_read(desired),
        )


def lockable_sections() -> frozenset[str]:
    """Top-level sections a group's lock settings have: the user settings they can lock."""
    return frozenset(settings_schema(SettingsDocument.LOCK_SETTINGS)["properties"])


def _primary_group_read(desired: Desired) -> PrimaryGroupRead | None:
    if desired.policy.primary_groups is not PrimaryGroups.VERIFY:
        return None
    _, managed, _ = desired.memberships()
    return PrimaryGroupRead(
        users=frozenset(user.email.lower() for user in desired.users),
        groups=replace(
            _select(g for g in desired.groups if g.name in managed), names=frozenset(managed)
        ),
    )


def _identities(user: DesiredUser) -> tuple[str, ...]:
    """How a read finds the user's live record: by email, and by its pinned id (a renamed user
    is still under its old email)."""
    return (user.email.lower(),) if user.id is None else (user.email.lower(), user.id)


def _uses_groups(desired: Desired) -> bool:
    """Whether the configuration declares, names or prunes a group anywhere."""
    return bool(
        desired.groups
        or desired.policy.prune_groups
        or any(user.groups for user in desired.users)
        or any(contact.member_groups for contact in desired.contact_groups)
    )
