"""The plan for a terminal: one line per change (`+` create, `~` update, `-` delete or remove),
the changed fields beneath (`~ field: old -> new`), then the summary line.

Colour only when asked, so the same plan always renders to the same bytes otherwise.
"""

from __future__ import annotations

import json
from typing import Any

import click

from reconciler.catalog import Tier
from reconciler.plan.changes import (
    Action,
    Bucket,
    Change,
    DivisionMemberAdd,
    GroupMemberAdd,
    Kind,
    SettingChange,
    SettingLeavesUpdate,
    UserDelete,
    UserUpdate,
)
from reconciler.plan.estimate import Estimate, estimate
from reconciler.plan.plan import Plan

SYMBOLS = {Bucket.CREATE: "+", Bucket.UPDATE: "~", Bucket.DELETE: "-"}
COLORS = {Bucket.CREATE: "green", Bucket.UPDATE: "yellow", Bucket.DELETE: "red"}

DETAILED_KINDS = frozenset(
    {
        Kind.USER,
        Kind.GROUP,
        Kind.GROUP_SETTINGS,
        Kind.GROUP_LOCK_SETTINGS,
        Kind.USER_FEATURES,
        Kind.USER_SETTINGS,
        Kind.DIVISION,
        Kind.CONTACT_GROUP,
    }
)
"""Kinds whose field lines are worth showing; memberships say everything in their key."""

INDENT = "    "


def format_value(value: Any) -> str:
    if value is None:
        return "(none)"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _suffix(change: Change) -> str:
    if isinstance(change, UserUpdate) and change.deactivates:
        return " (deactivate)"
    if isinstance(change, UserDelete):
        return f" ({change.mode.value})"
    if isinstance(change, GroupMemberAdd) and change.primary:
        return " (primary)"
    if isinstance(change, DivisionMemberAdd) and change.previous is not None:
        return f" (from {change.previous})"
    return ""


def _paint(text: str, bucket: Bucket, color: bool) -> str:
    return click.style(text, fg=COLORS[bucket]) if color else text


def _setting_line(setting: SettingChange) -> str:
    old = format_value(setting.old) if setting.old_present else "(unset)"
    return f"~ {setting.dotted}: {old} -> {format_value(setting.new)}"


def field_lines(change: Change) -> list[str]:
    """The lines under a change's header, without indentation."""
    if change.kind not in DETAILED_KINDS or change.action is Action.DELETE:
        return []
    if isinstance(change, SettingLeavesUpdate):
        return [_setting_line(s) for s in change.changes]
    if change.action is Action.CREATE:
        return [f"+ {f.field}: {format_value(f.new)}" for f in change.fields()]
    return [f"~ {f.field}: {format_value(f.old)} -> {format_value(f.new)}" for f in change.fields()]


def change_lines(change: Change, color: bool = False) -> list[str]:
    """A change's header line, its field lines and its notes."""
    bucket = change.bucket
    header = f"{SYMBOLS[bucket]} {change.kind.value} {change.key}{_suffix(change)}"
    lines = [_paint(header, bucket, color)]
    lines += [INDENT + line for line in field_lines(change)]
    lines += [INDENT + f"! {note}" for note in change.notes()]
    return lines


def estimate_line(cost: Estimate) -> str:
    calls = ", ".join(f"{count} {category.value}" for category, count in cost.calls.items())
    return f"API calls: {calls} (about {cost.seconds:g} s at the {cost.tier.value} tier's rate limits)."


def reads_lines(plan: Plan) -> list[str]:
    """The calls the plan's read of the account made, per category (empty when not recorded)."""
    if not plan.reads:
        return []
    calls = ", ".join(f"{count} {category}" for category, count in plan.reads.items())
    return [f"Reading the account took {sum(plan.reads.values())} API calls: {calls}."]


def render_text(plan: Plan, color: bool = False, tier: Tier = Tier.PRO) -> str:
    if plan.is_empty:
        notes = [f"Note: {note}" for note in plan.notes]
        return "\n".join([*notes, plan.summary.text()]) + "\n"
    lines: list[str] = []
    for change in plan.changes:
        lines += change_lines(change, color)
    lines.append("")
    lines += [f"Note: {note}" for note in plan.notes]
    cost = estimate(plan.changes, tier)
    lines.append(estimate_line(cost))
    lines += reads_lines(plan)
    lines += [f"Warning: {warning}" for warning in cost.warnings]
    lines.append(plan.summary.text())
    return "\n".join(lines) + "\n"
