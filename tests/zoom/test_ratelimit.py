"""The pacer on an injected clock: budgets per category, adaptation, Retry-After parsing."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.zoom import TIER_BUDGETS, Category, DailyLimitReached, Scheduler, Tier
from reconciler.zoom.ratelimit import (
    CategoryPacer,
    LimitKind,
    RateLimitHeaders,
    next_utc_midnight,
    parse_rate_limit_headers,
    parse_retry_after,
)
from tests.zoom.fakes import FakeClock

NOW = datetime(2026, 3, 4, 12, 0, 0, tzinfo=UTC)


def most_in_any_second(times: list[float]) -> int:
    """The largest number of times inside any half-open one-second window."""
    ordered = sorted(times)
    best = 0
    for i, start in enumerate(ordered):
        inside = [t for t in ordered[i:] if t < start + 1.0 - 1e-9]
        best = max(best, len(inside))
    return best


def scheduler(clock: FakeClock, tier: Tier = Tier.PRO, headroom: float = 1.0) -> Scheduler:
    return Scheduler(
        tier=tier,
        headroom=headroom,
        clock=clock,
        wall_clock=clock.wall,
        sleep=clock.sleep,
        rng=random.Random(1),
    )


@pytest.mark.parametrize("tier", list(Tier))
@pytest.mark.parametrize("category", [Category.LIGHT, Category.MEDIUM, Category.HEAVY])
def test_each_category_gets_its_tier_budget_per_second_and_no_more(
    tier: Tier, category: Category
) -> None:
    clock = FakeClock()
    pacing = scheduler(clock, tier)
    budget = int(TIER_BUDGETS[tier][category].per_second)

    async def burst() -> list[float]:
        return list(await asyncio.gather(*(pacing.acquire(category) for _ in range(budget * 3))))

    slots = asyncio.run(burst())
    assert most_in_any_second(slots) == budget
    # ...and the budget is used: three seconds' worth goes out in three seconds.
    assert max(slots) - min(slots) < 3.0


def test_categories_do_not_share_a_bucket() -> None:
    clock = FakeClock()
    pacing = scheduler(clock)

    async def both() -> tuple[list[float], list[float]]:
        light = asyncio.gather(*(pacing.acquire(Category.LIGHT) for _ in range(30)))
        heavy = asyncio.gather(*(pacing.acquire(Category.HEAVY) for _ in range(10)))
        return list(await light), list(await heavy)

    light, heavy = asyncio.run(both())
    assert max(light) - min(light) < 1.0
    assert max(heavy) - min(heavy) < 1.0


def test_headroom_keeps_the_pace_under_the_budget() -> None:
    pacing = scheduler(FakeClock(), headroom=0.9)
    assert pacing.rate(Category.LIGHT) == pytest.approx(27.0)
    assert pacing.rate(Category.RESOURCE_INTENSIVE) == pytest.approx(0.9 * 10 / 60)


@settings(max_examples=60, deadline=None)
@given(
    rate=st.integers(min_value=1, max_value=80),
    burst=st.integers(min_value=1, max_value=5),
    arrivals=st.lists(
        st.floats(min_value=0, max_value=5, allow_nan=False), min_size=1, max_size=120
    ),
)
def test_no_window_ever_exceeds_rate_plus_burst(
    rate: int, burst: int, arrivals: list[float]
) -> None:
    pacer = CategoryPacer(rate=float(rate), burst=burst)
    slots = [pacer.reserve(now) for now in sorted(arrivals)]
    assert all(slot >= now for slot, now in zip(slots, sorted(arrivals), strict=True))
    assert most_in_any_second(slots) <= rate + burst - 1


def test_a_throttled_category_pauses_then_runs_at_half_speed_and_recovers() -> None:
    pacer = CategoryPacer(rate=20.0)
    pacer.throttled(now=100.0, wait=2.0)
    assert pacer.reserve(100.0) == pytest.approx(102.0)
    assert pacer.effective_rate(102.0) == pytest.approx(10.0)
    assert pacer.effective_rate(104.5) == pytest.approx(15.0)
    assert pacer.effective_rate(107.0) == pytest.approx(20.0)
    pacer.throttled(now=102.5, wait=1.0)
    pacer.throttled(now=103.5, wait=1.0)
    assert pacer.effective_rate(104.5) < 5.0


def test_429s_to_requests_already_in_flight_slow_the_category_once() -> None:
    pacer = CategoryPacer(rate=20.0)
    pacer.throttled(now=100.0, wait=1.0)
    for arrived in (100.1, 100.2, 100.3):  # sent before the first 429 came back
        pacer.throttled(now=arrived, wait=1.0)
    assert pacer.reserve(100.3) == pytest.approx(101.3)  # the pause follows the latest 429
    assert pacer.effective_rate(101.3) == pytest.approx(10.0)  # but one halving, not four
    pacer.throttled(now=101.5, wait=1.0)  # after the pause: a new overload, slower again
    assert pacer.effective_rate(102.5) == pytest.approx(20.0 * 0.52 * 0.5)


def test_remaining_zero_on_a_per_second_counter_pauses_a_second() -> None:
    pacer = CategoryPacer(rate=30.0)
    pacer.observe(50.0, RateLimitHeaders(kind=LimitKind.PER_SECOND, limit=30, remaining=0), 30)
    assert pacer.reserve(50.0) == pytest.approx(51.0)


def test_a_lower_reported_limit_lowers_the_pace() -> None:
    pacer = CategoryPacer(rate=80.0, headroom=1.0)
    pacer.observe(0.0, RateLimitHeaders(limit=20, remaining=15), 80)
    assert pacer.effective_rate(0.0) == pytest.approx(20.0)


def test_daily_counters_are_recorded_not_used_for_pacing() -> None:
    pacer = CategoryPacer(rate=30.0)
    pacer.observe(0.0, RateLimitHeaders(limit=6000, remaining=5893), 30)
    assert pacer.daily_remaining == 5893
    assert pacer.effective_rate(0.0) == pytest.approx(30.0)
    assert pacer.reserve(0.0) == 0.0


def test_a_limit_too_far_away_raises_and_keeps_raising_without_waiting() -> None:
    clock = FakeClock()
    pacing = scheduler(clock)
    with pytest.raises(DailyLimitReached):
        pacing.throttled(Category.LIGHT, RateLimitHeaders(retry_after=3600.0))

    with pytest.raises(DailyLimitReached, match="Light"):
        asyncio.run(pacing.acquire(Category.LIGHT))
    assert clock.slept == []
    clock.now += 3601
    asyncio.run(pacing.acquire(Category.LIGHT))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        (" 0 ", 0.0),
        ("1.5", 1.5),
        ("2026-03-04T12:00:30Z", 30.0),
        ("2026-03-04T12:01:00+00:00", 60.0),
        ("2026-03-04T12:00:10", 10.0),
        ("Wed, 04 Mar 2026 12:00:05 GMT", 5.0),
        ("2026-03-04T11:00:00Z", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_in_every_form(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, NOW) == expected


def test_rate_limit_headers_are_read_case_insensitively_and_tolerate_gaps() -> None:
    headers = parse_rate_limit_headers(
        {
            "x-ratelimit-category": "Heavy",
            "x-ratelimit-type": "Daily-limit",
            "x-ratelimit-limit": "30000",
            "x-ratelimit-remaining": "0",
            "retry-after": "2026-03-05T00:00:00Z",
        },
        NOW,
    )
    assert headers.category is Category.HEAVY
    assert headers.kind is LimitKind.DAILY
    assert headers.is_daily
    assert (headers.limit, headers.remaining) == (30000, 0)
    assert headers.retry_after == pytest.approx(12 * 3600)

    bare = parse_rate_limit_headers({"x-ratelimit-limit": "n/a"}, NOW, message="per-second")
    assert bare == RateLimitHeaders()
    assert parse_rate_limit_headers({}, NOW, message="maximum daily rate limit").is_daily


def test_next_midnight_is_in_utc() -> None:
    assert next_utc_midnight(NOW) == datetime(2026, 3, 5, tzinfo=UTC)
