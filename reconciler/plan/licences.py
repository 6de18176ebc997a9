"""Which licence changes go through `POST /users/features` and which through a PATCH each.

Zoom takes a licence two ways: `PATCH /users/{userId}/settings`, one user a call at the Medium
budget (20 a second on Pro), and `POST /users/features`, one licence value for up to 30 users
a call but one call every 10 seconds. The route is chosen once, when the plan is made (and
kept in each change, so the estimate and the applier agree): the mix that finishes soonest.
PATCH calls share the Medium budget with the plan's other Medium calls; bulk calls run beside
them, one every 10 seconds. A value only the bulk call can set (webinar 20,000, large meeting
100) always goes in bulk. Only a change of a single licence moves to the bulk call (a user
whose several licences change needs the PATCH anyway, and it carries them all).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reconciler.catalog import ENDPOINTS, BatchLimit, Operation, RequestRate
from reconciler.model.features import FEATURES
from reconciler.plan.changes import Change, LicenceChange, UserFeaturesUpdate

BULK_USERS_PER_REQUEST = BatchLimit.USERS_FEATURES


def _bulk_rate() -> RequestRate:
    rate = ENDPOINTS[Operation.UPDATE_USERS_FEATURES].own_rate
    assert rate is not None, "the catalog gives POST /users/features a rate of its own"
    return rate


BULK_RATE = _bulk_rate()
"""POST /users/features: one request every 10 seconds (the catalog's own rate)."""

BulkKey = tuple[str, str]
"""(feature, `feature_value`): the changes one bulk request can carry together."""


def bulk_key(change: UserFeaturesUpdate) -> BulkKey | None:
    """The bulk request a change rides in, or None when it goes by PATCH only."""
    licence = change.bulk_change()
    if licence is None:
        return None
    return (licence.name, FEATURES[licence.name].bulk_value(licence.new))


def finish_seconds(bulk_requests: int, medium_calls: int, medium_per_second: float) -> float:
    """When the last licence is set: the bulk calls one every 10 s, beside the Medium calls."""
    bulk = BULK_RATE.seconds_for(bulk_requests)
    return max(bulk, (medium_calls + bulk_requests) / medium_per_second)


def _forced(change: UserFeaturesUpdate) -> LicenceChange | None:
    """A licence whose new value PATCH cannot set (only the bulk call sells it)."""
    return next(
        (c for c in change.changes if not FEATURES[c.name].patchable(c.new)),
        None,
    )


def _candidate(change: UserFeaturesUpdate) -> LicenceChange | None:
    """The one licence a single-licence change could send in bulk instead of its PATCH."""
    if len(change.changes) != 1:
        return None
    licence = change.changes[0]
    return licence if FEATURES[licence.name].bulkable(licence.new) else None


@dataclass
class _Group:
    forced: list[int] = field(default_factory=list)
    optional: list[int] = field(default_factory=list)
    taken: int = 0
    """Optional changes moved to bulk so far."""

    def requests(self) -> int:
        return math.ceil((len(self.forced) + self.taken) / BULK_USERS_PER_REQUEST)

    def free_slots(self) -> int:
        return self.requests() * BULK_USERS_PER_REQUEST - len(self.forced) - self.taken


def route_licences(
    changes: Iterable[Change], medium_per_second: float, other_medium_calls: int
) -> list[Change]:
    """`changes` with each licence change's `bulk` chosen (see the module docstring)."""
    result = list(changes)
    positions = [i for i, c in enumerate(result) if isinstance(c, UserFeaturesUpdate)]
    updates: dict[int, UserFeaturesUpdate] = {}
    groups: dict[BulkKey, _Group] = {}
    for i in positions:
        change = result[i]
        assert isinstance(change, UserFeaturesUpdate)
        change = change.model_copy(update={"bulk": None})
        forced = _forced(change)
        optional = _candidate(change)
        chosen = forced or optional
        if chosen is not None and FEATURES[chosen.name].bulkable(chosen.new):
            key = (chosen.name, FEATURES[chosen.name].bulk_value(chosen.new))
            group = groups.setdefault(key, _Group())
            (group.forced if forced is not None else group.optional).append(i)
            if forced is not None:
                change = change.model_copy(update={"bulk": chosen.name})
        updates[i] = change
    patches = sum(1 for change in updates.values() if change.patch_body())
    ordered = sorted(groups.items())
    # Optional changes fill the free places of forced requests first: that costs nothing.
    for _, group in ordered:
        fill = min(group.free_slots(), len(group.optional))
        group.taken += fill
        patches -= fill

    def total_requests() -> int:
        return sum(group.requests() for _, group in ordered)

    while True:
        now = finish_seconds(total_requests(), patches + other_medium_calls, medium_per_second)
        best = max(
            (g for _, g in ordered if len(g.optional) > g.taken),
            key=lambda g: len(g.optional) - g.taken,
            default=None,
        )
        if best is None:
            break
        moved = min(BULK_USERS_PER_REQUEST, len(best.optional) - best.taken)
        after = finish_seconds(
            total_requests() + 1, patches - moved + other_medium_calls, medium_per_second
        )
        if after >= now:
            break
        best.taken += moved
        patches -= moved
    for (name, _), group in ordered:
        for i in sorted(group.optional, key=lambda j: updates[j].key)[: group.taken]:
            updates[i] = updates[i].model_copy(update={"bulk": name})
    for i, change in updates.items():
        result[i] = change
    return result


def bulk_requests(changes: Sequence[Change]) -> int:
    """How many `POST /users/features` requests the routed changes make."""
    counts: dict[BulkKey, int] = {}
    for change in changes:
        if isinstance(change, UserFeaturesUpdate) and (key := bulk_key(change)) is not None:
            counts[key] = counts.get(key, 0) + 1
    return sum(math.ceil(n / BULK_USERS_PER_REQUEST) for n in counts.values())
