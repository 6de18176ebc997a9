"""How a long read of the account shows on stderr, for `plan`, `apply` and `export` alike.

Bars on a terminal; in CI or a pipe, one plain line per finished kind of read, plus a line
every tenth of the way for a kind of many calls (reading 10,000 users one by one takes minutes),
so a read of a large account is never silent and a CI log stays short.
"""

from __future__ import annotations

from types import TracebackType

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from reconciler.cli.console import Output, in_ci
from reconciler.live import ReadKind, ReadProgress

LONG_READ_CALLS = 200
"""A kind of read with this many calls gets a plain line every tenth of the way."""


class ReadProgressDisplay:
    """Renders `ReadProgress` events on stderr; nothing at all with `--quiet`."""

    def __init__(self, out: Output) -> None:
        self.out = out
        self.reported: set[ReadKind] = set()
        self.next_line: dict[ReadKind, int] = {}
        self.tasks: dict[ReadKind, TaskID] = {}
        self.bars: Progress | None = None
        if not out.quiet and out.err.is_terminal and not in_ci():
            self.bars = Progress(
                TextColumn("Reading {task.description:<22}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("calls, {task.fields[items]} items"),
                console=out.err,
                transient=True,
            )

    def __enter__(self) -> ReadProgressDisplay:
        if self.bars is not None:
            self.bars.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.bars is not None:
            self.bars.stop()

    def __call__(self, event: ReadProgress) -> None:
        if event.unavailable is not None:
            if event.kind not in self.reported:
                self.reported.add(event.kind)
                self.out.info(f"Warning: {unavailable_line(event.kind, event.unavailable)}")
            return
        if self.bars is not None:
            self._update_bar(self.bars, event)
        elif event.finished and event.calls and event.kind not in self.reported:
            self.reported.add(event.kind)
            self.out.info(finished_line(event))
        elif not event.finished and event.total and event.total >= LONG_READ_CALLS:
            self._tenth_line(event, event.total)

    def _tenth_line(self, event: ReadProgress, total: int) -> None:
        step = total // 10
        due = self.next_line.setdefault(event.kind, step)
        if event.calls >= due:
            self.next_line[event.kind] = event.calls - event.calls % step + step
            self.out.info(f"read {event.kind.value}: {event.calls}/{total} calls")

    def _update_bar(self, bars: Progress, event: ReadProgress) -> None:
        if event.kind not in self.tasks:
            self.tasks[event.kind] = bars.add_task(event.kind.value, total=None, items=0)
        bars.update(
            self.tasks[event.kind], completed=event.calls, total=event.total, items=event.items
        )


def _count(number: int, one: str) -> str:
    return f"{number} {one}" if number == 1 else f"{number} {one}s"


def finished_line(event: ReadProgress) -> str:
    """`read users: 10000 in 34 calls`; `read group settings: 800 calls`."""
    calls = _count(event.calls, "call")
    if event.kind.is_listing:
        return f"read {event.kind.value}: {event.items} in {calls}"
    return f"read {event.kind.value}: {calls}"


def unavailable_line(kind: ReadKind, reason: str) -> str:
    """Why a kind of read was skipped, in Zoom's words."""
    return f"{kind.value} not read: Zoom answered {reason!r} ({kind.without_it})."
