"""The safety rails: caps that --force overrides, floors that nothing overrides."""

from __future__ import annotations

import json

import pytest

from reconciler.errors import UnsafePlanError
from reconciler.model.enums import UserPrune, UserStatus
from reconciler.model.live import LiveGroup, LiveState, LiveUser, ZoomUserStatus
from reconciler.plan import build_plan, check_safety
from reconciler.plan.approval import Approved
from reconciler.plan.desired import Desired, DesiredGroup, DesiredPolicy, DesiredUser

ACTIVE = ZoomUserStatus.ACTIVE


def _users(count: int, role: str = "2") -> tuple[LiveUser, ...]:
    return tuple(
        LiveUser(f"u{i}@acme.example", ACTIVE, 1, f"u-{i}", role, profile={"dept": "Old"})
        for i in range(count)
    )


def _policy(**values: object) -> DesiredPolicy:
    return DesiredPolicy(**values)  # type: ignore[arg-type]


def test_max_deletes_refuses_and_force_overrides_saying_so() -> None:
    live = LiveState(users=(*_users(5), LiveUser("admin@acme.example", ACTIVE, 2, "u-a", "1")))
    policy = _policy(prune_users=UserPrune.DEACTIVATE, max_deletes=3, max_change_percent=100)
    desired = Desired(users=(DesiredUser("admin@acme.example"),), policy=policy)
    plan = build_plan(desired, live)
    assert plan.summary.delete == 5
    with pytest.raises(UnsafePlanError, match=r"5 deletes.*max_deletes \(3\).*--force"):
        check_safety(plan, policy)
    overridden = check_safety(plan, policy, force=True)
    assert len(overridden) == 1
    assert "max_deletes" in overridden[0]


def test_deletes_at_the_limit_pass() -> None:
    live = LiveState(users=(*_users(3), LiveUser("admin@acme.example", ACTIVE, 2, "u-a", "1")))
    policy = _policy(prune_users=UserPrune.DELETE, max_deletes=3, max_change_percent=100)
    plan = build_plan(Desired(users=(DesiredUser("admin@acme.example"),), policy=policy), live)
    assert check_safety(plan, policy) == ()


def test_change_percent_applies_only_to_kinds_with_ten_live_objects() -> None:
    policy = _policy(max_deletes=100, max_change_percent=30)
    wanted = tuple(DesiredUser(f"u{i}@acme.example", profile={"dept": "X"}) for i in range(4))
    small = build_plan(Desired(users=wanted, policy=policy), LiveState(users=_users(9)))
    assert check_safety(small, policy) == ()
    large = build_plan(Desired(users=wanted, policy=policy), LiveState(users=_users(10)))
    with pytest.raises(UnsafePlanError, match=r"4 of 10 users changed \(40%\)"):
        check_safety(large, policy)
    assert len(check_safety(large, policy, force=True)) == 1


def test_filling_an_empty_field_does_not_count_towards_the_change_percent() -> None:
    policy = _policy(max_change_percent=10)
    live = tuple(LiveUser(f"u{i}@acme.example", ACTIVE, 1, f"u-{i}", "2") for i in range(10))
    wanted = tuple(DesiredUser(f"u{i}@acme.example", profile={"dept": "X"}) for i in range(10))
    plan = build_plan(Desired(users=wanted, policy=policy), LiveState(users=live))
    assert len(plan.changes) == 10
    assert check_safety(plan, policy) == ()


