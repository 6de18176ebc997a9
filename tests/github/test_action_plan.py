"""The action's plan on pull requests, run step by step as a runner runs it."""

from __future__ import annotations

from tests.github.action_runner import ActionResult
from tests.github.conftest import ORG_YAML, Workspace, pull_request_event, push_event
from tests.github.fake_github import MAX_BODY

PR = 17


def secrets_of(workspace: Workspace) -> list[str]:
    return [workspace.sandbox.credentials.client_secret, workspace.github.token]


def assert_no_secret(workspace: Workspace, result: ActionResult) -> None:
    """No secret in any output, summary, log line, comment or file the run left behind."""
    places = {
        "outputs": "\n".join(result.outputs.values()),
        "summary": result.summary,
        "log": result.log,
        "comments": "\n".join(c["body"] for c in workspace.github.comments.values()),
        "files": "\n".join(
            path.read_text(encoding="utf-8", errors="replace")
            for path in workspace.root.rglob("*")
            if path.is_file()
        ),
        "requests to GitHub": "\n".join(
            f"{r.path}?{r.query} {r.body}" for r in workspace.github.requests
        ),
    }
    for secret in secrets_of(workspace):
        assert secret
        for where, text in places.items():
            assert secret not in text, f"a secret reached the {where}"


def test_plan_on_a_pull_request_comments_once_then_edits(workspace: Workspace) -> None:
    config = workspace.write_config()
    first = workspace.run("pull_request", pull_request_event(PR), {"path": str(config)})

    assert first.ok, first.log
    assert first.outputs["changes"] == "true"
    assert first.outputs["exitcode"] == "2"
    assert first.outputs["failure_reason"] == ""
    assert (first.outputs["to_create"], first.outputs["to_update"]) == ("4", "1")
    assert first.outputs["to_delete"] == "0"
    assert "Plan: 4 to create, 1 to update, 0 to delete." in first.summary
    comments = workspace.github.comments_on(PR)
    assert len(comments) == 1
    body = comments[0]["body"]
    assert body.startswith("<!-- zoom-reconciler {")
    assert '"label": ""' in body
    assert "apply` would accept this plan" in body
    # Counts, safety verdict and API estimate come before the (collapsible) plan.
    assert body.index("Plan: 4 to create") < body.index(":stopwatch:") < body.index("<details")
    assert "+ user ann@acme.example" in body
    # Emails are the only personal data shown: names are not.
    assert "Annabelle" not in body
    assert "Quarterhouse" not in body
    assert "Annabelle" not in first.summary
    assert "+ first_name: (set)" in body
    assert_no_secret(workspace, first)

    # A second push to the pull request edits the same comment.
    config.joinpath("org.yaml").write_text(
        ORG_YAML.replace("type: basic", "type: licensed"), encoding="utf-8"
    )
    second = workspace.run("pull_request", pull_request_event(PR), {"path": str(config)})
    assert second.ok, second.log
    comments = workspace.github.comments_on(PR)
    assert len(comments) == 1
    assert comments[0]["body"] != body
    methods = [(r.method, r.path.rsplit("/", 2)[-2]) for r in workspace.github.requests]
    assert methods.count(("POST", "17")) == 1
    assert sum(1 for r in workspace.github.requests if r.method == "PATCH") == 1
    assert len(comments[0]["body"]) < MAX_BODY


def big_config(count: int) -> str:
    users = "".join(
        f"  - email: user{n:05d}@acme.example\n"
        f"    first_name: First{n}\n    last_name: Last{n}\n"
        "    type: basic\n    create_action: custCreate\n"
        for n in range(count)
    )
    return "version: 1\npolicy:\n  safety:\n    max_deletes: 10\nusers:\n" + users


def test_a_5000_change_plan_is_cut_by_lines_with_a_pointer_to_the_summary(
    workspace: Workspace,
) -> None:
    config = workspace.write_config(big_config(5000))
    result = workspace.run("pull_request", pull_request_event(PR), {"path": str(config)})

    assert result.ok, result.log[-3000:]
    assert result.outputs["to_create"] == "5000"
    [comment] = workspace.github.comments_on(PR)
    body = comment["body"]
    assert len(body) < MAX_BODY
    assert '"truncated": true' in body.split("\n", 1)[0]
    assert "more plan lines are not shown here" in body
    assert "job summary" in body
    # Cut on a line boundary, inside a block that is still closed properly.
    fence_open = body.index("```diff\n")
    fence_close = body.index("\n```\n", fence_open)
    shown = body[fence_open + len("```diff\n") : fence_close].split("\n")
    assert all(line.startswith(("+ user ", "    + ")) for line in shown)
    assert "</details>" in body[fence_close:]
    assert shown[-1].startswith("    + ") or shown[-1].startswith("+ user")
    # The summary is far larger but within GitHub's 1 MiB, and says if it is cut too.
    assert len(result.summary.encode()) <= 1024 * 1024
    assert len(result.summary) > len(body)
    # About 650 kB of plan lines: the summary holds them all, so it says nothing was cut.
    assert "user04999@acme.example" in result.summary
    assert "more plan lines" not in result.summary
    assert_no_secret(workspace, result)


