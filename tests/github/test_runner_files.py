"""Step outputs and workflow commands: what a value can and cannot do to the runner."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reconciler.github.runner_files import (
    SUMMARY_LIMIT_BYTES,
    RunnerFiles,
    output_block,
    workflow_command,
)
from tests.github.action_runner import parse_output_file

HOSTILE = "line one\nEOF\nfailure_reason=none\nexitcode<<X\n0\nX\nghadelimiter_\n"


def test_a_multi_line_value_cannot_inject_outputs(tmp_path: Path) -> None:
    files = RunnerFiles(output_path=tmp_path / "out")
    files.set_outputs({"plan": HOSTILE, "exitcode": "2"})
    parsed = parse_output_file((tmp_path / "out").read_text(encoding="utf-8"))
    assert parsed == {"plan": HOSTILE, "exitcode": "2"}


def test_delimiters_are_fresh_each_time() -> None:
    first, second = output_block("a", "x"), output_block("a", "x")
    assert first.split("\n")[0] != second.split("\n")[0]
    assert first.startswith("a<<ghadelimiter_")


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=200))
def test_any_value_round_trips(value: str) -> None:
    value = value.replace("\r", "")
    assert parse_output_file(output_block("v", value)) == {"v": value}


def test_workflow_commands_escape_newlines_and_property_separators() -> None:
    line = workflow_command(
        "error", "50% bad\nnext: line", {"file": "a,b:c.yaml", "line": 3, "col": None}
    )
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3::50%25 bad%0Anext: line"
    assert "\n" not in line


def test_an_oversized_summary_is_refused_not_written(tmp_path: Path) -> None:
    files = RunnerFiles(summary_path=tmp_path / "summary")
    files.write_summary("fits\n")
    try:
        files.write_summary("x" * (SUMMARY_LIMIT_BYTES + 1))
    except ValueError:
        pass
    else:
        raise AssertionError("a summary over 1 MiB must not be written")
    assert (tmp_path / "summary").read_text(encoding="utf-8") == "fits\n"


def test_without_a_runner_nothing_is_written(tmp_path: Path) -> None:
    RunnerFiles().set_outputs({"a": "b"})
    RunnerFiles().write_summary("x")
    assert list(tmp_path.iterdir()) == []
