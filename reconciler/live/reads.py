"""Which calls a read makes: a pure function of the request and what the listings returned.

The reader runs exactly these reads, and the benchmark compares the calls it made with the
count computed here from the account's size: listing pages plus one call per per-object read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from reconciler.live.request import ReadRequest
from reconciler.model.live import LiveContactGroup, LiveGroup, LiveUser, ZoomUserStatus
from reconciler.schema import Option
from reconciler.zoom import ENDPOINTS, Operation


class ReadKind(StrEnum):
    """One kind of read; the listings page, the others are one call each."""

    USERS = "users"
    GROUPS = "groups"
    DIVISIONS = "divisions"
    CONTACT_GROUPS = "contact groups"
    USER_DETAILS = "user details"
    GROUP_SETTINGS = "group settings"
    GROUP_LOCK_SETTINGS = "group lock settings"
    GROUP_ADMINS = "group admins"
    CONTACT_GROUP_MEMBERS = "contact group members"
    ACCOUNT_LOCK_SETTINGS = "account lock settings"
    USER_SETTINGS = "user settings"
    PRIMARY_GROUPS = "primary groups"
    USER_ASSISTANTS = "user assistants"

    @property
    def operation(self) -> Operation:
        return _OPERATIONS[self]

    @property
    def without_it(self) -> str:
        """What a refusal of this read means for the run, for the warning that reports it."""
        if self is ReadKind.ACCOUNT_LOCK_SETTINGS:
            return "group settings are planned without notes on what the account locks"
        return "not on this account's plan"

    @property
    def is_listing(self) -> bool:
        """Pages through a collection, rather than one call per object."""
        return self in _LISTINGS


_OPERATIONS = {
    ReadKind.USERS: Operation.LIST_USERS,
    ReadKind.GROUPS: Operation.LIST_GROUPS,
    ReadKind.DIVISIONS: Operation.LIST_DIVISIONS,
    ReadKind.CONTACT_GROUPS: Operation.LIST_CONTACT_GROUPS,
    ReadKind.USER_DETAILS: Operation.GET_USER,
    ReadKind.GROUP_SETTINGS: Operation.GET_GROUP_SETTINGS,
    ReadKind.GROUP_LOCK_SETTINGS: Operation.GET_GROUP_LOCK_SETTINGS,
    ReadKind.GROUP_ADMINS: Operation.LIST_GROUP_ADMINS,
    ReadKind.CONTACT_GROUP_MEMBERS: Operation.LIST_CONTACT_GROUP_MEMBERS,
    ReadKind.ACCOUNT_LOCK_SETTINGS: Operation.GET_ACCOUNT_LOCK_SETTINGS,
    ReadKind.USER_SETTINGS: Operation.GET_USER_SETTINGS,
    ReadKind.PRIMARY_GROUPS: Operation.GET_SCIM2_USER,
    ReadKind.USER_ASSISTANTS: Operation.LIST_USER_ASSISTANTS,
}


_LISTINGS = frozenset(
    {ReadKind.USERS, ReadKind.GROUPS, ReadKind.DIVISIONS, ReadKind.CONTACT_GROUPS}
)


@dataclass(frozen=True)
class Read:
    """One read: a listing (no target), or a call about one user, group or contact group."""

    kind: ReadKind
    target: str | None = None
    status: ZoomUserStatus | None = None
    """The user listing's `status` filter."""
    option: Option = None
    """The settings request's `option`."""


def listing_reads(request: ReadRequest) -> list[Read]:
    """The listings every read starts with: one per user status, groups, divisions."""
    reads = [Read(ReadKind.USERS, status=status) for status in ZoomUserStatus]
    reads += [Read(ReadKind.GROUPS), Read(ReadKind.DIVISIONS)]
    if request.contact_groups:
        reads.append(Read(ReadKind.CONTACT_GROUPS))
    return reads


def _sorted_parts(parts: Iterable[Option]) -> list[Option]:
    return sorted(parts, key=lambda part: (part is not None, part or ""))


