"""Phone numbers and custom attributes compare on the keys written, in any order."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconciler.model import Config
from reconciler.model.live import LiveState, LiveUser, ZoomUserStatus
from reconciler.plan import desired_from_config
from reconciler.plan.changes import UserUpdate
from reconciler.plan.desired import Desired, DesiredUser
from reconciler.plan.diff import diff
from reconciler.plan.profile import same_value

US = {"country": "US", "code": "+1", "number": "5550100", "label": "Mobile"}
GB = {"country": "GB", "code": "+44", "number": "2070000"}


def _zoom(item: dict[str, Any], **own: Any) -> dict[str, Any]:
    return {**item, **own}


@pytest.mark.parametrize(
    ("wanted", "live", "same"),
    [
        ([US, GB], [_zoom(US, verified=True), _zoom(GB, verified=False)], True),
        ([US, GB], [_zoom(GB, verified=False), _zoom(US, verified=True)], True),  # any order
        ([GB], [_zoom(GB, label="Home", verified=False)], True),  # label not written
        ([US], [_zoom(US, number="5550199", verified=True)], False),
        ([US], [_zoom(US, label="Office")], False),
        ([US], [_zoom(US), GB], False),  # a live number not listed is removed by the PATCH
        ([US, GB], [_zoom(US)], False),
        ([US], [], False),
        ([US], None, False),
        ([{"key": "k1", "value": "a"}], [{"key": "k1", "name": "Cost", "value": "a"}], True),
        ([{"key": "k1", "value": "a"}], [{"key": "k1", "name": "Cost", "value": "b"}], False),
        ([{"key": "k1", "value": "a"}], [{"key": "k1", "name": "Cost"}], False),
        ([], [], True),
        ([], [_zoom(US)], False),
        ("Eng", "Eng", True),
        ("Eng", "Ops", False),
    ],
)
def test_lists_of_objects_compare_on_the_written_keys(wanted: Any, live: Any, same: bool) -> None:
    assert same_value(wanted, live) is same


def test_a_pairing_a_greedy_match_would_miss_is_found() -> None:
    first = {"number": "1", "label": "Mobile"}
    second = {"number": "1", "country": "US"}
    live = [
        {"number": "1", "label": "Mobile", "country": "GB"},
        {"number": "1", "label": "Mobile", "country": "US"},
    ]
    assert same_value([first, second], live)
    assert same_value([second, first], live)


@given(st.permutations([US, GB, {"country": "FR", "code": "+33", "number": "1"}]))
def test_order_never_matters(order: list[dict[str, str]]) -> None:
    live = [_zoom(item, verified=True) for item in order]
    assert same_value([US, GB, {"country": "FR", "code": "+33", "number": "1"}], live)


def _live_user(profile: dict[str, Any]) -> LiveState:
    user = LiveUser("ann@acme.example", ZoomUserStatus.ACTIVE, 1, "u1", profile=profile)
    return LiveState(users=(user,))


def test_zooms_own_keys_plan_no_change() -> None:
    config = Config.model_validate(
        {
            "version": 1,
            "users": [
                {
                    "email": "ann@acme.example",
                    "phone_numbers": [GB, US],
                    "custom_attributes": [{"key": "k1", "value": "a", "name": "Cost"}],
                }
            ],
        }
    )
    desired = desired_from_config(config)
    (user,) = desired.users
    assert user.profile["phone_numbers"] == [GB, US]  # no `label: null` for the unwritten label
    assert user.profile["custom_attributes"] == [{"key": "k1", "value": "a"}]
    live = _live_user(
        {
            "phone_numbers": [_zoom(US, verified=True), _zoom(GB, verified=False)],
            "custom_attributes": [{"key": "k1", "name": "Cost", "value": "a"}],
        }
    )
    assert diff(desired, live) == ([], [])


def test_a_changed_number_is_one_profile_change_with_the_whole_list() -> None:
    desired = Desired(users=(DesiredUser("ann@acme.example", profile={"phone_numbers": [US]}),))
    old = [_zoom(US, number="5550199", verified=True)]
    changes, _ = diff(desired, _live_user({"phone_numbers": old}))
    (change,) = changes
    assert isinstance(change, UserUpdate)
    assert [(f.field, f.old, f.new) for f in change.profile] == [("phone_numbers", old, [US])]
