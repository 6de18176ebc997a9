"""Saved plans: round trip, the committed schema, refusal of edited or foreign files, drift."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reconciler.errors import ReconcilerError, StalePlanError
from reconciler.model import Config
from reconciler.model.live import LiveState
from reconciler.plan import (
    build_plan,
    check_fresh,
    desired_from_config,
    drifted,
    dump_plan,
    load_plan,
    plan_json_schema,
)
from reconciler.render import render_json, render_markdown, render_text
from tests.plan.acme import CONFIG, acme_plan, live_state

SCHEMA = Path(__file__).resolve().parent.parent.parent / "schemas" / "plan.schema.json"


def test_the_committed_schema_is_the_generated_one() -> None:
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == plan_json_schema()


def test_round_trip_keeps_every_change_and_fact() -> None:
    plan = acme_plan()
    loaded = load_plan(dump_plan(plan))
    assert loaded == plan
    assert dump_plan(loaded) == dump_plan(plan)


def test_every_touched_live_object_is_fingerprinted() -> None:
    plan = acme_plan()
    live = live_state()
    assert "user:ann@acme.example" in plan.fingerprints
    assert plan.fingerprints["user:jill@acme.example"] is None  # created: absent when planned
    assert plan.fingerprints["group_settings:g-dev"] is not None
    assert drifted(plan, live) == []
    check_fresh(plan, live)


def test_drift_in_a_touched_object_makes_the_plan_stale() -> None:
    plan = acme_plan()
    live = live_state()
    ann = live.user("ann@acme.example")
    assert ann is not None
    users = tuple(replace(u, profile={"first_name": "Anna"}) if u is ann else u for u in live.users)
    changed = replace(live, users=users)
    assert drifted(plan, changed) == ["user:ann@acme.example"]
    with pytest.raises(StalePlanError, match=r"user:ann@acme\.example"):
        check_fresh(plan, changed)


def test_a_name_taken_since_the_plan_makes_it_stale() -> None:
    plan = acme_plan()
    live = live_state()
    from reconciler.model.live import LiveDivision

    taken = replace(live, divisions=(*live.divisions, LiveDivision("d-new", "Engineering")))
    assert "division_name:Engineering" in drifted(plan, taken)


def test_drift_in_an_untouched_object_does_not_matter() -> None:
    plan = acme_plan()
    live = live_state()
    carl = live.user("owner@acme.example")
    users = tuple(replace(u, profile={"dept": "Board"}) if u is carl else u for u in live.users)
    assert drifted(plan, replace(live, users=users)) == []


def test_an_edited_change_is_refused() -> None:
    document = json.loads(dump_plan(acme_plan()))
    document["changes"][0]["data"]["name"] = "Somewhere else"
    with pytest.raises(ReconcilerError, match="checksum"):
        load_plan(json.dumps(document))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("[]", "not a JSON object"),
        ('{"format_version": 2}', "format_version 2"),
        ('{"format_version": 1}', "not valid"),
    ],
)
def test_malformed_files_are_refused(text: str, message: str) -> None:
    with pytest.raises(ReconcilerError, match=message):
        load_plan(text)


def test_unknown_keys_from_a_newer_minor_version_are_ignored() -> None:
    document = json.loads(dump_plan(acme_plan()))
    document["something_new"] = {"x": 1}
    assert load_plan(json.dumps(document)) == acme_plan()


def test_a_password_never_reaches_a_plan() -> None:
    secret = "Sup3r-Secret-pw"
    data = json.loads(json.dumps(CONFIG))
    data["users"].append(
        {"email": "auto@acme.example", "create_action": "autoCreate", "password": secret}
    )
    plan = build_plan(desired_from_config(Config.model_validate(data)), live_state())
    outputs = [dump_plan(plan), render_text(plan), render_markdown(plan), render_json(plan)]
    assert all(secret not in output for output in outputs)
    assert '"password_set": true' in dump_plan(plan)
    assert '+ password: "(set)"' in render_text(plan)


def test_fingerprints_are_stable_across_equal_states() -> None:
    from reconciler.model.live import LiveObjectKind, LiveRef

    ref = LiveRef(LiveObjectKind.GROUP_SETTINGS, "g-dev")
    assert live_state().fingerprint(ref) == live_state().fingerprint(ref)
    assert LiveState().fingerprint(ref) is None
    assert LiveRef.parse(ref.format()) == ref
