"""Licences and per-user settings in the plan: what is compared, the lock warning, the safety
cap, and the route each licence takes (PATCH or the bulk call) at each tier."""

from __future__ import annotations

import pytest

from reconciler.catalog import Tier
from reconciler.errors import UnsafePlanError
from reconciler.model.live import LiveGroup, LiveState, LiveUser, ZoomUserStatus
from reconciler.plan import build_plan, check_safety, estimate
from reconciler.plan.changes import (
    LicenceChange,
    UserFeaturesUpdate,
    UserSettingsUpdate,
)
from reconciler.plan.desired import Desired, DesiredGroup, DesiredPolicy, DesiredUser
from reconciler.plan.licences import bulk_requests, route_licences
from reconciler.plan.plan import make_plan

ACTIVE = ZoomUserStatus.ACTIVE
OFF = {"webinar": False, "large_meeting": False, "zoom_whiteboard": False}


def _user(n: int, **features: object) -> LiveUser:
    return LiveUser(
        f"u{n:03}@acme.example", ACTIVE, 2, f"id-{n}", features={**OFF, **features}, settings={}
    )


def _webinars(count: int, value: int = 500) -> list[UserFeaturesUpdate]:
    return [
        UserFeaturesUpdate(
            email=f"u{n:03}@acme.example",
            user_id=f"id-{n}",
            changes=(LicenceChange(name="webinar", old=False, new=value),),
        )
        for n in range(count)
    ]


def test_only_written_licences_are_compared_and_capacities_show_as_numbers() -> None:
    live = LiveState(users=(_user(0, large_meeting=500, zoom_whiteboard=True),))
    desired = Desired(users=(DesiredUser("u000@acme.example", features={"large_meeting": 1000}),))
    (change,) = build_plan(desired, live).changes
    assert isinstance(change, UserFeaturesUpdate)
    assert change.before() == {"large_meeting": 500}
    assert change.after() == {"large_meeting": 1000}
    assert change.removals == 0
    same = Desired(users=(DesiredUser("u000@acme.example", features={"zoom_whiteboard": True}),))
    assert build_plan(same, live).changes == ()


def test_a_licence_taken_away_counts_against_max_deletes() -> None:
    live = LiveState(users=tuple(_user(n, zoom_whiteboard=True) for n in range(3)))
    policy = DesiredPolicy(max_deletes=2, max_change_percent=100)
    desired = Desired(
        users=tuple(
            DesiredUser(f"u{n:03}@acme.example", features={"zoom_whiteboard": False})
            for n in range(3)
        ),
        policy=policy,
    )
    plan = build_plan(desired, live)
    assert plan.summary.update == 3
    with pytest.raises(UnsafePlanError, match=r"3 deletes/deactivations/removals"):
        check_safety(plan, policy)


def test_a_setting_the_users_group_locks_is_planned_with_a_warning() -> None:
    group = LiveGroup("g-1", "Support", lock_settings={"in_meeting": {"chat": True}})
    user = LiveUser(
        "ann@acme.example",
        ACTIVE,
        2,
        "id-a",
        group_ids=("g-1",),
        features={},
        settings={"in_meeting": {"chat": False, "polling": False}},
    )
    desired = Desired(
        users=(
            DesiredUser(
                "ann@acme.example", settings={"in_meeting": {"chat": True, "polling": True}}
            ),
        ),
        groups=(DesiredGroup("Support"),),
    )
    (change,) = build_plan(desired, LiveState(users=(user,), groups=(group,))).changes
    assert isinstance(change, UserSettingsUpdate)
    assert change.after() == {"in_meeting": {"chat": True, "polling": True}}
    assert change.notes() == (
        "in_meeting.chat is locked by group Support: the user's own value would not take effect",
    )


def test_pending_users_licences_wait_with_a_note() -> None:
    pending = LiveUser("pat@acme.example", ZoomUserStatus.PENDING, 2)
    desired = Desired(users=(DesiredUser("pat@acme.example", features={"webinar": 500}),))
    plan = build_plan(desired, LiveState(users=(pending,)))
    assert plan.changes == ()
    assert any("pat@acme.example has not accepted" in note for note in plan.notes)


