"""API-call estimates: batching as Zoom allows it, budgets per tier, daily caps."""

from __future__ import annotations

from reconciler.model.enums import CreateAction
from reconciler.model.live import ContactMemberType
from reconciler.plan.changes import (
    Change,
    ContactGroupMemberAdd,
    GroupAdminAdd,
    GroupMemberAdd,
    GroupSettingsUpdate,
    SettingChange,
    UserCreate,
)
from reconciler.plan.estimate import Category, Tier, estimate


def test_group_member_adds_travel_thirty_to_a_call_per_group() -> None:
    adds = [GroupMemberAdd(group="A", email=f"u{i}@x.example") for i in range(31)]
    adds += [GroupMemberAdd(group="B", email="u0@x.example", primary=True)]
    cost = estimate(adds, Tier.PRO)
    assert cost.calls == {Category.MEDIUM: 2 + 1 + 1}  # A: 2 batches, B: 1 batch + set_primary
    assert cost.seconds == 0.2


def test_admins_batch_by_ten_and_contact_groups_by_fifty_users_or_three_groups() -> None:
    changes: list[Change] = [GroupAdminAdd(group="A", email=f"u{i}@x.example") for i in range(11)]
    changes += [
        ContactGroupMemberAdd(
            contact_group="C", member_type=ContactMemberType.USER, member=f"u{i}@x.example"
        )
        for i in range(51)
    ]
    changes += [
        ContactGroupMemberAdd(
            contact_group="C", member_type=ContactMemberType.GROUP, member=f"G{i}"
        )
        for i in range(4)
    ]
    assert estimate(changes).calls == {Category.MEDIUM: 2, Category.HEAVY: 4}


def test_settings_take_one_call_per_option_variant() -> None:
    change = GroupSettingsUpdate(
        group="A",
        changes=(
            SettingChange(path=("in_meeting", "chat"), new=True),
            SettingChange(path=("recording", "cloud"), new=True),
            SettingChange(path=("meeting_security", "waiting_room"), new=True),
        ),
    )
    assert estimate([change]).calls == {Category.MEDIUM: 2}


def test_free_tier_is_slow_and_warns_about_daily_caps() -> None:
    users = [
        UserCreate(email=f"u{i}@x.example", create_action=CreateAction.CREATE, type=1)
        for i in range(60)
    ]
    free = estimate(users, Tier.FREE)
    assert free.calls == {Category.LIGHT: 60}
    assert free.seconds == 15.0
    assert free.warnings == (
        "60 invitations (create_action: create) exceed the free daily cap of 50",
    )
    assert estimate(users, Tier.BUSINESS).seconds == 0.8
    assert estimate(users, Tier.PRO).warnings == ()
