"""What `apply` shows while it runs, and the report it prints at the end."""

from __future__ import annotations

import io
import sys

import pytest
from rich.console import Console

from reconciler.apply import ApplyReport, ChangeResult, Outcome
from reconciler.cli.console import Output
from reconciler.cli.plan_apply import ApplyProgress, confirm_apply
from reconciler.errors import ReconcilerError
from reconciler.plan.changes import GroupCreate
from reconciler.plan.plan import Plan


def _output(terminal: bool) -> tuple[Output, io.StringIO]:
    out = Output(color=False)
    buffer = io.StringIO()
    out.err = Console(
        file=buffer, force_terminal=terminal, width=100, highlight=False, no_color=True
    )
    return out, buffer


def _results(count: int, failed: int) -> list[ChangeResult]:
    return [
        ChangeResult(GroupCreate(name=f"G{i}"), Outcome.FAILED if i < failed else Outcome.DONE, "")
        for i in range(count)
    ]


def test_ci_gets_a_plain_line_every_tenth_of_the_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    out, buffer = _output(terminal=True)
    with ApplyProgress(out, 20) as progress:
        assert progress.bar is None
        for result in _results(20, failed=3):
            progress(result)
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[-1] == "apply: 20/20 changes settled: 17 done, 3 failed, 0 skipped"


def test_an_interrupted_run_shows_its_leftovers_as_skipped_not_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C settles every change left as skipped at once: the lines must not read as progress."""
    monkeypatch.setenv("CI", "true")
    out, buffer = _output(terminal=False)
    with ApplyProgress(out, 10) as progress:
        for result in _results(3, failed=0):
            progress(result)
        for i in range(7):
            progress(ChangeResult(GroupCreate(name=f"L{i}"), Outcome.SKIPPED, "not started"))
    lines = buffer.getvalue().splitlines()
    assert lines[2] == "apply: 3/10 changes settled: 3 done, 0 failed, 0 skipped"
    assert lines[-1] == "apply: 10/10 changes settled: 3 done, 0 failed, 7 skipped"


def test_a_terminal_gets_a_bar_and_no_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    out, buffer = _output(terminal=True)
    with ApplyProgress(out, 5) as progress:
        assert progress.bar is not None
        for result in _results(5, failed=1):
            progress(result)
        task = progress.bar.tasks[0]
        assert task.completed == 5
        assert task.fields["tally"] == "4 done, 1 failed, 0 skipped"
    assert "apply: " not in buffer.getvalue()


def test_the_report_lists_every_change_and_sums_up() -> None:
    report = ApplyReport(
        results=[
            ChangeResult(GroupCreate(name="A"), Outcome.DONE),
            ChangeResult(GroupCreate(name="B"), Outcome.FAILED, "HTTP 400 code 300: Invalid name"),
            ChangeResult(
                GroupCreate(name="C"), Outcome.SKIPPED, "needs group create B, which failed"
            ),
        ],
        calls=4,
        throttled=1,
        seconds=1.25,
    )
    assert report.text().splitlines() == [
        "done     group create A",
        "failed   group create B: HTTP 400 code 300: Invalid name",
        "skipped  group create C: needs group create B, which failed",
        "Apply: 1 done, 1 failed, 1 skipped (4 API calls, 1 throttled, 1.2 s).",
    ]
    assert not report.ok


class _Keyboard(io.StringIO):
    """Someone at a terminal, about to type an answer."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "applies"), [("yes\n", True), ("y\n", False), ("\n", False)])
def test_only_yes_at_the_prompt_applies(
    monkeypatch: pytest.MonkeyPatch, answer: str, applies: bool
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setattr(sys, "stdin", _Keyboard(answer))
    out, _ = _output(terminal=True)
    assert confirm_apply(Plan(changes=(GroupCreate(name="A"),)), False, out) is applies


def test_no_prompt_in_ci_even_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setattr(sys, "stdin", _Keyboard("yes\n"))
    out, _ = _output(terminal=True)
    with pytest.raises(ReconcilerError, match="--auto-approve"):
        confirm_apply(Plan(changes=(GroupCreate(name="A"),)), False, out)
    assert confirm_apply(Plan(), True, out) is True