def test_an_approved_unfinished_apply_is_finished_without_the_caps() -> None:
    """A re-run may finish what an approved plan promised; anything more is capped as usual."""
    policy = _policy(max_deletes=0, max_change_percent=10)
    wanted = tuple(DesiredUser(f"u{i}@acme.example", profile={"dept": "X"}) for i in range(5))
    plan = build_plan(Desired(users=wanted, policy=policy), LiveState(users=_users(10)))
    with pytest.raises(UnsafePlanError, match="5 of 10 users changed"):
        check_safety(plan, policy)
    creates = build_plan(Desired(users=wanted, policy=policy), LiveState(users=()))
    approved = Approved.of(creates.changes)  # what the killed run was approved to do
    assert check_safety(plan, policy, approved=approved) == ()
    approved = Approved.from_json(json.loads(json.dumps(approved.to_json())))
    assert check_safety(plan, policy, approved=approved) == ()
    other = (*wanted[:4], DesiredUser("u4@acme.example", profile={"dept": "Y"}))
    changed = build_plan(Desired(users=other, policy=policy), LiveState(users=_users(10)))
    assert check_safety(changed, policy, approved=approved) == ()  # 1 of 10 is not above 10%
    removal = build_plan(
        Desired(users=wanted, policy=_policy(prune_users=UserPrune.DELETE)),
        LiveState(users=_users(6)),
    )
    with pytest.raises(UnsafePlanError, match="1 deletes"):
        check_safety(removal, policy, approved=approved)


def test_a_sealed_approval_covers_what_the_open_one_covers_without_holding_values() -> None:
    """Sealed, an approval keeps digests only (for a pull-request comment), and covers the same
    changes: the rest of an interrupted create, never a different value or an unapproved add."""
    policy = _policy(max_change_percent=100)
    wanted = tuple(
        DesiredUser(f"u{i}@acme.example", profile={"dept": "X", "first_name": "Zelda"})
        for i in range(3)
    )
    creates = build_plan(Desired(users=wanted, policy=policy), LiveState(users=()))
    sealed = Approved.of(creates.changes).as_sealed()
    text = json.dumps(sealed.to_json())
    assert "Zelda" not in text
    assert "u1@acme.example" in text  # keys stay readable: emails already show on the comment
    sealed = Approved.from_json(json.loads(text))
    assert sealed.sealed

    finish = build_plan(Desired(users=wanted, policy=policy), LiveState(users=_users(3)))
    assert finish.changes
    assert all(sealed.covers(c) for c in finish.changes)
    other = (DesiredUser("u0@acme.example", profile={"dept": "Y", "first_name": "Zelda"}),)
    drifted = build_plan(Desired(users=other, policy=policy), LiveState(users=_users(1)))
    assert not any(sealed.covers(c) for c in drifted.changes)
    extra = build_plan(
        Desired(users=(DesiredUser("new@acme.example"),), policy=policy), LiveState(users=())
    )
    assert not any(sealed.covers(c) for c in extra.changes)


def test_creates_do_not_count_towards_the_change_percent() -> None:
    policy = _policy(max_change_percent=10)
    wanted = tuple(DesiredUser(f"new{i}@acme.example") for i in range(8))
    plan = build_plan(Desired(users=wanted, policy=policy), LiveState(users=_users(10)))
    assert check_safety(plan, policy) == ()


def test_the_last_group_admin_cannot_be_removed_even_with_force() -> None:
    live = LiveState(
        users=_users(2),
        groups=(LiveGroup("g1", "Developers", admins=frozenset({"u0@acme.example"})),),
    )
    policy = _policy()
    desired = Desired(groups=(DesiredGroup("Developers", admins=()),), policy=policy)
    plan = build_plan(desired, live)
    with pytest.raises(UnsafePlanError, match="Developers would lose its last admin"):
        check_safety(plan, policy, force=True)
    replaced = Desired(
        groups=(DesiredGroup("Developers", admins=("u1@acme.example",)),), policy=policy
    )
    assert check_safety(build_plan(replaced, live), policy) == ()


