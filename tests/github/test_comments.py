"""Finding, creating and editing our comment through the GitHub API client and the fake server."""

from __future__ import annotations

import pytest

from reconciler.github.api import GitHubAPI, GitHubAPIError
from reconciler.github.cli_runner import Cli
from reconciler.github.comments import (
    STATUS_PREFIX,
    Published,
    publish,
    record_apply,
    reviewed_marker,
    with_status,
)
from reconciler.github.inputs import CommentMode, FailureReason
from reconciler.github.markdown import Marker
from reconciler.github.pages import RunInfo, apply_status
from tests.github.conftest import MERGE_SHA, REPOSITORY
from tests.github.fake_github import FakeGitHub

PR = 9


def client(github: FakeGitHub, token: str | None = None) -> GitHubAPI:
    return GitHubAPI(
        github.base_url, f"{github.base_url}/graphql", REPOSITORY, token or github.token
    )


def body(label: str, checksum: str, text: str) -> str:
    return Marker(label, checksum).line() + "\n" + text


def test_update_mode_creates_once_then_edits_or_leaves_alone(github: FakeGitHub) -> None:
    api = client(github)
    first = publish(api, PR, "us", body("us", "c1", "one"), CommentMode.UPDATE, True)
    same = publish(api, PR, "us", body("us", "c1", "one"), CommentMode.UPDATE, True)
    edited = publish(api, PR, "us", body("us", "c2", "two"), CommentMode.UPDATE, False)
    assert [first.action, same.action, edited.action] == [
        Published.CREATED,
        Published.UNCHANGED,
        Published.EDITED,
    ]
    [comment] = github.comments_on(PR)
    assert comment["body"].endswith("two")
    assert reviewed_marker(api, PR, "us") == Marker("us", "c2")
    assert reviewed_marker(api, PR, "eu") is None


def test_changes_only_and_off(github: FakeGitHub) -> None:
    api = client(github)
    skipped = publish(api, PR, "", body("", "c", "none"), CommentMode.CHANGES_ONLY, False)
    off = publish(api, PR, "", body("", "c", "x"), CommentMode.OFF, True)
    assert (skipped.action, off.action) == (Published.SKIPPED, Published.SKIPPED)
    assert github.comments_on(PR) == []
    created = publish(api, PR, "", body("", "c", "x"), CommentMode.CHANGES_ONLY, True)
    assert created.action is Published.CREATED
    # An existing comment is kept current even when the plan no longer has changes.
    again = publish(api, PR, "", body("", "d", "none"), CommentMode.CHANGES_ONLY, False)
    assert again.action is Published.EDITED


def test_comments_are_found_across_pages(github: FakeGitHub) -> None:
    github.per_page_cap = 3
    api = client(github)
    ours = github.add_comment(PR, body("us", "c1", "plan"))
    for n in range(7):
        github.add_comment(PR, f"chatter {n}", user={"login": "ann", "type": "User"})
    assert reviewed_marker(api, PR, "us") == Marker("us", "c1")
    publish(api, PR, "us", body("us", "c2", "new"), CommentMode.UPDATE, True)
    assert github.comments[ours]["body"].endswith("new")
    assert len(github.comments_on(PR)) == 8


def test_refusals_name_the_permission_and_never_the_token(github: FakeGitHub) -> None:
    github.read_only_tokens.add("ghs_readonly_token_value")
    api = client(github, "ghs_readonly_token_value")
    with pytest.raises(GitHubAPIError, match="pull-requests: write") as refused:
        publish(api, PR, "", body("", "c", "x"), CommentMode.UPDATE, True)
    assert refused.value.status == 403
    assert "ghs_readonly_token_value" not in str(refused.value)


def test_merged_pull_requests_put_the_merge_first(github: FakeGitHub) -> None:
    github.pulls[MERGE_SHA] = [
        {"number": 3, "merged_at": None, "merge_commit_sha": None},
        {"number": 4, "merged_at": "2026-01-01T00:00:00Z", "merge_commit_sha": "other"},
        {"number": 5, "merged_at": "2026-01-02T00:00:00Z", "merge_commit_sha": MERGE_SHA},
    ]
    assert client(github).merged_pull_requests(MERGE_SHA) == [5, 4]


def test_the_cli_never_receives_the_github_token() -> None:
    env = {"GITHUB_TOKEN": "a", "INPUT_GITHUB_TOKEN": "b", "ZOOM_CLIENT_ID": "c", "PATH": "/bin"}
    child = Cli(env).child_env()
    assert "GITHUB_TOKEN" not in child
    assert "INPUT_GITHUB_TOKEN" not in child
    assert child["ZOOM_CLIENT_ID"] == "c"


def test_record_apply_writes_one_status_under_the_marker(github: FakeGitHub) -> None:
    api = client(github)
    assert record_apply(api, PR, "us", "applied.") is False  # no plan comment: nothing to edit
    assert github.comments_on(PR) == []

    publish(api, PR, "us", body("us", "c1", "### plan\nthe plan"), CommentMode.UPDATE, True)
    assert record_apply(api, PR, "us", "failed.") is True
    assert record_apply(api, PR, "us", "applied.") is True  # a re-run replaces the status
    [comment] = github.comments_on(PR)
    assert comment["body"] == body("us", "c1", f"{STATUS_PREFIX}applied.\n\n### plan\nthe plan")
    assert reviewed_marker(api, PR, "us") == Marker("us", "c1")


def test_a_new_plan_replaces_the_status_with_the_plan(github: FakeGitHub) -> None:
    api = client(github)
    publish(api, PR, "", body("", "c1", "plan one"), CommentMode.UPDATE, True)
    record_apply(api, PR, "", "applied.")
    publish(api, PR, "", body("", "c2", "plan two"), CommentMode.UPDATE, True)
    [comment] = github.comments_on(PR)
    assert STATUS_PREFIX not in comment["body"]
    assert with_status("marker\nrest", "x") == f"marker\n{STATUS_PREFIX}x\n\nrest"


def test_the_apply_status_says_what_happened_and_where() -> None:
    info = RunInfo(short_sha="abc1234", run_url="https://x/runs/1")
    run = " · commit `abc1234` · [workflow run](https://x/runs/1)."
    assert apply_status(info, None, True) == ":white_check_mark: applied" + run
    assert apply_status(info, None, False) == ":white_check_mark: nothing to do" + run
    assert apply_status(info, FailureReason.PLAN_CHANGED, True) == (
        ":no_entry: not applied (`plan-changed`); nothing was written" + run
    )
    assert apply_status(RunInfo(), FailureReason.APPLY_FAILED, True) == (
        ":x: failed (`apply-failed`)."
    )
