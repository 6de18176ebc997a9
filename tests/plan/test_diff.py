"""The differ's rules, one case each: unmanaged fields, pending users, pins, settings, floors."""

from __future__ import annotations

import pytest

from reconciler.model import Config
from reconciler.model.enums import CreateAction, UserPrune, UserStatus
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
from reconciler.plan import LiveStateIncomplete, build_plan, desired_from_config
from reconciler.plan.changes import (
    Action,
    ContactGroupUpdate,
    DeleteMode,
    DivisionUpdate,
    GroupMemberAdd,
    GroupSettingsUpdate,
    GroupUpdate,
    Kind,
    SettingChange,
    UserCreate,
    UserDelete,
    UserUpdate,
)
from reconciler.plan.desired import (
    Desired,
    DesiredContactGroup,
    DesiredDivision,
    DesiredGroup,
    DesiredPolicy,
    DesiredUser,
)
from reconciler.plan.settings import settings_changes

ACTIVE, INACTIVE, PENDING = ZoomUserStatus.ACTIVE, ZoomUserStatus.INACTIVE, ZoomUserStatus.PENDING
ANN = LiveUser(
    "Ann@Acme.example", ACTIVE, 1, "u-ann", "2", profile={"first_name": "Ann", "dept": "Eng"}
)
PEN = LiveUser("pen@acme.example", PENDING, 1, group_ids=("g1",))


def refs(desired: Desired, live: LiveState) -> list[str]:
    return [c.ref.format() for c in build_plan(desired, live).changes]


def test_unwritten_fields_are_unmanaged_and_emails_match_ignoring_case() -> None:
    live = LiveState(users=(ANN,))
    assert refs(Desired(users=(DesiredUser("ann@acme.example"),)), live) == []
    wanted = DesiredUser("ann@acme.example", profile={"dept": "Sales"})
    (change,) = build_plan(Desired(users=(wanted,)), live).changes
    assert isinstance(change, UserUpdate)
    assert [(f.field, f.old, f.new) for f in change.profile] == [("dept", "Eng", "Sales")]


def test_type_and_status_stay_apart_from_profile_fields() -> None:
    wanted = DesiredUser("ann@acme.example", profile={"dept": "Ops"}, type=2)
    (change,) = build_plan(Desired(users=(wanted,)), LiveState(users=(ANN,))).changes
    assert isinstance(change, UserUpdate)
    assert [f.field for f in change.profile] == ["dept"]
    assert change.type is not None
    assert (change.type.old, change.type.new) == (1, 2)
    assert change.status is None
    assert change.before() == {"dept": "Eng", "type": "basic"}

    leaving = DesiredUser(
        "ann@acme.example", profile={"dept": "Ops"}, type=1, status=UserStatus.INACTIVE
    )
    (change,) = build_plan(Desired(users=(leaving,)), LiveState(users=(ANN,))).changes
    assert isinstance(change, UserUpdate)
    assert change.deactivates
    assert change.before() == {"dept": "Eng", "status": "active"}


def test_a_user_left_inactive_keeps_its_type_since_zoom_takes_its_licence() -> None:
    wanted = DesiredUser("ann@acme.example", type=2, status=UserStatus.INACTIVE)
    plan = build_plan(Desired(users=(wanted,)), LiveState(users=(ANN,)))
    (change,) = plan.changes
    assert isinstance(change, UserUpdate)
    assert change.deactivates
    assert change.type is None
    assert any("ann@acme.example stays inactive" in note for note in plan.notes)


def test_pending_users_get_only_what_zoom_allows() -> None:
    live = LiveState(
        users=(PEN,),
        groups=(LiveGroup("g1", "Developers", admins=frozenset()), LiveGroup("g2", "Sales")),
    )
    wanted = DesiredUser("pen@acme.example", type=2, status=UserStatus.INACTIVE, groups=("Sales",))
    desired = Desired(
        users=(wanted,),
        groups=(DesiredGroup("Developers", members=(), admins=("pen@acme.example",)),),
    )
    plan = build_plan(desired, live)
    assert [c.ref.format() for c in plan.changes] == [
        "user:pen@acme.example",
        "group_member:Sales/pen@acme.example",
        "group_member:Developers/pen@acme.example",
    ]
    update, add, remove = plan.changes
    assert remove.action is Action.REMOVE
    assert isinstance(update, UserUpdate)
    assert update.status is None
    assert update.pending
    assert isinstance(add, GroupMemberAdd)
    assert add.user_pending
    assert add.primary
    assert sorted(plan.notes) == [
        "group Developers: pen@acme.example is pending; it can become an admin once it accepts",
        "user pen@acme.example is pending; it cannot be deactivated until it accepts",
    ]


