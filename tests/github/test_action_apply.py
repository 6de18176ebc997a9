"""The action's apply on merge: only the reviewed plan runs."""

from __future__ import annotations

from pathlib import Path

from tests.github.conftest import (
    MERGE_SHA,
    ORG_YAML,
    Workspace,
    pull_request_event,
    push_event,
)
from tests.github.test_action_plan import assert_no_secret

PR = 23


def review(workspace: Workspace, config: Path, label: str = "") -> None:
    result = workspace.run(
        "pull_request", pull_request_event(PR), {"path": str(config), "label": label}
    )
    assert result.ok, result.log
    workspace.github.merged(MERGE_SHA, PR)


def test_apply_on_push_runs_the_reviewed_plan(workspace: Workspace) -> None:
    config = workspace.write_config()
    review(workspace, config, label="prod")

    result = workspace.run(
        "push", push_event(), {"command": "apply", "path": str(config), "label": "prod"}
    )

    assert result.ok, result.log
    assert result.outputs["exitcode"] == "0"
    assert result.outputs["failure_reason"] == ""
    assert result.outputs["to_create"] == "4"
    assert "matches the one reviewed on pull request #23" in result.log
    assert "Applied" in result.summary
    assert "Apply report" in result.summary
    assert "Annabelle" not in result.summary
    users = [w for w in workspace.journal_writes() if w["path"] == "/v2/users"]
    assert len(users) == 2
    assert_no_secret(workspace, result)

    # Applied: planning again finds nothing to do.
    after = workspace.run("pull_request", pull_request_event(PR + 1), {"path": str(config)})
    assert after.outputs["changes"] == "false", after.log


def test_apply_refuses_a_plan_that_changed_since_review(workspace: Workspace) -> None:
    config = workspace.write_config()
    review(workspace, config)
    (config / "org.yaml").write_text(
        ORG_YAML.replace("type: basic", "type: licensed"), encoding="utf-8"
    )

    result = workspace.run("push", push_event(), {"command": "apply", "path": str(config)})

    assert not result.ok
    assert result.outputs["failure_reason"] == "plan-changed"
    assert result.outputs["changes"] == "true"
    assert "the plan changed since it was reviewed" in result.summary
    assert "pull request #23 had checksum" in result.summary
    assert workspace.journal_writes() == []


def test_apply_without_a_reviewed_plan_refuses(workspace: Workspace) -> None:
    config = workspace.write_config()
    result = workspace.run("push", push_event(), {"command": "apply", "path": str(config)})
    assert not result.ok
    assert result.outputs["failure_reason"] == "plan-changed"
    assert "no merged pull request brought in commit" in result.summary
    assert workspace.journal_writes() == []


def test_auto_approve_applies_without_a_review(workspace: Workspace) -> None:
    config = workspace.write_config()
    result = workspace.run(
        "push", push_event(), {"command": "apply", "path": str(config), "auto_approve": "true"}
    )
    assert result.ok, result.log
    assert workspace.journal_writes()
    assert workspace.github.requests == []


def test_an_unsafe_plan_is_refused_as_unsafe(workspace: Workspace) -> None:
    config = workspace.write_config()
    setup = workspace.run(
        "push", push_event(), {"command": "apply", "path": str(config), "auto_approve": "true"}
    )
    assert setup.ok, setup.log
    writes = len(workspace.journal_writes())
    (config / "org.yaml").write_text(
        ORG_YAML.replace("max_deletes: 10", "max_deletes: 0").replace(
            "type: basic", "type: basic\n    status: inactive"
        ),
        encoding="utf-8",
    )
    review(workspace, config)
    comment = workspace.github.comments_on(PR)[0]["body"]
    assert "would refuse this plan" in comment, comment
    assert "exceed safety.max_deletes (0)" in comment

    result = workspace.run("push", push_event(), {"command": "apply", "path": str(config)})
    assert not result.ok
    assert result.outputs["failure_reason"] == "unsafe-plan"
    assert result.outputs["to_delete"] == "1"
    assert "the plan is unsafe" in result.summary
    assert len(workspace.journal_writes()) == writes


def test_a_saved_plan_runs_and_a_stale_one_fails(workspace: Workspace) -> None:
    config = workspace.write_config()
    planned = workspace.run("pull_request", pull_request_event(PR), {"path": str(config)})
    saved = Path(planned.outputs["json_plan_path"])
    kept = workspace.root / "reviewed-plan.json"
    kept.write_bytes(saved.read_bytes())

    # Someone applies a different change first: the saved plan is now stale.
    other = workspace.write_config(
        ORG_YAML.replace("first_name: Bob", "first_name: Robert"), name="other"
    )
    first = workspace.run(
        "push", push_event(), {"command": "apply", "path": str(other), "auto_approve": "true"}
    )
    assert first.ok, first.log
    writes = len(workspace.journal_writes())

    stale = workspace.run(
        "push", push_event(), {"command": "apply", "plan_file": str(kept), "path": str(config)}
    )
    assert not stale.ok
    assert stale.outputs["failure_reason"] == "apply-failed"
    assert stale.outputs["exitcode"] == "1"
    assert len(workspace.journal_writes()) == writes
