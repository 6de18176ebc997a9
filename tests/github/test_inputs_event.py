"""Inputs and the event: typos fail with the input's name; forks are recognised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.errors import ReconcilerError
from reconciler.github.event import GitHubContext
from reconciler.github.inputs import ActionInputs, Command, CommentMode


def test_inputs_come_from_the_environment_with_defaults() -> None:
    inputs = ActionInputs.from_env(
        {
            "INPUT_COMMAND": "Apply",
            "INPUT_PATH": "zoom/us",
            "INPUT_AUTO_APPROVE": "true",
            "INPUT_ARGS": "  --target group  --force ",
            "INPUT_GITHUB_TOKEN": "ghs_secret",
        }
    )
    assert inputs.command is Command.APPLY
    assert inputs.path == Path("zoom/us")
    assert inputs.auto_approve is True
    assert inputs.comment_mode is CommentMode.UPDATE
    assert inputs.args == ("--target", "group", "--force")
    assert inputs.plan_file is None
    assert "ghs_secret" not in repr(inputs)
    assert ActionInputs.from_env({}).command is Command.PLAN


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("command", "destroy"),
        ("add_pr_comment", "sometimes"),
        ("auto_approve", "maybe"),
        ("label", "a" * 65),
        ("label", "<script>"),
    ],
)
def test_a_bad_input_names_itself(name: str, value: str) -> None:
    with pytest.raises(ReconcilerError, match=f"input `{name}`"):
        ActionInputs.from_env({f"INPUT_{name.upper()}": value})


def write_event(tmp_path: Path, event: dict[str, object]) -> str:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return str(path)


def pr_event(head_repo: object) -> dict[str, object]:
    return {
        "pull_request": {
            "number": 5,
            "head": {"sha": "abc1234def", "repo": head_repo},
            "base": {"repo": {"full_name": "acme/config"}},
        }
    }


@pytest.mark.parametrize(
    ("head_repo", "fork"),
    [
        ({"full_name": "acme/config"}, False),
        ({"full_name": "mallory/config"}, True),
        (None, True),  # the fork was deleted
    ],
)
def test_pull_requests_from_forks_are_recognised(
    tmp_path: Path, head_repo: object, fork: bool
) -> None:
    context = GitHubContext.from_env(
        {
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": write_event(tmp_path, pr_event(head_repo)),
            "GITHUB_SHA": "merge-ref-sha",
        }
    )
    assert context.pull_request is not None
    assert context.pull_request.number == 5
    assert context.pull_request.from_fork is fork
    assert context.sha == "abc1234def"  # the head commit, not the test merge commit


def test_a_push_has_no_pull_request_and_a_run_url(tmp_path: Path) -> None:
    context = GitHubContext.from_env(
        {
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_EVENT_PATH": write_event(tmp_path, {"after": "f00"}),
            "GITHUB_SHA": "f00ba12345",
            "GITHUB_REPOSITORY": "acme/config",
            "GITHUB_RUN_ID": "77",
        }
    )
    assert context.pull_request is None
    assert context.short_sha == "f00ba12"
    assert context.run_url == "https://github.com/acme/config/actions/runs/77"
    assert context.api_url == "https://api.github.com"


def test_an_unreadable_event_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReconcilerError, match="GITHUB_EVENT_PATH"):
        GitHubContext.from_env(
            {"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(tmp_path / "missing.json")}
        )
