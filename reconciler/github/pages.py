"""Whole pages: the pull-request comment and the job summaries for each outcome."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reconciler.github.approval_note import approval_line
from reconciler.github.inputs import FailureReason
from reconciler.github.markdown import (
    COMMENT_LIMIT_BYTES,
    SUMMARY_BUDGET_BYTES,
    Marker,
    byte_size,
    fence_for,
    fit_lines,
    notes_block,
    plan_block,
    plan_head,
)
from reconciler.github.planview import PlanView


@dataclass(frozen=True)
class RunInfo:
    """Where a page comes from, for its footer."""

    label: str = ""
    path: str = ""
    short_sha: str = ""
    run_url: str | None = None

    def title(self, what: str) -> str:
        return f"### zoom-reconciler {what}" + (f" · `{self.label}`" if self.label else "")

    def footer(self) -> str:
        parts = [f"path `{self.path}`"] if self.path else []
        if self.short_sha:
            parts.append(f"commit `{self.short_sha}`")
        if self.run_url:
            parts.append(f"[workflow run]({self.run_url})")
        return "<sub>" + " · ".join(parts) + "</sub>\n" if parts else ""

    @property
    def summary_pointer(self) -> str:
        where = f"the [job summary]({self.run_url})" if self.run_url else "the job summary"
        return f"the whole plan is in {where}"


@dataclass(frozen=True)
class Page:
    body: str
    truncated: bool = False


def _join(*parts: str) -> str:
    """Blocks separated by a blank line, as markdown needs around HTML such as `<details>`."""
    return "\n\n".join(part.strip("\n") for part in parts if part.strip()) + "\n"


NO_APPROVAL_NOTE = (
    "<sub>This plan is too large to keep what it approves on this comment: if its apply on"
    " merge is interrupted, finishing it needs a new review (or `auto_approve`).</sub>"
)


def plan_comment(view: PlanView, info: RunInfo) -> Page:
    """The plan for the pull request: counts, verdict and estimate on top, then the changes,
    and (hidden) what it approves, so that an interrupted apply of it may be finished."""
    head = _join(info.title("plan"), "\n".join(plan_head(view)))
    approval = approval_line(view.plan.changes) if view.has_changes else None
    note = NO_APPROVAL_NOTE if view.has_changes and approval is None else ""
    tail = _join("\n".join(notes_block(view)), note, info.footer(), approval or "")
    longest_marker = Marker(info.label, view.checksum, truncated=True).line()
    budget = COMMENT_LIMIT_BYTES - byte_size(longest_marker) - byte_size(head) - byte_size(tail) - 8
    block = plan_block(view, budget, info.summary_pointer)
    marker = Marker(info.label, view.checksum, truncated=block.omitted > 0)
    return Page(_join(marker.line(), head, block.text, tail), truncated=block.omitted > 0)


def plan_summary(view: PlanView, info: RunInfo, plan_path: str) -> Page:
    head = _join(info.title("plan"), "\n".join(plan_head(view)))
    tail = _join("\n".join(notes_block(view)), info.footer())
    budget = SUMMARY_BUDGET_BYTES - byte_size(head) - byte_size(tail) - 8
    where = f"the whole plan is in the file `{plan_path}` (output `plan_path`)"
    block = plan_block(view, budget, where)
    return Page(_join(head, block.text, tail), truncated=block.omitted > 0)


def text_block(lines: Sequence[str], budget: int, summary: str | None = None) -> str:
    """Lines in a code block (folded under `summary` if given), cut by whole lines."""
    if not lines:
        return ""
    fence = fence_for(lines)
    kept, omitted = fit_lines(lines, budget - 300)
    text = f"{fence}text\n" + "".join(line + "\n" for line in kept) + f"{fence}\n"
    if omitted:
        text += f"\n:scissors: {omitted} more lines are not shown here; see the workflow log.\n"
    if summary:
        text = f"<details><summary>{summary}</summary>\n\n{text}\n</details>\n"
    return text


def message_page(
    info: RunInfo,
    what: str,
    message: str,
    details: Sequence[str] = (),
    *,
    marker: Marker | None = None,
    limit: int = COMMENT_LIMIT_BYTES,
) -> str:
    """A page that says what happened instead of showing a plan (errors, a fork without secrets)."""
    head = _join(marker.line() if marker else "", info.title(what), message)
    budget = limit - byte_size(head) - byte_size(info.footer())
    return _join(head, text_block(details, budget), info.footer())


def apply_summary(
    info: RunInfo,
    outcome: str,
    view: PlanView | None,
    report: Sequence[str],
) -> str:
    """What apply did: the outcome, the plan that was applied (folded), and the apply report."""
    parts = [info.title("apply"), outcome]
    budget = SUMMARY_BUDGET_BYTES - byte_size(_join(*parts)) - byte_size(info.footer())
    if view is not None and view.has_changes:
        parts += [f"**{view.summary.text()}**", ""]
        block = plan_block(view, budget // 2, "the plan file is in output `json_plan_path`")
        parts.append(block.text)
    if report:
        parts.append(text_block(report, budget // 2, "Apply report"))
    parts.append(info.footer())
    return _join(*parts)


def apply_status(info: RunInfo, reason: FailureReason | None, had_changes: bool) -> str:
    """One line for the reviewed plan's comment: what the apply on merge did with it."""
    if reason is None:
        what = ":white_check_mark: applied" if had_changes else ":white_check_mark: nothing to do"
    elif reason in (FailureReason.PLAN_CHANGED, FailureReason.UNSAFE_PLAN):
        what = f":no_entry: not applied (`{reason.value}`); nothing was written"
    else:
        what = f":x: failed (`{reason.value}`)"
    where = [f"commit `{info.short_sha}`"] if info.short_sha else []
    if info.run_url:
        where.append(f"[workflow run]({info.run_url})")
    return what + (" · " + " · ".join(where) if where else "") + "."
