"""What one run of the Action does: validate, plan or apply, then report it where GitHub shows it.

- `validate`: the configuration's errors become annotations on the files and lines.
- `plan`: the CLI plans to a JSON file; the job summary and (on a pull request) the label's
  comment show it. A fork's pull request without the secrets gets a clear "cannot plan" note.
- `apply`: plans again and applies the new plan only if its checksum equals the one in the
  merged pull request's comment (or `auto_approve` is set, or a saved `plan_file` is given);
  the saved plan itself refuses if live state drifts before it runs.

A failure's `failure_reason` comes from the class of the error the CLI stopped on, never from
its message; only refused credentials that surface as a plain API error need one more read.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from reconciler.errors import (
    ConfigError,
    CredentialsError,
    ReconcilerError,
    StalePlanError,
    UnsafePlanError,
)
from reconciler.github.api import GitHubAPI, GitHubAPIError
from reconciler.github.approval_note import finishes, read_approval
from reconciler.github.auth_check import credentials_problem
from reconciler.github.cli_runner import Cli, CliResult
from reconciler.github.comments import OurComment, publish, record_apply, reviewed_comment
from reconciler.github.event import GitHubContext
from reconciler.github.inputs import ActionInputs, Command, CommentMode, FailureReason
from reconciler.github.markdown import SUMMARY_BUDGET_BYTES, Marker
from reconciler.github.pages import (
    RunInfo,
    apply_status,
    apply_summary,
    message_page,
    plan_comment,
    plan_summary,
)
from reconciler.github.planview import PlanView
from reconciler.github.runner_files import RunnerFiles
from reconciler.plan.approval import Approved
from reconciler.render.text import render_text
from reconciler.zoom.settings import REQUIRED as ZOOM_CREDENTIALS

DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")

REASON_OF_ERROR = {
    ConfigError.__name__: FailureReason.INVALID_CONFIG,
    CredentialsError.__name__: FailureReason.AUTH_FAILED,
    UnsafePlanError.__name__: FailureReason.UNSAFE_PLAN,
    StalePlanError.__name__: FailureReason.PLAN_CHANGED,
}
"""The errors the CLI stops on that have a `failure_reason` of their own (a saved plan that went
stale is a plan that changed since it was reviewed)."""


def failure_reason(result: CliResult) -> FailureReason | None:
    return REASON_OF_ERROR.get(result.failure or "")


@dataclass
class Outcome:
    ok: bool = True
    cli_exit: int | None = None
    reason: FailureReason | None = None
    view: PlanView | None = None
    files: dict[str, str] = field(default_factory=dict)

    def outputs(self) -> dict[str, str]:
        view = self.view
        summary = view.summary if view is not None else None
        return {
            "changes": "" if view is None else str(view.has_changes).lower(),
            "to_create": "" if summary is None else str(summary.create),
            "to_update": "" if summary is None else str(summary.update),
            "to_delete": "" if summary is None else str(summary.delete),
            "plan_path": self.files.get("plan_path", ""),
            "json_plan_path": self.files.get("json_plan_path", ""),
            "exitcode": "" if self.cli_exit is None else str(self.cli_exit),
            "failure_reason": "" if self.reason is None else self.reason.value,
        }


def _without_targets(args: tuple[str, ...]) -> list[str]:
    """The extra arguments minus `--target`, which only scopes a new plan, never a saved one."""
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--target":
            skip = True
        elif not arg.startswith("--target="):
            kept.append(arg)
    return kept


@dataclass
class ActionRun:
    inputs: ActionInputs
    context: GitHubContext
    files: RunnerFiles
    cli: Cli
    env: Mapping[str, str]
    state_dir: Path
    log: TextIO = sys.stderr
    current: Outcome = field(default_factory=Outcome)
    """The outcome so far, so that outputs are written even when a later step raises."""

    # paths and pages --------------------------------------------------------------------

    @property
    def info(self) -> RunInfo:
        return RunInfo(
            label=self.inputs.label,
            path=str(self.inputs.path),
            short_sha=self.context.short_sha,
            run_url=self.context.run_url,
        )

    @property
    def text_plan(self) -> Path:
        return self.state_dir / "plan.txt"

    @property
    def json_plan(self) -> Path:
        return self.state_dir / "plan.json"

    @property
    def approved_file(self) -> Path:
        return self.state_dir / "approved.json"

    def say(self, message: str) -> None:
        self.log.write(message + "\n")
        self.log.flush()

    def api(self) -> GitHubAPI | None:
        if not self.inputs.github_token or not self.context.repository:
            return None
        return GitHubAPI(
            self.context.api_url,
            self.context.graphql_url,
            self.context.repository,
            self.inputs.github_token,
        )

    def comment(self, body: str, has_changes: bool) -> None:
        """Post or edit the label's comment when this run is about a pull request."""
        pr = self.context.pull_request
        if pr is None or self.inputs.comment_mode is CommentMode.OFF:
            return
        api = self.api()
        if api is None:
            self.files.annotate("warning", "No github_token: the plan was not posted on the PR.")
            return
        result = publish(
            api, pr.number, self.inputs.label, body, self.inputs.comment_mode, has_changes
        )
        self.say(f"Pull request #{pr.number}: plan comment {result.action.value}.")
        for warning in result.warnings:
            self.files.annotate("warning", warning)

    def fail(self, outcome: Outcome, message: str) -> Outcome:
        outcome.ok = False
        self.files.annotate("error", message)
        return outcome

    # the commands ---------------------------------------------------------------------

    def run(self) -> Outcome:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        if self.inputs.command is Command.VALIDATE:
            return self.validate() or Outcome(cli_exit=0)
        if self.inputs.command is Command.PLAN:
            return self.plan()
        return self.apply()

    def validate(self) -> Outcome | None:
        """None when the configuration is valid; else the failed outcome, reported."""
        result = self.cli.run("validate", str(self.inputs.path))
        if result.exit_code == 0:
            lines = result.stderr.strip() or "The configuration is valid."
            self.files.write_summary(
                message_page(self.info, "validate", f":white_check_mark: {lines}")
            )
            return None
        return self.invalid_config(result)

    def invalid_config(self, result: CliResult) -> Outcome:
        """Each `FILE:LINE:COL: message` the CLI printed becomes an annotation on that line."""
        errors = [line for line in result.stderr.splitlines() if line.strip()]
        for line in errors:
            found = DIAGNOSTIC.match(line)
            if found:
                self.files.annotate(
                    "error",
                    found["message"],
                    {"file": found["file"], "line": found["line"], "col": found["col"]},
                )
        message = ":x: **The configuration is invalid**; nothing was sent to Zoom."
        self.files.write_summary(
            message_page(self.info, "validate", message, errors, limit=SUMMARY_BUDGET_BYTES)
        )
        if self.inputs.command is Command.PLAN:
            marker = Marker(self.inputs.label, None)
            self.comment(message_page(self.info, "plan", message, errors, marker=marker), True)
        outcome = Outcome(cli_exit=result.exit_code, reason=FailureReason.INVALID_CONFIG)
        self.current = outcome
        return self.fail(outcome, f"{self.inputs.path}: the configuration is invalid.")

    def credentials_missing(self) -> bool:
        return not self.inputs.uses_sandbox and not all(
            self.env.get(name, "").strip() for name in ZOOM_CREDENTIALS
        )

    def cannot_plan(self) -> Outcome:
        message = (
            ":warning: **Cannot plan this pull request**: it comes from a fork, and GitHub does"
            " not give workflows run for forks the repository's secrets, so there are no Zoom"
            " credentials to read the account with. Nothing is wrong with the change itself. A"
            " maintainer can push the branch to this repository to get a plan; on merge, `apply`"
            " plans again and refuses to run a plan nobody reviewed."
        )
        self.files.write_summary(message_page(self.info, "plan", message))
        self.files.annotate("warning", "Cannot plan a pull request from a fork: no Zoom secrets.")
        return Outcome()

    def make_plan(self) -> tuple[Outcome, CliResult]:
        result = self.cli.run(
            "plan",
            str(self.inputs.path),
            "--format",
            "text",
            "--out",
            str(self.json_plan),
            "--detailed-exitcode",
            *self.inputs.args,
        )
        self.text_plan.write_text(result.stdout, encoding="utf-8")
        outcome = Outcome(cli_exit=result.exit_code)
        self.current = outcome
        if result.exit_code in (0, 2) and self.json_plan.is_file():
            outcome.files = {
                "plan_path": str(self.text_plan),
                "json_plan_path": str(self.json_plan),
            }
            outcome.view = PlanView.read(self.json_plan)
        return outcome, result

    def explain_failed_plan(self, outcome: Outcome, result: CliResult) -> Outcome:
        """A failed plan: an invalid configuration, refused credentials, or anything else."""
        if failure_reason(result) is FailureReason.INVALID_CONFIG:
            return self.invalid_config(result)
        return self.plan_failed(outcome, result, "plan")

    def auth_problem(self, result: CliResult) -> str | None:
        """Why Zoom refused the credentials, if that is why the CLI failed: the error it raised
        says so, or else one authenticated read tells (a 401 can also come from a later call)."""
        if failure_reason(result) is FailureReason.AUTH_FAILED:
            last = result.stderr.strip().splitlines()[-1:] or ["the credentials were refused"]
            return last[0].removeprefix("error: ")
        if self.inputs.uses_sandbox:
            return None
        return credentials_problem(self.env)

    def plan_failed(self, outcome: Outcome, result: CliResult, what: str) -> Outcome:
        problem = self.auth_problem(result)
        if problem is not None:
            outcome.reason = FailureReason.AUTH_FAILED
            message = f":x: **Zoom refused the credentials**: {problem}"
        else:
            message = f":x: **The {what} failed**; see the error below and the workflow log."
        errors = result.stderr.splitlines()[-40:]
        self.files.write_summary(
            message_page(self.info, what, message, errors, limit=SUMMARY_BUDGET_BYTES)
        )
        if self.inputs.command is Command.PLAN:
            marker = Marker(self.inputs.label, None)
            self.comment(message_page(self.info, what, message, errors, marker=marker), True)
        return self.fail(outcome, f"zoom-reconciler {what} failed (exit {result.exit_code}).")

    def plan(self) -> Outcome:
        pr = self.context.pull_request
        if pr is not None and pr.from_fork and self.credentials_missing():
            return self.cannot_plan()
        outcome, result = self.make_plan()
        if outcome.view is None:
            return self.explain_failed_plan(outcome, result)
        view = outcome.view
        self.files.write_summary(plan_summary(view, self.info, str(self.text_plan)).body)
        self.comment(plan_comment(view, self.info).body, view.has_changes)
        return outcome

    # apply -------------------------------------------------------------------------------

    def reviewed(self) -> tuple[int | None, OurComment | None]:
        """The pull request this commit came from, and its plan comment for this label."""
        api = self.api()
        if api is None:
            raise ReconcilerError(
                "apply needs `github_token` to find the reviewed plan (or `auto_approve: true`)"
            )
        pr = self.context.pull_request
        numbers = [pr.number] if pr is not None else api.merged_pull_requests(self.context.sha)
        for number in numbers:
            found = reviewed_comment(api, number, self.inputs.label)
            if found is not None:
                return number, found
        return (numbers[0] if numbers else None), None

    def finishing(self, found: OurComment | None, view: PlanView) -> Approved | None:
        """The reviewed plan's approval, if the new plan only finishes what it approved: an
        earlier apply of the reviewed plan was cut short (a lost runner, a daily limit)."""
        if found is None or found.marker.plan_checksum is None:
            return None
        approved = read_approval(found.comment.body)
        if approved is None or not finishes(approved, view.plan.changes):
            return None
        return approved

    def plan_changed(self, outcome: Outcome, number: int | None, marker: Marker | None) -> Outcome:
        assert outcome.view is not None
        now = outcome.view.checksum
        if number is None:
            why = f"no merged pull request brought in commit `{self.context.short_sha}`"
        elif marker is None:
            why = f"pull request #{number} has no zoom-reconciler plan comment for this label"
        elif marker.plan_checksum is None:
            why = f"the last plan on pull request #{number} failed, so no plan was reviewed"
        else:
            why = (
                f"the plan reviewed on pull request #{number} had checksum "
                f"`{marker.plan_checksum[:12]}`, the plan now has `{now[:12]}`"
            )
        message = (
            f":no_entry: **Not applied: the plan changed since it was reviewed** ({why}). "
            "Nothing was sent to Zoom. Live state or the configuration moved on after the review;"
            " open a pull request to review the new plan (or set `auto_approve: true`)."
        )
        outcome.reason = FailureReason.PLAN_CHANGED
        self.files.write_summary(apply_summary(self.info, message, outcome.view, ()))
        return self.fail(outcome, f"Not applied: the plan changed since it was reviewed ({why}).")

    def apply(self) -> Outcome:
        if self.inputs.plan_file is not None:
            outcome = Outcome(files={"json_plan_path": str(self.inputs.plan_file)})
            self.current = outcome
            outcome.view = PlanView.read(self.inputs.plan_file)
            return self.run_apply(outcome, self.inputs.plan_file)
        outcome, result = self.make_plan()
        if outcome.view is None:
            return self.explain_failed_plan(outcome, result)
        if self.inputs.auto_approve:
            return self.apply_new_plan(outcome)
        number, found = self.reviewed()
        marker = found.marker if found is not None else None
        if marker is not None and marker.plan_checksum == outcome.view.checksum:
            self.say(f"The plan matches the one reviewed on pull request #{number}.")
            done = self.apply_new_plan(outcome)
        elif (approved := self.finishing(found, outcome.view)) is not None:
            self.say(
                f"The plan only finishes what the plan reviewed on pull request #{number}"
                " approved (an earlier apply of it did not finish): applying it."
            )
            done = self.apply_new_plan(outcome, approved)
        else:
            done = self.plan_changed(outcome, number, marker)
        if number is not None and marker is not None:
            self.record_on_review(number, done)
        return done

    def apply_new_plan(self, outcome: Outcome, approved: Approved | None = None) -> Outcome:
        assert outcome.view is not None
        if not outcome.view.has_changes:
            outcome.cli_exit = 0
            message = ":white_check_mark: **No changes**: the account already matches."
            self.files.write_summary(apply_summary(self.info, message, outcome.view, ()))
            return outcome
        if approved is None:
            return self.run_apply(outcome, self.json_plan)
        # The caps do not count what the reviewed plan approved, as the CLI's journal does.
        self.approved_file.write_text(json.dumps(approved.to_json()), encoding="utf-8")
        return self.run_apply(outcome, self.json_plan, "--approved", str(self.approved_file))

    def record_on_review(self, number: int, outcome: Outcome) -> None:
        """Say on the reviewed plan's comment what the merge did with it, so the pull request
        tells the whole story; a token that cannot write comments only costs a warning."""
        api = self.api()
        if api is None or self.inputs.comment_mode is CommentMode.OFF:
            return
        had_changes = outcome.view is not None and outcome.view.has_changes
        status = apply_status(self.info, outcome.reason, had_changes)
        try:
            if record_apply(api, number, self.inputs.label, status):
                self.say(f"Pull request #{number}: the apply is recorded on its plan comment.")
        except GitHubAPIError as refused:
            self.files.annotate(
                "warning", f"The apply was not recorded on pull request #{number}: {refused}"
            )

    def run_apply(self, outcome: Outcome, plan_file: Path, *extra: str) -> Outcome:
        view = outcome.view
        assert view is not None
        result = self.cli.run(
            "apply",
            "--plan",
            str(plan_file),
            "--auto-approve",
            *extra,
            *_without_targets(self.inputs.args),
        )
        outcome.cli_exit = result.exit_code
        report = result.stdout
        shown_plan = render_text(view.plan, color=False, tier=view.tier)
        if report.startswith(shown_plan):
            report = report[len(shown_plan) :]
        lines = report.strip("\n").splitlines()
        if result.exit_code == 0:
            message = ":white_check_mark: **Applied.**"
            self.files.write_summary(apply_summary(self.info, message, view, lines))
            return outcome
        lines += ["", *result.stderr.splitlines()[-20:]]
        reason = failure_reason(result)
        if reason is FailureReason.UNSAFE_PLAN:
            message = ":no_entry: **Not applied: the plan is unsafe**; nothing was written."
        elif reason is FailureReason.PLAN_CHANGED:
            message = (
                ":no_entry: **Not applied: Zoom changed since the plan was saved**; nothing was"
                " written. Make and review a new plan."
            )
        elif self.auth_problem(result) is not None:
            reason = FailureReason.AUTH_FAILED
            message = ":x: **Apply failed: Zoom refused the credentials.**"
        else:
            reason = FailureReason.APPLY_FAILED
            message = (
                ":x: **Apply failed**; the report below says which changes did not go through."
            )
        outcome.reason = reason
        self.files.write_summary(apply_summary(self.info, message, view, lines))
        return self.fail(outcome, f"zoom-reconciler apply failed ({reason.value}).")


def state_dir(env: Mapping[str, str], label: str) -> Path:
    """Where this step keeps its plan files: the runner's temp directory, one folder per step."""
    root = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir()) / "zoom-reconciler"
    step = re.sub(r"[^\w.-]+", "-", env.get("GITHUB_ACTION") or "run")
    name = re.sub(r"[^\w.-]+", "-", label) if label else "default"
    return root / f"{step}-{name}"


def run_action(
    env: Mapping[str, str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr
) -> int:
    """The whole step: returns its exit code and always writes every output."""
    files = RunnerFiles.from_env(env)
    files.stdout = stdout
    outcome = Outcome(ok=False)
    run: ActionRun | None = None
    try:
        inputs = ActionInputs.from_env(env)
        run = ActionRun(
            inputs=inputs,
            context=GitHubContext.from_env(env),
            files=files,
            cli=Cli(env, echo_out=stdout, echo_err=stderr),
            env=env,
            state_dir=state_dir(env, inputs.label),
            log=stderr,
        )
        outcome = run.run()
    except ReconcilerError as failure:
        files.annotate("error", str(failure))
        outcome = run.current if run is not None else outcome
        outcome.ok = False
    finally:
        files.set_outputs(outcome.outputs())
    return 0 if outcome.ok else 1
