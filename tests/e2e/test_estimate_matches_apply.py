"""What a plan promises is what apply does: a plan with every kind of change, applied to the
sandbox over HTTP, makes exactly the calls its estimate counts, category by category.

The estimate and the applier read one cost table (`reconciler.plan.costs`); this proves the
table tells the truth about the applier. The sandbox's journal records every API request with
its rate-limit category; it is cleared after the plan's reads, so what it holds is the apply.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx

from reconciler.apply import Applier, Outcome
from reconciler.catalog import Category
from reconciler.live import ReadRequest, read_live_state
from reconciler.model import Config
from reconciler.model.live import ContactMemberType
from reconciler.plan import Plan, build_plan, desired_from_config, estimate
from reconciler.plan.changes import (
    CHANGE_TYPES,
    Action,
    ContactGroupMemberAdd,
    GroupLockSettingsUpdate,
    GroupMemberAdd,
    GroupSettingsUpdate,
    UserAssistantRemove,
    UserFeaturesUpdate,
    UserUpdate,
)
from reconciler.sandbox import ServerInfo
from tests.live.support import http_client, seed_server

STAFF = [f"staff{i:02d}@acme.example" for i in range(35)]
"""Existing users who all join Sales: more than one request's worth of group members."""

SEED = f"""
version: 1
account: {{managed_domains: [acme.example]}}
divisions:
  - {{name: Field, description: Field staff}}
  - {{name: Legacy, description: Nobody left}}
groups:
  - name: Sales
    admins: [kept.admin@acme.example, gone.admin@acme.example]
    settings:
      in_meeting: {{chat: true}}
      meeting_security: {{waiting_room: false}}
    lock_settings:
      in_meeting: {{chat: false}}
  - {{name: Old Support}}
  - {{name: Temp}}
  - {{name: Legacy Group}}
users:
  - {{email: owner@acme.example, role: owner}}
  - {{email: kept.admin@acme.example, groups: [Sales]}}
  - {{email: gone.admin@acme.example, groups: [Sales]}}
  - {{email: ann@acme.example, first_name: Ann, type: 1, groups: [Temp], division: Field,
      features: {{zoom_whiteboard: true}}}}
  - {{email: carl@acme.example, status: inactive}}
  - {{email: dave@acme.example}}
  - {{email: leaver@acme.example}}
  - {{email: pend@acme.example, status: pending}}
  - {{email: prim@acme.example, groups: [Old Support, Sales]}}
  - {{email: boss@acme.example, type: 2, assistants: [aide@acme.example]}}
  - {{email: aide@acme.example, type: 2}}
  - {{email: clerk@acme.example, type: 2, assistants: [aide@acme.example, boss@acme.example]}}
  - {{email: old.name@acme.example, id: RENAMED1}}
{"".join(f"  - {{email: {email}, type: licensed}}{chr(10)}" for email in STAFF)}
contact_groups:
  - name: Office
    privacy: visible_to_anyone
    description: Head office
    members:
      users: [ann@acme.example, kept.admin@acme.example]
      groups: [Sales]
  - name: Old Office
    privacy: visible_to_anyone
    members:
      users: [ann@acme.example]
"""


