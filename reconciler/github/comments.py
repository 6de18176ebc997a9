"""One comment per label on a pull request, found by its hidden marker and edited in place.

Only comments written by a bot count as ours: a person pasting a marker into a comment cannot
make `apply` believe a plan was reviewed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from reconciler.github.api import GitHubAPI, GitHubAPIError, IssueComment
from reconciler.github.inputs import CommentMode
from reconciler.github.markdown import Marker


class Published(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class OurComment:
    comment: IssueComment
    marker: Marker


def ours(comments: Sequence[IssueComment], label: str) -> list[OurComment]:
    """Our open comments for `label`, oldest first."""
    found = []
    for comment in comments:
        marker = Marker.parse(comment.body) if comment.by_bot else None
        if marker is not None and marker.label == label and not marker.closed:
            found.append(OurComment(comment, marker))
    return found


def superseded(found: OurComment) -> str:
    """The old comment, marked closed and saying so above its plan."""
    closed = replace(found.marker, closed=True).line()
    rest = found.comment.body.split("\n", 1)[1] if "\n" in found.comment.body else ""
    return f"{closed}\n> :information_source: Superseded by a newer plan below.\n\n{rest}"


@dataclass(frozen=True)
class PublishResult:
    action: Published
    warnings: tuple[str, ...] = ()


def publish(
    api: GitHubAPI,
    number: int,
    label: str,
    body: str,
    mode: CommentMode,
    has_changes: bool,
) -> PublishResult:
    """Create, edit or leave the label's comment as `add_pr_comment` says."""
    if mode is CommentMode.OFF:
        return PublishResult(Published.SKIPPED)
    existing = ours(api.issue_comments(number), label)
    if mode is CommentMode.ALWAYS_NEW:
        warnings = []
        for old in existing:
            api.edit_comment(old.comment.id, superseded(old))
            try:
                api.minimize_comment(old.comment.node_id)
            except GitHubAPIError as refused:
                warnings.append(f"could not hide the superseded comment: {refused}")
        api.create_comment(number, body)
        return PublishResult(Published.CREATED, tuple(warnings))
    if existing:
        latest = existing[-1].comment
        if latest.body == body:
            return PublishResult(Published.UNCHANGED)
        api.edit_comment(latest.id, body)
        return PublishResult(Published.EDITED)
    if mode is CommentMode.CHANGES_ONLY and not has_changes:
        return PublishResult(Published.SKIPPED)
    api.create_comment(number, body)
    return PublishResult(Published.CREATED)


def reviewed_comment(api: GitHubAPI, number: int, label: str) -> OurComment | None:
    """The label's latest plan comment on a pull request, if there is one."""
    existing = ours(api.issue_comments(number), label)
    return existing[-1] if existing else None


def reviewed_marker(api: GitHubAPI, number: int, label: str) -> Marker | None:
    """The marker of the label's latest plan comment on a pull request, if there is one."""
    found = reviewed_comment(api, number, label)
    return found.marker if found is not None else None


STATUS_PREFIX = "> **Apply:** "
"""Starts the line, under the marker, that says what became of a reviewed plan on merge."""


def with_status(body: str, status: str) -> str:
    """The comment with `status` under its marker, in place of the one an earlier run wrote."""
    marker, _, rest = body.partition("\n")
    if rest.startswith(STATUS_PREFIX):
        rest = rest.partition("\n")[2].removeprefix("\n")
    return f"{marker}\n{STATUS_PREFIX}{status}\n\n{rest}"


def record_apply(api: GitHubAPI, number: int, label: str, status: str) -> bool:
    """Write on the label's reviewed plan comment what the apply did; False if there is none.

    The marker (and so the reviewed checksum) stays as it was: only the status line changes.
    """
    existing = ours(api.issue_comments(number), label)
    if not existing:
        return False
    latest = existing[-1].comment
    api.edit_comment(latest.id, with_status(latest.body, status))
    return True
