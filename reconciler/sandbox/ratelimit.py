"""Zoom's rate limits: per-account budgets by category and plan, daily caps, headers and 429s.

Budgets (facts §1a, developers.zoom.us/docs/commerce/rate-limits/): each category is one bucket
shared by every call of that category on the account, counted in fixed windows (one second;
one minute for Resource-intensive). Daily counters reset at 00:00 UTC. On Pro and Business,
Heavy and Resource-intensive share one daily cap. Each endpoint's category is the "Rate Limit
Label" Zoom writes in the official spec (the seeds agree, facts §1b).

Headers: every answer of a limited endpoint carries `X-RateLimit-Category`, and
`X-RateLimit-Limit`/`-Remaining` of the daily counter when the plan has one for that category
(as observed on Free: 6000/5893), otherwise of the current per-second window. A 429 adds
`X-RateLimit-Type` (`QPS` or `Daily-limit`) and `Retry-After`: whole seconds for QPS, an
ISO-8601 UTC time (next midnight) for daily limits, as RL2020 documents.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from reconciler.sandbox.errors import SandboxError
from reconciler.sandbox.spec import OperationKey, rate_limit_label

QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_MESSAGE = (
    "You have reached the maximum daily rate limit for this API. Refer to the response header "
    "for details on when you can make another request."
)
DAY_S = 86_400


class Category(Enum):
    LIGHT = "Light"
    MEDIUM = "Medium"
    HEAVY = "Heavy"
    RESOURCE_INTENSIVE = "Resource-intensive"

    @classmethod
    def of(cls, key: OperationKey) -> Category:
        label = rate_limit_label(key).strip().lower().replace(" ", "-")
        for category in cls:
            if category.value.lower() == label:
                return category
        raise ValueError(f"unknown rate limit label {label!r}")


class Tier(Enum):
    FREE = "free"
    PRO = "pro"
    BUSINESS = "business"


@dataclass(frozen=True, slots=True)
class Budget:
    limit: int
    window_s: int


_L, _M, _H, _R = Category
PER_WINDOW: dict[Tier, dict[Category, Budget]] = {
    Tier.FREE: {_L: Budget(4, 1), _M: Budget(2, 1), _H: Budget(1, 1), _R: Budget(10, 60)},
    Tier.PRO: {_L: Budget(30, 1), _M: Budget(20, 1), _H: Budget(10, 1), _R: Budget(10, 60)},
    Tier.BUSINESS: {_L: Budget(80, 1), _M: Budget(60, 1), _H: Budget(40, 1), _R: Budget(20, 60)},
}

# Daily caps: (categories sharing the counter, limit). Free caps each category on its own.
DAILY: dict[Tier, list[tuple[frozenset[Category], int]]] = {
    Tier.FREE: [
        (frozenset({_L}), 6_000),
        (frozenset({_M}), 2_000),
        (frozenset({_H}), 1_000),
        (frozenset({_R}), 30_000),
    ],
    Tier.PRO: [(frozenset({_H, _R}), 30_000)],
    Tier.BUSINESS: [(frozenset({_H, _R}), 60_000)],
}

# POST /users with action=create (S001:3577-3580) and POST /groups (S001:525), per day.
USER_CREATE_DAILY = {Tier.FREE: 50, Tier.PRO: 1_500, Tier.BUSINESS: 10_000}
GROUP_CREATE_DAILY = 100


def next_midnight_iso(now: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime((int(now) // DAY_S + 1) * DAY_S))


def too_many_requests(
    category: Category, *, daily: bool, limit: int, retry_after: str
) -> SandboxError:
    """The 429 Zoom sends, headers included."""
    headers = {
        "X-RateLimit-Category": category.value,
        "X-RateLimit-Type": "Daily-limit" if daily else "QPS",
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": "0",
        "Retry-After": retry_after,
    }
    return SandboxError(429, 429, DAILY_MESSAGE if daily else QPS_MESSAGE, headers=headers)


class RateLimiter:
    """Counts calls per account; `charge` either admits a call (returning its headers) or raises 429."""

    def __init__(self, clock: Callable[[], float], tier: Tier, *, enabled: bool = True) -> None:
        self.clock = clock
        self.tier = tier
        self.enabled = enabled
        self._windows: dict[Category, tuple[int, int]] = {}
        self._daily: dict[str, tuple[int, int]] = {}
        self._intervals: dict[str, float] = {}

    def reset(self) -> None:
        self._windows.clear()
        self._daily.clear()
        self._intervals.clear()

    def charge_interval(self, name: str, seconds: float, category: Category) -> None:
        """An endpoint's own limit of one request every `seconds` (POST /users/features: 10)."""
        if not self.enabled:
            return
        now = self.clock()
        wait = self._intervals.get(name, -math.inf) + seconds - now
        if wait > 0:
            raise too_many_requests(
                category, daily=False, limit=1, retry_after=str(math.ceil(wait))
            )
        self._intervals[name] = now

    def charge(self, category: Category) -> dict[str, str]:
        """Admit one call of `category` or raise Zoom's 429; returns the headers for the answer."""
        headers = {"X-RateLimit-Category": category.value}
        if not self.enabled:
            return headers
        now = self.clock()
        budget = PER_WINDOW[self.tier][category]
        window = int(now // budget.window_s)
        counted_window, used = self._windows.get(category, (window, 0))
        used = used if counted_window == window else 0
        if used >= budget.limit:
            wait = math.ceil((window + 1) * budget.window_s - now) or 1
            raise too_many_requests(
                category, daily=False, limit=budget.limit, retry_after=str(wait)
            )
        daily = _daily_cap(self.tier, category)
        if daily is not None:
            name, limit = daily
            spent = self._spend_daily(name, limit, category, now)
            headers["X-RateLimit-Limit"] = str(limit)
            headers["X-RateLimit-Remaining"] = str(limit - spent)
        else:
            headers["X-RateLimit-Limit"] = str(budget.limit)
            headers["X-RateLimit-Remaining"] = str(budget.limit - used - 1)
        self._windows[category] = (window, used + 1)
        return headers

    def charge_cap(self, name: str, limit: int, category: Category) -> None:
        """A documented per-operation daily cap (user creation, group creation)."""
        if self.enabled:
            self._spend_daily(name, limit, category, self.clock())

    def _spend_daily(self, name: str, limit: int, category: Category, now: float) -> int:
        """Count one call against a daily counter, or raise the daily 429; returns the new count."""
        day = int(now // DAY_S)
        counted_day, spent = self._daily.get(name, (day, 0))
        spent = spent if counted_day == day else 0
        if spent >= limit:
            raise too_many_requests(
                category, daily=True, limit=limit, retry_after=next_midnight_iso(now)
            )
        self._daily[name] = (day, spent + 1)
        return spent + 1


def _daily_cap(tier: Tier, category: Category) -> tuple[str, int] | None:
    """The daily counter (its name and limit) that a call of `category` spends, if any."""
    for categories, limit in DAILY[tier]:
        if category in categories:
            return "+".join(sorted(c.value for c in categories)), limit
    return None
