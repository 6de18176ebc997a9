"""The read's progress on stderr: bars on a terminal, plain lines in CI, nothing when quiet."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from reconciler.cli.console import Output
from reconciler.cli.read_progress import ReadProgressDisplay
from reconciler.live import ReadKind, ReadProgress


def _screen(
    monkeypatch: pytest.MonkeyPatch, *, terminal: bool, quiet: bool = False
) -> tuple[Output, io.StringIO]:
    """An `Output` whose stderr is a string: a terminal outside CI, or a CI log."""
    if terminal:
        monkeypatch.delenv("CI", raising=False)
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    else:
        monkeypatch.setenv("CI", "true")
    out = Output(quiet=quiet)
    screen = io.StringIO()
    out.err = Console(file=screen, force_terminal=terminal, width=200)
    return out, screen


def test_progress_on_a_terminal_draws_bars_per_kind_of_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, screen = _screen(monkeypatch, terminal=True)
    with ReadProgressDisplay(out) as show:
        assert show.bars is not None
        show(ReadProgress(ReadKind.USERS, calls=1, total=None, items=300, finished=False))
        show(ReadProgress(ReadKind.GROUP_SETTINGS, calls=3, total=8, items=3, finished=False))
        show(ReadProgress(ReadKind.USERS, calls=4, total=4, items=1000, finished=True))
        tasks = {task.description: task for task in show.bars.tasks}
    assert tasks["users"].completed == 4
    assert tasks["users"].total == 4
    assert tasks["users"].fields["items"] == 1000
    assert tasks["group settings"].total == 8
    assert "Reading users" in screen.getvalue()


def test_a_kind_zoom_refuses_is_a_warning_line_not_a_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    out, screen = _screen(monkeypatch, terminal=True)
    refused = "Only available for paid account: abc"
    with ReadProgressDisplay(out) as show:
        assert show.bars is not None
        event = ReadProgress(
            ReadKind.GROUPS, calls=1, total=1, items=0, finished=True, unavailable=refused
        )
        show(event)
        show(event)
        assert not show.bars.tasks
    text = screen.getvalue()
    assert text.count("Warning: groups not read: Zoom answered") == 1
    assert refused in text


def test_in_ci_each_kind_is_one_plain_line_when_it_finishes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, screen = _screen(monkeypatch, terminal=False)
    with ReadProgressDisplay(out) as show:
        assert show.bars is None
        show(ReadProgress(ReadKind.USERS, calls=1, total=None, items=300, finished=False))
        show(ReadProgress(ReadKind.USERS, calls=2, total=2, items=301, finished=True))
        show(ReadProgress(ReadKind.GROUP_ADMINS, calls=5, total=5, items=7, finished=True))
        show(ReadProgress(ReadKind.USERS, calls=2, total=2, items=301, finished=True))
    assert screen.getvalue().splitlines() == [
        "read users: 301 in 2 calls",
        "read group admins: 5 calls",
    ]


def test_quiet_shows_no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    out, screen = _screen(monkeypatch, terminal=False, quiet=True)
    with ReadProgressDisplay(out) as show:
        show(ReadProgress(ReadKind.USERS, calls=2, total=2, items=301, finished=True))
    assert screen.getvalue() == ""


def test_in_ci_a_long_read_says_how_far_it_got_every_tenth(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, screen = _screen(monkeypatch, terminal=False)
    with ReadProgressDisplay(out) as show:
        show(ReadProgress(ReadKind.USER_DETAILS, calls=0, total=1000, items=0, finished=False))
        for calls in range(1, 1001):
            finished = calls == 1000
            show(ReadProgress(ReadKind.USER_DETAILS, calls, 1000, calls, finished=finished))
        for calls in range(1, 11):  # a short kind: only its finished line
            show(ReadProgress(ReadKind.GROUP_ADMINS, calls, 10, calls, finished=calls == 10))
    lines = screen.getvalue().splitlines()
    assert lines == [
        *(f"read user details: {n}/1000 calls" for n in range(100, 1000, 100)),
        "read user details: 1000 calls",
        "read group admins: 10 calls",
    ]
