"""One function per command: glue between the CLI and the phases, each returning an exit code."""

from __future__ import annotations

from pathlib import Path

from reconciler.cli.console import Output


def validate_command(out: Output, path: Path) -> int:
    """`validate PATH`: offline checks; ConfigError carries every diagnostic to the error handler."""
    from reconciler.config import load_config

    config = load_config(path)
    out.info(f"{path}: valid ({config.summary()}).")
    return 0
