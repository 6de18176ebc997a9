"""Runs the zoom-reconciler CLI as a user would, in a child process, echoing what it prints.

The child gets the Zoom credentials it needs but not the GitHub token: the reconciler never
talks to GitHub, so it has no business holding the key to it. The CLI names the class of the
error it stopped on in a file (`ZOOM_RECONCILER_FAILURE_FILE`), so a failure is classified by
what was raised, never by reading error messages.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TextIO

from reconciler.failure_file import FAILURE_FILE_VARIABLE, read_failure

WITHHELD = frozenset(
    {
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "INPUT_GITHUB_TOKEN",
        "ACTIONS_RUNTIME_TOKEN",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    }
)


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    failure: str | None = None
    """The class name of the error the CLI stopped on (`StalePlanError`...), if it raised one."""


def _tee(source: IO[str], sink: TextIO, kept: list[str]) -> None:
    for line in source:
        kept.append(line)
        sink.write(line)
        sink.flush()


@dataclass
class Cli:
    env: Mapping[str, str]
    echo_out: TextIO = sys.stdout
    echo_err: TextIO = sys.stderr

    def child_env(self) -> dict[str, str]:
        env = {name: value for name, value in self.env.items() if name not in WITHHELD}
        env.setdefault("NO_COLOR", "1")
        return env

    def run(self, *args: str) -> CliResult:
        """`zoom-reconciler ARGS...`; its stdout and stderr go to the log and are kept."""
        self.echo_err.write(f"$ zoom-reconciler {' '.join(args)}\n")
        self.echo_err.flush()
        with tempfile.TemporaryDirectory(prefix="zoom-reconciler-") as scratch:
            failure_file = Path(scratch) / "failure"
            code, out, err = self._run(args, {FAILURE_FILE_VARIABLE: str(failure_file)})
            failure = read_failure(failure_file)
        return CliResult(code, out, err, failure)

    def _run(self, args: tuple[str, ...], extra_env: Mapping[str, str]) -> tuple[int, str, str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "reconciler", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**self.child_env(), **extra_env},
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        assert process.stdout is not None
        assert process.stderr is not None
        out: list[str] = []
        err: list[str] = []
        readers = [
            threading.Thread(target=_tee, args=(process.stdout, self.echo_out, out)),
            threading.Thread(target=_tee, args=(process.stderr, self.echo_err, err)),
        ]
        for reader in readers:
            reader.start()
        code = process.wait()
        for reader in readers:
            reader.join()
        return code, "".join(out), "".join(err)
