"""Licences and per-user settings end to end, over real HTTP: planned exactly, applied, clean
after; a licence Zoom refuses for want of seats fails with Zoom's reason and stays planned."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Cli

USERS = 120


def _seed(webinar_seats: int | None = None) -> str:
    lines = ["version: 1"]
    if webinar_seats is not None:
        lines += ["account:", f"  seats: {{webinar: {webinar_seats}}}"]
    lines += [
        "groups:",
        "  - name: Support",
        "    lock_settings:",
        "      in_meeting: {chat: true}",
        "users:",
    ]
    for n in range(USERS):
        features = ""
        if n < 2:
            features = ", features: {large_meeting: 500}"
        elif n == 2:
            features = ", features: {zoom_whiteboard: true}"
        groups = ", groups: [Support]" if n == 3 else ""
        lines.append(f"  - {{email: u{n:03}@acme.example, type: licensed{features}{groups}}}")
    return "\n".join(lines) + "\n"


def _config() -> str:
    lines = ["version: 1", "users:"]
    for n in range(USERS):
        features = "webinar: 500"
        if n < 2:
            features += ", large_meeting: 1000"
        elif n == 2:
            features += ", zoom_whiteboard: false"
        lines.append(f"  - email: u{n:03}@acme.example")
        lines.append(f"    features: {{{features}}}")
        if n in (3, 4):
            lines.append(
                "    settings: {in_meeting: {chat: true}, recording: {auto_recording: cloud}}"
            )
    return "\n".join(lines) + "\n"


def _load(cli: Cli, seed: str) -> None:
    seeded = httpx.post(
        f"{cli.server.root_url}/_sandbox/seed",
        content=seed,
        headers={"content-type": "application/yaml"},
        timeout=30,
    )
    assert seeded.status_code == 200, seeded.text


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(_config(), encoding="utf-8")
    return path


def _by_kind(plan: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {c["key"]: c for c in plan["changes"] if c["kind"] == kind}


def test_licences_and_settings_plan_exactly_apply_and_then_plan_clean(
    cli: Cli, config: Path
) -> None:
    _load(cli, _seed())
    planned = cli("plan", str(config), "--format", "json")
    assert planned.code == 0, planned.err
    plan = planned.json()
    features = _by_kind(plan, "user_features")
    settings = _by_kind(plan, "user_settings")
    assert {c["kind"] for c in plan["changes"]} == {"user_features", "user_settings"}
    assert len(features) == USERS
    assert features["u010@acme.example"]["before"] == {"webinar": False}
    assert features["u010@acme.example"]["after"] == {"webinar": 500}
    assert features["u000@acme.example"]["before"] == {"webinar": False, "large_meeting": 500}
    assert features["u000@acme.example"]["after"] == {"webinar": 500, "large_meeting": 1000}
    assert features["u002@acme.example"]["before"] == {"webinar": False, "zoom_whiteboard": True}
    assert features["u002@acme.example"]["after"] == {"webinar": 500, "zoom_whiteboard": False}
    assert set(settings) == {"u003@acme.example", "u004@acme.example"}
    assert settings["u004@acme.example"]["after"] == {
        "in_meeting": {"chat": True},
        "recording": {"auto_recording": "cloud"},
    }
    assert plan["summary"] == {"create": 0, "update": USERS + 2, "delete": 0}
    # The estimate counts the reads: users' listings (Medium), one settings read per user, and
    # the lock settings of u003's group.
    assert plan["estimate"]["reads"]["medium"] >= USERS + 1

    text = cli("plan", str(config))
    assert "~ user_features u000@acme.example" in text.out
    assert "~ large_meeting: 500 -> 1000" in text.out
    # u003's group locks chat: planned, with a warning that it would not take effect.
    assert "! in_meeting.chat is locked by group Support" in text.out
    assert text.out.count("is locked by") == 1

    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    bulk = [w for w in cli.writes() if w["path"] == "/v2/users/features"]
    patches = [w for w in cli.writes() if w["path"].endswith("/settings")]
    estimate = plan["estimate"]["calls"]
    assert len(bulk) + len(patches) == estimate["medium"]

    again = cli("plan", str(config), "--detailed-exitcode")
    assert again.code == 0, again.out
    assert "No changes." in again.out


def test_a_licence_zoom_refuses_for_want_of_seats_fails_with_its_reason_and_stays_planned(
    cli: Cli, config: Path
) -> None:
    _load(cli, _seed(webinar_seats=USERS - 1))
    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 1, applied.out + applied.err
    output = applied.out + applied.err
    assert "user_features" in output
    assert "Not enough seats" in output or "You can add max 119 webinar users" in output
    again = cli("plan", str(config), "--format", "json")
    left = _by_kind(again.json(), "user_features")
    assert len(left) == 1
    (change,) = left.values()
    assert change["after"] == {"webinar": 500}


def test_a_saved_plan_of_licences_applies_while_fresh_and_a_target_picks_one_user(
    cli: Cli, config: Path, tmp_path: Path
) -> None:
    _load(cli, _seed())
    one = cli("plan", str(config), "--target", "user:u000@acme.example", "--format", "json")
    assert one.code == 0, one.err
    assert {(c["kind"], c["key"]) for c in one.json()["changes"]} == {
        ("user_features", "u000@acme.example")
    }
    saved = tmp_path / "plan.json"
    made = cli("plan", str(config), "--out", str(saved))
    assert made.code == 0, made.err
    applied = cli("apply", "--plan", str(saved), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    assert cli("plan", str(config), "--detailed-exitcode").code == 0
