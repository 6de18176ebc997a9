"""Progress of a read, as events: the reader never prints, the command line renders them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from reconciler.live.reads import ReadKind
from reconciler.zoom import ENDPOINTS


@dataclass(frozen=True)
class ReadProgress:
    """Where one kind of read stands after a call finished.

    `total` is the number of calls expected, or None while a listing is still paging (Zoom
    says how many pages only as it goes); `items` counts the objects read so far.
    """

    kind: ReadKind
    calls: int
    total: int | None
    items: int
    finished: bool
    unavailable: str | None = None
    """Zoom's reason when it refused this kind of read to the account (a free plan)."""


ProgressCallback = Callable[[ReadProgress], None]


@dataclass
class ReadReport:
    """What a read cost, per kind: calls made and objects read."""

    calls: Counter[ReadKind] = field(default_factory=Counter)
    items: Counter[ReadKind] = field(default_factory=Counter)
    expected: Counter[ReadKind] = field(default_factory=Counter)
    """Calls announced for the per-object kinds (the listings cannot know theirs upfront)."""
    open_listings: Counter[ReadKind] = field(default_factory=Counter)
    unavailable: dict[ReadKind, str] = field(default_factory=dict)
    """Reads Zoom refused to this account's plan and the request let go, with Zoom's message."""

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def calls_by_category(self) -> dict[str, int]:
        """Calls made per rate-limit category, keyed `light`, `medium`, ... as plans count them."""
        counted: Counter[str] = Counter()
        for kind, calls in self.calls.items():
            counted[ENDPOINTS[kind.operation].category.value.lower()] += calls
        return dict(sorted(counted.items()))


class ProgressTracker:
    """Counts calls and items per kind and tells the callback after each one."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self.report = ReadReport()

    def expect(self, kind: ReadKind, calls: int) -> None:
        """Announce `calls` more per-object calls of this kind."""
        self.report.expected[kind] += calls
        self._emit(kind)

    def listing_started(self, kind: ReadKind) -> None:
        self.report.open_listings[kind] += 1
        self._emit(kind)

    def listing_done(self, kind: ReadKind) -> None:
        self.report.open_listings[kind] -= 1
        self._emit(kind)

    def unavailable(self, kind: ReadKind, message: str) -> None:
        """Zoom refused this kind of read to the account; the read goes on without it."""
        self.report.calls[kind] += 1
        self.report.unavailable[kind] = message
        self._emit(kind)

    def called(self, kind: ReadKind, items: int = 0) -> None:
        self.report.calls[kind] += 1
        self.report.items[kind] += items
        self._emit(kind)

    def _emit(self, kind: ReadKind) -> None:
        if self._callback is None:
            return
        report = self.report
        listing = report.open_listings[kind] > 0
        total = None if listing else report.expected.get(kind) or report.calls[kind]
        self._callback(
            ReadProgress(
                kind=kind,
                calls=report.calls[kind],
                total=total,
                items=report.items[kind],
                finished=not listing and report.calls[kind] >= report.expected[kind],
                unavailable=report.unavailable.get(kind),
            )
        )