def test_a_fork_without_secrets_gets_a_clear_cannot_plan_note(workspace: Workspace) -> None:
    config = workspace.write_config()
    no_secrets = {"ZOOM_ACCOUNT_ID": "", "ZOOM_CLIENT_ID": "", "ZOOM_CLIENT_SECRET": ""}
    workspace.github.read_only_tokens.add("ghs_readonly")
    result = workspace.run(
        "pull_request",
        pull_request_event(PR, fork=True),
        {"path": str(config)},
        zoom=no_secrets,
        token="ghs_readonly",
    )

    assert result.ok, result.log
    assert "Cannot plan this pull request" in result.summary
    assert "fork" in result.summary
    assert "::warning::Cannot plan a pull request from a fork" in result.log
    assert result.outputs["changes"] == ""
    assert result.outputs["failure_reason"] == ""
    assert "Traceback" not in result.log
    assert workspace.github.requests == []  # no comment attempted with a read-only token


def test_an_invalid_configuration_fails_with_annotations_and_a_comment(
    workspace: Workspace,
) -> None:
    config = workspace.write_config(ORG_YAML.replace("groups: [Developers]", "groups: [Nobody]"))
    result = workspace.run("pull_request", pull_request_event(PR), {"path": str(config)})

    assert not result.ok
    assert result.outputs["failure_reason"] == "invalid-config"
    assert result.outputs["exitcode"] == "1"
    assert result.outputs["changes"] == ""
    assert "::error file=" in result.log
    assert "org.yaml,line=" in result.log
    assert "The configuration is invalid" in result.summary
    [comment] = workspace.github.comments_on(PR)
    assert "The configuration is invalid" in comment["body"]
    assert '"plan_checksum": null' in comment["body"]
    assert workspace.journal_writes() == []


def test_refused_credentials_are_reported_as_auth_failed(workspace: Workspace) -> None:
    config = workspace.write_config()
    from tests.github.conftest import zoom_env

    wrong = {**zoom_env(workspace.sandbox), "ZOOM_CLIENT_SECRET": "not-the-secret-at-all"}
    result = workspace.run(
        "pull_request", pull_request_event(PR), {"path": str(config)}, zoom=wrong, in_process=True
    )

    assert not result.ok
    assert result.outputs["failure_reason"] == "auth-failed"
    assert "Zoom refused the credentials" in result.summary
    assert "not-the-secret-at-all" not in result.summary + result.log
    assert "not-the-secret-at-all" not in workspace.github.comments_on(PR)[0]["body"]
    assert_no_secret(workspace, result)


def test_changes_only_posts_nothing_for_an_empty_plan(workspace: Workspace) -> None:
    config = workspace.write_config("version: 1\n")
    result = workspace.run(
        "pull_request",
        pull_request_event(PR),
        {"path": str(config), "add_pr_comment": "changes-only"},
        in_process=True,
    )
    assert result.ok, result.log
    assert result.outputs["changes"] == "false"
    assert result.outputs["exitcode"] == "0"
    assert "No changes." in result.summary
    assert workspace.github.comments_on(PR) == []


def test_labels_keep_separate_comments_and_always_new_hides_the_old_one(
    workspace: Workspace,
) -> None:
    config = workspace.write_config()
    for label in ("prod", "staging"):
        result = workspace.run(
            "pull_request",
            pull_request_event(PR),
            {"path": str(config), "label": label},
            in_process=True,
        )
        assert result.ok, result.log
    assert len(workspace.github.comments_on(PR)) == 2

    again = workspace.run(
        "pull_request",
        pull_request_event(PR),
        {"path": str(config), "label": "prod", "add_pr_comment": "always-new"},
        in_process=True,
    )
    assert again.ok, again.log
    comments = workspace.github.comments_on(PR)
    assert len(comments) == 3
    old_prod = comments[0]
    assert '"closed": true' in old_prod["body"].split("\n", 1)[0]
    assert "Superseded" in old_prod["body"]
    assert workspace.github.minimized == {old_prod["node_id"]}
    assert '"closed": false' in comments[2]["body"].split("\n", 1)[0]


def test_comments_by_people_are_never_taken_for_ours(workspace: Workspace) -> None:
    config = workspace.write_config()
    workspace.github.per_page_cap = 2  # the action must follow Link headers
    for n in range(5):
        workspace.github.add_comment(
            PR,
            '<!-- zoom-reconciler {"format_version": 1, "label": "", "plan_checksum": "x"} -->'
            f"\nforged {n}",
            user={"login": "mallory", "type": "User"},
        )
    result = workspace.run(
        "pull_request", pull_request_event(PR), {"path": str(config)}, in_process=True
    )
    assert result.ok, result.log
    comments = workspace.github.comments_on(PR)
    assert len(comments) == 6
    assert all(c["body"].endswith(f"forged {n}") for n, c in enumerate(comments[:5]))
    assert comments[5]["user"]["type"] == "Bot"


def test_a_scheduled_plan_reports_drift_through_exitcode_without_commenting(
    workspace: Workspace,
) -> None:
    config = workspace.write_config()
    result = workspace.run(
        "schedule", push_event(), {"path": str(config), "label": "us"}, in_process=True
    )
    assert result.ok, result.log
    assert result.outputs["exitcode"] == "2"
    assert result.outputs["changes"] == "true"
    assert "Plan: 4 to create" in result.summary
    assert workspace.github.requests == []
    assert_no_secret(workspace, result)


def test_validate_alone_reports_a_valid_configuration(workspace: Workspace) -> None:
    config = workspace.write_config()
    result = workspace.run(
        "push", push_event(), {"command": "validate", "path": str(config)}, in_process=True
    )
    assert result.ok, result.log
    assert result.outputs["exitcode"] == "0"
    assert result.outputs["failure_reason"] == ""
    assert "valid (0 divisions, 1 group, 2 users" in result.summary
    assert workspace.journal_writes() == []
