"""The desired state as the differ reads it: only what the configuration wrote, `None` elsewhere.

A narrow, frozen view, built from the configuration by `desired_from_config`, so that
the differ depends on the handful of facts it compares and not on how they were parsed.
Emails are lower-cased here once; group, division and contact-group names are kept as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.model.config import Config
from reconciler.model.enums import CreateAction, UserPrune, UserStatus
from reconciler.model.features import FeatureValue, plain_feature
from reconciler.model.identity_provider import IdentityProvider
from reconciler.model.policy import PrimaryGroups
from reconciler.model.user import User


@dataclass(frozen=True)
class DesiredUser:
    email: str
    profile: Mapping[str, Any] = field(default_factory=dict)
    """Written profile fields only, by Zoom's field names."""
    type: int | None = None
    """Zoom's type code (1 basic, 2 licensed, 4 no meetings licence)."""
    status: UserStatus | None = None
    create_action: CreateAction = CreateAction.CREATE
    password_set: bool = False
    groups: tuple[str, ...] | None = None
    """Group names, the first one primary; `None` when not written."""
    division: str | None = None
    features: Mapping[str, FeatureValue] | None = None
    """Written licences only, in the configuration's terms; `None` when not written."""
    settings: Mapping[str, Any] | None = None
    """Written per-user settings only; `None` when not written."""
    id: str | None = None
    """The pinned Zoom id: the user is matched by it, so a changed email is an email change."""
    assistants: tuple[str, ...] | None = None
    """Scheduling assistants' emails, lower case, exactly; `None` when not written."""


@dataclass(frozen=True)
class DesiredGroup:
    name: str
    id: str | None = None
    members: tuple[str, ...] | None = None
    admins: tuple[str, ...] | None = None
    settings: Mapping[str, Any] | None = None
    lock_settings: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class DesiredDivision:
    name: str
    id: str | None = None
    description: str | None = None
    members: tuple[str, ...] | None = None


@dataclass(frozen=True)
class DesiredContactGroup:
    name: str
    id: str | None = None
    privacy: int | None = None
    """Zoom's privacy code 1, 2 or 3; `None` when not written."""
    description: str | None = None
    member_users: tuple[str, ...] | None = None
    """Emails, exactly; `None` when not written (then member users are unmanaged)."""
    member_groups: tuple[str, ...] | None = None
    """Group names, exactly; `None` when not written."""


@dataclass(frozen=True)
class DesiredPolicy:
    prune_users: UserPrune = UserPrune.NONE
    prune_groups: bool = False
    prune_divisions: bool = False
    prune_contact_groups: bool = False
    prune_group_members: bool = True
    protected_users: frozenset[str] = frozenset()
    managed_domains: frozenset[str] | None = None
    """Lower case, without `@`; `None` when not written (then email changes are not checked)."""
    max_deletes: int = 10
    max_change_percent: float = 30
    primary_groups: PrimaryGroups = PrimaryGroups.TRUST

    @property
    def safety(self) -> DesiredPolicy:
        """Lets the policy serve `check_safety` directly (it reads `policy.safety.max_*`)."""
        return self


@dataclass(frozen=True)
class Desired:
    users: tuple[DesiredUser, ...] = ()
    groups: tuple[DesiredGroup, ...] = ()
    divisions: tuple[DesiredDivision, ...] = ()
    contact_groups: tuple[DesiredContactGroup, ...] = ()
    policy: DesiredPolicy = field(default_factory=DesiredPolicy)
    identity_provider: IdentityProvider | None = None
    """What an identity provider owns; `plan.ownership` applies it before the differ runs."""
    unpruned_users: frozenset[str] = frozenset()
    """Live users (lower-cased emails) that pruning passes by: provisioned elsewhere."""

    def memberships(self) -> tuple[dict[str, set[str]], set[str], dict[str, str]]:
        """(members per group, the groups whose membership is managed, primary group per user).

        Membership is written from either side: a group's `members` and each user's `groups`
        (the first one primary). A group's membership is managed, and kept exact, when its
        `members` is written or some user names it.
        """
        members: dict[str, set[str]] = {g.name: set() for g in self.groups}
        managed = {g.name for g in self.groups if g.members is not None}
        for group in self.groups:
            members[group.name].update(e.lower() for e in group.members or ())
        primary: dict[str, str] = {}
        for user in self.users:
            if not user.groups:
                continue
            primary[user.email.lower()] = user.groups[0]
            for name in user.groups:
                members.setdefault(name, set()).add(user.email.lower())
                managed.add(name)
        return members, managed, primary

    def division_of(self) -> dict[str, str]:
        """The division each user is placed in, from `divisions[].members` and `users[].division`."""
        placed = {e.lower(): d.name for d in self.divisions for e in d.members or ()}
        placed.update({u.email.lower(): u.division for u in self.users if u.division is not None})
        return placed


