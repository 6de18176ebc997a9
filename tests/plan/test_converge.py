"""The differ's central promise: apply its plan, diff again, and nothing is left to do."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.model.live import LiveState
from reconciler.plan.diff import build_plan
from reconciler.plan.planfile import dump_plan, load_plan
from reconciler.plan.safety import floor_violations
from tests.plan.simulate import simulate
from tests.plan.strategies import desired_states, live_states


@st.composite
def scenarios(draw: st.DrawFn):
    live = draw(live_states())
    return draw(desired_states(live)), live


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_applying_the_plan_leaves_nothing_to_do(scenario) -> None:
    desired, live = scenario
    plan = build_plan(desired, live)
    after = simulate(plan.changes, live)
    again = build_plan(desired, after)
    assert again.changes == (), [c.ref.format() for c in again.changes]


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_a_plan_is_deterministic_and_survives_its_file(scenario) -> None:
    desired, live = scenario
    plan = build_plan(desired, live)
    assert build_plan(desired, live) == plan
    assert load_plan(dump_plan(plan)) == plan


def _emails_in(change) -> set[str]:
    data = change.model_dump()
    found = {data["email"].lower()} if "email" in data else set()
    if data.get("member_type") == "user":
        found.add(data["member"].lower())
    return found


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_protected_users_appear_in_no_change(scenario) -> None:
    desired, live = scenario
    plan = build_plan(desired, live)
    for change in plan.changes:
        assert not _emails_in(change) & desired.policy.protected_users, change
    assert not [
        p for p in floor_violations(plan, desired.policy.protected_users) if "protected" in p
    ]


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_every_change_is_one_per_object_and_kind(scenario) -> None:
    desired, live = scenario
    plan = build_plan(desired, live)
    refs = [(c.kind, c.key) for c in plan.changes]
    assert len(refs) == len(set(refs))


def test_an_empty_account_and_configuration_plan_nothing() -> None:
    from reconciler.plan.desired import Desired

    plan = build_plan(Desired(), LiveState())
    assert plan.is_empty
    assert plan.summary.text() == "No changes."
