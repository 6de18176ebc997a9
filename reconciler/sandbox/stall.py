"""A stall for tests: the API stops answering at a chosen write, until released.

A test that kills or interrupts a client part way through must know where the cut lands, and
never race the client for it. Armed with N, the sandbox makes the Nth accepted write (a 2xx or
3xx answer to POST, PATCH, PUT or DELETE under the API) and then holds its answer, and the
answer of every API request after it, until released: a client killed meanwhile has had that
write made without hearing so (an answer lost), and nothing after it.
"""

from __future__ import annotations

import asyncio
from typing import Any


class Stall:
    """Counts accepted writes once armed; from the Nth on, answers wait for `release`."""

    def __init__(self) -> None:
        self.after_writes: int | None = None
        self.writes = 0
        self.held = 0
        self._open = asyncio.Event()
        self._open.set()

    @property
    def stalled(self) -> bool:
        return not self._open.is_set()

    def arm(self, after_writes: int) -> None:
        if after_writes < 1:
            raise ValueError("after_writes counts writes from 1")
        self.release()
        self.after_writes = after_writes
        self.writes = 0

    def release(self) -> None:
        """Disarm, and let every held answer go."""
        self.after_writes = None
        self._open.set()

    async def before_answer(self, write: bool, status: int) -> None:
        """Called as an API answer starts; returns when that answer may go out."""
        counts = write and status < 400
        if counts and self.after_writes is not None and not self.stalled:
            self.writes += 1
            if self.writes >= self.after_writes:
                self._open.clear()
        if self.stalled:
            self.held += 1
            try:
                await self._open.wait()
            finally:
                self.held -= 1

    def as_json(self) -> dict[str, Any]:
        return {
            "after_writes": self.after_writes,
            "writes": self.writes,
            "stalled": self.stalled,
            "held": self.held,
        }
