"""A group setting the account locks is still planned, and every output says the account wins;
an app without the scope for the account's locks plans on and says so once."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import Cli

SEED = """
account:
  lock_settings:
    in_meeting: {chat: true}
groups:
  - name: Sales
    settings:
      in_meeting: {chat: false, polling: false}
"""

CONFIG = """
version: 1
groups:
  - name: Sales
    settings:
      in_meeting: {chat: true, polling: true}
"""

NOTE = "in_meeting.chat is locked at the account level; the account's value wins"
LOCK_SCOPES = ["account:read:lock_settings:admin", "account:read:admin"]


@pytest.fixture
def locked(cli: Cli, tmp_path: Path) -> Path:
    seeded = httpx.post(
        f"{cli.server.root_url}/_sandbox/seed",
        content=SEED,
        headers={"content-type": "application/yaml"},
        timeout=10,
    )
    assert seeded.status_code == 200, seeded.text
    config = tmp_path / "org.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return config


def test_a_locked_setting_is_planned_with_the_lock_note_in_every_format(
    cli: Cli, locked: Path
) -> None:
    text = cli("plan", str(locked))
    assert text.code == 0, text.err
    assert "~ in_meeting.chat: false -> true" in text.out
    assert f"! {NOTE}" in text.out
    assert "polling is locked" not in text.out  # only the locked key carries the note

    markdown = cli("plan", str(locked), "--format", "markdown")
    assert markdown.code == 0, markdown.err
    assert NOTE in markdown.out

    document = cli("plan", str(locked), "--format", "json").json()
    [change] = document["changes"]
    assert (change["kind"], change["action"], change["key"]) == (
        "group_settings",
        "update",
        "Sales",
    )
    assert change["after"] == {"in_meeting": {"chat": True, "polling": True}}
    assert change["notes"] == [NOTE]


def test_the_account_locks_cost_one_read_and_no_write(cli: Cli, locked: Path) -> None:
    cli.clear_journal()
    assert cli("plan", str(locked)).code == 0
    entries = cli.control("GET", "journal")["entries"]
    locks = [e for e in entries if e["path"] == "/v2/accounts/me/lock_settings"]
    assert [(e["method"], e["category"]) for e in locks] == [("GET", "Medium")]
    assert cli.writes() == []


def test_without_the_scope_the_plan_goes_on_and_warns_once(cli: Cli, locked: Path) -> None:
    cli.control("POST", "config", {"withheld_scopes": LOCK_SCOPES})
    planned = cli("plan", str(locked), "--format", "json")
    assert planned.code == 0, planned.err
    [change] = planned.json()["changes"]
    assert change["after"] == {"in_meeting": {"chat": True, "polling": True}}
    assert change["notes"] == []
    warnings = [line for line in planned.err.splitlines() if "account lock settings" in line]
    assert len(warnings) == 1, planned.err
    assert "does not contain scopes" in warnings[0]
    assert "without notes on what the account locks" in warnings[0]


def test_export_never_reads_the_account_locks(cli: Cli, locked: Path, tmp_path: Path) -> None:
    cli.clear_journal()
    exported = cli("export", "--out", str(tmp_path / "exported"))
    assert exported.code == 0, exported.err
    entries = cli.control("GET", "journal")["entries"]
    assert not [e for e in entries if "/accounts/" in e["path"]]
