"""Failures on demand, for testing clients: latency, 5xx answers, dropped connections, writes
that are applied and still reported as failed, early token expiry and 429 storms.

All off by default. Every random choice comes from one `random.Random(seed)`, drawn in request
order, so a failing run replays exactly with the same seed and the same requests. Concurrent
clients send their requests in an order no seed fixes, so a test whose verdict must not
depend on it uses a `script` instead: the Nth API request from the moment the script is given
fails as the script says (a dropped connection, a 5xx, a 429 or an expired token), whatever
request it is, and no other request fails unless a rate says so. A script with fewer faults
than a client's retry attempts can therefore never exhaust them.

A dropped connection is an exception raised after the response has started: under uvicorn the
server closes the socket and the client sees a transport error (no complete response); in
process (httpx.ASGITransport) the exception itself reaches the caller, since there is no socket
to close.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field, fields, replace
from enum import Enum
from typing import Any

SERVER_ERRORS = (500, 502, 503, 504)
# What a script may ask for, by the status the journal records: 0 is a dropped connection.
DROPPED, TOKEN_EXPIRED, STORMED = 0, 401, 429


class DroppedConnection(Exception):
    """The sandbox hung up on purpose (a fault); never a bug in the sandbox."""


class FaultKind(Enum):
    SERVER_ERROR = "server_error"
    DROP = "drop"
    STORM = "storm"
    TOKEN_EXPIRY = "token_expiry"


@dataclass(frozen=True, slots=True)
class FaultConfig:
    """What can go wrong, and how often. Rates are probabilities per API request (0..1)."""

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    fault_rate: float = 0.0  # share of API requests that fail with a 5xx or a dropped connection
    drop_share: float = 0.25  # of those failures, the share that drops the connection
    applied_share: float = 0.5  # of failed writes, the share applied before failing
    token_ttl_s: float | None = None  # tokens die this long after issue (Zoom: 3600)
    storm_rate: float = 0.0  # share of API requests answered 429 regardless of budget
    storm_until: float = 0.0  # sandbox-clock time until which every API request gets 429
    # API request number (1 = the first after the script is given) -> the status it fails with
    script: dict[int, int] = field(default_factory=dict)

    def updated(self, changes: dict[str, Any]) -> FaultConfig:
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        if "script" in changes:
            changes = {**changes, "script": _script(changes["script"])}
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _script(script: Any) -> dict[int, int]:
    """`{"12": 0, "40": 503}` (JSON keys are strings), checked: numbers from 1, known statuses."""
    if not isinstance(script, dict):
        raise ValueError("script: a mapping of request numbers to statuses")
    allowed = {DROPPED, TOKEN_EXPIRED, STORMED, *SERVER_ERRORS}
    checked: dict[int, int] = {}
    for number, status in script.items():
        if not str(number).isdigit() or int(number) < 1 or status not in allowed:
            raise ValueError(
                f"script: {number!r}: {status!r}: request numbers count from 1, and a status is "
                f"one of {', '.join(map(str, sorted(allowed)))} (0: a dropped connection)"
            )
        checked[int(number)] = int(status)
    return checked


@dataclass(frozen=True, slots=True)
class Fault:
    kind: FaultKind
    status: int = 0
    applied: bool = False  # the write happens before the failure is reported


class FaultInjector:
    """Draws the fault (if any) for each request from the seeded generator."""

    def __init__(self, config: FaultConfig, seed: int | None) -> None:
        self.config = config
        self.requests = 0  # API requests drawn for since the script was given
        self.reseed(seed)

    def configure(self, changes: dict[str, Any]) -> None:
        self.config = self.config.updated(changes)
        if "script" in changes:
            self.requests = 0

    def reseed(self, seed: int | None) -> None:
        self.seed = seed
        self._rng = random.Random(seed)

    def delay_s(self) -> float:
        c = self.config
        if not c.latency_ms and not c.jitter_ms:
            return 0.0
        jitter = self._rng.uniform(0, c.jitter_ms) if c.jitter_ms else 0.0
        return (c.latency_ms + jitter) / 1000

    def draw(self, *, write: bool, now: float) -> Fault | None:
        c = self.config
        self.requests += 1
        scripted = c.script.get(self.requests)
        if scripted is not None:
            return self._scripted(scripted, write=write)
        if now < c.storm_until:
            return Fault(FaultKind.STORM, 429)
        if c.storm_rate and self._rng.random() < c.storm_rate:
            return Fault(FaultKind.STORM, 429)
        if not c.fault_rate or self._rng.random() >= c.fault_rate:
            return None
        applied = write and self._rng.random() < c.applied_share
        if self._rng.random() < c.drop_share:
            return Fault(FaultKind.DROP, applied=applied)
        return Fault(FaultKind.SERVER_ERROR, self._rng.choice(SERVER_ERRORS), applied=applied)

    def _scripted(self, status: int, *, write: bool) -> Fault:
        """The script's fault; a failed write is applied by `applied_share`, one draw per fault."""
        if status == STORMED:
            return Fault(FaultKind.STORM, status)
        if status == TOKEN_EXPIRED:
            return Fault(FaultKind.TOKEN_EXPIRY, status)
        applied = self._rng.random() < self.config.applied_share and write
        if status == DROPPED:
            return Fault(FaultKind.DROP, applied=applied)
        return Fault(FaultKind.SERVER_ERROR, status, applied=applied)