def desired_config(support_id: str) -> dict[str, Any]:
    """The account as it should be: every kind of change is needed to get there."""
    return {
        "version": 1,
        "policy": {
            "prune": {
                "users": "delete",
                "groups": True,
                "divisions": True,
                "contact_groups": True,
            },
            "protected_users": ["owner@acme.example"],
            "primary_groups": "verify",
        },
        "divisions": [
            {"name": "Field", "description": "Field sales", "members": STAFF[:3]},
            {"name": "Remote", "description": "Anywhere", "members": [STAFF[3]]},
        ],
        "groups": [
            {
                "name": "Sales",
                "admins": ["kept.admin@acme.example", STAFF[0]],
                "settings": {
                    "in_meeting": {"chat": False},
                    "meeting_security": {"waiting_room": True},
                },
                "lock_settings": {
                    "in_meeting": {"chat": True},
                    "meeting_security": {"waiting_room": True},
                },
            },
            {"name": "Support", "id": support_id},
            {"name": "Temp", "members": []},
            {"name": "Newbies"},
        ],
        "users": [
            {"email": "kept.admin@acme.example", "groups": ["Sales"]},
            {"email": "gone.admin@acme.example", "groups": ["Sales"]},
            {
                "email": "ann@acme.example",
                "first_name": "Annie",
                "type": "licensed",
                "groups": ["Support"],
                "division": "Field",
                "features": {"zoom_whiteboard": False, "large_meeting": 500, "zoom_docs": True},
                "settings": {
                    "in_meeting": {"chat": True},
                    "meeting_security": {"waiting_room": True},
                },
            },
            {"email": "carl@acme.example", "status": "active"},
            {"email": "dave@acme.example", "status": "inactive"},
            {"email": "pend@acme.example", "groups": ["Sales"]},
            {"email": "prim@acme.example", "groups": ["Sales", "Support"]},
            # one assistant removed and one added; every assistant of clerk removed at once
            {"email": "boss@acme.example", "assistants": ["clerk@acme.example"]},
            {"email": "aide@acme.example"},
            {"email": "clerk@acme.example", "assistants": []},
            {"email": "new.name@acme.example", "id": "RENAMED1"},  # an email change
            # 35 webinar licences: the plan routes some through POST /users/features
            # (30 users a request), the rest through a PATCH each.
            *(
                {"email": email, "groups": ["Sales"], "features": {"webinar": 500}}
                for email in STAFF
            ),
            {
                "email": "new.hire@acme.example",
                "create_action": "custCreate",
                "first_name": "Nia",
                "job_title": "Engineer",
                "groups": ["Newbies"],
                "division": "Field",
            },
            {
                "email": "invited@acme.example",
                "create_action": "create",
                "groups": ["Newbies"],
            },
            {
                "email": "on.leave@acme.example",
                "create_action": "custCreate",
                "status": "inactive",
            },
        ],
        "contact_groups": [
            {
                "name": "Office",
                "privacy": "visible_to_anyone",
                "description": "Head office, floor 2",
                "members": {
                    "users": ["ann@acme.example", STAFF[0]],
                    "groups": ["Sales", "Support"],
                },
            },
            {
                "name": "New Office",
                "privacy": "members_only",
                "members": {
                    "users": STAFF[:3],
                    "groups": ["Sales", "Support", "Temp", "Newbies"],
                },
            },
        ],
    }


def _check_every_kind_is_there(plan: Plan) -> None:
    changes = plan.changes
    assert {type(c) for c in changes} == set(CHANGE_TYPES.values())
    updates = [c for c in changes if isinstance(c, UserUpdate)]
    assert any(c.profile for c in updates)
    assert any(c.type for c in updates)
    assert any(c.activates for c in updates)
    assert any(c.deactivates for c in updates)
    assert any(c.renamed_from for c in updates)
    removals = [c for c in changes if isinstance(c, UserAssistantRemove)]
    assert {c.clears for c in removals} == {True, False}
    assert sum(1 for c in removals if c.clears) == 2
    adds = [c for c in changes if isinstance(c, GroupMemberAdd)]
    assert any(c.user_pending for c in adds)
    assert sum(1 for c in adds if c.group == "Sales" and not c.user_pending) > 30
    contact_adds = [c for c in changes if isinstance(c, ContactGroupMemberAdd)]
    assert {c.member_type for c in contact_adds} == set(ContactMemberType)
    for kind in (GroupSettingsUpdate, GroupLockSettingsUpdate):
        settings = next(c for c in changes if isinstance(c, kind))
        assert {c.path[0] for c in settings.changes} >= {"in_meeting", "meeting_security"}
    assert {c.action for c in changes} == set(Action)
    licences = [c for c in changes if isinstance(c, UserFeaturesUpdate)]
    assert any(c.bulk is not None for c in licences)
    assert any(c.bulk is None for c in licences)


async def _plan_and_apply(server: ServerInfo) -> tuple[Plan, Counter[Category], int]:
    async with http_client(server) as zoom:
        support = next(g["id"] for g in await zoom.list_groups() if g["name"] == "Old Support")
        desired = desired_from_config(Config.model_validate(desired_config(support)))
        live, _ = await read_live_state(zoom, ReadRequest.for_desired(desired))
        plan = build_plan(desired, live)
        _check_every_kind_is_there(plan)
        httpx.delete(f"{server.root_url}/_sandbox/journal", timeout=10)
        report = await Applier(zoom).apply(plan.changes)
    failed = [r.describe() for r in report.results if r.outcome is not Outcome.DONE]
    assert not failed, failed
    entries = httpx.get(f"{server.root_url}/_sandbox/journal", timeout=10).json()["entries"]
    made: Counter[Category] = Counter()
    for entry in entries:
        category = Category.from_label(entry["category"])
        assert category is not None, entry
        made[category] += 1
    return plan, made, report.calls


def test_apply_makes_exactly_the_calls_the_plan_estimates(sandbox_server: ServerInfo) -> None:
    seed_server(sandbox_server, SEED)
    plan, made, reported = asyncio.run(_plan_and_apply(sandbox_server))
    promised = estimate(plan.changes).calls
    assert dict(made) == promised
    assert reported == sum(promised.values())
