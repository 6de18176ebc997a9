"""A record of every request the sandbox answered, for tests and benchmarks to read back."""

from __future__ import annotations

from collections import deque
from typing import Any, NamedTuple

JOURNAL_LIMIT = 200_000


class Entry(NamedTuple):
    time: float
    method: str
    path: str
    category: str
    status: int  # 0 when the connection was dropped on purpose
    delay_s: float = 0.0  # latency injected before answering (faults latency_ms + jitter_ms)


class Journal:
    def __init__(self, limit: int = JOURNAL_LIMIT) -> None:
        self._entries: deque[Entry] = deque(maxlen=limit)
        self._dropped_before = 0

    def add(self, entry: Entry) -> None:
        if len(self._entries) == self._entries.maxlen:
            self._dropped_before += 1
        self._entries.append(entry)

    def clear(self) -> None:
        self._entries.clear()
        self._dropped_before = 0

    def __len__(self) -> int:
        return len(self._entries)

    def as_json(self, since: int = 0) -> dict[str, Any]:
        """Entries numbered from the first ever recorded; `since` skips the ones already read."""
        start = max(since - self._dropped_before, 0)
        entries = list(self._entries)[start:]
        first = self._dropped_before + start
        return {
            "next": first + len(entries),
            "entries": [{"seq": first + i, **entry._asdict()} for i, entry in enumerate(entries)],
        }
