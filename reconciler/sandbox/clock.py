"""The sandbox's clock: wall time plus an offset that `/_sandbox/clock` advances.

Token expiry, page-token expiry and daily limits all read this clock, so tests can jump 15
minutes or a day ahead without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Clock:
    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self.offset = 0.0

    def __call__(self) -> float:
        return self._source() + self.offset

    def advance(self, seconds: float) -> float:
        self.offset += seconds
        return self()
