"""A small account and configuration that between them need every kind of change."""

from __future__ import annotations

from typing import Any

from reconciler.model import Config
from reconciler.model.live import (
    ContactMemberType,
    LiveContactGroup,
    LiveContactMember,
    LiveDivision,
    LiveGroup,
    LiveState,
    LiveUser,
    ZoomUserStatus,
)
from reconciler.plan import Plan, build_plan, desired_from_config

ACTIVE, INACTIVE, PENDING = ZoomUserStatus.ACTIVE, ZoomUserStatus.INACTIVE, ZoomUserStatus.PENDING

CONFIG: dict[str, Any] = {
    "version": 1,
    "policy": {
        "prune": {"users": "deactivate", "groups": True, "divisions": True, "contact_groups": True},
        "protected_users": ["owner@acme.example"],
        "safety": {"max_deletes": 10, "max_change_percent": 100},
    },
    "divisions": [{"name": "Engineering", "description": "Product engineering"}],
    "groups": [
        {
            "name": "Developers",
            "members": ["ann@acme.example"],
            "admins": ["lead@acme.example", "ann@acme.example"],
            "settings": {"in_meeting": {"chat": True, "breakout_room": True}},
            "lock_settings": {"in_meeting": {"chat": True}},
        },
        {"name": "Sales", "id": "g-sales"},
    ],
    "users": [
        {
            "email": "Ann@acme.example",
            "first_name": "Annie",
            "pronouns_option": "always",
            "type": "licensed",
            "groups": ["Developers"],
            "division": "Engineering",
        },
        {"email": "lead@acme.example", "groups": ["Developers"]},
        {
            "email": "jill@acme.example",
            "first_name": "Jill",
            "last_name": "Chill",
            "pronouns_option": "ask",
            "type": "licensed",
            "create_action": "create",
            "groups": ["Developers", "Sales"],
            "division": "Engineering",
        },
        {"email": "pending@acme.example", "type": "licensed", "status": "inactive"},
        {"email": "carl@acme.example", "status": "active"},
    ],
    "contact_groups": [
        {
            "name": "Office A",
            "privacy": "members_only",
            "members": {
                "users": ["ann@acme.example", "jill@acme.example"],
                "groups": ["Developers", "Sales"],
            },
        }
    ],
}


def live_state() -> LiveState:
    users = (
        LiveUser("owner@acme.example", ACTIVE, 2, "u-owner", "0", division_ids=("d-main",)),
        LiveUser(
            "lead@acme.example",
            ACTIVE,
            2,
            "u-lead",
            "2",
            group_ids=("g-dev",),
            division_ids=("d-main",),
        ),
        LiveUser(
            "ann@acme.example",
            ACTIVE,
            1,
            "u-ann",
            "2",
            profile={"first_name": "Ann"},
            group_ids=("g-dev", "g-temp"),
            division_ids=("d-legacy",),
        ),
        LiveUser(
            "bob@acme.example",
            ACTIVE,
            2,
            "u-bob",
            "2",
            group_ids=("g-dev",),
            division_ids=("d-legacy",),
        ),
        LiveUser("pending@acme.example", PENDING, 1),
        LiveUser("carl@acme.example", INACTIVE, 1, "u-carl", "2", division_ids=("d-main",)),
    )
    groups = (
        LiveGroup(
            "g-dev",
            "Developers",
            3,
            settings={"in_meeting": {"chat": False, "breakout_room": True, "polling": True}},
            lock_settings={"in_meeting": {"chat": False}},
            admins=frozenset({"lead@acme.example", "bob@acme.example"}),
        ),
        LiveGroup("g-sales", "Old Sales", 0, settings={}, lock_settings={}, admins=frozenset()),
        LiveGroup("g-temp", "Temp", 1),
    )
    divisions = (
        LiveDivision("d-main", "Main", is_main=True),
        LiveDivision("d-legacy", "Legacy"),
        LiveDivision("d-field", "Field"),
    )
    contacts = (
        LiveContactGroup(
            "c-a",
            "Office A",
            1,
            members=frozenset(
                {
                    LiveContactMember(ContactMemberType.USER, "u-ann"),
                    LiveContactMember(ContactMemberType.USER, "u-bob"),
                    LiveContactMember(ContactMemberType.GROUP, "g-dev"),
                }
            ),
        ),
        LiveContactGroup(
            "c-old",
            "Old Office",
            1,
            members=frozenset({LiveContactMember(ContactMemberType.USER, "u-lead")}),
        ),
    )
    return LiveState(
        users=users,
        groups=groups,
        divisions=divisions,
        contact_groups=contacts,
        account_lock_settings={"in_meeting": {"chat": True, "breakout_room": False}},
    )


def config() -> Config:
    return Config.model_validate(CONFIG)


def acme_plan() -> Plan:
    return build_plan(desired_from_config(config()), live_state())
