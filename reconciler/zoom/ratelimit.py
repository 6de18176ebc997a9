"""Pacing requests to Zoom's per-account rate limits, one bucket per rate-limit category.

Zoom counts every call against the category of its endpoint (Light, Medium, Heavy,
Resource-intensive), per second and, on some plans, per day; the budget is shared with every
other app on the account. Each category gets a token bucket in its virtual-scheduling form
(GCRA): every request reserves the next free slot, so requests leave evenly spaced at the
tier's rate and never more than the budget in any one-second window. A 429 or a
`X-RateLimit-Remaining: 0` pauses the category and halves its rate for a while; a daily limit
whose reset is far away raises instead of sleeping for hours.

The pacer is pure arithmetic on an injected clock; `Scheduler` adds the waiting.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import Enum

from reconciler.catalog import TIER_BUDGETS, Budget, Category, RequestRate, Tier
from reconciler.zoom.errors import DailyLimitReached


class LimitKind(Enum):
    """Which counter a rate-limit header or a 429 talks about."""

    PER_SECOND = "QPS"
    DAILY = "Daily-limit"


# No per-second budget reaches this and no daily one falls below it, so a bare
# `X-RateLimit-Limit` says which counter it is even without `X-RateLimit-Type`.
_DAILY_LIMIT_FLOOR = 1_000

# After a 429 the category runs at half its rate, then recovers linearly to full speed in five
# seconds: slow enough to make room for another app sharing the budget, quick enough that one
# stray 429 costs a couple of seconds of budget rather than ten.
_SLOWDOWN = 0.5
_MIN_FACTOR = 0.1
_RECOVERY_PER_SECOND = 0.1

# Without `Retry-After`, a per-second 429 waits about a second, plus up to this much jitter.
_FALLBACK_WAIT = 1.0
_FALLBACK_JITTER = 1.0


@dataclass(frozen=True)
class RateLimitHeaders:
    """What a response said about rate limits; every field is optional because Zoom omits them."""

    category: Category | None = None
    kind: LimitKind | None = None
    limit: int | None = None
    remaining: int | None = None
    retry_after: float | None = None  # seconds from when the response arrived
    daily_message: bool = False  # the 429 body said "daily"

    @property
    def counter(self) -> LimitKind | None:
        """Which counter `limit`/`remaining` describe: the type header, else the limit's size."""
        if self.kind is not None:
            return self.kind
        if self.limit is None:
            return None
        return LimitKind.DAILY if self.limit >= _DAILY_LIMIT_FLOOR else LimitKind.PER_SECOND

    @property
    def is_daily(self) -> bool:
        return self.kind is LimitKind.DAILY or self.daily_message


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from `Retry-After`: delay seconds, an ISO-8601 time, or an HTTP date."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    when: datetime | None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def parse_rate_limit_headers(
    headers: Mapping[str, str], now: datetime, *, message: str = ""
) -> RateLimitHeaders:
    """Read `X-RateLimit-*` and `Retry-After` (keys lower-case), tolerating any of them missing."""
    category = Category.from_label(_lower(headers, "category"))
    kind = next((k for k in LimitKind if k.value.lower() == _lower(headers, "type")), None)
    return RateLimitHeaders(
        category=category,
        kind=kind,
        limit=_int_header(headers, "x-ratelimit-limit"),
        remaining=_int_header(headers, "x-ratelimit-remaining"),
        retry_after=parse_retry_after(headers.get("retry-after"), now),
        daily_message="daily" in message.lower(),
    )


def _lower(headers: Mapping[str, str], suffix: str) -> str:
    return headers.get(f"x-ratelimit-{suffix}", "").strip().lower()


def next_utc_midnight(now: datetime) -> datetime:
    """When Zoom's daily counters reset, used when a daily 429 carries no `Retry-After`."""
    return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass
class CategoryPacer:
    """One category's bucket: the next free slot, pauses, and the current slowdown.

    Times are seconds on the scheduler's monotonic clock. `burst` is how many requests may
    leave back to back after an idle spell; 1 spaces every request evenly.
    """

    rate: float
    burst: int = 1
    headroom: float = 1.0
    theoretical_arrival: float = -math.inf
    paused_until: float = -math.inf
    exhausted_until: float = -math.inf
    factor: float = 1.0
    slowed_at: float = -math.inf
    observed_limit: int | None = None
    daily_remaining: int | None = None

    def current_factor(self, now: float) -> float:
        """The slowdown after a 429, recovering linearly once the pause is over."""
        if self.factor >= 1.0:
            return 1.0
        recovered = self.factor + _RECOVERY_PER_SECOND * max(0.0, now - self.slowed_at)
        return min(1.0, recovered)

    def effective_rate(self, now: float) -> float:
        rate = self.rate
        if self.observed_limit is not None:
            rate = min(rate, self.observed_limit * self.headroom)
        return rate * self.current_factor(now)

    def reserve(self, now: float) -> float:
        """Claim the next free slot and return when it is; the caller waits until then."""
        interval = 1.0 / self.effective_rate(now)
        tolerance = (self.burst - 1) * interval
        slot = max(now, self.theoretical_arrival - tolerance, self.paused_until)
        self.theoretical_arrival = max(self.theoretical_arrival, slot) + interval
        return slot

    def pause(self, until: float) -> None:
        """Let nothing through before `until`; slots already handed out are pushed past it."""
        self.paused_until = max(self.paused_until, until)
        self.theoretical_arrival = max(self.theoretical_arrival, self.paused_until)

    def throttled(self, now: float, wait: float) -> None:
        """Zoom refused a request for this category: pause for `wait`, then go slower.

        429s that arrive while the category is already paused answer requests that were in
        flight when the first one came: the same overload, so they extend the pause but do not
        slow the category down again (a burst of them would otherwise leave it at a crawl).
        """
        if now >= self.paused_until:
            self.factor = max(_MIN_FACTOR, self.current_factor(now) * _SLOWDOWN)
        self.pause(now + wait)
        self.slowed_at = self.paused_until

    def observe(self, now: float, headers: RateLimitHeaders, per_second_budget: float) -> None:
        """Adapt to what Zoom reports: others may be using the same budget."""
        counter = headers.counter
        if counter is LimitKind.DAILY:
            self.daily_remaining = headers.remaining
            return
        if counter is LimitKind.PER_SECOND:
            if headers.limit is not None and headers.limit > 0:
                self.observed_limit = min(headers.limit, math.ceil(per_second_budget))
            if headers.remaining == 0:
                self.pause(now + 1.0)


