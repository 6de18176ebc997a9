"""Properties over generated files: a mistyped key anywhere is found, alone, exactly where it is."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.config import load_config
from reconciler.errors import ConfigError
from reconciler.model import User

FIELDS = {
    "first_name": "Ann",
    "last_name": "Lee",
    "dept": "Sales",
    "job_title": "Analyst",
    "type": "basic",
}


@st.composite
def file_with_one_typo(draw: st.DrawFn) -> tuple[str, int, str]:
    """A users file with one misspelt key; returns the text, the typo's line, and the typo."""
    count = draw(st.integers(min_value=1, max_value=8))
    victim = draw(st.integers(min_value=0, max_value=count - 1))
    lines = ["version: 1", "users:"]
    typo_line, typo = 0, ""
    for number in range(count):
        lines.append(f"  - email: user{number}@acme.example")
        keys = draw(st.lists(st.sampled_from(sorted(FIELDS)), unique=True, min_size=1))
        wrong = draw(st.sampled_from(keys)) if number == victim else None
        for key in keys:
            written = key
            if key == wrong:
                position = draw(st.integers(min_value=0, max_value=len(key)))
                letter = draw(st.sampled_from(string.ascii_lowercase))
                written = key[:position] + letter + key[position:]
                if written in User.model_fields:
                    written = key + "x"
                typo_line, typo = len(lines) + 1, written
            lines.append(f"    {written}: {FIELDS[key]}")
    return "\n".join(lines) + "\n", typo_line, typo


@given(file_with_one_typo())
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_mistyped_key_is_reported_alone_at_its_place(
    tmp_path: Path, case: tuple[str, int, str]
) -> None:
    text, line, typo = case
    path = tmp_path / "users.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path)
    except ConfigError as invalid:
        [diagnostic] = invalid.diagnostics
    else:
        raise AssertionError("a mistyped key was accepted")
    assert (diagnostic.file, diagnostic.line, diagnostic.col) == (str(path), line, 5)
    assert diagnostic.message.startswith(f"unknown key '{typo}' in user")


def test_the_installed_command_reports_and_exits_1() -> None:
    case = Path(__file__).parent / "invalid" / "many_errors_at_once.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "reconciler", "validate", str(case)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[-1] == "9 error(s) found."
    assert all(line.startswith(f"{case}:") for line in lines[:-1])
    assert done.stdout == ""


def test_the_installed_command_accepts_the_example() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "acme"
    done = subprocess.run(
        [sys.executable, "-m", "reconciler", "validate", str(example)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "valid (3 divisions, 10 groups, 46 users, 3 contact groups)" in done.stderr
