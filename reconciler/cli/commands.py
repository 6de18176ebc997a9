"""One function per command: glue between the CLI and the phases, each returning an exit code."""

from __future__ import annotations

from pathlib import Path

from reconciler.cli.console import Output


def validate_command(out: Output, path: Path) -> int:
    """`validate PATH`: offline checks; ConfigError carries every diagnostic to the error handler.

    Warnings (lines the tool will never act on, users it does not manage) are printed in the same FILE:LINE:COL form and
    do not fail the run.
    """
    from reconciler.cli.process import keep_until_exit
    from reconciler.config import (
        load_config_with_sources,
        protected_user_warnings,
        undeclared_user_warnings,
    )

    config, sources = load_config_with_sources(path)
    keep_until_exit(config)
    warnings = sorted(
        protected_user_warnings(config, sources) + undeclared_user_warnings(config, sources)
    )
    for warning in warnings:
        out.info(warning.format())
    noted = f", {len(warnings)} warning(s)" if warnings else ""
    out.info(f"{path}: valid ({config.summary()}){noted}.")
    return 0
