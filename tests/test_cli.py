"""The CLI's exit-code contract: usage errors exit 1, never 2."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reconciler", *args], capture_output=True, text=True, check=False
    )


def test_usage_error_exits_1_not_2() -> None:
    result = run("no-such-command")
    assert result.returncode == 1
    assert "No such command" in result.stderr


def test_missing_argument_exits_1() -> None:
    result = run("validate")
    assert result.returncode == 1
    assert "Missing argument" in result.stderr


def test_help_exits_0() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "validate" in result.stdout
