"""The plan for a pull-request comment or a job summary: grouped by kind, long groups folded.

A hidden first line carries the plan's checksum so that a CI job can find and update its own
comment. Past `max_chars` the rest is left out on a section boundary, and the text says so:
a truncated plan must never look complete.
"""

from __future__ import annotations

import json

from reconciler.catalog import Tier
from reconciler.plan.estimate import estimate
from reconciler.plan.plan import Plan
from reconciler.plan.planfile import FORMAT_VERSION, checksum
from reconciler.render.text import change_lines

COLLAPSE_AFTER_LINES = 10
"""A kind whose block is longer than this is folded inside `<details>`."""

MAX_CHARS = 60_000
"""Below GitHub's 65,536-character comment limit, with room for the header and footer."""


def _section(kind: str, count: int, lines: list[str]) -> str:
    block = "```diff\n" + "\n".join(lines) + "\n```"
    title = f"{kind} ({count})"
    if len(lines) > COLLAPSE_AFTER_LINES:
        return f"<details><summary>{title}</summary>\n\n{block}\n\n</details>\n"
    return f"#### {title}\n\n{block}\n"


def render_markdown(plan: Plan, tier: Tier = Tier.PRO, max_chars: int = MAX_CHARS) -> str:
    header = {"format_version": FORMAT_VERSION, "plan_checksum": checksum(plan)}
    parts = [
        f"<!-- zoom-reconciler {json.dumps(header, sort_keys=True)} -->",
        f"### {plan.summary.text()}",
        "",
    ]
    sections = []
    for kind, changes in plan.by_kind().items():
        lines = [line for change in changes for line in change_lines(change)]
        sections.append((len(changes), _section(kind.value, len(changes), lines)))
    used = sum(len(p) + 1 for p in parts)
    shown = 0
    for count, section in sections:
        if used + len(section) > max_chars:
            left = plan.summary.total - shown
            parts.append(
                f"_{left} more changes are not shown here (too long); see the full plan._\n"
            )
            break
        parts.append(section)
        used += len(section) + 1
        shown += count
    if plan.notes:
        parts += ["**Notes**", "", *(f"- {note}" for note in plan.notes), ""]
    if not plan.is_empty:
        cost = estimate(plan.changes, tier)
        parts += ["| API calls | count |", "| --- | ---: |"]
        parts += [f"| {category.value} | {count} |" for category, count in cost.calls.items()]
        parts += ["", f"About {cost.seconds:g} s at the {cost.tier.value} tier's rate limits."]
        parts += [f"- :warning: {warning}" for warning in cost.warnings]
    return "\n".join(parts).rstrip("\n") + "\n"
