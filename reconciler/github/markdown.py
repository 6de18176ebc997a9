"""Markdown for pull-request comments and job summaries, cut to GitHub's size limits.

The plan is shown line by line inside a collapsible block; when it does not fit, whole lines
are left out from the end and the text says how many, so a cut plan never looks complete.
People's data stays out: of a user's fields only the email (the key), licence type and status
are shown with their values; names, phone numbers and the like show as "(changed)".
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reconciler.github.planview import PlanView, SafetyVerdict
from reconciler.plan.changes import Action, Change, Kind
from reconciler.render.text import INDENT, change_lines, estimate_line, format_value

COMMENT_LIMIT_BYTES = 60_000
"""Below GitHub's 65,536-character comment limit (counted in bytes, which is stricter)."""

SUMMARY_BUDGET_BYTES = 1024 * 1024 - 16 * 1024
"""Below the 1 MiB step-summary limit, leaving room for anything else the job appends."""

OPEN_IF_AT_MOST = 10
"""A plan this short is shown unfolded."""

MARKER_PREFIX = "<!-- zoom-reconciler "
MARKER_PATTERN = re.compile(r"<!-- zoom-reconciler (\{.*?\}) -->")
FORMAT_VERSION = 1

SHOWN_USER_FIELDS = frozenset(
    {"create_action", "type", "status", "delete_action", "password", "email"}
)
"""User fields whose values are not personal data; the others show only that they change."""


@dataclass(frozen=True)
class Marker:
    """The hidden first line of our comments: which label, which plan, in what state."""

    label: str = ""
    plan_checksum: str | None = None
    truncated: bool = False
    closed: bool = False

    def line(self) -> str:
        header = {
            "format_version": FORMAT_VERSION,
            "label": self.label,
            "plan_checksum": self.plan_checksum,
            "truncated": self.truncated,
            "closed": self.closed,
        }
        text = json.dumps(header, sort_keys=True, ensure_ascii=True)
        # `<` and `>` as JSON escapes: nothing inside can close the HTML comment.
        return MARKER_PREFIX + text.replace("<", "\\u003c").replace(">", "\\u003e") + " -->"

    @classmethod
    def parse(cls, body: str) -> Marker | None:
        found = MARKER_PATTERN.search(body.split("\n", 1)[0])
        if found is None:
            return None
        try:
            header = json.loads(found.group(1))
        except ValueError:
            return None
        if not isinstance(header, dict) or header.get("format_version") != FORMAT_VERSION:
            return None
        checksum = header.get("plan_checksum")
        return cls(
            label=str(header.get("label") or ""),
            plan_checksum=checksum if isinstance(checksum, str) else None,
            truncated=header.get("truncated") is True,
            closed=header.get("closed") is True,
        )


# plan lines -------------------------------------------------------------------------------


def _user_field_lines(change: Change) -> list[str]:
    if change.action is Action.DELETE:
        return []
    lines = []
    for field in change.fields():
        shown = field.field in SHOWN_USER_FIELDS
        if change.action is Action.CREATE:
            lines.append(f"+ {field.field}: {format_value(field.new) if shown else '(set)'}")
        elif shown:
            old, new = format_value(field.old), format_value(field.new)
            lines.append(f"~ {field.field}: {old} -> {new}")
        else:
            lines.append(f"~ {field.field}: (changed)")
    return lines


def review_lines(change: Change) -> list[str]:
    """A change as `change_lines` shows it, with people's data other than emails left out."""
    lines = change_lines(change)
    if change.kind is not Kind.USER:
        return lines
    notes = [INDENT + f"! {note}" for note in change.notes()]
    return [lines[0], *(INDENT + line for line in _user_field_lines(change)), *notes]


def plan_lines(view: PlanView) -> list[str]:
    return [line for change in view.plan.changes for line in review_lines(change)]


def byte_size(text: str) -> int:
    return len(text.encode())


def fit_lines(lines: Sequence[str], budget: int) -> tuple[list[str], int]:
    """The leading lines that fit in `budget` bytes (newlines included), and how many did not."""
    kept: list[str] = []
    used = 0
    for line in lines:
        used += byte_size(line) + 1
        if used > budget:
            break
        kept.append(line)
    return kept, len(lines) - len(kept)


def fence_for(lines: Sequence[str]) -> str:
    """A code fence longer than any run of backticks in the plan, so nothing inside can close it."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


# blocks -----------------------------------------------------------------------------------


def verdict_lines(verdict: SafetyVerdict) -> list[str]:
    if verdict.accepted:
        return [":white_check_mark: **Safety:** `apply` would accept this plan."]
    lines = [":no_entry: **Safety:** `apply` would refuse this plan:"]
    lines += [f"- {problem} (never overridable)" for problem in verdict.floors]
    lines += [f"- {problem} (`apply --force` overrides)" for problem in verdict.caps]
    return lines


def plan_head(view: PlanView) -> list[str]:
    """Counts, safety verdict and API estimate: what a reviewer reads before the changes."""
    lines = [f"**{view.summary.text()}**", ""]
    if view.has_changes:
        cost = view.estimate
        lines += verdict_lines(view.verdict)
        lines += ["", f":stopwatch: {estimate_line(cost)}"]
        lines += [f"- :warning: {warning}" for warning in cost.warnings]
    return lines


@dataclass(frozen=True)
class CutBlock:
    text: str
    omitted: int


def plan_block(view: PlanView, budget: int, more_where: str) -> CutBlock:
    """The plan lines in a collapsible block, cut by whole lines to fit `budget` bytes."""
    lines = plan_lines(view)
    if not lines:
        return CutBlock("", 0)
    fence = fence_for(lines)
    count = view.summary.total
    opening = "open" if len(lines) <= OPEN_IF_AT_MOST else ""
    top = f"<details {opening}>".replace(" >", ">") + (
        f"<summary>Show the plan ({count} change{'s' if count != 1 else ''})</summary>\n\n"
        f"{fence}diff\n"
    )
    bottom = f"{fence}\n\n</details>\n"
    note_room = 200 + byte_size(more_where)
    kept, omitted = fit_lines(lines, budget - byte_size(top) - byte_size(bottom) - note_room)
    text = top + "".join(line + "\n" for line in kept) + bottom
    if omitted:
        text += (
            f"\n:scissors: **{omitted} more plan lines are not shown here** (too long for "
            f"this page); {more_where}.\n"
        )
    return CutBlock(text, omitted)


def notes_block(view: PlanView, limit: int = 50) -> list[str]:
    notes = list(view.plan.notes)
    if not notes:
        return []
    lines = ["**Notes**", "", *(f"- {note}" for note in notes[:limit])]
    if len(notes) > limit:
        lines.append(f"- ... and {len(notes) - limit} more notes")
    return [*lines, ""]
