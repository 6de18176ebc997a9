"""`plan` and `apply`: thin glue over the phases.

load the configuration -> read live state (only what the plan needs) -> diff -> Plan ->
safety -> render -> (apply: confirm -> applier -> report). `--target` narrows both the reads and
the changes; `--sandbox` runs all of it against an in-process sandbox instead of Zoom.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import click
from pydantic import SecretStr
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from reconciler.apply import Applier, ApplyReport, ChangeResult, Outcome
from reconciler.apply.saved import load_saved_plan, save_plan
from reconciler.apply.targets import Target, scope_desired, select, unknown_targets
from reconciler.catalog import Tier
from reconciler.cli.approvals import clear_approved, journal_path, load_approved, record_approved
from reconciler.cli.console import Output, in_ci
from reconciler.cli.process import keep_until_exit
from reconciler.cli.read_progress import ReadProgressDisplay
from reconciler.config import (
    SourceMap,
    load_config_with_sources,
    missing_member_errors,
    pin_errors,
)
from reconciler.errors import ConfigError, ReconcilerError, UnsafePlanError
from reconciler.live import ReadRequest, read_live_state
from reconciler.live.progress import ReadReport
from reconciler.model import Config
from reconciler.model.live import LiveState
from reconciler.plan.approval import Approved
from reconciler.plan.desired import Desired, desired_from_config
from reconciler.plan.diff import diff
from reconciler.plan.diff.renames import read_pins
from reconciler.plan.ownership import apply_ownership, waiting_for_identity_provider
from reconciler.plan.plan import Plan, check_fresh, make_plan
from reconciler.plan.safety import SafetyPolicy, check_safety
from reconciler.render.json import render_json
from reconciler.render.markdown import render_markdown
from reconciler.render.text import render_text
from reconciler.zoom import HttpSession, ZoomClient, ZoomConnection

SANDBOX_SEED = Path("examples") / "sandbox-seed.yaml"
SANDBOX_URL = "http://sandbox.invalid"


@dataclass(frozen=True)
class Where:
    """Which Zoom to talk to: the real one (credentials from the environment) or a sandbox."""

    sandbox: bool = False
    sandbox_seed: Path | None = None
    config_path: Path | None = None

    def seed_path(self) -> Path | None:
        """`--sandbox-seed`, else `examples/sandbox-seed.yaml` here or beside the configuration."""
        if self.sandbox_seed is not None:
            return self.sandbox_seed
        candidates = [Path.cwd() / SANDBOX_SEED]
        if self.config_path is not None:
            for folder in self.config_path.resolve().parents:
                candidates += [folder / SANDBOX_SEED.name, folder / SANDBOX_SEED]
        return next((path for path in candidates if path.is_file()), None)


@asynccontextmanager
async def open_zoom(where: Where, out: Output) -> AsyncIterator[ZoomClient]:
    """A ZoomClient for real Zoom, or for a fresh in-process sandbox seeded from the seed file."""
    if not where.sandbox:
        connection = ZoomConnection.from_env()
        async with ZoomClient(connection) as zoom:
            yield zoom
        return
    from reconciler.sandbox import SandboxOptions, SeedError, create_app

    seed = where.seed_path()
    try:
        app = create_app(SandboxOptions(seed_path=seed, random_seed=0))
    except (SeedError, OSError) as unusable:
        raise ReconcilerError(f"the sandbox seed {seed} cannot be used: {unusable}") from None
    out.info(
        f"Using an in-process Zoom sandbox seeded from {seed}."
        if seed
        else "Using an empty in-process Zoom sandbox (no seed file found)."
    )
    credentials = app.sandbox.credentials
    connection = ZoomConnection(
        account_id=credentials.account_id,
        client_id=credentials.client_id,
        client_secret=SecretStr(credentials.client_secret),
        api_base_url=f"{SANDBOX_URL}/v2",
        oauth_token_url=f"{SANDBOX_URL}/oauth/token",
    )
    async with ZoomClient(connection, session=HttpSession(connection, asgi_app=app)) as zoom:
        yield zoom


@dataclass(frozen=True)
class Loaded:
    """The configuration as the differ reads it, any autoCreate passwords (kept apart), and
    where each line was written, for errors that only the live account reveals."""

    desired: Desired
    passwords: dict[str, str]
    config: Config
    sources: SourceMap

    def check_against(self, live: LiveState) -> None:
        """Refuse, each at its line and all at once, what only the account shows is wrong:
        memberships of users neither declared nor in the account (adding nothing for them would
        drop a reviewed line in silence), and pins the account cannot honour (an id it does not
        have, an email change it would refuse)."""
        errors = missing_member_errors(
            self.config, self.sources, lambda email: live.user(email) is not None
        )
        owned = apply_ownership(self.desired, live).desired  # an IdP user's pin is not ours
        errors += pin_errors(self.config, self.sources, read_pins(owned, live).problems)
        if errors:
            raise ConfigError(sorted(errors))


def _load(path: Path) -> Loaded:
    config, sources = load_config_with_sources(path)
    keep_until_exit(config)
    passwords = {
        user.key: user.password.get_secret_value()
        for user in config.users
        if user.password is not None
    }
    return Loaded(desired_from_config(config), passwords, config, sources)


def _plan_tier(zoom: ZoomClient) -> Tier:
    return zoom.scheduler.tier


async def _read(zoom: ZoomClient, request: ReadRequest, out: Output) -> LiveState:
    live, _ = await _read_with_report(zoom, request, out)
    return live


async def _read_with_report(
    zoom: ZoomClient, request: ReadRequest, out: Output
) -> tuple[LiveState, ReadReport]:
    started = time.monotonic()
    with ReadProgressDisplay(out) as progress:
        live, report = await read_live_state(zoom, request, progress)
    out.info(
        f"Read {len(live.users)} users, {len(live.groups)} groups, {len(live.divisions)} divisions"
        + (
            f", {len(live.contact_groups)} contact groups"
            if live.contact_groups is not None
            else ""
        )
        + f" ({report.total_calls} API calls, {time.monotonic() - started:.1f} s)."
    )
    return live, report


@dataclass(frozen=True)
class Planned:
    plan: Plan
    request: ReadRequest
    desired: Desired


async def make_scoped_plan(
    zoom: ZoomClient, loaded: Loaded, targets: Sequence[Target], out: Output
) -> Planned:
    desired = loaded.desired
    scoped = scope_desired(desired, targets)
    request = ReadRequest.for_desired(scoped)
    live, report = await _read_with_report(zoom, request, out)
    loaded.check_against(live)
    changes, notes = diff(scoped, live)
    for target in unknown_targets(targets, desired, live):
        out.warning(
            f"--target {target}: nothing by that name in the configuration or the account;"
            " it selects no changes."
        )
    waiting = waiting_for_identity_provider(scoped, live)
    if waiting:
        out.warning(
            f"{len(waiting)} user(s) waiting for the identity provider: {', '.join(waiting)};"
            " their groups, division and roles follow once it creates them."
        )
    plan = make_plan(
        select(changes, targets),
        live,
        notes,
        waiting,
        reads=report.calls_by_category(),
        tier=_plan_tier(zoom),
    )
    return Planned(plan, request, scoped)


def _render(plan: Plan, fmt: str, tier: Tier, out: Output) -> str:
    if fmt == "json":
        return render_json(plan, tier)
    if fmt == "markdown":
        return render_markdown(plan, tier)
    return render_text(plan, color=out.color and sys.stdout.isatty(), tier=tier)


def _journal(where: Where) -> Path | None:
    """Where this configuration's approval journal lives; none for a sandbox, which dies with
    the run, or for a saved plan run on its own."""
    if where.sandbox or where.config_path is None:
        return None
    connection = ZoomConnection.from_env()
    return journal_path(where.config_path, connection.account_id, connection.api_base_url)


def _warn_if_unsafe(
    plan: Plan, policy: SafetyPolicy, out: Output, approved: Approved | None = None
) -> None:
    try:
        check_safety(plan, policy, approved=approved)
    except UnsafePlanError as unsafe:
        out.info(f"Warning: apply would refuse this plan: {unsafe}")


# plan --------------------------------------------------------------------------------------


def plan_command(
    out: Output,
    path: Path,
    *,
    fmt: str,
    out_file: Path | None,
    detailed_exitcode: bool,
    targets: Sequence[str],
    sandbox: bool,
    sandbox_seed: Path | None,
) -> int:
    """`plan PATH`: 0 (or 2 with `--detailed-exitcode` when there are changes), 1 on error."""
    loaded = _load(path)
    scope = [Target.parse(t) for t in targets]

    where = Where(sandbox, sandbox_seed, path)

    async def run() -> tuple[Planned, Tier]:
        async with open_zoom(where, out) as zoom:
            return await make_scoped_plan(zoom, loaded, scope, out), _plan_tier(zoom)

    planned, tier = asyncio.run(run())
    journal = _journal(where)
    approved = load_approved(journal) if journal is not None else None
    _warn_if_unsafe(planned.plan, planned.desired.policy, out, approved)
    out.result(_render(planned.plan, fmt, tier, out))
    if out_file is not None:
        out_file.write_text(
            save_plan(planned.plan, planned.request, planned.desired.policy, tier), encoding="utf-8"
        )
        out.info(f"Saved the plan to {out_file}; run it with `apply --plan {out_file}`.")
    return 2 if detailed_exitcode and not planned.plan.is_empty else 0


# apply -------------------------------------------------------------------------------------


def confirm_apply(plan: Plan, auto_approve: bool, out: Output) -> bool:
    if auto_approve:
        return True
    if in_ci() or not sys.stdin.isatty():
        raise ReconcilerError(
            "refusing to apply without --auto-approve: there is no one to ask "
            "(CI is set, or stdin is not a terminal); nothing was changed"
        )
    answer = click.prompt(
        f"Apply these {plan.summary.total} changes? Only 'yes' is accepted",
        default="",
        show_default=False,
        err=True,
    )
    if answer.strip() == "yes":
        return True
    out.info("Apply cancelled; nothing was changed.")
    return False


class ApplyProgress:
    """A progress bar on a terminal; in CI or a pipe, a plain line every tenth of the way.

    Done, failed and skipped are counted apart: an interrupted run settles everything left as
    skipped at once, and that must not read as progress.
    """

    def __init__(self, out: Output, total: int) -> None:
        self.out = out
        self.total = total
        self.counts: Counter[Outcome] = Counter()
        self.next_line = max(1, total // 10)
        self.bar: Progress | None = None
        if not out.quiet and out.err.is_terminal and not in_ci():
            self.bar = Progress(
                TextColumn("Applying"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[tally]}"),
                TimeElapsedColumn(),
                console=out.err,
                transient=True,
            )
            self.task = self.bar.add_task("apply", total=total, tally=self._tally())

    def __enter__(self) -> ApplyProgress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def _tally(self) -> str:
        counts = self.counts
        return (
            f"{counts[Outcome.DONE]} done, {counts[Outcome.FAILED]} failed,"
            f" {counts[Outcome.SKIPPED]} skipped"
        )

    def __call__(self, result: ChangeResult) -> None:
        self.counts[result.outcome] += 1
        seen = self.counts.total()
        if self.bar is not None:
            self.bar.update(self.task, advance=1, tally=self._tally())
        elif seen >= self.next_line or seen == self.total:
            self.next_line = seen + max(1, self.total // 10)
            self.out.info(f"apply: {seen}/{self.total} changes settled: {self._tally()}")


async def _apply_plan(
    zoom: ZoomClient, plan: Plan, passwords: dict[str, str], out: Output
) -> ApplyReport:
    with ApplyProgress(out, len(plan.changes)) as progress:
        return await Applier(zoom, passwords=passwords, on_result=progress).apply(plan.changes)


def apply_command(
    out: Output,
    path: Path | None,
    *,
    plan_file: Path | None,
    auto_approve: bool,
    force: bool,
    targets: Sequence[str],
    sandbox: bool,
    sandbox_seed: Path | None,
    approved_file: Path | None = None,
) -> int:
    """`apply PATH` or `apply --plan FILE`: 0 when every change was applied, else 1.

    `approved_file` is an approval given from outside (the GitHub Action's reviewed plan): the
    caps do not count what it covers, as they do not count what the journal covers."""
    if path is None and plan_file is None:
        raise click.UsageError("apply needs a configuration PATH or --plan FILE")
    if plan_file is not None and targets:
        raise click.UsageError("--target scopes a new plan; a saved plan runs as it was saved")
    loaded = _load(path) if path is not None else None
    passwords = loaded.passwords if loaded is not None else {}
    scope = [Target.parse(t) for t in targets]

    journal = _journal(Where(sandbox, sandbox_seed, path)) if plan_file is None else None
    recorded = load_approved(journal) if journal is not None else None
    given = load_approved(approved_file) if approved_file is not None else None
    approved = recorded.merged(given) if recorded and given else recorded or given

    async def run() -> int:
        async with open_zoom(Where(sandbox, sandbox_seed, path or plan_file), out) as zoom:
            tier = _plan_tier(zoom)
            policy: SafetyPolicy
            if plan_file is not None:
                saved = load_saved_plan(plan_file.read_text(encoding="utf-8"))
                plan, policy = saved.plan, saved.policy
                check_fresh(plan, await _read(zoom, saved.reread, out))
                out.info("The saved plan is still current: none of the objects it touches changed.")
            else:
                assert loaded is not None
                planned = await make_scoped_plan(zoom, loaded, scope, out)
                plan, policy = planned.plan, planned.desired.policy
            overridden = check_safety(plan, policy, force=force, approved=approved)
            for cap in overridden:
                out.warning(f"--force: applying although {cap}")
            if approved is not None and not plan.is_empty:
                out.info(
                    f"Finishing an unfinished apply approved earlier ({journal or approved_file})."
                )
            out.result(render_text(plan, color=out.color and sys.stdout.isatty(), tier=tier))
            if plan.is_empty:
                if journal is not None and not scope:
                    clear_approved(journal)
                return 0
            if not confirm_apply(plan, auto_approve, out):
                return 1
            if journal is not None:
                record_approved(journal, (recorded or Approved()).merged(Approved.of(plan.changes)))
            report = await _apply_plan(zoom, plan, passwords, out)
        if journal is not None and report.ok and not scope:  # a --target run finishes only part
            clear_approved(journal)
        out.result(report.text())
        if report.stopped:
            out.error(report.stopped)
        return 0 if report.ok else 1

    return asyncio.run(run())
