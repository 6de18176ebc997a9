"""The Plan: ordered changes, the fingerprints of every live object they touch, and the few
facts about the live account that the safety rails need, so a saved plan can be checked again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reconciler.catalog import TIER_BUDGETS, Category, Tier
from reconciler.errors import StalePlanError
from reconciler.model.live import LiveRef, LiveState, ZoomUserStatus
from reconciler.plan.changes import Bucket, Change, Kind, UserFeaturesUpdate
from reconciler.plan.estimate import estimate
from reconciler.plan.licences import route_licences
from reconciler.plan.order import FORWARD, order_changes


@dataclass(frozen=True)
class Summary:
    """Counts as the contract defines them: `add` is a create; `remove` and deactivation a delete."""

    create: int = 0
    update: int = 0
    delete: int = 0

    @property
    def total(self) -> int:
        return self.create + self.update + self.delete

    def text(self) -> str:
        if not self.total:
            return "No changes."
        return f"Plan: {self.create} to create, {self.update} to update, {self.delete} to delete."


@dataclass(frozen=True)
class PlanContext:
    """What the safety rails must know about the live account, kept with the plan."""

    live_counts: Mapping[Kind, int] = field(default_factory=dict)
    """Live objects per kind (users, groups, divisions, contact groups), for the percentage cap."""
    group_admins: Mapping[str, int] = field(default_factory=dict)
    """Admins per group name, for groups whose admins were read."""
    account_admins: tuple[str, ...] = ()
    """Active account owners and admins (lower-cased emails)."""
    owners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...] = ()
    fingerprints: Mapping[str, str | None] = field(default_factory=dict)
    """`LiveRef.format()` -> fingerprint (`None`: the object did not exist) for every touched object."""
    context: PlanContext = field(default_factory=PlanContext)
    notes: tuple[str, ...] = ()
    """What the plan deliberately leaves alone and why (pending users, non-empty divisions...)."""
    waiting: tuple[str, ...] = ()
    """Declared users the identity provider has not created yet: nothing is planned for them."""
    reads: Mapping[str, int] = field(default_factory=dict)
    """API calls made to read the live state for this plan, per rate-limit category."""

    @property
    def summary(self) -> Summary:
        counts = Counter(change.bucket for change in self.changes)
        return Summary(
            create=counts[Bucket.CREATE], update=counts[Bucket.UPDATE], delete=counts[Bucket.DELETE]
        )

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def by_kind(self) -> dict[Kind, list[Change]]:
        """Changes grouped by kind, kinds in dependency order (`FORWARD`) and each kind's
        changes in the order they run: a deleted group reads under "group", not at the end."""
        grouped: dict[Kind, list[Change]] = {kind: [] for kind in FORWARD}
        for change in self.changes:
            grouped[change.kind].append(change)
        return {kind: changes for kind, changes in grouped.items() if changes}


def context_of(live: LiveState) -> PlanContext:
    counts = {
        Kind.USER: len(live.users),
        Kind.GROUP: len(live.groups),
        Kind.DIVISION: len(live.divisions),
    }
    if live.contact_groups is not None:
        counts[Kind.CONTACT_GROUP] = len(live.contact_groups)
    active = [u for u in live.users if u.status is ZoomUserStatus.ACTIVE]
    return PlanContext(
        live_counts=counts,
        group_admins={g.name: len(g.admins) for g in live.groups if g.admins is not None},
        account_admins=tuple(sorted(u.key for u in active if u.is_account_admin)),
        owners=tuple(sorted(u.key for u in live.users if u.is_owner)),
    )


def make_plan(
    changes: Iterable[Change],
    live: LiveState,
    notes: Iterable[str] = (),
    waiting: Iterable[str] = (),
    reads: Mapping[str, int] | None = None,
    tier: Tier = Tier.PRO,
) -> Plan:
    """Route licence changes for the tier, order the changes and fingerprint what they touch."""
    ordered = order_changes(with_licence_routes(changes, tier))
    refs = {ref for change in ordered for ref in change.touches()}
    fingerprints = {
        ref.format(): live.fingerprint(ref) for ref in sorted(refs, key=lambda r: r.format())
    }
    return Plan(
        changes=ordered,
        fingerprints=fingerprints,
        context=context_of(live),
        notes=tuple(notes),
        waiting=tuple(waiting),
        reads=dict(reads or {}),
    )


def with_licence_routes(changes: Iterable[Change], tier: Tier) -> list[Change]:
    """Licence changes routed through PATCH or the bulk call, whichever mix ends soonest."""
    changes = list(changes)
    others = [c for c in changes if not isinstance(c, UserFeaturesUpdate)]
    medium = estimate(others, tier).calls.get(Category.MEDIUM, 0)
    return route_licences(changes, TIER_BUDGETS[tier][Category.MEDIUM].per_second, medium)


def drifted(plan: Plan, live: LiveState) -> list[str]:
    """The touched objects whose live fingerprint differs from the plan's (empty: still fresh).

    `live` needs to hold only the touched objects, re-read just before applying.
    """
    return [
        text
        for text, recorded in plan.fingerprints.items()
        if live.fingerprint(LiveRef.parse(text)) != recorded
    ]


def check_fresh(plan: Plan, live: LiveState) -> None:
    """Refuse a saved plan whose live objects changed since it was made; nothing is written."""
    stale = drifted(plan, live)
    if stale:
        listed = ", ".join(stale[:10]) + (f" and {len(stale) - 10} more" if len(stale) > 10 else "")
        raise StalePlanError(
            f"the saved plan is stale: {len(stale)} live object(s) changed since it was made "
            f"({listed}); make a new plan"
        )