def test_pending_users_are_disassociated_never_deleted() -> None:
    live = LiveState(users=(PEN, ANN))
    plan = build_plan(Desired(policy=DesiredPolicy(prune_users=UserPrune.DELETE)), live)
    modes = {c.key: c.mode for c in plan.changes if isinstance(c, UserDelete)}
    assert modes == {
        "pen@acme.example": DeleteMode.DISASSOCIATE,
        "ann@acme.example": DeleteMode.DELETE,
    }
    deactivate = build_plan(Desired(policy=DesiredPolicy(prune_users=UserPrune.DEACTIVATE)), live)
    assert [c.key for c in deactivate.changes] == ["ann@acme.example"]


def test_invited_users_cannot_be_deactivated_at_once_but_others_can() -> None:
    invited = DesiredUser("new@acme.example", status=UserStatus.INACTIVE)
    custom = DesiredUser(
        "cust@acme.example", status=UserStatus.INACTIVE, create_action=CreateAction.CUST_CREATE
    )
    plan = build_plan(Desired(users=(invited, custom)), LiveState())
    flags = {c.key: c.model_dump()["deactivate"] for c in plan.changes}
    assert flags == {"new@acme.example": False, "cust@acme.example": True}
    assert len(plan.notes) == 1


def test_pinned_ids_turn_new_names_into_renames() -> None:
    live = LiveState(
        groups=(LiveGroup("g1", "Old"),),
        divisions=(LiveDivision("d1", "Old Div"),),
        contact_groups=(LiveContactGroup("c1", "Old CG", members=frozenset()),),
    )
    desired = Desired(
        groups=(DesiredGroup("New", id="g1"),),
        divisions=(DesiredDivision("New Div", id="d1"),),
        contact_groups=(DesiredContactGroup("New CG", id="c1"),),
        policy=DesiredPolicy(prune_groups=True, prune_divisions=True, prune_contact_groups=True),
    )
    changes = build_plan(desired, live).changes
    assert [type(c).__name__ for c in changes] == [
        DivisionUpdate.__name__,
        GroupUpdate.__name__,
        ContactGroupUpdate.__name__,
    ]
    unpinned = Desired(groups=(DesiredGroup("New"),), policy=DesiredPolicy(prune_groups=True))
    assert refs(unpinned, LiveState(groups=live.groups)) == ["group:New", "group:Old"]


def test_undeclared_objects_stay_unless_pruned() -> None:
    live = LiveState(
        users=(ANN,),
        groups=(LiveGroup("g1", "Temp"),),
        divisions=(LiveDivision("d0", "Main", is_main=True), LiveDivision("d1", "Field")),
        contact_groups=(LiveContactGroup("c1", "Old", members=frozenset()),),
    )
    assert refs(Desired(), live) == []
    pruned = DesiredPolicy(prune_groups=True, prune_divisions=True, prune_contact_groups=True)
    assert refs(Desired(policy=pruned), live) == [
        "contact_group:Old",
        "group:Temp",
        "division:Field",
    ]


def test_a_division_is_deleted_only_once_empty_and_moves_come_first() -> None:
    ben = LiveUser("ben@acme.example", ACTIVE, 1, "u-ben", "2", division_ids=("d1",))
    live = LiveState(
        users=(ANN, ben),
        divisions=(LiveDivision("d0", "Main", is_main=True), LiveDivision("d1", "Field")),
    )
    policy = DesiredPolicy(prune_divisions=True)
    stays = build_plan(Desired(policy=policy), live)
    assert stays.is_empty
    assert stays.notes == ("division Field is not declared but still has 1 user(s); not deleted",)
    moved = Desired(users=(DesiredUser("ben@acme.example", division="Main"),), policy=policy)
    assert refs(moved, live) == ["division_member:Main/ben@acme.example", "division:Field"]


def test_membership_is_exact_only_for_groups_whose_members_are_written() -> None:
    ben = LiveUser("ben@acme.example", ACTIVE, 1, "u-ben", "2", group_ids=("g1", "g2"))
    live = LiveState(users=(ben,), groups=(LiveGroup("g1", "Listed"), LiveGroup("g2", "Loose")))
    desired = Desired(groups=(DesiredGroup("Listed", members=()), DesiredGroup("Loose")))
    assert refs(desired, live) == ["group_member:Listed/ben@acme.example"]
    kept = Desired(groups=desired.groups, policy=DesiredPolicy(prune_group_members=False))
    assert refs(kept, live) == []