def group_reads(request: ReadRequest, groups: Sequence[LiveGroup]) -> list[Read]:
    """Settings, lock settings and admins of the groups the request selects."""
    reads: list[Read] = []
    for group in groups:
        if request.settings.selects(group):
            reads += [
                Read(ReadKind.GROUP_SETTINGS, group.id, option=part)
                for part in _sorted_parts(request.settings_parts)
            ]
        if request.lock_settings.selects(group):
            reads += [
                Read(ReadKind.GROUP_LOCK_SETTINGS, group.id, option=part)
                for part in _sorted_parts(request.lock_settings_parts)
            ]
        if request.admins.selects(group):
            reads.append(Read(ReadKind.GROUP_ADMINS, group.id))
    return reads


def account_reads(request: ReadRequest) -> list[Read]:
    """The account's own lock settings: one call, when the request asks for them."""
    return [Read(ReadKind.ACCOUNT_LOCK_SETTINGS)] if request.account_lock_settings else []


def contact_reads(request: ReadRequest, contacts: Sequence[LiveContactGroup]) -> list[Read]:
    """Each contact group's members, when contact groups are read at all."""
    if not request.contact_groups:
        return []
    return [Read(ReadKind.CONTACT_GROUP_MEMBERS, contact.id) for contact in contacts]


def primary_group_reads(
    request: ReadRequest, users: Iterable[LiveUser], groups: Sequence[LiveGroup]
) -> list[Read]:
    """SCIM2 `GET /Users/{id}` for each requested user in two or more of the requested groups:
    the only users whose primary group can be wrong (`policy.primary_groups: verify`)."""
    wanted = request.primary_groups
    if wanted is None:
        return []
    managed = {group.id for group in groups if wanted.groups.selects(group)}
    return [
        Read(ReadKind.PRIMARY_GROUPS, user.id)
        for user in sorted(users, key=lambda u: u.key)
        if user.key in wanted.users
        and user.id is not None
        and len(managed.intersection(user.group_ids)) >= 2
    ]


def _chosen(users: Iterable[LiveUser], every: bool, wanted: frozenset[str]) -> list[str]:
    """Emails of the users a request selects, by email or pinned id; every user with `every`."""
    return sorted(
        user.key for user in users if every or user.key in wanted or (user.id or "") in wanted
    )


def detail_reads(request: ReadRequest, users: Iterable[LiveUser]) -> list[Read]:
    """`GET /users/{email}` for the requested users that exist (every one, for an export)."""
    chosen = _chosen(users, request.every_user_details, request.user_details)
    return [Read(ReadKind.USER_DETAILS, email) for email in chosen]


def assistant_reads(request: ReadRequest, users: Iterable[LiveUser]) -> list[Read]:
    """`GET /users/{id}/assistants` for the requested users that have an id (pending ones
    cannot have assistants); targets are emails, as the reader keys its users."""
    with_ids = [user for user in users if user.id is not None]
    chosen = _chosen(with_ids, request.every_user_assistants, request.assistants)
    return [Read(ReadKind.USER_ASSISTANTS, email) for email in chosen]


def user_settings_reads(request: ReadRequest, users: Iterable[LiveUser]) -> list[Read]:
    """`GET /users/{id}/settings` (per part) for the requested users Zoom lists with an id.

    A pending user has no id yet (and no licence): nothing to read."""
    reads: list[Read] = []
    parts = _sorted_parts(request.user_settings_parts)
    for user in sorted(users, key=lambda u: u.key):
        wanted = request.every_user_settings or user.key in request.user_settings
        if user.id is None or not (wanted or user.id in request.user_settings):
            continue
        reads += [Read(ReadKind.USER_SETTINGS, user.key, option=part) for part in parts]
    return reads


def user_group_lock_reads(
    request: ReadRequest, users: Iterable[LiveUser], groups: Sequence[LiveGroup]
) -> list[Read]:
    """The lock settings of the live groups of `request.user_group_locks`' users, where the
    group reads did not already fetch them."""
    wanted = {gid for u in users if u.key in request.user_group_locks for gid in u.group_ids}
    return [
        Read(ReadKind.GROUP_LOCK_SETTINGS, group.id, option=part)
        for group in groups
        if group.id in wanted and not request.lock_settings.selects(group)
        for part in _sorted_parts(request.lock_settings_parts)
    ]


def pages(kind: ReadKind, items: int) -> int:
    """Calls a listing of `items` takes: at least one, then one per full or partial page."""
    page = ENDPOINTS[kind.operation].page
    if page is None:
        return 1
    return max(1, math.ceil(items / page.size))