def test_account_admins_are_never_deactivated_or_pruned_and_the_floor_backs_that() -> None:
    """Zoom refuses to change an admin's status or delete it: the differ leaves a note instead,
    and a plan that deactivates every account admin anyway (made by hand) is refused."""
    from reconciler.plan import make_plan
    from reconciler.plan.changes import FieldChange, UserUpdate

    live = LiveState(users=(*_users(2, role="1"), *_users(0)))
    policy = _policy(max_deletes=100, max_change_percent=100, prune_users=UserPrune.DELETE)
    desired = Desired(
        users=(DesiredUser("u0@acme.example", status=UserStatus.INACTIVE),), policy=policy
    )
    plan = build_plan(desired, live)
    assert plan.is_empty
    assert any("u0@acme.example is an account admin" in note for note in plan.notes)
    assert any("u1@acme.example is an account admin" in note for note in plan.notes)

    deactivate = [
        UserUpdate(
            email=f"u{i}@acme.example",
            user_id=f"u-{i}",
            status=FieldChange(field="status", old="active", new="inactive"),
        )
        for i in range(2)
    ]
    with pytest.raises(UnsafePlanError, match="every account admin"):
        check_safety(make_plan(deactivate, live), policy, force=True)
    assert check_safety(make_plan(deactivate[:1], live), policy) == ()


def test_the_owner_is_never_pruned_and_a_plan_that_would_is_refused() -> None:
    from reconciler.plan import make_plan
    from reconciler.plan.changes import FieldChange, UserUpdate

    owner = LiveUser("owner@acme.example", ACTIVE, 2, "u-o", "0")
    live = LiveState(users=(owner, *_users(1)))
    policy = _policy(prune_users=UserPrune.DELETE)
    plan = build_plan(Desired(policy=policy), live)
    assert [c.key for c in plan.changes] == ["u0@acme.example"]
    assert any("owner" in note for note in plan.notes)
    declared = Desired(
        users=(DesiredUser("owner@acme.example", status=UserStatus.INACTIVE),), policy=policy
    )
    # Zoom would refuse to deactivate the owner: the differ leaves a note instead
    assert [c.key for c in build_plan(declared, live).changes] == ["u0@acme.example"]
    deactivate = UserUpdate(
        email="owner@acme.example",
        user_id="u-o",
        status=FieldChange(field="status", old="active", new="inactive"),
    )
    with pytest.raises(UnsafePlanError, match=r"account owner owner@acme\.example"):
        check_safety(make_plan([deactivate], live), policy, force=True)


def test_the_owners_licence_is_never_lowered_and_a_plan_that_would_is_refused() -> None:
    from reconciler.plan import make_plan
    from reconciler.plan.changes import FieldChange, UserUpdate

    owner = LiveUser("owner@acme.example", ACTIVE, 2, "u-o", "0")
    live = LiveState(users=(owner,))
    policy = _policy()
    declared = Desired(users=(DesiredUser("owner@acme.example", type=1),), policy=policy)
    # Zoom refuses it (code 1108): the differ leaves a note instead of a change
    plan = build_plan(declared, live)
    assert plan.changes == ()
    assert any("account owner" in note and "1108" in note for note in plan.notes)
    lower = UserUpdate(
        email="owner@acme.example", user_id="u-o", type=FieldChange(field="type", old=2, new=1)
    )
    with pytest.raises(UnsafePlanError, match=r"owner@acme\.example's licence would be lowered"):
        check_safety(make_plan([lower], live), policy, force=True)


def test_a_plan_touching_a_protected_user_is_refused() -> None:
    # The differ never produces one; a hand-edited saved plan could.
    live = LiveState(users=_users(1))
    plan = build_plan(Desired(users=(DesiredUser("u0@acme.example", profile={"dept": "X"}),)), live)
    policy = _policy(protected_users=frozenset({"u0@acme.example"}))
    with pytest.raises(UnsafePlanError, match=r"protected user u0@acme\.example"):
        check_safety(plan, policy, force=True)
    assert build_plan(
        Desired(users=(DesiredUser("u0@acme.example", profile={"dept": "X"}),), policy=policy), live
    ).is_empty


def test_the_configuration_policy_serves_the_rails_directly() -> None:
    from tests.plan.acme import acme_plan, config

    policy = config().policy
    plan = acme_plan()
    assert check_safety(plan, policy) == ()
    strict = policy.model_copy(
        update={"safety": policy.safety.model_copy(update={"max_deletes": 2})}
    )
    with pytest.raises(UnsafePlanError, match=r"7 deletes/deactivations/removals"):
        check_safety(plan, strict)
