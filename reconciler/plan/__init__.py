"""Planning, pure: desired state and live state in, an ordered, checked, serialisable Plan out."""

from reconciler.catalog import Category, Tier
from reconciler.plan.changes import CHANGE_TYPES, Action, Bucket, Change, ChangeRef, Kind
from reconciler.plan.desired import Desired, desired_from_config
from reconciler.plan.diff import LiveStateIncomplete, build_plan, diff
from reconciler.plan.estimate import Estimate, estimate
from reconciler.plan.plan import Plan, Summary, check_fresh, drifted, make_plan
from reconciler.plan.planfile import checksum, dump_plan, load_plan, plan_json_schema
from reconciler.plan.safety import check_safety

__all__ = [
    "CHANGE_TYPES",
    "Action",
    "Bucket",
    "Category",
    "Change",
    "ChangeRef",
    "Desired",
    "Estimate",
    "Kind",
    "LiveStateIncomplete",
    "Plan",
    "Summary",
    "Tier",
    "build_plan",
    "check_fresh",
    "check_safety",
    "checksum",
    "desired_from_config",
    "diff",
    "drifted",
    "dump_plan",
    "estimate",
    "load_plan",
    "make_plan",
    "plan_json_schema",
]
