"""The action's apply on merge: only the reviewed plan runs."""

from __future__ import annotations

import signal
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
        "pull_request",
        pull_request_event(PR),
        {"path": str(config), "label": label},
        in_process=True,
    )
    assert result.ok, result.log
    workspace.github.merged(MERGE_SHA, PR)


def test_apply_on_push_runs_the_reviewed_plan(workspace: Workspace) -> None:
    config = workspace.write_config()
    review(workspace, config, label="prod")
    reviewed_marker_line = workspace.github.comments_on(PR)[0]["body"].split("\n")[0]

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
    # The reviewed comment now says so, under the same marker.
    [comment] = workspace.github.comments_on(PR)
    marker_line, status = comment["body"].split("\n")[:2]
    assert marker_line == reviewed_marker_line
    assert status.startswith("> **Apply:** :white_check_mark: applied · commit `9a8b7c6`")

    # Applied: planning again finds nothing to do.
    after = workspace.run(
        "pull_request", pull_request_event(PR + 1), {"path": str(config)}, in_process=True
    )
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
    assert "::error::Not applied: the plan changed since it was reviewed" in result.log
    assert workspace.journal_writes() == []
    status = workspace.github.comments_on(PR)[0]["body"].split("\n")[1]
    assert status.startswith("> **Apply:** :no_entry: not applied (`plan-changed`)")
    assert_no_secret(workspace, result)


def test_apply_without_a_reviewed_plan_refuses(workspace: Workspace) -> None:
    config = workspace.write_config()
    result = workspace.run(
        "push", push_event(), {"command": "apply", "path": str(config)}, in_process=True
    )
    assert not result.ok
    assert result.outputs["failure_reason"] == "plan-changed"
    assert "no merged pull request brought in commit" in result.summary
    assert workspace.journal_writes() == []


def test_a_failed_review_plan_is_not_a_reviewed_plan(workspace: Workspace) -> None:
    config = workspace.write_config(ORG_YAML.replace("groups: [Developers]", "groups: [Nobody]"))
    failed = workspace.run(
        "pull_request", pull_request_event(PR), {"path": str(config)}, in_process=True
    )
    assert failed.outputs["failure_reason"] == "invalid-config"
    workspace.github.merged(MERGE_SHA, PR)
    workspace.write_config()  # fixed on main after the merge, without a review

    result = workspace.run(
        "push", push_event(), {"command": "apply", "path": str(config)}, in_process=True
    )
    assert result.outputs["failure_reason"] == "plan-changed"
    assert "the last plan on pull request #23 failed" in result.summary
    assert workspace.journal_writes() == []


def test_auto_approve_applies_without_a_review(workspace: Workspace) -> None:
    config = workspace.write_config()
    result = workspace.run(
        "push",
        push_event(),
        {"command": "apply", "path": str(config), "auto_approve": "true"},
        in_process=True,
    )
    assert result.ok, result.log
    assert workspace.journal_writes()
    assert workspace.github.requests == []


def test_an_unsafe_plan_is_refused_as_unsafe(workspace: Workspace) -> None:
    config = workspace.write_config()
    workspace.seed_zoom(ORG_YAML)  # the account as the configuration had it applied
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

    result = workspace.run(
        "push", push_event(), {"command": "apply", "path": str(config)}, in_process=True
    )
    assert not result.ok
    assert result.outputs["failure_reason"] == "unsafe-plan"
    assert result.outputs["to_delete"] == "1"
    assert "the plan is unsafe" in result.summary
    assert workspace.journal_writes() == []


def saved_plan(workspace: Workspace, config: Path, name: str) -> Path:
    """A plan made on a pull request and kept, as a workflow keeps it as an artifact."""
    planned = workspace.run(
        "pull_request", pull_request_event(PR), {"path": str(config)}, in_process=True
    )
    assert planned.outputs["exitcode"] == "2", planned.log
    kept = workspace.root / name
    kept.write_bytes(Path(planned.outputs["json_plan_path"]).read_bytes())
    return kept


def test_a_saved_plan_runs_as_it_was_saved(workspace: Workspace) -> None:
    config = workspace.write_config()
    kept = saved_plan(workspace, config, "reviewed-plan.json")
    workspace.github.requests.clear()

    result = workspace.run(
        "push",
        push_event(),
        {"command": "apply", "plan_file": str(kept), "path": str(config)},
        in_process=True,
    )
    assert result.ok, result.log
    assert result.outputs["exitcode"] == "0"
    assert result.outputs["json_plan_path"] == str(kept)
    assert result.outputs["to_create"] == "4"
    assert "Applied" in result.summary
    users = [w for w in workspace.journal_writes() if w["path"] == "/v2/users"]
    assert len(users) == 2
    assert workspace.github.requests == []  # the saved plan is the reviewed one: no lookup


