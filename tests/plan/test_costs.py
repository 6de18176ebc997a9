"""The cost table: a row for every change type, read the same way by the estimate and by the
applier's dispatch. (That the rows tell the truth about the applier is proved against the
sandbox in tests/e2e/test_estimate_matches_apply.py.)"""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconciler.apply.operations.dispatch import BATCHED, SINGLE
from reconciler.catalog import ENDPOINTS, Category, Operation, RequestRate
from reconciler.model.live import ContactMemberType
from reconciler.plan.changes import (
    CHANGE_TYPES,
    Change,
    ContactGroupCreate,
    ContactGroupMemberAdd,
    ContactGroupUpdate,
    FieldChange,
    GroupLockSettingsUpdate,
    GroupMemberAdd,
    SettingChange,
    UserUpdate,
)
from reconciler.plan.costs import COSTS, batch_key, batch_limit, count_requests
from reconciler.plan.estimate import estimate


def test_every_change_type_has_a_row_and_an_operation_that_matches_it() -> None:
    assert set(COSTS) == set(CHANGE_TYPES.values())
    for change_type, requests in COSTS.items():
        batched = any(r.batch is not None for r in requests)
        assert (change_type in BATCHED) == batched, change_type
        assert batched or change_type in SINGLE, change_type


def test_batch_keys_and_limits_come_from_the_row() -> None:
    pending = GroupMemberAdd(group="A", email="p@x.example", user_pending=True)
    member = GroupMemberAdd(group="A", email="m@x.example")
    users = ContactGroupMemberAdd(
        contact_group="C", member_type=ContactMemberType.USER, member="u@x.example"
    )
    groups = ContactGroupMemberAdd(
        contact_group="C", member_type=ContactMemberType.GROUP, member="G"
    )
    assert batch_key(pending) is None
    assert batch_key(member) == ("group members", "A")
    assert (batch_limit(member), batch_limit(users), batch_limit(groups)) == (30, 50, 3)
    assert batch_key(users) != batch_key(groups)


def test_a_new_contact_groups_first_members_ride_in_its_create() -> None:
    adds: list[Change] = [
        ContactGroupMemberAdd(
            contact_group="C", member_type=ContactMemberType.USER, member=f"u{i}@x.example"
        )
        for i in range(51)
    ]
    adds += [
        ContactGroupMemberAdd(contact_group="C", member_type=ContactMemberType.GROUP, member="G")
    ]
    create = ContactGroupCreate(name="C", privacy=1)
    assert count_requests(adds) == {Operation.ADD_CONTACT_GROUP_MEMBERS: 3}
    # 50 users and the group travel with the create; the 51st user needs a request of its own.
    assert count_requests([create, *adds]) == {
        Operation.CREATE_CONTACT_GROUP: 1,
        Operation.ADD_CONTACT_GROUP_MEMBERS: 1,
    }
    # A rename to the same name creates nothing: every member goes in requests of its own.
    rename = ContactGroupUpdate(name="C", contact_group_id="c1", changes=())
    assert count_requests([rename, *adds])[Operation.ADD_CONTACT_GROUP_MEMBERS] == 3


def test_lock_settings_split_by_the_lock_documents_own_options() -> None:
    # Lock settings take `option=meeting_security` only: a meeting_authentication section goes
    # in the plain PATCH, as the applier sends it.
    change = GroupLockSettingsUpdate(
        group="A",
        changes=(
            SettingChange(path=("meeting_authentication", "x"), new=True),
            SettingChange(path=("meeting_security", "waiting_room"), new=True),
        ),
    )
    assert count_requests([change]) == {Operation.UPDATE_GROUP_LOCK_SETTINGS: 2}


def test_user_update_calls_follow_its_parts() -> None:
    deactivate = FieldChange(field="status", old="active", new="inactive")
    profile = (FieldChange(field="dept", old="A", new="B"),)
    retype = FieldChange(field="type", old=1, new=2)
    quiet = UserUpdate(email="a@x.example", user_id="u1", profile=profile, status=deactivate)
    # Type goes in a PATCH of its own: Zoom refuses it together with other fields.
    full = UserUpdate(email="b@x.example", profile=profile, type=retype, status=deactivate)
    assert count_requests([quiet]) == {Operation.UPDATE_USER: 1, Operation.SET_USER_STATUS: 1}
    assert count_requests([full]) == {Operation.UPDATE_USER: 2, Operation.SET_USER_STATUS: 1}


def test_an_endpoints_own_rate_limit_slows_the_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    adds = [GroupMemberAdd(group="A", email="p@x.example", user_pending=True)] * 3
    assert estimate(adds).calls == {Category.LIGHT: 3}
    assert estimate(adds).seconds == 0.1  # 3 calls at Pro's 30 Light calls a second
    patch_user = replace(ENDPOINTS[Operation.UPDATE_USER], own_rate=RequestRate(1, 10))
    monkeypatch.setitem(ENDPOINTS, Operation.UPDATE_USER, patch_user)
    assert estimate(adds).seconds == 20.0  # the first at once, then one every 10 s
