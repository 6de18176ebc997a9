"""The store's invariants under any sequence of operations, and single rules checked directly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.sandbox.clock import Clock
from reconciler.sandbox.entities import CreateAction, UserStatus, UserType
from reconciler.sandbox.errors import SandboxError
from reconciler.sandbox.store import Store

OPERATIONS = [
    "user",
    "invite",
    "accept",
    "deactivate",
    "group",
    "add",
    "remove",
    "move",
    "primary",
    "drop_group",
    "drop_user",
    "division",
    "assign",
]


def _check_invariants(store: Store) -> None:
    for user in store.users.values():
        assert len(user.group_ids) == len(set(user.group_ids))
        for group_id in user.group_ids:
            assert user.id in store.groups[group_id].members
        assert user.id in store.divisions[user.division_id].members
    for group in store.groups.values():
        for member in group.members:
            assert group.id in store.users[member].group_ids
        assert all(admin in store.users for admin in group.admins)
    for division in store.divisions.values():
        assert all(store.users[m].division_id == division.id for m in division.members)
    assert sum(len(d.members) for d in store.divisions.values()) == len(store.users)
    for status in UserStatus:
        listed = {u.id for u in store.users_with_status(status)}
        assert listed == {u.id for u in store.users.values() if u.status is status}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 5), st.integers(0, 5)), max_size=40
    )
)
def test_memberships_stay_consistent(steps: list[tuple[str, int, int]]) -> None:
    store = Store(account_id="a", clock=Clock(), seed=0)
    counter = 0
    for operation, a, b in steps:
        users = list(store.users.values())
        groups = list(store.groups.values())
        divisions = list(store.divisions.values())
        try:
            if operation == "user":
                counter += 1
                store.create_user(
                    CreateAction.CUST_CREATE, {"email": f"u{counter}@x.example", "type": 1}
                )
            elif operation == "invite":
                counter += 1
                store.create_user(
                    CreateAction.CREATE, {"email": f"i{counter}@x.example", "type": 1}
                )
            elif operation == "group":
                counter += 1
                store.create_group(f"G{counter}")
            elif operation == "division":
                counter += 1
                store.create_division(f"D{counter}")
            elif operation in ("accept", "deactivate") and users:
                user = users[a % len(users)]
                if operation == "accept":
                    store.accept_invitation(user)
                else:
                    store.set_status(user, "deactivate")
            elif users and groups:
                user, group = users[a % len(users)], groups[b % len(groups)]
                other = groups[(b + 1) % len(groups)]
                if operation == "add":
                    store.add_members(group, [user])
                    store.add_admins(other, [user])
                elif operation == "remove":
                    store.remove_member(group, user.email)
                elif operation == "move":
                    store.move_member(group, user.id, other.id)
                elif operation == "primary":
                    store.set_primary(group, user.id, other.id)
                    assert user.group_ids[0] == other.id
                elif operation == "drop_group":
                    store.delete_group(group)
                elif operation == "drop_user":
                    store.delete_user(user, "delete")
                elif operation == "assign":
                    store.assign_division(divisions[b % len(divisions)], [user])
        except SandboxError:
            pass
        _check_invariants(store)


def test_move_keeps_the_primary_position() -> None:
    store = Store(account_id="a", clock=Clock(), seed=0)
    user = store.create_user(CreateAction.CUST_CREATE, {"email": "u@x.example", "type": 2})
    a, b, c = (store.create_group(n) for n in "ABC")
    store.add_members(a, [user])
    store.add_members(b, [user])
    store.move_member(a, user.id, c.id)
    assert user.group_ids == [c.id, b.id]
    store.move_member(c, user.id, b.id)  # into a group the user is already in
    assert user.group_ids == [b.id]


def test_deactivation_removes_the_licence_and_pending_users_cannot_be_activated() -> None:
    store = Store(account_id="a", clock=Clock(), seed=0)
    user = store.create_user(CreateAction.SSO_CREATE, {"email": "u@x.example", "type": 2})
    store.set_status(user, "deactivate")
    assert (user.status, user.type) == (UserStatus.INACTIVE, UserType.BASIC)
    invited = store.create_user(CreateAction.CREATE, {"email": "i@x.example", "type": 1})
    assert invited.status is UserStatus.PENDING
    with pytest.raises(SandboxError) as refused:
        store.set_status(invited, "activate")  # not before the invitation is accepted
    assert refused.value.code == 300
    store.accept_invitation(invited)
    assert store.user("i@x.example").status is UserStatus.ACTIVE


def test_pending_users_leave_only_by_disassociation() -> None:
    store = Store(account_id="a", clock=Clock(), seed=0)
    invited = store.create_user(CreateAction.CREATE, {"email": "i@x.example", "type": 1})
    with pytest.raises(SandboxError) as refused:
        store.delete_user(invited, "delete")
    assert refused.value.status == 400
    store.delete_user(invited, "disassociate")
    assert not store.has_email("i@x.example")