def test_a_stale_saved_plan_is_refused_as_plan_changed(workspace: Workspace) -> None:
    config = workspace.write_config()
    kept = saved_plan(workspace, config, "reviewed-plan.json")
    # Someone creates Bob by hand in the web portal after the plan was saved.
    workspace.seed_zoom(
        "version: 1\nusers:\n  - email: bob@acme.example\n    first_name: Robert\n    type: basic\n"
    )

    stale = workspace.run(
        "push", push_event(), {"command": "apply", "plan_file": str(kept), "path": str(config)}
    )
    assert not stale.ok
    assert stale.outputs["failure_reason"] == "plan-changed"
    assert stale.outputs["exitcode"] == "1"
    assert "Zoom changed since the plan was saved" in stale.summary
    assert "bob@acme.example" in stale.summary  # the CLI names what drifted
    assert workspace.journal_writes() == []
    assert_no_secret(workspace, stale)


def test_a_token_that_cannot_comment_only_costs_a_warning(workspace: Workspace) -> None:
    config = workspace.write_config()
    review(workspace, config)
    reviewed = workspace.github.comments_on(PR)[0]["body"]
    workspace.github.read_only_tokens.add("ghs_readonly")

    result = workspace.run(
        "push",
        push_event(),
        {"command": "apply", "path": str(config)},
        token="ghs_readonly",
        in_process=True,
    )
    assert result.ok, result.log
    assert "::warning::The apply was not recorded on pull request #23" in result.log
    assert "pull-requests: write" in result.log
    assert workspace.github.comments_on(PR)[0]["body"] == reviewed
    assert workspace.journal_writes()


def test_a_missing_saved_plan_is_a_clear_error(workspace: Workspace) -> None:
    missing = workspace.root / "no-such-plan.json"
    result = workspace.run(
        "push",
        push_event(),
        {"command": "apply", "plan_file": str(missing), "path": "."},
        in_process=True,
    )
    assert not result.ok
    assert "::error::cannot read the plan file" in result.log
    assert "no-such-plan.json" in result.log
    assert "Traceback" not in result.log
    assert result.outputs["exitcode"] == ""
    assert workspace.journal_writes() == []


def apply_lost_at(workspace: Workspace, config: Path, write: int) -> None:
    """An apply on merge whose runner is lost (the whole step killed) once Zoom has made its
    `write`th write: the sandbox holds that write's answer, so the cut lands exactly there."""
    workspace.control("POST", "stall", {"after_writes": write})
    try:
        lost = workspace.run(
            "push",
            push_event(),
            {"command": "apply", "path": str(config)},
            lose_runner_when=lambda: bool(workspace.control("GET", "stall")["stalled"]),
        )
    finally:
        workspace.control("DELETE", "stall")
    assert lost.step("Run zoom-reconciler").exit_code == -signal.SIGKILL, lost.log
    assert "matches the one reviewed on pull request #23" in lost.log


def test_a_re_run_finishes_an_interrupted_apply_of_the_reviewed_plan(workspace: Workspace) -> None:
    config = workspace.write_config()
    review(workspace, config)
    apply_lost_at(workspace, config, 2)
    half_done = workspace.journal_writes()
    made = [w for w in half_done if w["status"]]  # status 0: sent after the cut, never made
    assert len(made) == 2, half_done  # of the reviewed plan's 5 writes

    rerun = workspace.run(
        "push", push_event(), {"command": "apply", "path": str(config)}, in_process=True
    )

    assert rerun.ok, rerun.log
    assert rerun.outputs["failure_reason"] == ""
    assert rerun.outputs["exitcode"] == "0"
    assert rerun.outputs["changes"] == "true"  # a plan that is not the reviewed one...
    assert "matches the one reviewed" not in rerun.log
    assert "only finishes what the plan reviewed on pull request #23 approved" in rerun.log
    assert "--force" not in rerun.log
    users = [w for w in workspace.journal_writes() if w["path"] == "/v2/users" and w["status"]]
    assert len(users) == 2  # nobody created twice (status 0: dropped after the cut, not made)
    status = workspace.github.comments_on(PR)[0]["body"].split("\n")[1]
    assert status.startswith("> **Apply:** :white_check_mark: applied")
    after = workspace.run(
        "pull_request", pull_request_event(PR + 1), {"path": str(config)}, in_process=True
    )
    assert after.outputs["changes"] == "false", after.log


def test_a_re_run_that_finds_new_drift_is_still_refused(workspace: Workspace) -> None:
    workspace.seed_zoom("version: 1\ngroups:\n  - name: Developers\n")
    config = workspace.write_config()
    review(workspace, config)
    apply_lost_at(workspace, config, 1)
    # Meanwhile someone adds a member to Developers by hand: the re-run would remove them,
    # which nobody reviewed.
    stray = workspace.zoom(
        "POST",
        "/users",
        {"action": "custCreate", "user_info": {"email": "eve@acme.example", "type": 1}},
    )
    [group] = [g for g in workspace.zoom("GET", "/groups")["groups"] if g["name"] == "Developers"]
    workspace.zoom("POST", f"/groups/{group['id']}/members", {"members": [{"id": stray["id"]}]})
    written = len(workspace.journal_writes())

    rerun = workspace.run(
        "push", push_event(), {"command": "apply", "path": str(config)}, in_process=True
    )

    assert not rerun.ok
    assert rerun.outputs["failure_reason"] == "plan-changed"
    assert "the plan changed since it was reviewed" in rerun.summary
    assert len(workspace.journal_writes()) == written  # nothing sent to Zoom
