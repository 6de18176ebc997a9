"""Scheduling assistants and email changes, end to end against the sandbox over real HTTP:
three renames (one a domain change) and assistants plan exactly those changes, apply, keep the
users' ids, and then plan clean; an admin's email change is refused before any write; Zoom's
three-a-day limit fails one user's change while the rest goes on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Cli

SEED: dict[str, Any] = {
    "version": 1,
    "account": {"managed_domains": ["acme.example", "acme.io"]},
    "groups": [{"name": "Sales"}, {"name": "Support"}],
    "users": [
        {"email": "owner@acme.example", "id": "OWNER1", "role": "owner", "type": "licensed"},
        {"email": "admin@acme.example", "id": "ADMIN1", "role": "admin", "type": "licensed"},
        {"email": "ann@acme.example", "id": "ANN1", "type": "licensed", "groups": ["Sales"]},
        {"email": "bob@acme.example", "id": "BOB1", "type": "licensed"},
        {"email": "cat@acme.example", "id": "CAT1", "type": "licensed"},
        {
            "email": "dan@acme.example",
            "id": "DAN1",
            "type": "licensed",
            "assistants": ["cat@acme.example"],
        },
    ],
}

CONFIG = """
version: 1
policy:
  prune: {users: deactivate}
  protected_users: [owner@acme.example]
  managed_domains: [acme.example, acme.io]
groups:
  - name: Sales
  - name: Support
users:
  - email: admin@acme.example
    id: ADMIN1
  - email: ann.lee@acme.example
    id: ANN1
    groups: [Sales, Support]
  - email: bob@acme.io
    id: BOB1
    assistants: [ann.lee@acme.example]
  - email: catherine@acme.example
    id: CAT1
  - email: dan@acme.example
    id: DAN1
    assistants: [bob@acme.io]
"""


@pytest.fixture
def config(cli: Cli, tmp_path: Path) -> Path:
    cli.control("POST", "seed", SEED)
    path = tmp_path / "org.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _changes(cli: Cli, path: Path) -> tuple[dict[str, Any], set[tuple[str, str, str]]]:
    planned = cli("plan", str(path), "--format", "json")
    assert planned.code == 0, planned.out + planned.err
    document = planned.json()
    return document, {(c["kind"], c["action"], c["key"]) for c in document["changes"]}


def test_renames_and_assistants_apply_keep_ids_and_then_plan_clean(cli: Cli, config: Path) -> None:
    document, changes = _changes(cli, config)
    assert changes == {
        ("user", "update", "ann.lee@acme.example"),
        ("user", "update", "bob@acme.io"),
        ("user", "update", "catherine@acme.example"),
        ("group_member", "add", "Support/ann.lee@acme.example"),
        ("user_assistant", "add", "bob@acme.io/ann.lee@acme.example"),
        ("user_assistant", "add", "dan@acme.example/bob@acme.io"),
        ("user_assistant", "remove", "dan@acme.example/catherine@acme.example"),
    }
    renames = {
        c["key"]: (c["before"], c["after"]) for c in document["changes"] if c["kind"] == "user"
    }
    assert renames["bob@acme.io"] == ({"email": "bob@acme.example"}, {"email": "bob@acme.io"})
    assert document["summary"] == {"create": 3, "update": 3, "delete": 1}

    cli.clear_journal()
    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    made = Counter(w["category"].lower() for w in cli.writes())
    assert dict(made) == {k.lower(): v for k, v in document["estimate"]["calls"].items()}

    store = cli.store
    for email, user_id in (
        ("ann.lee@acme.example", "ANN1"),
        ("bob@acme.io", "BOB1"),
        ("catherine@acme.example", "CAT1"),
    ):
        assert store.user(email).id == user_id
    assert not store.has_email("ann@acme.example")
    assert set(store.assistants["BOB1"]) == {"ANN1"}
    assert set(store.assistants["DAN1"]) == {"BOB1"}
    assert [store.groups[g].name for g in store.user("ANN1").group_ids] == ["Sales", "Support"]
    assert store.user("CAT1").status.value == "active"  # renamed, not pruned

    again = cli("plan", str(config), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    assert "No changes." in again.out


def test_an_admins_email_change_is_refused_before_any_write(cli: Cli, config: Path) -> None:
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("admin@acme.example", "boss@acme.example"), encoding="utf-8")
    planned = cli("plan", str(config))
    assert planned.code == 0
    assert "~ user boss@acme.example" in planned.out
    assert "Zoom refuses to change an admin's email (code 1000)" in planned.out
    cli.clear_journal()
    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 1
    assert "admin@acme.example is an account owner or admin" in applied.out + applied.err
    assert cli.writes() == []
    assert cli.store.user("ADMIN1").email == "admin@acme.example"


def test_the_third_change_of_a_day_is_refused_for_that_user_and_the_rest_goes_on(
    cli: Cli, config: Path
) -> None:
    now = cli.store.clock()
    cli.store.email_changes["BOB1"] = [now - 60, now - 30, now - 10]
    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 1
    assert "up to 3 times in any 24 hour period" in applied.out + applied.err
    store = cli.store
    assert store.user("BOB1").email == "bob@acme.example"
    assert store.user("ANN1").email == "ann.lee@acme.example"
    assert store.user("CAT1").email == "catherine@acme.example"
    # What names bob by the new email waits for its email change, so it is skipped, not sent.
    assert "BOB1" not in store.assistants or not store.assistants["BOB1"]
