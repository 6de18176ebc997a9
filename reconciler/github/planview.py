"""The plan as the Action sees it: read back from the JSON file `plan --out` wrote.

Besides the changes it carries what reviewers need on top of a comment: the checksum that ties
an apply to this review, the API-call estimate, and whether `apply` would accept the plan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from reconciler.apply.saved import load_saved_plan
from reconciler.catalog import Tier
from reconciler.errors import ReconcilerError
from reconciler.plan.estimate import Estimate, estimate
from reconciler.plan.plan import Plan, Summary
from reconciler.plan.safety import cap_violations, floor_violations


@dataclass(frozen=True)
class SafetyVerdict:
    floors: tuple[str, ...] = ()
    """Problems nothing overrides (protected users, the owner, last admins)."""
    caps: tuple[str, ...] = ()
    """Problems `apply --force` overrides (max_deletes, max_change_percent)."""

    @property
    def accepted(self) -> bool:
        return not (self.floors or self.caps)


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    checksum: str
    tier: Tier
    verdict: SafetyVerdict

    @property
    def summary(self) -> Summary:
        return self.plan.summary

    @property
    def has_changes(self) -> bool:
        return not self.plan.is_empty

    @property
    def estimate(self) -> Estimate:
        return estimate(self.plan.changes, self.tier)

    @classmethod
    def read(cls, path: Path) -> PlanView:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as unreadable:
            raise ReconcilerError(f"cannot read the plan file {path}: {unreadable}") from None
        saved = load_saved_plan(text)
        document = json.loads(text)
        checksum = document.get("checksum")
        if not isinstance(checksum, str):
            raise ReconcilerError(f"{path}: the plan has no checksum")
        tier_text = (document.get("estimate") or {}).get("tier", Tier.PRO.value)
        policy = saved.policy
        verdict = SafetyVerdict(
            floors=tuple(floor_violations(saved.plan, policy.protected_users)),
            caps=tuple(
                cap_violations(
                    saved.plan, policy.safety.max_deletes, policy.safety.max_change_percent
                )
            ),
        )
        return cls(saved.plan, checksum, Tier(tier_text), verdict)
