"""Names: distribution, import package, console script, `python -m`, Python version, layout."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.acceptance.conftest import REPOSITORY


def test_the_distribution_is_zoom_reconciler_and_needs_python_3_11() -> None:
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "zoom-reconciler"
    assert project["requires-python"].replace(" ", "") == ">=3.11"
    assert importlib.metadata.metadata("zoom-reconciler")["Name"] == "zoom-reconciler"


def test_the_console_script_zoom_reconciler_runs_the_cli() -> None:
    scripts = {
        entry.name: entry.value
        for entry in importlib.metadata.distribution("zoom-reconciler").entry_points
        if entry.group == "console_scripts"
    }
    assert scripts.get("zoom-reconciler", "").startswith("reconciler.")
    installed = Path(sys.executable).parent / "zoom-reconciler"
    script = str(installed) if installed.exists() else shutil.which("zoom-reconciler")
    assert script is not None
    ran = subprocess.run([script, "--help"], capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    for command in ("validate", "plan", "apply", "export", "sandbox"):
        assert command in ran.stdout


def test_python_dash_m_reconciler_is_the_same_cli() -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "reconciler", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert importlib.metadata.version("zoom-reconciler") in ran.stdout
    import reconciler

    assert Path(reconciler.__file__).parent == REPOSITORY / "reconciler"


@pytest.mark.parametrize(
    "name",
    ["pyproject.toml", "reconciler", "schemas", "examples", "tests", "action.yml", "README.md"],
)
def test_the_top_level_holds(name: str) -> None:
    assert (REPOSITORY / name).exists()


def test_ci_run_is_an_executable_script() -> None:
    script = REPOSITORY / ".ci" / "run"
    assert script.is_file()
    assert script.stat().st_mode & 0o111