def test_membership_written_from_the_configuration_files() -> None:
    config = Config.model_validate(
        {
            "version": 1,
            "groups": [{"name": "Loose"}, {"name": "Named"}],
            "divisions": [{"name": "Field", "members": ["ben@acme.example"]}],
            "users": [{"email": "Cy@acme.example", "groups": ["Named"]}],
        }
    )
    ben = LiveUser("ben@acme.example", ACTIVE, 1, "u-ben", "2", group_ids=("g1", "g2"))
    live = LiveState(
        users=(ben,),
        groups=(LiveGroup("g1", "Loose"), LiveGroup("g2", "Named")),
        divisions=(LiveDivision("d1", "Field"),),
    )
    assert refs(desired_from_config(config), live) == [
        "user:cy@acme.example",
        "division_member:Field/ben@acme.example",
        "group_member:Named/cy@acme.example",
        "group_member:Named/ben@acme.example",
    ]


def test_a_contact_group_keeps_its_last_member() -> None:
    live = LiveState(
        users=(ANN,),
        contact_groups=(
            LiveContactGroup(
                "c1",
                "Office",
                members=frozenset({LiveContactMember(ContactMemberType.USER, "u-ann")}),
            ),
        ),
    )
    plan = build_plan(
        Desired(contact_groups=(DesiredContactGroup("Office", member_users=()),)), live
    )
    assert plan.is_empty
    assert "Zoom refuses to remove a group's last member" in plan.notes[0]
    # Only the member lists that are written are exact.
    untouched = Desired(contact_groups=(DesiredContactGroup("Office", member_groups=()),))
    assert build_plan(untouched, live).is_empty


def test_a_contact_group_whose_other_members_are_deleted_keeps_one() -> None:
    """A member whose group the plan deletes leaves with it, maybe before the removals run."""
    old, kept = (LiveContactMember(ContactMemberType.GROUP, g) for g in ("g1", "g2"))
    live = LiveState(
        groups=(LiveGroup("g1", "Old"), LiveGroup("g2", "Kept")),
        contact_groups=(LiveContactGroup("c1", "Office", members=frozenset({old, kept})),),
    )
    desired = Desired(
        groups=(DesiredGroup("Kept"),),
        contact_groups=(DesiredContactGroup("Office", member_groups=()),),
        policy=DesiredPolicy(prune_groups=True),
    )
    plan = build_plan(desired, live)
    assert [c.ref.format() for c in plan.changes] == ["group:Old"]
    assert "contact group Office keeps Kept" in plan.notes[0]


def test_members_of_the_unlisted_kind_whose_groups_are_deleted_count_as_leaving() -> None:
    """`members: {users: []}` beside pruned groups that are members too: those groups leave with
    their deletion (the kind of member not listed as well), so one user stays."""
    ben = LiveUser("ben@acme.example", ACTIVE, 1, "u-ben", "2")
    members = {LiveContactMember(ContactMemberType.USER, u) for u in ("u-ann", "u-ben")}
    members |= {LiveContactMember(ContactMemberType.GROUP, g) for g in ("g1", "g2")}
    live = LiveState(
        users=(ANN, ben),
        groups=(LiveGroup("g1", "Old"), LiveGroup("g2", "Older")),
        contact_groups=(LiveContactGroup("c1", "Office", members=frozenset(members)),),
    )
    desired = Desired(
        users=(DesiredUser("ann@acme.example"), DesiredUser("ben@acme.example")),
        contact_groups=(DesiredContactGroup("Office", member_users=()),),
        policy=DesiredPolicy(prune_groups=True),
    )
    plan = build_plan(desired, live)
    assert sorted(c.ref.format() for c in plan.changes) == [
        "contact_group_member:Office/user:ben@acme.example",
        "group:Old",
        "group:Older",
    ]
    assert "contact group Office keeps ann@acme.example" in plan.notes[0]


def test_members_of_renamed_groups_match_by_their_new_name() -> None:
    live = LiveState(
        groups=(LiveGroup("g1", "Old"),),
        contact_groups=(
            LiveContactGroup(
                "c1",
                "Office",
                members=frozenset({LiveContactMember(ContactMemberType.GROUP, "g1")}),
            ),
        ),
    )
    desired = Desired(
        groups=(DesiredGroup("New", id="g1"),),
        contact_groups=(DesiredContactGroup("Office", member_groups=("New",)),),
    )
    assert refs(desired, live) == ["group:New"]