def _routed(changes: list[UserFeaturesUpdate], tier: Tier) -> list[UserFeaturesUpdate]:
    plan = make_plan(changes, LiveState(), tier=tier)
    return [c for c in plan.changes if isinstance(c, UserFeaturesUpdate)]


def test_at_pro_most_licences_go_by_patch_and_one_free_bulk_request_rides_alongside() -> None:
    routed = _routed(_webinars(120), Tier.PRO)
    in_bulk = [c for c in routed if c.bulk is not None]
    assert len(in_bulk) == 30
    assert bulk_requests(routed) == 1
    cost = estimate(routed, Tier.PRO)
    assert cost.calls == {"medium": 1 + 90}


def test_at_free_the_bulk_call_carries_more_since_patch_calls_are_scarce() -> None:
    routed = _routed(_webinars(120), Tier.FREE)
    requests = bulk_requests(routed)
    patches = sum(1 for c in routed if c.bulk is None)
    assert requests >= 2
    # The mix ends sooner than either route alone: 60 s of PATCHes, or 4 bulk calls (30 s).
    assert max(10 * (requests - 1), (patches + requests) / 2) < 30


def test_a_value_only_the_bulk_call_sets_goes_in_bulk_and_several_licences_go_by_patch() -> None:
    only_bulk = _webinars(1, value=20000)
    several = [
        UserFeaturesUpdate(
            email="x@acme.example",
            changes=(
                LicenceChange(name="webinar", old=False, new=500),
                LicenceChange(name="zoom_docs", old=False, new=True),
            ),
        )
    ]
    routed = route_licences([*only_bulk, *several], 20, 0)
    assert isinstance(routed[0], UserFeaturesUpdate)
    assert routed[0].bulk == "webinar"
    assert routed[0].patch_body() == {}
    assert isinstance(routed[1], UserFeaturesUpdate)
    assert routed[1].bulk is None
    assert routed[1].patch_body() == {
        "feature": {"webinar": True, "webinar_capacity": 500, "zoom_docs": True}
    }


def test_busy_medium_work_moves_more_licences_to_the_bulk_call() -> None:
    quiet = route_licences(_webinars(120), 20, 0)
    busy = route_licences(_webinars(120), 20, 2000)
    assert bulk_requests(busy) > bulk_requests(quiet)


def test_a_user_pinned_by_id_whose_email_changes_keeps_its_licences_compared() -> None:
    from reconciler.live.reads import user_settings_reads
    from reconciler.live.request import ReadRequest

    live = LiveState(users=(_user(7, webinar=500),))
    desired = Desired(
        users=(DesiredUser("new@acme.example", id="id-7", features={"webinar": 1000}),)
    )
    reads = user_settings_reads(ReadRequest.for_desired(desired), live.users)
    assert [r.target for r in reads] == ["u007@acme.example"]
    licences = [c for c in build_plan(desired, live).changes if isinstance(c, UserFeaturesUpdate)]
    assert [(c.key, c.before(), c.after()) for c in licences] == [
        ("new@acme.example", {"webinar": 500}, {"webinar": 1000})
    ]


def test_a_saved_plan_keeps_each_licences_route_and_the_settings_notes() -> None:
    from reconciler.plan.planfile import dump_plan, load_plan

    group = LiveGroup("g-1", "Support", lock_settings={"in_meeting": {"chat": True}})
    locked = LiveUser(
        "ann@acme.example", ACTIVE, 2, "id-a", group_ids=("g-1",), features=OFF, settings={}
    )
    live = LiveState(users=(locked, *(_user(n) for n in range(40))), groups=(group,))
    desired = Desired(
        users=(
            DesiredUser(
                "ann@acme.example",
                features={"zoom_whiteboard": True},
                settings={"in_meeting": {"chat": True}},
            ),
            *(DesiredUser(f"u{n:03}@acme.example", features={"webinar": 500}) for n in range(40)),
        ),
        groups=(DesiredGroup("Support"),),
    )
    plan = build_plan(desired, live)
    assert any(isinstance(c, UserFeaturesUpdate) and c.bulk for c in plan.changes)
    loaded = load_plan(dump_plan(plan))
    assert loaded.changes == plan.changes
    assert loaded.fingerprints == plan.fingerprints