def desired_from_config(config: Config) -> Desired:
    """The differ's view of a validated configuration."""
    prune = config.policy.prune
    return Desired(
        users=tuple(_user(user) for user in config.users),
        groups=tuple(
            DesiredGroup(
                name=g.name,
                id=g.id,
                members=_emails(g.members),
                admins=_emails(g.admins),
                settings=g.settings,
                lock_settings=g.lock_settings,
            )
            for g in config.groups
        ),
        divisions=tuple(
            DesiredDivision(
                name=d.name,
                id=d.id,
                description=d.description,
                members=_emails(d.members),
            )
            for d in config.divisions
        ),
        contact_groups=tuple(
            DesiredContactGroup(
                name=c.name,
                id=c.id,
                privacy=None if c.privacy is None else int(c.privacy),
                description=c.description,
                member_users=_emails(c.members.users if c.members else None),
                member_groups=_names(c.members.groups if c.members else None),
            )
            for c in config.contact_groups
        ),
        policy=DesiredPolicy(
            prune_users=prune.users,
            prune_groups=prune.groups,
            prune_divisions=prune.divisions,
            prune_contact_groups=prune.contact_groups,
            prune_group_members=prune.group_members,
            protected_users=frozenset(e.lower() for e in config.policy.protected_users),
            managed_domains=config.policy.managed_domain_set(),
            max_deletes=config.policy.safety.max_deletes,
            max_change_percent=config.policy.safety.max_change_percent,
            primary_groups=config.policy.primary_groups,
        ),
        identity_provider=config.identity_provider,
    )


NOT_PROFILE = frozenset(
    {"email", "type", "status", "create_action", "password", "groups", "division"}
    | {"id", "assistants"}
    | {"features", "settings"}
)
"""User fields the differ handles on their own; every other written field is a profile field."""


def _emails(items: list[str] | None) -> tuple[str, ...] | None:
    return None if items is None else tuple(e.lower() for e in items)


def _names(items: list[str] | None) -> tuple[str, ...] | None:
    return None if items is None else tuple(items)


def _written_keys(item: Any) -> Any:
    """A list item without the optional keys left out (`label` of a phone number)."""
    if isinstance(item, dict):
        return {key: value for key, value in item.items() if value is not None}
    return item


def _user(user: User) -> DesiredUser:
    written = user.written() - NOT_PROFILE
    profile = user.model_dump(mode="json", include=set(written))
    for name, value in profile.items():
        if isinstance(value, list):  # list items carry only the keys written, as Zoom takes them
            profile[name] = [_written_keys(item) for item in value]
    for attribute in profile.get("custom_attributes") or ():
        attribute.pop("name", None)  # for readers only; Zoom keys attributes by `key`
    return DesiredUser(
        email=user.key,
        profile=profile,
        type=None if user.type is None else int(user.type),
        status=user.status,
        create_action=user.create_action or CreateAction.CREATE,
        password_set=user.password is not None,
        groups=None if user.groups is None else tuple(user.groups),
        division=user.division,
        features=None
        if user.features is None
        else {name: plain_feature(value) for name, value in user.features.items()},
        settings=user.settings,
        id=user.id,
        assistants=_emails(user.assistants),
    )