@pytest.mark.parametrize(
    ("desired", "live", "expected"),
    [
        ({"a": {"b": True}}, {"a": {"b": True, "c": 1}}, []),
        ({"a": {"b": True}}, {"a": {"b": False}}, [(("a", "b"), False, True, True)]),
        ({"a": {"b": {"c": 2}}}, {"a": {}}, [(("a", "b", "c"), None, 2, False)]),
        ({"a": {"l": ["x", "y"]}}, {"a": {"l": ["x"]}}, [(("a", "l"), ["x"], ["x", "y"], True)]),
        ({"a": {"l": ["y"]}}, {"a": {"l": ["x"]}}, [(("a", "l"), ["x"], ["y"], True)]),
        ({"a": {"v": "all"}}, {"a": {"v": 3}}, [(("a", "v"), 3, "all", True)]),
        (
            {"a": {"b": 1, "c": 2}},
            {"a": 5},
            [(("a", "b"), None, 1, False), (("a", "c"), None, 2, False)],
        ),
    ],
)
def test_settings_compare_only_written_leaves(desired, live, expected) -> None:
    found = [(c.path, c.old, c.new, c.old_present) for c in settings_changes(desired, live)]
    assert found == expected


def test_a_setting_locked_at_the_account_level_says_so() -> None:
    live = LiveState(
        groups=(LiveGroup("g1", "Dev", settings={"in_meeting": {"chat": False, "poll": False}}),),
        account_lock_settings={"in_meeting": {"chat": True, "poll": False}},
    )
    desired = Desired(
        groups=(DesiredGroup("Dev", settings={"in_meeting": {"chat": True, "poll": True}}),)
    )
    (change,) = build_plan(desired, live).changes
    assert isinstance(change, GroupSettingsUpdate)
    assert change.changes == (
        SettingChange(path=("in_meeting", "chat"), old=False, new=True, locked_above=True),
        SettingChange(path=("in_meeting", "poll"), old=False, new=True),
    )
    assert change.notes() == (
        "in_meeting.chat is locked at the account level; the account's value wins",
    )
    assert change.patch_body() == {"in_meeting": {"chat": True, "poll": True}}


@pytest.mark.parametrize(
    ("group", "message"),
    [
        (DesiredGroup("Dev", admins=()), "admins of group Dev were not read"),
        (DesiredGroup("Dev", settings={"a": {"b": 1}}), "settings of group Dev were not read"),
        (
            DesiredGroup("Dev", lock_settings={"a": {"b": 1}}),
            "lock_settings of group Dev were not read",
        ),
    ],
)
def test_what_was_not_read_is_never_taken_for_empty(group: DesiredGroup, message: str) -> None:
    with pytest.raises(LiveStateIncomplete, match=message):
        build_plan(Desired(groups=(group,)), LiveState(groups=(LiveGroup("g1", "Dev"),)))


def test_order_runs_dependencies_first_and_deletes_in_reverse() -> None:
    live = LiveState(
        users=(ANN,),
        groups=(LiveGroup("g1", "Old", admins=frozenset({"ann@acme.example"})),),
        divisions=(LiveDivision("d0", "Main", is_main=True), LiveDivision("d1", "Gone")),
    )
    desired = Desired(
        users=(DesiredUser("new@acme.example", groups=("Fresh",), division="Fresh Div"),),
        groups=(DesiredGroup("Fresh", admins=("ann@acme.example",), settings={"s": {"k": 1}}),),
        divisions=(DesiredDivision("Fresh Div"),),
        policy=DesiredPolicy(prune_groups=True, prune_divisions=True, prune_users=UserPrune.DELETE),
    )
    kinds = [(c.kind, c.action) for c in build_plan(desired, live).changes]
    assert kinds == [
        (Kind.DIVISION, Action.CREATE),
        (Kind.GROUP, Action.CREATE),
        (Kind.USER, Action.CREATE),
        (Kind.DIVISION_MEMBER, Action.ADD),
        (Kind.GROUP_MEMBER, Action.ADD),
        (Kind.GROUP_SETTINGS, Action.UPDATE),
        (Kind.USER, Action.DELETE),
        (Kind.GROUP, Action.DELETE),
        (Kind.DIVISION, Action.DELETE),
    ]


def test_a_rename_onto_a_name_another_object_holds_is_held_back() -> None:
    live = LiveState(groups=(LiveGroup("g1", "Old"), LiveGroup("g2", "Taken")))
    plan = build_plan(Desired(groups=(DesiredGroup("Taken", id="g1"),)), live)
    assert plan.is_empty
    assert plan.notes == (
        "group Old is not renamed to Taken: another group has that name; "
        "rename or delete that one first",
    )


def test_a_user_created_inactive_is_created_basic() -> None:
    wanted = DesiredUser(
        "new@acme.example",
        type=2,
        status=UserStatus.INACTIVE,
        create_action=CreateAction.CUST_CREATE,
    )
    plan = build_plan(Desired(users=(wanted,)), LiveState())
    (change,) = plan.changes
    assert isinstance(change, UserCreate)
    assert change.deactivate
    assert change.type == 1
    assert any("new@acme.example is created inactive" in note for note in plan.notes)
