"""Zoom's rate limits: the plan tiers, the rate-limit categories and each tier's budgets.

The client paces its requests by these budgets and the plan's estimate times its calls by
them, so both read this one table (Zoom's rate-limits page, per plan).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Tier(StrEnum):
    """Zoom plan families with distinct rate limits (`ZOOM_RATE_LIMIT_TIER`)."""

    FREE = "free"
    PRO = "pro"
    BUSINESS = "business"


class Category(StrEnum):
    """Zoom's rate-limit categories; each API call counts against one."""

    # The value is the plan file's spelling ("light"); `label` is Zoom's ("Light"), as in
    # `X-RateLimit-Category` and in its API reference.

    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"
    RESOURCE_INTENSIVE = "resource-intensive"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def from_label(cls, label: str) -> Category | None:
        """The category Zoom names `label` (any letter case), or None for an unknown one."""
        wanted = label.strip().lower()
        return next((c for c in cls if c.label.lower() == wanted), None)


_LABELS = {
    Category.LIGHT: "Light",
    Category.MEDIUM: "Medium",
    Category.HEAVY: "Heavy",
    Category.RESOURCE_INTENSIVE: "Resource-intensive",
}


@dataclass(frozen=True)
class Budget:
    """One category's allowance on one tier: requests per second, and per day where capped."""

    per_second: float
    daily: int | None = None


TIER_BUDGETS: Mapping[Tier, Mapping[Category, Budget]] = {
    Tier.FREE: {
        Category.LIGHT: Budget(4, 6_000),
        Category.MEDIUM: Budget(2, 2_000),
        Category.HEAVY: Budget(1, 1_000),
        Category.RESOURCE_INTENSIVE: Budget(10 / 60, 30_000),
    },
    Tier.PRO: {
        Category.LIGHT: Budget(30),
        Category.MEDIUM: Budget(20),
        Category.HEAVY: Budget(10, 30_000),
        Category.RESOURCE_INTENSIVE: Budget(10 / 60, 30_000),
    },
    Tier.BUSINESS: {
        Category.LIGHT: Budget(80),
        Category.MEDIUM: Budget(60),
        Category.HEAVY: Budget(40, 60_000),
        Category.RESOURCE_INTENSIVE: Budget(20 / 60, 60_000),
    },
}
"""Free has a daily cap per category; on paid plans Heavy and Resource-intensive share one."""

CREATE_INVITATIONS_PER_DAY: Mapping[Tier, int] = {
    Tier.FREE: 50,
    Tier.PRO: 1_500,
    Tier.BUSINESS: 10_000,
}
"""POST /users with `action=create` (an emailed invitation) has its own daily cap."""


@dataclass(frozen=True)
class RequestRate:
    """An endpoint's own limit on top of its category's budget: `requests` per `seconds`."""

    requests: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def seconds_for(self, count: int) -> float:
        """How long `count` requests take at this rate: the first `requests` go at once."""
        return max(0, count - self.requests) / self.per_second
