"""The pure parts of the applier and of `--target`: the waits between changes, the order they
start in, and which changes a target selects."""

from __future__ import annotations

import pytest

from reconciler.apply.applier import build_graph, launch_order
from reconciler.apply.targets import Target, scope_desired, select, unknown_targets
from reconciler.errors import ReconcilerError
from reconciler.model.live import LiveDivision, LiveGroup, LiveState, LiveUser, ZoomUserStatus
from reconciler.plan.changes import (
    DeleteMode,
    GroupCreate,
    GroupDelete,
    GroupMemberAdd,
    GroupMemberRemove,
    GroupSettingsUpdate,
    GroupUpdate,
    SettingChange,
    UserCreate,
    UserDelete,
)
from reconciler.plan.desired import Desired, DesiredGroup, DesiredPolicy, DesiredUser


def _user(email: str) -> UserCreate:
    return UserCreate(email=email, create_action="custCreate", type=1)


def test_memberships_wait_for_their_group_and_user_and_deletes_wait_for_removals() -> None:
    changes = [
        GroupCreate(name="A"),
        _user("a@x.example"),
        GroupMemberAdd(group="A", email="a@x.example"),
        GroupDelete(group_id="g1", name="Old"),
        GroupMemberRemove(group="Old", group_id="g1", email="b@x.example", user_id="u2"),
        UserDelete(
            email="b@x.example", user_id="u2", mode=DeleteMode.DELETE, status="active", type=1
        ),
    ]
    nodes = build_graph(changes)
    assert sorted(nodes[2].hard) == [0, 1]
    # Destructive changes wait (without depending) for what leans on them to go first.
    assert nodes[3].soft == [4]
    assert nodes[5].soft == [4]
    assert nodes[4].hard == []
    assert nodes[4].soft == []


def test_creates_wait_for_renames_of_the_same_kind() -> None:
    nodes = build_graph(
        [GroupCreate(name="Sales"), GroupUpdate(group_id="g", old_name="Sales", name="Field Sales")]
    )
    assert nodes[0].soft == [1]


def test_creates_that_complete_a_batch_start_first() -> None:
    # Group B needs one user, group A three: B's user is created first, then A's.
    changes = [
        _user("a1@x.example"),
        _user("a2@x.example"),
        _user("a3@x.example"),
        _user("b1@x.example"),
        GroupSettingsUpdate(
            group="A", group_id="ga", changes=(SettingChange(path=("p", "q"), old=1, new=2),)
        ),
        *[GroupMemberAdd(group="A", group_id="ga", email=f"a{i}@x.example") for i in (1, 2, 3)],
        GroupMemberAdd(group="B", group_id="gb", email="b1@x.example"),
    ]
    order = launch_order(build_graph(changes))
    assert order[:4] == [3, 0, 1, 2]
    assert sorted(order) == list(range(len(changes)))


def test_a_target_selects_its_changes_and_what_they_depend_on() -> None:
    changes = [
        GroupCreate(name="A"),
        GroupCreate(name="B"),
        _user("a@x.example"),
        GroupMemberAdd(group="A", email="a@x.example"),
        GroupMemberAdd(group="B", email="a@x.example"),
    ]
    chosen = select(changes, [Target.parse("group_member:A")])
    assert [c.key for c in chosen] == ["A", "a@x.example", "A/a@x.example"]
    assert select(changes, [Target.parse("group:B")]) == [changes[1], changes[2], changes[4]]
    assert select(changes, []) == changes
    with pytest.raises(ReconcilerError, match="unknown kind"):
        Target.parse("meeting:X")


def test_scoping_stops_managing_what_no_target_reads() -> None:
    desired = Desired(
        groups=(
            DesiredGroup(
                name="A", admins=("a@x.example",), settings={"in_meeting": {"chat": True}}
            ),
        ),
        policy=DesiredPolicy(prune_contact_groups=True),
    )
    scoped = scope_desired(desired, [Target.parse("group_settings:A")])
    (group,) = scoped.groups
    assert group.settings == {"in_meeting": {"chat": True}}
    assert group.admins is None
    assert scoped.policy.prune_contact_groups is False
    assert scope_desired(desired, [Target.parse("user")]).groups[0].settings is None


def test_named_targets_that_match_nothing_anywhere_are_reported() -> None:
    desired = Desired(
        users=(DesiredUser(email="Ann@x.example"),), groups=(DesiredGroup(name="Dev"),)
    )
    live = LiveState(
        users=(LiveUser(email="bob@x.example", status=ZoomUserStatus.ACTIVE, type=1, id="u1"),),
        groups=(LiveGroup(id="g1", name="Ops"),),
        divisions=(LiveDivision(id="d1", name="EMEA"),),
    )
    known = [
        "user:ann@x.example",
        "user:BOB@x.example",
        "group:Dev",
        "group:Ops",
        "group_member:Dev/ann@x.example",
        "group_settings:Ops",
        "division:EMEA",
        "division_member:EMEA",
        "user",
    ]
    assert unknown_targets([Target.parse(t) for t in known], desired, live) == []
    typos = ["group:Devs", "group_member:Opz/bob@x.example", "user:an@x.example", "division:APAC"]
    found = unknown_targets([Target.parse(t) for t in typos], desired, live)
    assert [str(t) for t in found] == typos
