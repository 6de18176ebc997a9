"""`export --out DIR`: read the whole account and write it as configuration files.

The read shows its progress: bars on a terminal, and a plain line per finished kind of read
in CI or a pipe, so a long read of a large account is never silent.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from types import TracebackType

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from reconciler.cli.console import Output, in_ci
from reconciler.cli.plan_apply import Where, open_zoom
from reconciler.export import check_export_directory, write_export
from reconciler.live import ReadKind, ReadProgress, ReadReport, ReadRequest, read_live_state
from reconciler.model.live import LiveState


class ReadProgressDisplay:
    """Renders `ReadProgress` events on stderr; nothing at all with `--quiet`."""

    def __init__(self, out: Output) -> None:
        self.out = out
        self.reported: set[ReadKind] = set()
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
        if self.bars is not None:
            self._update_bar(self.bars, event)
        elif event.finished and event.calls and event.kind not in self.reported:
            self.reported.add(event.kind)
            self.out.info(_finished_line(event))

    def _update_bar(self, bars: Progress, event: ReadProgress) -> None:
        if event.kind not in self.tasks:
            self.tasks[event.kind] = bars.add_task(event.kind.value, total=None, items=0)
        bars.update(
            self.tasks[event.kind], completed=event.calls, total=event.total, items=event.items
        )


def _count(number: int, one: str) -> str:
    return f"{number} {one}" if number == 1 else f"{number} {one}s"


def _finished_line(event: ReadProgress) -> str:
    """`read users: 10000 in 34 calls`; `read group settings: 800 calls`."""
    calls = _count(event.calls, "call")
    if event.kind.is_listing:
        return f"read {event.kind.value}: {event.items} in {calls}"
    return f"read {event.kind.value}: {calls}"


async def read_everything(where: Where, out: Output) -> tuple[LiveState, ReadReport]:
    """The whole account, as export needs it, with progress on stderr."""
    async with open_zoom(where, out) as zoom:
        with ReadProgressDisplay(out) as progress:
            return await read_live_state(zoom, ReadRequest.everything(), progress)


def export_command(
    out: Output,
    out_dir: Path,
    *,
    schema_url: str | None,
    sandbox: bool,
    sandbox_seed: Path | None,
) -> int:
    """Write the live account into `out_dir`; 0 when written, errors go to the handler."""
    check_export_directory(out_dir)
    started = time.monotonic()
    state, report = asyncio.run(read_everything(Where(sandbox, sandbox_seed), out))
    result = write_export(state, out_dir, schema_url)
    out.info(
        f"Read the account in {report.total_calls} API calls ({time.monotonic() - started:.1f} s)."
    )
    out.info(
        f"Wrote {len(result.files)} files to {out_dir}: {result.users} users, {result.groups}"
        " groups. Pending invitations and the account owner are noted in comments."
    )
    return 0
