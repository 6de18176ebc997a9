"""The plan as JSON: the same document `plan --out` saves (see `reconciler.plan.planfile`)."""

from __future__ import annotations

from reconciler import __version__
from reconciler.catalog import Tier
from reconciler.plan.plan import Plan
from reconciler.plan.planfile import dump_plan


def render_json(plan: Plan, tier: Tier = Tier.PRO, tool_version: str = __version__) -> str:
    return dump_plan(plan, tier, tool_version)
