"""The client's hard cases against the sandbox served over real HTTP (uvicorn, a real socket).

Each test checks the sandbox's journal too: the failure really happened on the wire, and the
client's answer to it (one refresh, one request per create, no lost read) is what Zoom saw.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from reconciler.live import LiveReader, ReadKind, ReadProgress, ReadRequest
from reconciler.model.live import LiveState
from reconciler.sandbox import ServerInfo
from reconciler.zoom import (
    AmbiguousWriteError,
    Category,
    RetryPolicy,
    Scheduler,
    Tier,
    ZoomAPIError,
    ZoomClient,
)
from reconciler.zoom.ratelimit import CategoryPacer
from tests.live.support import http_client, seed_server

pytestmark = pytest.mark.anyio

# Real backoff, scaled down: the waits are real sleeps.
QUICK = RetryPolicy(attempts=8, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01)
# Three dropped connections and four 5xx, from the first requests to the last of a read of
# some fifty: seven faults, so even a call that met every one succeeds at its eighth attempt.
FAULTS_FEWER_THAN_ATTEMPTS = {"2": 0, "3": 503, "4": 0, "20": 500, "21": 502, "40": 0, "41": 504}
assert len(FAULTS_FEWER_THAN_ATTEMPTS) < QUICK.attempts


def _control(server: ServerInfo, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(f"{server.root_url}/_sandbox/{path}", json=body, timeout=10)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _journal(server: ServerInfo) -> list[dict[str, Any]]:
    """The API requests the sandbox answered (token requests left out)."""
    response = httpx.get(f"{server.root_url}/_sandbox/journal", timeout=10)
    assert response.status_code == 200
    entries: list[dict[str, Any]] = response.json()["entries"]
    return [entry for entry in entries if entry["path"].startswith("/v2/")]


def _seed_account(server: ServerInfo, users: int = 700, groups: int = 6) -> None:
    generate = {"users": users, "groups": groups, "divisions": 3, "seed": 4}
    seed_server(server, {"generate": generate})


async def _read(client: ZoomClient, on_progress: Any = None) -> LiveState:
    return await LiveReader(client, on_progress).read(ReadRequest.everything())


async def _clean_read(server: ServerInfo) -> LiveState:
    async with http_client(server) as client:
        return await _read(client)


async def test_a_token_that_expires_mid_read_is_renewed_once_and_nothing_is_lost(
    sandbox_server: ServerInfo,
) -> None:
    _seed_account(sandbox_server)
    clean = await _clean_read(sandbox_server)
    _control(sandbox_server, "config", {"faults": {"token_ttl_s": 60}})
    expired = False

    def expire_after_the_first_page(event: ReadProgress) -> None:
        nonlocal expired
        if event.kind is ReadKind.USERS and event.calls == 1 and not expired:
            expired = True
            _control(sandbox_server, "clock", {"advance": 61})

    httpx.delete(f"{sandbox_server.root_url}/_sandbox/journal", timeout=10)
    async with http_client(sandbox_server) as client:
        state = await _read(client, expire_after_the_first_page)
        fetches = client.stats.token_fetches
        calls = client.stats.total_calls
    entries = _journal(sandbox_server)
    assert expired
    assert state == clean
    assert fetches == 2  # one at the start, one when Zoom called it expired
    rejected = [e for e in entries if e["status"] == 401]
    assert rejected, "the token really expired mid-read"
    assert len(entries) == calls + len(rejected)  # each rejected request replayed once


async def test_divisions_own_expiry_code_is_renewed_too(sandbox_server: ServerInfo) -> None:
    _control(sandbox_server, "config", {"faults": {"token_ttl_s": 30}})
    async with http_client(sandbox_server) as client:
        before = await client.list_divisions()
        _control(sandbox_server, "clock", {"advance": 31})
        after = await client.list_divisions()
        fetches = client.stats.token_fetches
    assert before == after
    assert fetches == 2


async def test_a_429_storm_is_waited_out_without_losing_a_read(sandbox_server: ServerInfo) -> None:
    _seed_account(sandbox_server, users=400)
    clean = await _clean_read(sandbox_server)
    config = _control(
        sandbox_server, "config", {"rate_limits": True, "faults": {"storm_seconds": 1.5}}
    )
    storm_until = config["faults"]["storm_until"]
    httpx.delete(f"{sandbox_server.root_url}/_sandbox/journal", timeout=10)
    async with http_client(sandbox_server) as client:
        state = await _read(client)
        throttled = sum(client.stats.throttled.values())
        calls = client.stats.total_calls
    entries = _journal(sandbox_server)
    statuses = Counter(e["status"] for e in entries)
    assert state == clean
    assert statuses[429] == throttled >= 1
    # It waited for the storm, rather than failing: the read was answered only after it ended
    # (on the sandbox's clock, which the storm also runs on).
    assert statuses[200] >= 1
    assert all(e["time"] >= storm_until for e in entries if e["status"] == 200)
    # A 429 holds the whole category back: the storm costs a few requests, not one per call.
    assert throttled < calls


async def test_reads_survive_5xx_and_dropped_connections(sandbox_server: ServerInfo) -> None:
    _seed_account(sandbox_server, users=400)
    clean = await _clean_read(sandbox_server)
    # The reader's requests race each other, so which one is the Nth is not fixed; but there
    # are fewer faults than attempts, so none can exhaust a call's retries, whichever it hits.
    _control(sandbox_server, "config", {"faults": {"script": FAULTS_FEWER_THAN_ATTEMPTS}})
    httpx.delete(f"{sandbox_server.root_url}/_sandbox/journal", timeout=10)
    async with http_client(sandbox_server, QUICK) as client:
        state = await _read(client)
        retries = client.stats.retries
    statuses = Counter(e["status"] for e in _journal(sandbox_server))
    assert state == clean
    assert statuses[0] == 3, "connections were really dropped"
    assert sum(n for status, n in statuses.items() if status >= 500) == 4
    assert retries == statuses[0] + sum(n for s, n in statuses.items() if s >= 500)


async def test_ambiguous_creates_are_sent_once_and_re_reading_tells_what_happened(
    sandbox_server: ServerInfo,
) -> None:
    """Half the failed writes were applied anyway: only a re-read can tell which."""
    _control(
        sandbox_server,
        "config",
        {"faults": {"fault_rate": 0.5, "drop_share": 0.5, "applied_share": 0.5}, "random_seed": 2},
    )
    outcomes: dict[str, bool | None] = {}
    async with http_client(sandbox_server, QUICK) as client:
        for i in range(40):
            name = f"Team {i:02d}"
            try:
                await client.create_group(name)
                outcomes[name] = True
            except AmbiguousWriteError:
                outcomes[name] = None
        _control(sandbox_server, "config", {"faults": {"fault_rate": 0.0}})
        live = [group["name"] for group in await client.list_groups()]
    posts = [
        e for e in _journal(sandbox_server) if (e["method"], e["path"]) == ("POST", "/v2/groups")
    ]
    assert len(posts) == 40  # one request per create, never a blind second one
    assert len(live) == len(set(live))
    assert all(name in live for name, created in outcomes.items() if created)
    unknown = [name for name, created in outcomes.items() if created is None]
    applied = [name for name in unknown if name in live]
    assert applied, "some ambiguous creates were applied"
    assert len(applied) < len(unknown), "and some were not: only the re-read can tell"


async def test_an_ambiguous_member_add_is_not_repeated(sandbox_server: ServerInfo) -> None:
    seed_server(
        sandbox_server,
        {
            "version": 1,
            "groups": [{"name": "Developers"}],
            "users": [{"email": "a@acme.example", "role": "owner"}],
        },
    )
    async with http_client(sandbox_server, QUICK) as client:
        (group,) = await client.list_groups()
        (user,) = await client.list_users()
        _control(
            sandbox_server,
            "config",
            {"faults": {"fault_rate": 1.0, "applied_share": 1.0}, "random_seed": 1},
        )
        with pytest.raises(AmbiguousWriteError):
            await client.add_group_members(group["id"], [{"id": user["id"]}])
        _control(sandbox_server, "config", {"faults": {"fault_rate": 0.0}})
        members = await client.list_group_members(group["id"])
    adds = [e for e in _journal(sandbox_server) if e["method"] == "POST"]
    assert len(adds) == 1
    assert [m["email"] for m in members] == ["a@acme.example"]  # applied, once


async def test_a_page_token_that_expires_between_pages_is_zooms_error(
    sandbox_server: ServerInfo,
) -> None:
    seed_server(
        sandbox_server,
        {"version": 1, "users": [{"email": f"u{i:03d}@acme.example"} for i in range(301)]},
    )
    async with http_client(sandbox_server) as client:
        pages = client.pages(ReadKind.USERS.operation, params={"status": "active"})
        first = await anext(pages)
        _control(sandbox_server, "clock", {"advance": 16 * 60})
        with pytest.raises(ZoomAPIError) as expired:
            await anext(pages)
    assert len(first) == 300
    assert (expired.value.status, expired.value.code) == (400, 300)


@dataclass
class _RecordingPacer(CategoryPacer):
    """A category's pacer that notes every slot it hands out: when it was asked for, the pause
    then in force (`-inf` if none), and the slot."""

    reservations: list[tuple[float, float, float]] = field(default_factory=list)

    def reserve(self, now: float) -> float:
        paused_until = self.paused_until
        slot = super().reserve(now)
        self.reservations.append((now, paused_until, slot))
        return slot


@dataclass
class _RecordingScheduler(Scheduler):
    """The client's real scheduler (real clock, real sleeps), its pacing decisions on record."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.pacers = {
            category: _RecordingPacer(rate=pacer.rate, burst=pacer.burst, headroom=pacer.headroom)
            for category, pacer in self.pacers.items()
        }

    def reservations(self, category: Category) -> list[tuple[float, float, float]]:
        pacer = self.pacers[category]
        assert isinstance(pacer, _RecordingPacer)
        return pacer.reservations


