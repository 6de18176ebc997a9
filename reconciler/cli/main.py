"""The command line: argument parsing and one error handler that maps failures to exit codes.

Exit codes follow the contract: 0 success, 1 any error (usage errors included: 2 is reserved
for `plan --detailed-exitcode`), 2 only for "changes present".
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from click.decorators import FC

from reconciler.cli.console import Output
from reconciler.cli.logs import configure_logging
from reconciler.errors import ConfigError, ReconcilerError
from reconciler.failure_file import record_failure

PathArgument = click.Path(exists=False, dir_okay=True, file_okay=True, path_type=Path)


def _use_output(ctx: click.Context, out: Output) -> None:
    ctx.obj = out
    configure_logging(0 if out.quiet else out.verbose, out.err)


def _output_flag(ctx: click.Context, param: click.Parameter, value: bool | int) -> None:
    """The same flag written after the command (`plan PATH --quiet`) adds to the one before."""
    if not value or not isinstance(ctx.obj, Output):
        return
    out = ctx.obj
    _use_output(
        ctx,
        Output(
            color=out.color and param.name != "no_color",
            quiet=out.quiet or param.name == "quiet",
            verbose=out.verbose + (int(value) if param.name == "verbose" else 0),
        ),
    )


_OUTPUT_FLAGS: tuple[tuple[str, tuple[str, ...], dict[str, Any]], ...] = (
    (
        "verbose",
        ("--verbose", "-v"),
        {"count": True, "help": "More detail on stderr (repeatable)."},
    ),
    ("quiet", ("--quiet", "-q"), {"is_flag": True, "help": "Only the result and errors."}),
    ("no_color", ("--no-color",), {"is_flag": True, "help": "Plain output without colour."}),
)


def _output_options(*, after_command: bool) -> Callable[[FC], FC]:
    """`--no-color`, `-q/--quiet` and `-v/--verbose`: before the command, or after it too."""

    def decorate(command: FC) -> FC:
        for name, flags, settings in _OUTPUT_FLAGS:
            extra: dict[str, Any] = (
                {"expose_value": False, "callback": _output_flag} if after_command else {}
            )
            command = click.option(*flags, name, **settings, **extra)(command)
        return command

    return decorate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@_output_options(after_command=False)
@click.version_option(package_name="zoom-reconciler")
@click.pass_context
def cli(ctx: click.Context, no_color: bool, quiet: bool, verbose: int) -> None:
    """Zoom account management as code."""
    _use_output(ctx, Output(color=not no_color, quiet=quiet, verbose=verbose))


@cli.command()
@click.argument("path", type=PathArgument)
@_output_options(after_command=True)
@click.pass_obj
def validate(out: Output, path: Path) -> int:
    """Check a configuration offline: syntax, types, references and settings keys."""
    from reconciler.cli.commands import validate_command

    return validate_command(out, path)


def _scope_options(command: click.decorators.FC) -> click.decorators.FC:
    """`--target`, `--sandbox` and `--sandbox-seed`, shared by plan and apply."""
    command = click.option(
        "--sandbox-seed",
        type=click.Path(exists=True, path_type=Path),
        help="Seed the --sandbox account from this file instead of examples/sandbox-seed.yaml.",
    )(command)
    command = click.option(
        "--sandbox", is_flag=True, help="Run against an in-process Zoom sandbox (no credentials)."
    )(command)
    return click.option(
        "--target",
        "targets",
        multiple=True,
        metavar="KIND[:NAME]",
        help="Only changes of this kind (and name), and what they depend on. Repeatable.",
    )(command)


@cli.command()
@click.argument("path", type=PathArgument)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan for `apply --plan`.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes, 0 when none."
)
@_scope_options
@_output_options(after_command=True)
@click.pass_obj
def plan(
    out: Output,
    /,
    path: Path,
    out_file: Path | None,
    fmt: str,
    detailed_exitcode: bool,
    targets: tuple[str, ...],
    sandbox: bool,
    sandbox_seed: Path | None,
) -> int:
    """Read the live account and print the changes that would make it match PATH."""
    from reconciler.cli.plan_apply import plan_command

    return plan_command(
        out,
        path,
        fmt=fmt,
        out_file=out_file,
        detailed_exitcode=detailed_exitcode,
        targets=targets,
        sandbox=sandbox,
        sandbox_seed=sandbox_seed,
    )


@cli.command()
@click.argument("path", type=PathArgument, required=False)
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Run a plan saved by `plan --out`.",
)
@click.option("--auto-approve", is_flag=True, help="Apply without asking.")
@click.option(
    "--force", is_flag=True, help="Override the safety caps (max_deletes, max_change_percent)."
)
@_scope_options
@_output_options(after_command=True)
@click.pass_obj
def apply(
    out: Output,
    /,
    path: Path | None,
    plan_file: Path | None,
    auto_approve: bool,
    force: bool,
    targets: tuple[str, ...],
    sandbox: bool,
    sandbox_seed: Path | None,
) -> int:
    """Plan, then (after a yes, or --auto-approve) make the changes."""
    from reconciler.cli.plan_apply import apply_command

    return apply_command(
        out,
        path,
        plan_file=plan_file,
        auto_approve=auto_approve,
        force=force,
        targets=targets,
        sandbox=sandbox,
        sandbox_seed=sandbox_seed,
    )


@cli.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the configuration files.",
)
@click.option(
    "--schema-url",
    default=None,
    help="Point the files' $schema line here instead of writing config.schema.json beside them.",
)
@click.option(
    "--user-details/--no-user-details",
    default=True,
    show_default=True,
    help="Read each user (one call per user) for job title, company and the other fields "
    "Zoom's user listing leaves out.",
)
@click.option(
    "--identity-provider",
    "identity_provider_from",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="A configuration (file or directory) whose identity_provider block bounds the export: "
    "what the identity provider owns is not written.",
)
@click.option("--sandbox", is_flag=True, help="Export an in-process Zoom sandbox (no credentials).")
@click.option(
    "--sandbox-seed",
    type=click.Path(exists=True, path_type=Path),
    help="Seed the --sandbox account from this file instead of examples/sandbox-seed.yaml.",
)
@_output_options(after_command=True)
@click.pass_obj
def export(
    out: Output,
    /,
    out_dir: Path,
    schema_url: str | None,
    user_details: bool,
    identity_provider_from: Path | None,
    sandbox: bool,
    sandbox_seed: Path | None,
) -> int:
    """Write the live account as configuration that `plan` then finds unchanged."""
    from reconciler.cli.export_command import export_command

    return export_command(
        out,
        out_dir,
        schema_url=schema_url,
        user_details=user_details,
        sandbox=sandbox,
        sandbox_seed=sandbox_seed,
        identity_provider_from=identity_provider_from,
    )


@cli.group()
def sandbox() -> None:
    """The Zoom API sandbox: a local, stateful simulator of Zoom."""


@sandbox.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=0, type=int, help="0 picks a free port.")
@click.option("--tier", type=click.Choice(["free", "pro", "business"]), default="pro")
@click.option("--seed", type=click.Path(exists=True, path_type=Path), help="YAML or state JSON.")
@click.option("--fault-rate", type=float, default=0.0, show_default=True)
@click.option("--latency-ms", type=float, default=0.0, show_default=True)
@click.option("--random-seed", type=int, default=None, help="Replay a run's faults.")
@click.option("--account-id", default=None)
@click.option("--client-id", default=None)
@click.option("--client-secret", default=None)
@_output_options(after_command=True)
@click.pass_obj
def sandbox_serve(
    out: Output,
    /,
    host: str,
    port: int,
    tier: str,
    seed: Path | None,
    fault_rate: float,
    latency_ms: float,
    random_seed: int | None,
    account_id: str | None,
    client_id: str | None,
    client_secret: str | None,
) -> int:
    """Run the sandbox as an HTTP server until stopped."""
    from reconciler.cli.sandbox_command import ServeOptions, serve_command

    return serve_command(
        out,
        ServeOptions(
            host=host,
            port=port,
            tier=tier,
            seed=seed,
            fault_rate=fault_rate,
            latency_ms=latency_ms,
            random_seed=random_seed,
            account_id=account_id,
            client_id=client_id,
            client_secret=client_secret,
        ),
    )


from reconciler.cli.github_command import github  # noqa: E402

cli.add_command(github)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI and turn every outcome into the contract's exit code."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as usage:
        usage.show()
        sys.exit(1)
    except ConfigError as invalid:
        record_failure(invalid)
        for diagnostic in invalid.diagnostics:
            click.echo(diagnostic.format(), err=True)
        click.echo(f"{len(invalid.diagnostics)} error(s) found.", err=True)
        sys.exit(1)
    except ReconcilerError as failure:
        record_failure(failure)
        click.echo(f"error: {failure}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)
