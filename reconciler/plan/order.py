"""The order changes run in: dependencies first, then removals and deletes in reverse.

Creates and updates run divisions, groups, users, memberships, admins, settings, lock settings,
contact groups; removals and deletes (deactivations included) run last, in the reverse order,
so that nothing is deleted while something still leans on it and no group or contact group is
emptied before its new members arrive.
"""

from __future__ import annotations

from collections.abc import Iterable

from reconciler.plan.changes import Action, Bucket, Change, Kind

FORWARD: tuple[Kind, ...] = (
    Kind.DIVISION,
    Kind.GROUP,
    Kind.USER,
    Kind.USER_ASSISTANT,
    Kind.DIVISION_MEMBER,
    Kind.GROUP_MEMBER,
    Kind.GROUP_ADMIN,
    Kind.GROUP_SETTINGS,
    Kind.GROUP_LOCK_SETTINGS,
    Kind.USER_FEATURES,
    Kind.USER_SETTINGS,
    Kind.CONTACT_GROUP,
    Kind.CONTACT_GROUP_MEMBER,
)
"""Phases for creates, adds and updates."""

_FORWARD_RANK = {kind: rank for rank, kind in enumerate(FORWARD)}


def phase(change: Change) -> int:
    """The change's phase: forward phases first, then the destructive ones mirrored."""
    rank = _FORWARD_RANK[change.kind]
    if change.bucket is Bucket.DELETE:
        return 2 * len(FORWARD) - 1 - rank
    return rank


def order_changes(changes: Iterable[Change]) -> tuple[Change, ...]:
    """Sort by phase, then updates before creates (a rename frees the name a create may take),
    then by key, so that the same inputs always give the same plan."""
    return tuple(sorted(changes, key=lambda c: (phase(c), c.action is not Action.UPDATE, c.key)))
