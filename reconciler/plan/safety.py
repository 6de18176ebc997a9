"""Safety rails checked on the Plan before any write.

Two caps can be overridden with `force` (and the caller says so): `max_deletes` and
`max_change_percent`. The floors cannot: no run touches a protected user, deactivates or deletes
the account owner, deactivates every account admin, removes the last admin of a group, lowers the owner's
licence (code 1108) or changes an owner's or admin's email (Zoom refuses it, code 1000).

The caps measure risk, not keystrokes: `max_change_percent` counts the changes that overwrite or
take away what the account had (a value replaced, a rename, a deactivation, a delete), not a
field filled where the account had none; neither cap counts a change that only finishes what an
earlier apply of the same configuration was approved to do (`Approved`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Protocol

from reconciler.errors import UnsafePlanError
from reconciler.model.enums import UserType
from reconciler.model.live import ContactMemberType
from reconciler.plan.approval import Approved
from reconciler.plan.changes import (
    Action,
    Bucket,
    Change,
    ContactMembership,
    GroupAdminAdd,
    GroupAdminRemove,
    Kind,
    Membership,
    UserCreate,
    UserDelete,
    UserFeaturesUpdate,
    UserSettingsUpdate,
    UserUpdate,
)
from reconciler.plan.plan import Plan

PERCENT_KINDS = (Kind.USER, Kind.GROUP, Kind.DIVISION, Kind.CONTACT_GROUP)
MIN_OBJECTS_FOR_PERCENT = 10


class SafetyLimits(Protocol):
    @property
    def max_deletes(self) -> int: ...

    @property
    def max_change_percent(self) -> float: ...


class SafetyPolicy(Protocol):
    """The part of the configuration's policy the rails read."""

    @property
    def protected_users(self) -> Collection[str]: ...

    @property
    def safety(self) -> SafetyLimits: ...


def _user_of(change: object) -> str | None:
    if isinstance(
        change, UserCreate | UserUpdate | UserDelete | UserFeaturesUpdate | UserSettingsUpdate
    ):
        return change.key
    if isinstance(change, Membership):
        return change.email.lower()
    if isinstance(change, ContactMembership) and change.member_type is ContactMemberType.USER:
        return change.member.lower()
    return None


def _removes_user(change: object) -> bool:
    return isinstance(change, UserDelete) or (isinstance(change, UserUpdate) and change.deactivates)


def floor_violations(plan: Plan, protected_users: Collection[str]) -> list[str]:
    """Problems no flag overrides."""
    protected = {email.lower() for email in protected_users}
    problems = sorted(
        {
            f"{change.kind.value} {change.key} touches protected user {user}"
            for change in plan.changes
            if (user := _user_of(change)) is not None and user in protected
        }
    )
    removed = {c.key for c in plan.changes if _removes_user(c)}
    problems += [
        f"the account owner {owner} would be deactivated or deleted"
        for owner in plan.context.owners
        if owner in removed
    ]
    # PATCH /users/{userId} `type`, code 1108: an admin cannot lower the owner's licence.
    problems += [
        f"the account owner {change.key}'s licence would be lowered; Zoom refuses it (code 1108)"
        for change in plan.changes
        if isinstance(change, UserUpdate)
        and change.key in plan.context.owners
        and change.type is not None
        and change.type.new != UserType.LICENSED
    ]
    admins = set(plan.context.account_admins)
    # PUT /users/{userId}/email, code 1000: "Admin can not change other admins email."
    problems += [
        f"user {change.renamed_from} is an account owner or admin; Zoom refuses to change "
        "an admin's email (code 1000)"
        for change in plan.changes
        if isinstance(change, UserUpdate)
        and change.renamed_from in admins | set(plan.context.owners)
    ]
    if admins and admins <= removed:
        problems.append("every account admin would be deactivated or deleted")
    net: Counter[str] = Counter()
    touched: set[str] = set()
    for change in plan.changes:
        if isinstance(change, GroupAdminRemove):
            net[change.group] -= 1
            touched.add(change.group)
        elif isinstance(change, GroupAdminAdd):
            net[change.group] += 1
    for group in sorted(touched):
        if plan.context.group_admins.get(group, 0) + net[group] <= 0:
            problems.append(f"group {group} would lose its last admin")
    return problems


def _unset(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


def overwrites(change: Change) -> bool:
    """Takes away something the account had: a delete, removal or deactivation, or an update
    replacing a value (filling a field the account had empty takes nothing away)."""
    if change.bucket is Bucket.DELETE:
        return True
    return change.action is Action.UPDATE and any(not _unset(f.old) for f in change.fields())


def cap_violations(
    plan: Plan, max_deletes: int, max_change_percent: float, approved: Approved | None = None
) -> list[str]:
    """Problems `force` overrides; changes `approved` covers are not counted."""
    counted = [c for c in plan.changes if approved is None or not approved.covers(c)]
    problems = []
    # A licence taken away is a removal too, though its change is the user's licences `update`.
    deletes = sum(1 for c in counted if c.bucket is Bucket.DELETE) + sum(
        c.removals for c in counted if isinstance(c, UserFeaturesUpdate)
    )
    if deletes > max_deletes:
        problems.append(
            f"{deletes} deletes/deactivations/removals exceed safety.max_deletes ({max_deletes})"
        )
    changed = Counter(c.kind for c in counted if c.kind in PERCENT_KINDS and overwrites(c))
    for kind in PERCENT_KINDS:
        live = plan.context.live_counts.get(kind, 0)
        if live >= MIN_OBJECTS_FOR_PERCENT and changed[kind] * 100 > max_change_percent * live:
            share = 100 * changed[kind] / live
            problems.append(
                f"{changed[kind]} of {live} {kind.value}s changed ({share:.0f}%) exceeds "
                f"safety.max_change_percent ({max_change_percent:g}%)"
            )
    return problems


def check_safety(
    plan: Plan, policy: SafetyPolicy, force: bool = False, approved: Approved | None = None
) -> tuple[str, ...]:
    """Raise `UnsafePlanError` if the plan breaks a rail; with `force`, return the caps it overrode."""
    floors = floor_violations(plan, policy.protected_users)
    caps = cap_violations(
        plan, policy.safety.max_deletes, policy.safety.max_change_percent, approved
    )
    refused = floors + ([] if force else caps)
    if refused:
        hint = " (apply --force overrides the caps, never the floors)" if caps and not force else ""
        raise UnsafePlanError("unsafe plan, nothing was written: " + "; ".join(refused) + hint)
    return tuple(caps)