async def test_concurrent_reads_fill_the_budget_without_a_429(sandbox_server: ServerInfo) -> None:
    """Rate limits on, the sandbox counting per second as Zoom does: pacing avoids every 429."""
    _seed_account(sandbox_server, users=50, groups=8)
    _control(sandbox_server, "config", {"rate_limits": True})
    scheduler = _RecordingScheduler(tier=Tier.PRO)
    async with http_client(sandbox_server, scheduler=scheduler) as client:
        groups = await client.list_groups()
        httpx.delete(f"{sandbox_server.root_url}/_sandbox/journal", timeout=10)
        (listed,) = scheduler.reservations(Category.MEDIUM)
        await asyncio.gather(*(client.get_group_settings(g["id"]) for g in groups * 5))
        throttled = client.stats.throttled[Category.MEDIUM]
        rate = scheduler.rate(Category.MEDIUM)
    reserved = scheduler.reservations(Category.MEDIUM)[1:]
    answers = [e for e in _journal(sandbox_server) if e["path"].endswith("/settings")]
    assert throttled == 0
    assert len(answers) == 40
    assert all(e["status"] == 200 for e in answers)
    # 40 Medium calls at 90% of Pro's 20 a second, and no 429 ever slowed that pace down...
    assert rate == 20 * 0.9
    assert len(reserved) >= 40
    # ...and each call got the earliest slot that pace allows: when it asked, or 1/18 s after
    # the slot before, or when a pause the sandbox asked for (X-RateLimit-Remaining: 0) ended,
    # whichever is latest. Never sooner (the budget), never later (filling it).
    interval = 1 / rate
    previous = listed[2]
    for asked, paused_until, slot in reserved:
        assert slot == max(asked, previous + interval, paused_until)
        previous = slot