Clock = Callable[[], float]
WallClock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Scheduler:
    """Paces every request by category on one tier's budgets, and adapts to Zoom's answers.

    `headroom` keeps the pace a little under the published budget, since latency jitter can
    bunch requests at Zoom's end. `max_wait` is the longest a 429 may make us wait before the
    run stops with `DailyLimitReached` instead.
    """

    tier: Tier = Tier.PRO
    headroom: float = 0.9
    max_wait: float = 60.0
    burst: int = 1
    clock: Clock = time.monotonic
    wall_clock: WallClock = _utc_now
    sleep: Sleep = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)
    pacers: dict[Category, CategoryPacer] = field(init=False)
    endpoint_locks: dict[str, asyncio.Lock] = field(init=False, default_factory=dict)
    endpoint_last: dict[str, float] = field(init=False, default_factory=dict)
    """Endpoints with a limit of their own: when each last sent a request (by operation)."""

    def __post_init__(self) -> None:
        self.pacers = {
            category: CategoryPacer(
                rate=budget.per_second * self.headroom, burst=self.burst, headroom=self.headroom
            )
            for category, budget in TIER_BUDGETS[self.tier].items()
        }

    def budget(self, category: Category) -> Budget:
        return TIER_BUDGETS[self.tier][category]

    def rate(self, category: Category) -> float:
        """Requests per second this category is paced at right now."""
        return self.pacers[category].effective_rate(self.clock())

    async def acquire(self, category: Category) -> float:
        """Wait for this category's next slot and return its time on the clock."""
        pacer = self.pacers[category]
        while True:
            now = self.clock()
            if now < pacer.exhausted_until:
                raise self._exhausted(category, pacer.exhausted_until - now)
            slot = pacer.reserve(now)
            if slot <= now:
                return slot
            await self.sleep(slot - now)
            # A 429 that arrived meanwhile moves the pause past this slot: queue again.
            if pacer.paused_until <= slot and pacer.exhausted_until <= self.clock():
                return slot

    @asynccontextmanager
    async def endpoint_turn(self, name: str, limit: RequestRate) -> AsyncIterator[None]:
        """One request at a time to an endpoint with a limit of its own (`Endpoint.own_rate`),
        each sent at least an interval (the limit's, at `headroom`) after the last was sent.

        Entered before the category's slot and outside the category's in-flight limit, so that
        the wait holds up nothing else of the category; the caller says when it sent
        (`endpoint_sent`), since the category's own pacing may have delayed it."""
        lock = self.endpoint_locks.setdefault(name, asyncio.Lock())
        interval = 1.0 / (limit.per_second * self.headroom)
        async with lock:
            while (wait := self.endpoint_last.get(name, -math.inf) + interval - self.clock()) > 0:
                await self.sleep(wait)
            yield

    def endpoint_sent(self, name: str) -> None:
        self.endpoint_last[name] = self.clock()

    def endpoint_throttled(self, name: str, limit: RequestRate, headers: RateLimitHeaders) -> float:
        """A 429 from an endpoint with its own limit: only that endpoint waits (`Retry-After`)."""
        wait = headers.retry_after
        if wait is None:
            wait = _FALLBACK_WAIT + self.rng.uniform(0.0, _FALLBACK_JITTER)
        # The next turn starts an interval after "last sent": make that `wait` from now.
        interval = 1.0 / (limit.per_second * self.headroom)
        self.endpoint_last[name] = self.clock() + wait - interval
        return wait

    def observe(self, category: Category, headers: RateLimitHeaders) -> None:
        """Take in the rate-limit headers of any answer."""
        self.pacers[category].observe(self.clock(), headers, self.budget(category).per_second)

    def throttled(self, category: Category, headers: RateLimitHeaders) -> float:
        """Record a 429 and return how long the category now waits.

        Raises DailyLimitReached when the limit resets too far away to wait for: a daily
        429's `Retry-After`, or the next 00:00 UTC when Zoom sent none.
        """
        now = self.clock()
        pacer = self.pacers[category]
        wait = headers.retry_after
        if wait is None and headers.is_daily:
            wall = self.wall_clock()
            wait = (next_utc_midnight(wall) - wall).total_seconds()
        if wait is None:
            wait = _FALLBACK_WAIT + self.rng.uniform(0.0, _FALLBACK_JITTER)
        if wait > self.max_wait:
            pacer.exhausted_until = max(pacer.exhausted_until, now + wait)
            raise self._exhausted(category, wait)
        pacer.throttled(now, wait)
        return wait

    def _exhausted(self, category: Category, wait: float) -> DailyLimitReached:
        resets_at = self.wall_clock() + timedelta(seconds=wait)
        return DailyLimitReached(category=category.label, resets_at=resets_at)
