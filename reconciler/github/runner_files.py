"""The runner's protocols: step outputs (`$GITHUB_OUTPUT`), the job summary
(`$GITHUB_STEP_SUMMARY`) and workflow commands (annotations) on stdout.

Every output is written as a heredoc with a fresh random delimiter, so no value (a plan line,
an error message) can end the block early and smuggle in outputs of its own.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

SUMMARY_LIMIT_BYTES = 1024 * 1024
"""GitHub refuses a step summary above 1 MiB (and then shows none of it)."""


def output_block(name: str, value: str) -> str:
    """`name<<DELIM`, the value, `DELIM`: the multi-line form of one output."""
    if not name or any(c in name for c in "=<\r\n"):
        raise ValueError(f"not an output name: {name!r}")
    delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
    while delimiter in value:  # pragma: no cover - 128 random bits
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(
    command: str, message: str, properties: Mapping[str, str | int | None] | None = None
) -> str:
    """`::error file=F,line=L::message`, escaped as the runner expects."""
    props = ",".join(
        f"{key}={_escape_property(str(value))}"
        for key, value in (properties or {}).items()
        if value is not None
    )
    return f"::{command}{' ' + props if props else ''}::{_escape_data(message)}"


@dataclass
class RunnerFiles:
    """Where this step's outputs and summary go; without a runner (a local run) they are skipped."""

    output_path: Path | None = None
    summary_path: Path | None = None
    stdout: TextIO = sys.stdout

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RunnerFiles:
        def path(name: str) -> Path | None:
            return Path(env[name]) if env.get(name) else None

        return cls(output_path=path("GITHUB_OUTPUT"), summary_path=path("GITHUB_STEP_SUMMARY"))

    def set_outputs(self, values: Mapping[str, str]) -> None:
        if self.output_path is None:
            return
        with self.output_path.open("a", encoding="utf-8", newline="\n") as handle:
            for name, value in values.items():
                handle.write(output_block(name, value))

    def write_summary(self, markdown: str) -> None:
        """Append to the job summary; the caller has already cut it to `SUMMARY_LIMIT_BYTES`."""
        if self.summary_path is None:
            return
        if len(markdown.encode()) > SUMMARY_LIMIT_BYTES:
            raise ValueError("the job summary must be cut to size before it is written")
        with self.summary_path.open("a", encoding="utf-8", newline="\n") as handle:
            handle.write(markdown)

    def annotate(
        self, level: str, message: str, properties: Mapping[str, str | int | None] | None = None
    ) -> None:
        """An error, warning or notice shown on the run's page (and on the pull request's diff)."""
        self.stdout.write(workflow_command(level, message, properties) + "\n")
        self.stdout.flush()
