"""How many API calls a plan makes per rate-limit category, and how long that takes at a tier.

A small pure table of its own (plan/ may not import the client): each change maps to the
calls the applier makes for it, some of which Zoom batches (30 group members a call, 10 admins,
30 division users, 50 contact-group users or 3 groups, 20 contact-group removals, 30 users'
licence in one POST /users/features).
The time is the sum of each category's calls over its per-second budget: what a run takes
when each category's calls go at that category's full budget, one category after another;
never less than the bulk licence calls take at one every 10 seconds.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from reconciler.model.enums import CreateAction
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
    GroupMemberAdd,
    GroupMemberRemove,
    GroupUpdate,
    SettingsUpdate,
    UserCreate,
    UserDelete,
    UserFeaturesUpdate,
    UserSettingsUpdate,
    UserUpdate,
)
from reconciler.plan.licences import bulk_key, bulk_requests, finish_seconds


class Tier(StrEnum):
    FREE = "free"
    PRO = "pro"
    BUSINESS = "business"


class Category(StrEnum):
    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"


PER_SECOND: dict[Tier, dict[Category, float]] = {
    Tier.FREE: {Category.LIGHT: 4, Category.MEDIUM: 2, Category.HEAVY: 1},
    Tier.PRO: {Category.LIGHT: 30, Category.MEDIUM: 20, Category.HEAVY: 10},
    Tier.BUSINESS: {Category.LIGHT: 80, Category.MEDIUM: 60, Category.HEAVY: 40},
}
"""Per-account budgets per category (Zoom's rate-limits page, per plan)."""

DAILY: dict[Tier, dict[Category, int]] = {
    Tier.FREE: {Category.LIGHT: 6_000, Category.MEDIUM: 2_000, Category.HEAVY: 1_000},
    Tier.PRO: {Category.HEAVY: 30_000},
    Tier.BUSINESS: {Category.HEAVY: 60_000},
}
"""Daily caps: Free has one per category; on paid plans Heavy shares a daily cap."""

CREATE_INVITATIONS_PER_DAY: dict[Tier, int] = {
    Tier.FREE: 50,
    Tier.PRO: 1_500,
    Tier.BUSINESS: 10_000,
}
"""POST /users with `action=create` (an emailed invitation) has its own daily cap."""

OPTION_SECTIONS = frozenset(
    {"meeting_authentication", "recording_authentication", "meeting_security"}
)
"""Top-level settings keys that Zoom writes through a request of their own (`?option=`)."""

POST_USER_FIELDS = frozenset({"first_name", "last_name", "display_name"})
"""Profile fields POST /users takes; any other needs a PATCH after the create."""


@dataclass(frozen=True)
class _Call:
    """One kind of request; calls sharing a `batch` key travel together, `size` at a time."""

    category: Category
    batch: tuple[str, ...] | None = None
    size: int = 1


def _calls(change: Change) -> Iterator[_Call]:
    light, medium, heavy = Category.LIGHT, Category.MEDIUM, Category.HEAVY
    if isinstance(change, UserCreate):
        yield _Call(light)
        if set(change.profile) - POST_USER_FIELDS:
            yield _Call(light)
        if change.deactivate:
            yield _Call(light)
    elif isinstance(change, UserUpdate):
        for part in (change.profile, change.type, change.status):
            if part:
                yield _Call(light)
    elif isinstance(
        change,
        UserDelete
        | GroupCreate
        | GroupUpdate
        | GroupDelete
        | GroupMemberRemove
        | GroupAdminRemove
        | DivisionCreate
        | DivisionUpdate
        | DivisionDelete,
    ):
        yield _Call(light)
    elif isinstance(change, GroupMemberAdd):
        if change.user_pending:
            yield _Call(light)
        else:
            yield _Call(medium, ("members", change.group), 30)
            if change.primary:
                yield _Call(medium)
    elif isinstance(change, GroupAdminAdd):
        yield _Call(medium, ("admins", change.group), 10)
    elif isinstance(change, SettingsUpdate | UserSettingsUpdate):
        options = {c.path[0] if c.path[0] in OPTION_SECTIONS else "" for c in change.changes}
        for option in sorted(options):
            yield _Call(medium, (change.kind.value, change.key, option), 1_000_000)
    elif isinstance(change, UserFeaturesUpdate):
        key = bulk_key(change)
        if key is not None:
            yield _Call(medium, ("user features", *key), BULK_USERS_PER_REQUEST)
        if change.patch_body():
            yield _Call(medium)
    elif isinstance(change, DivisionMemberAdd):
        yield _Call(medium, ("division", change.division), 30)
    elif isinstance(change, ContactGroupCreate | ContactGroupUpdate | ContactGroupDelete):
        yield _Call(heavy)
    elif isinstance(change, ContactGroupMemberAdd):
        users = change.member_type is ContactMemberType.USER
        yield _Call(
            heavy, ("contact", change.contact_group, change.member_type.value), 50 if users else 3
        )
    elif isinstance(change, ContactGroupMemberRemove):
        yield _Call(heavy, ("contact-remove", change.contact_group), 20)


@dataclass(frozen=True)
class Estimate:
    """API calls per category and the time they take at the tier's per-second budgets."""

    tier: Tier
    calls: dict[Category, int]
    seconds: float
    warnings: tuple[str, ...] = ()

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())


def estimate(changes: Iterable[Change], tier: Tier = Tier.PRO) -> Estimate:
    changes = list(changes)
    calls: Counter[Category] = Counter()
    batches: Counter[tuple[Category, tuple[str, ...], int]] = Counter()
    invitations = 0
    for change in changes:
        if isinstance(change, UserCreate) and change.create_action is CreateAction.CREATE:
            invitations += 1
        for call in _calls(change):
            if call.batch is None:
                calls[call.category] += 1
            else:
                batches[(call.category, call.batch, call.size)] += 1
    for (category, _, size), count in batches.items():
        calls[category] += math.ceil(count / size)
    budgets = PER_SECOND[tier]
    seconds = sum(count / budgets[category] for category, count in calls.items())
    # POST /users/features goes once every 10 seconds, whatever the Medium budget.
    seconds = max(seconds, finish_seconds(bulk_requests(changes), 0, budgets[Category.MEDIUM]))
    warnings = [
        f"{calls[category]} {category.value} calls exceed the {tier.value} daily cap of {cap}"
        for category, cap in DAILY[tier].items()
        if calls[category] > cap
    ]
    if invitations > CREATE_INVITATIONS_PER_DAY[tier]:
        warnings.append(
            f"{invitations} invitations (create_action: create) exceed the {tier.value} "
            f"daily cap of {CREATE_INVITATIONS_PER_DAY[tier]}"
        )
    ordered = {category: calls[category] for category in Category if calls[category]}
    return Estimate(tier=tier, calls=ordered, seconds=round(seconds, 1), warnings=tuple(warnings))
