"""An endpoint's own limit (POST /users/features: one request every 10 seconds): the client
spaces its requests by it, measured from when each was sent, and a 429 from it pauses that
endpoint only, never its whole category."""

from __future__ import annotations

import asyncio

from reconciler.catalog import ENDPOINTS, Category, Operation, RequestRate, Tier
from reconciler.zoom.ratelimit import RateLimitHeaders, Scheduler
from tests.zoom.fakes import FakeClock

BULK = "update users' features"


def _scheduler(clock: FakeClock) -> Scheduler:
    return Scheduler(tier=Tier.PRO, clock=clock, wall_clock=clock.wall, sleep=clock.sleep)


def test_the_catalog_gives_the_bulk_licence_call_its_own_rate() -> None:
    assert ENDPOINTS[Operation.UPDATE_USERS_FEATURES].own_rate == RequestRate(1, 10.0)


def test_turns_are_spaced_from_when_each_request_was_sent() -> None:
    clock = FakeClock()
    scheduler = _scheduler(clock)
    limit = RequestRate(1, 10.0)

    async def send_three() -> list[float]:
        sent = []
        for delay in (0.0, 3.0, 0.0):
            async with scheduler.endpoint_turn(BULK, limit):
                await clock.sleep(delay)  # the category's own pacing held this one back
                scheduler.endpoint_sent(BULK)
                sent.append(clock())
        return sent

    sent = asyncio.run(send_three())
    interval = 10.0 / scheduler.headroom - 1e-9  # float rounding
    assert sent[1] - sent[0] >= interval
    assert sent[2] - sent[1] >= interval


def test_a_429_from_the_endpoint_pauses_it_alone() -> None:
    clock = FakeClock()
    scheduler = _scheduler(clock)
    limit = RequestRate(1, 10.0)
    scheduler.endpoint_sent(BULK)
    wait = scheduler.endpoint_throttled(BULK, limit, RateLimitHeaders(retry_after=4.0))
    assert wait == 4.0

    async def next_turn() -> float:
        async with scheduler.endpoint_turn(BULK, limit):
            return clock()

    start = clock()
    medium = asyncio.run(scheduler.acquire(Category.MEDIUM))
    assert medium == start  # the category goes on at once
    assert asyncio.run(next_turn()) - start >= 4.0
