"""How many API calls a plan makes per rate-limit category, and how long that takes at a tier.

The calls are counted from the cost table (`reconciler.plan.costs`), which the applier batches
by too: Zoom's batches (30 group members a call, 10 admins, 30 division users, 50
contact-group users or 3 groups, 20 contact-group removals) and one settings request per
`option` part. The time is the sum of each category's calls over its per-second budget: what a
run takes when each category's calls go at that category's full budget, one category after
another; an operation with a slower limit of its own takes the longer time that limit allows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from reconciler.catalog import CREATE_INVITATIONS_PER_DAY, ENDPOINTS, TIER_BUDGETS, Category, Tier
from reconciler.model.enums import CreateAction
from reconciler.plan.changes import Change, UserCreate
from reconciler.plan.costs import count_requests

__all__ = ["Category", "Estimate", "Tier", "estimate"]


@dataclass(frozen=True)
class Estimate:
    """API calls per category and the time they take at the tier's per-second budgets."""

    tier: Tier
    calls: dict[Category, int]
    seconds: float
    warnings: tuple[str, ...] = ()

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())


def estimate(changes: Iterable[Change], tier: Tier = Tier.PRO) -> Estimate:
    changes = tuple(changes)
    requests = count_requests(changes)
    calls: Counter[Category] = Counter()
    for operation, count in requests.items():
        calls[ENDPOINTS[operation].category] += count
    budgets = TIER_BUDGETS[tier]
    seconds = sum(count / budgets[category].per_second for category, count in calls.items())
    for operation, count in requests.items():
        endpoint = ENDPOINTS[operation]
        if endpoint.own_rate is not None:
            paced = count / budgets[endpoint.category].per_second
            seconds += max(0.0, endpoint.own_rate.seconds_for(count) - paced)
    warnings = [
        f"{calls[category]} {category.value} calls exceed the {tier.value} daily cap of "
        f"{budget.daily}"
        for category, budget in budgets.items()
        if budget.daily is not None and calls[category] > budget.daily
    ]
    invitations = sum(
        1
        for change in changes
        if isinstance(change, UserCreate) and change.create_action is CreateAction.CREATE
    )
    if invitations > CREATE_INVITATIONS_PER_DAY[tier]:
        warnings.append(
            f"{invitations} invitations (create_action: create) exceed the {tier.value} "
            f"daily cap of {CREATE_INVITATIONS_PER_DAY[tier]}"
        )
    ordered = {category: calls[category] for category in Category if calls[category]}
    return Estimate(tier=tier, calls=ordered, seconds=round(seconds, 1), warnings=tuple(warnings))
