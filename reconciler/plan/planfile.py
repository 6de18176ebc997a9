"""The plan as JSON (`format_version: 1`): what `plan --format json` prints and `plan --out` saves.

The same document serves both: the contract's keys (`format_version`, `summary`, `changes` with
`kind`, `action`, `key`, `before`, `after`), plus the typed payload of each change (`data`),
the fingerprints of every live object the changes touch, the safety context, a `checksum` over
the normalised changes and an API-call `estimate`. Strings in, strings out: no file I/O here.
A plan holds no secrets: changes never carry one (an autoCreate password is only "set").
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reconciler import __version__
from reconciler.catalog import Category, Tier
from reconciler.errors import ReconcilerError
from reconciler.plan.changes import CHANGE_TYPES, Action, Change, Kind
from reconciler.plan.estimate import estimate
from reconciler.plan.plan import Plan, PlanContext

FORMAT_VERSION = 1


class _Record(BaseModel):
    model_config = ConfigDict(extra="ignore")


class SummaryRecord(_Record):
    create: int
    update: int
    delete: int


class ChangeRecord(_Record):
    """One change: the contract's five keys, then what the applier and reviewers need."""

    kind: Kind
    action: Action
    key: str
    before: dict[str, Any] = Field(
        default_factory=dict, description="The managed fields as they are; {} when absent"
    )
    after: dict[str, Any] = Field(
        default_factory=dict, description="The managed fields as they will be; {} when gone"
    )
    depends_on: list[str] = Field(
        default_factory=list, description="`kind:key` of the changes this one needs first"
    )
    notes: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(description="The typed change, as the applier rebuilds it")


class EstimateRecord(_Record):
    tier: Tier
    calls: dict[Category, int]
    seconds: float = Field(
        description="Time at the tier's per-second budgets, one category after another"
    )
    warnings: list[str] = Field(default_factory=list)
    reads: dict[Category, int] = Field(
        default_factory=dict,
        description="Calls made to read the live state for this plan, per category (not in `calls`)",
    )


class ContextRecord(_Record):
    live_counts: dict[Kind, int] = Field(default_factory=dict)
    group_admins: dict[str, int] = Field(default_factory=dict)
    account_admins: list[str] = Field(default_factory=list)
    owners: list[str] = Field(default_factory=list)


class PlanFile(_Record):
    """A zoom-reconciler plan. Readers ignore unknown keys and refuse another `format_version`."""

    model_config = ConfigDict(extra="ignore", title="zoom-reconciler plan")

    format_version: Literal[1]
    tool_version: str
    summary: SummaryRecord
    changes: list[ChangeRecord]
    checksum: str = Field(description="sha256 of the normalised changes")
    estimate: EstimateRecord
    fingerprints: dict[str, str | None] = Field(
        default_factory=dict,
        description="`kind:key` of every live object the changes touch -> its fingerprint (null: absent)",
    )
    context: ContextRecord = Field(default_factory=ContextRecord)
    notes: list[str] = Field(default_factory=list)
    waiting_for_identity_provider: list[str] = Field(
        default_factory=list,
        description="Declared users the identity provider has not created yet; nothing is planned for them",
    )


def change_record(change: Change) -> ChangeRecord:
    return ChangeRecord(
        kind=change.kind,
        action=change.action,
        key=change.key,
        # Always objects, as the contract writes them; `action` says what is created or gone.
        before=change.before() or {},
        after=change.after() or {},
        depends_on=[ref.format() for ref in change.depends_on()],
        notes=list(change.notes()),
        data=change.model_dump(mode="json"),
    )


def _checksum(records: list[ChangeRecord]) -> str:
    normalised = [
        r.model_dump(mode="json", include={"kind", "action", "key", "before", "after", "data"})
        for r in records
    ]
    text = json.dumps(normalised, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def checksum(plan: Plan) -> str:
    """The plan's identity for reviews: equal plans (same changes, same order) share it."""
    return _checksum([change_record(c) for c in plan.changes])


def plan_file(plan: Plan, tier: Tier = Tier.PRO, tool_version: str = __version__) -> PlanFile:
    records = [change_record(c) for c in plan.changes]
    summary = plan.summary
    cost = estimate(plan.changes, tier)
    context = plan.context
    return PlanFile(
        format_version=FORMAT_VERSION,
        tool_version=tool_version,
        summary=SummaryRecord(create=summary.create, update=summary.update, delete=summary.delete),
        changes=records,
        checksum=_checksum(records),
        estimate=EstimateRecord(
            tier=cost.tier,
            calls=cost.calls,
            seconds=cost.seconds,
            warnings=list(cost.warnings),
            reads={Category(name): count for name, count in plan.reads.items()},
        ),
        fingerprints=dict(plan.fingerprints),
        context=ContextRecord(
            live_counts=dict(context.live_counts),
            group_admins=dict(context.group_admins),
            account_admins=list(context.account_admins),
            owners=list(context.owners),
        ),
        notes=list(plan.notes),
        waiting_for_identity_provider=list(plan.waiting),
    )


def dump_plan(plan: Plan, tier: Tier = Tier.PRO, tool_version: str = __version__) -> str:
    """The plan as indented JSON, ending with a newline."""
    return plan_file(plan, tier, tool_version).model_dump_json(indent=2) + "\n"


def load_plan(text: str) -> Plan:
    """Rebuild a Plan from its JSON; refuses other format versions and edited changes."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as bad:
        raise ReconcilerError(f"the plan file is not JSON: {bad}") from None
    if not isinstance(raw, dict):
        raise ReconcilerError("the plan file is not a JSON object")
    version = raw.get("format_version")
    if version != FORMAT_VERSION:
        raise ReconcilerError(
            f"the plan file has format_version {version!r}; this version reads {FORMAT_VERSION}"
        )
    try:
        document = PlanFile.model_validate(raw)
        changes = tuple(
            CHANGE_TYPES[(r.kind, r.action)].model_validate(r.data) for r in document.changes
        )
    except (ValidationError, KeyError) as bad:
        raise ReconcilerError(f"the plan file is not valid: {bad}") from None
    if _checksum([change_record(c) for c in changes]) != document.checksum:
        raise ReconcilerError(
            "the plan file's checksum does not match its changes; make a new plan"
        )
    context = document.context
    return Plan(
        changes=changes,
        fingerprints=dict(document.fingerprints),
        context=PlanContext(
            live_counts=dict(context.live_counts),
            group_admins=dict(context.group_admins),
            account_admins=tuple(context.account_admins),
            owners=tuple(context.owners),
        ),
        notes=tuple(document.notes),
        waiting=tuple(document.waiting_for_identity_provider),
        reads={category.value: count for category, count in document.estimate.reads.items()},
    )


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema of the plan document, as committed in `schemas/plan.schema.json`."""
    schema = PlanFile.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
