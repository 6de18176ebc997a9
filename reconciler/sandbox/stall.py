"""A stall for tests: the API stops at a chosen write, until released.

A test that kills or interrupts a client part way through must know where the cut lands, and
never race the client for it. Armed with N, the sandbox makes the Nth accepted write (a 2xx or
3xx answer to POST, PATCH, PUT or DELETE under the API) and then holds its answer until
released: a client killed meanwhile has had that write made without hearing so (an answer
lost), and nothing after it. Nothing after it, whatever the machine's speed: while armed, the
API handles one request at a time (`turn`), so a request the client sent concurrently with
the Nth write waits its turn, and once the cut is made it is never handled; on release it is
dropped unanswered, so nothing a dead client sent lands during the test's next run.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any


class Stall:
    """Counts accepted writes once armed; from the Nth on, nothing more is made until `release`."""

    def __init__(self) -> None:
        self.after_writes: int | None = None
        self.writes = 0
        self.held = 0
        self.waiting = 0
        """Requests waiting for their turn (behind a held answer, say)."""
        self.cuts = 0
        """How many times the stall has closed: a request that waited across a cut is after it."""
        self._open = asyncio.Event()
        self._open.set()
        self._turn = asyncio.Lock()

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
        """Disarm, and let every held answer go (and every request held before its turn, unmade)."""
        self.after_writes = None
        self._open.set()

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[bool]:
        """An API request's turn: yields whether to handle it (False: it came after the cut).

        Unarmed, every request is handled at once. Armed (or stalled), one at a time: the
        request holding the Nth write keeps its turn while its answer is held, so the ones
        behind it wait, and are told to drop once it is released."""
        if self.after_writes is None and not self.stalled:
            yield True
            return
        cuts = self.cuts
        after_cut = self.stalled
        self.waiting += 1
        try:
            await self._turn.acquire()
        finally:
            self.waiting -= 1
        try:
            yield not after_cut and self.cuts == cuts
        finally:
            self._turn.release()

    async def before_answer(self, write: bool, status: int) -> None:
        """Called as an API answer starts; returns when that answer may go out."""
        counts = write and status < 400
        if counts and self.after_writes is not None and not self.stalled:
            self.writes += 1
            if self.writes >= self.after_writes:
                self.cuts += 1
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
            "waiting": self.waiting,
        }
