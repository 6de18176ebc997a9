"""Saved plans (`plan --out FILE`, `apply --plan FILE`): the plan document, plus what `apply`
needs to check it again without the configuration.

The plan document is `reconciler.plan.planfile`'s; this adds one key, `apply`, holding how
the touched objects were read (so that re-reading them gives the same fingerprints when
nothing changed) and the safety policy the plan was made under. No secrets: an autoCreate
password stays in the configuration (or its environment variable).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reconciler.catalog import Tier
from reconciler.errors import ReconcilerError
from reconciler.live import GroupSelection, ReadRequest
from reconciler.live.request import PrimaryGroupRead
from reconciler.model.live import LiveObjectKind, LiveRef
from reconciler.plan.changes import UserUpdate
from reconciler.plan.desired import DesiredPolicy
from reconciler.plan.plan import Plan
from reconciler.plan.planfile import dump_plan, load_plan

EXTENSION = "apply"


def _default_part() -> list[str | None]:
    """A user's settings read without `option`: where the licences are."""
    return [None]


class RecordedReads(BaseModel):
    model_config = ConfigDict(extra="ignore")

    settings_parts: list[str | None] = Field(default_factory=list)
    lock_settings_parts: list[str | None] = Field(default_factory=list)
    user_details: list[str] = Field(default_factory=list)
    assistants: list[str] = Field(default_factory=list)
    contact_groups: bool = False
    user_settings_parts: list[str | None] = Field(default_factory=_default_part)
    primary_group_users: list[str] | None = None
    """With `policy.primary_groups: verify`: touched users whose primary group was read."""
    primary_group_names: list[str] = Field(default_factory=list)
    primary_group_ids: list[str] = Field(default_factory=list)


class RecordedLimits(BaseModel):
    model_config = ConfigDict(extra="ignore")

    max_deletes: int = 10
    max_change_percent: float = 30


class RecordedPolicy(BaseModel):
    """What `check_safety` reads from the configuration's policy."""

    model_config = ConfigDict(extra="ignore")

    protected_users: list[str] = Field(default_factory=list)
    safety: RecordedLimits = Field(default_factory=RecordedLimits)


class ApplyRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")

    reads: RecordedReads = Field(default_factory=RecordedReads)
    policy: RecordedPolicy = Field(default_factory=RecordedPolicy)


@dataclass(frozen=True)
class SavedPlan:
    plan: Plan
    reread: ReadRequest
    """The reads that fetch every object the plan touches, as they were read for the plan."""
    policy: RecordedPolicy


def _touched(plan: Plan) -> list[LiveRef]:
    return [LiveRef.parse(text) for text in plan.fingerprints]


def _parts(parts: Collection[str | None]) -> list[str | None]:
    return sorted(parts, key=lambda p: (p is not None, p or ""))


def _touched_users(plan: Plan, wanted: frozenset[str]) -> list[str]:
    """The touched users among those read in `wanted`; a renamed user under its live email."""
    users = {ref.key for ref in _touched(plan) if ref.kind is LiveObjectKind.USER}
    renamed = {
        change.renamed_from: change.key
        for change in plan.changes
        if isinstance(change, UserUpdate) and change.renamed_from is not None
    }
    found = {email for email in users if email in wanted or renamed.get(email) in wanted}
    return sorted(found)


def save_plan(plan: Plan, request: ReadRequest, policy: DesiredPolicy, tier: Tier) -> str:
    """The plan file's text: the plan document with the `apply` record added."""
    record = ApplyRecord(
        reads=RecordedReads(
            settings_parts=_parts(request.settings_parts),
            lock_settings_parts=_parts(request.lock_settings_parts),
            user_details=_touched_users(plan, request.user_details),
            assistants=_touched_users(plan, request.assistants),
            contact_groups=request.contact_groups,
            user_settings_parts=_parts(request.user_settings_parts),
            **_primary_group_record(plan, request),
        ),
        policy=RecordedPolicy(
            protected_users=sorted(policy.protected_users),
            safety=RecordedLimits(
                max_deletes=policy.max_deletes, max_change_percent=policy.max_change_percent
            ),
        ),
    )
    document = json.loads(dump_plan(plan, tier))
    document[EXTENSION] = record.model_dump(mode="json")
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _primary_group_record(plan: Plan, request: ReadRequest) -> dict[str, Any]:
    wanted = request.primary_groups
    if wanted is None:
        return {}
    return {
        "primary_group_users": _touched_users(plan, wanted.users),
        "primary_group_names": sorted(wanted.groups.names),
        "primary_group_ids": sorted(wanted.groups.ids),
    }


def _primary_group_read(reads: RecordedReads) -> PrimaryGroupRead | None:
    if reads.primary_group_users is None:
        return None
    return PrimaryGroupRead(
        users=frozenset(reads.primary_group_users),
        groups=GroupSelection(
            names=frozenset(reads.primary_group_names), ids=frozenset(reads.primary_group_ids)
        ),
    )


def load_saved_plan(text: str) -> SavedPlan:
    plan = load_plan(text)
    raw = json.loads(text).get(EXTENSION) or {}
    try:
        record = ApplyRecord.model_validate(raw)
    except ValidationError as bad:
        raise ReconcilerError(f"the plan file's `{EXTENSION}` record is not valid: {bad}") from None
    touched = _touched(plan)

    def groups(kind: LiveObjectKind) -> GroupSelection:
        return GroupSelection(ids=frozenset(ref.key for ref in touched if ref.kind is kind))

    contact_kinds = {LiveObjectKind.CONTACT_GROUP, LiveObjectKind.CONTACT_GROUP_NAME}
    reads = record.reads
    reread = ReadRequest(
        settings=groups(LiveObjectKind.GROUP_SETTINGS),
        settings_parts=frozenset(reads.settings_parts),
        lock_settings=groups(LiveObjectKind.GROUP_LOCK_SETTINGS),
        lock_settings_parts=frozenset(reads.lock_settings_parts),
        admins=groups(LiveObjectKind.GROUP_ADMINS),
        contact_groups=reads.contact_groups or any(ref.kind in contact_kinds for ref in touched),
        user_details=frozenset(reads.user_details),
        primary_groups=_primary_group_read(reads),
        assistants=frozenset(reads.assistants),
        # A user's licences and own settings are fingerprinted as read: the same parts again.
        user_settings=frozenset(
            ref.key
            for ref in touched
            if ref.kind in (LiveObjectKind.USER_FEATURES, LiveObjectKind.USER_SETTINGS)
        ),
        user_settings_parts=frozenset(reads.user_settings_parts),
    )
    return SavedPlan(plan=plan, reread=reread, policy=record.policy)
