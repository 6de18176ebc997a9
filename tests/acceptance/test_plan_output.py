"""Plan output: text, markdown and JSON exactly as the contract describes them."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.acceptance.conftest import write
from tests.e2e.conftest import Cli

KINDS = {
    "user",
    "group",
    "group_member",
    "group_admin",
    "group_settings",
    "group_lock_settings",
    "division",
    "division_member",
    "contact_group",
    "contact_group_member",
}
ACTIONS = {"create", "update", "delete", "add", "remove"}

# Live: every kind present, with drift of each sort for the configuration below.
LIVE = """\
version: 1
divisions:
  - {name: Old Division}
  - {name: Engineering, description: old text}
groups:
  - name: Developers
    admins: [gone@acme.example]
    settings: {in_meeting: {chat: false}}
    lock_settings: {in_meeting: {chat: false}}
  - name: Old Group
users:
  - {email: ann@acme.example, first_name: Anne, last_name: Old, type: basic, groups: [Developers]}
  - {email: gone@acme.example, first_name: Gone, groups: [Developers]}
  - {email: idle@acme.example, first_name: Idle}
contact_groups:
  - name: Office A
    members: {users: [gone@acme.example, ann@acme.example]}
  - name: Old Office
    members: {users: [ann@acme.example]}
"""

DESIRED = """\
version: 1
policy:
  prune: {users: deactivate, groups: true, divisions: true, contact_groups: true}
  safety: {max_deletes: 50}
divisions:
  - {name: Engineering, description: Product engineering, members: [ann@acme.example]}
groups:
  - name: Developers
    admins: [ann@acme.example]
    settings: {in_meeting: {chat: true}}
    lock_settings: {in_meeting: {chat: true}}
  - name: New Group
users:
  - {email: ann@acme.example, first_name: Ann, last_name: Dev, type: licensed, groups: [Developers]}
  - {email: new@acme.example, first_name: New, create_action: custCreate, groups: [New Group]}
contact_groups:
  - name: Office A
    members: {users: [ann@acme.example, new@acme.example]}
"""


@pytest.fixture
def drifted(cli: Cli, tmp_path: Path) -> Path:
    seeded = httpx.post(
        f"{cli.server.root_url}/_sandbox/seed",
        content=LIVE,
        headers={"content-type": "application/yaml"},
        timeout=10,
    )
    assert seeded.status_code == 200, seeded.text
    return write(tmp_path / "desired.yaml", DESIRED)


def _plan(cli: Cli, config: Path) -> dict[str, Any]:
    planned = cli("plan", str(config), "--format", "json")
    assert planned.code == 0, planned.err
    result: dict[str, Any] = planned.json()
    return result


def test_json_has_the_contract_shape(cli: Cli, drifted: Path) -> None:
    plan = _plan(cli, drifted)
    assert plan["format_version"] == 1
    assert set(plan["summary"]) == {"create", "update", "delete"}
    assert all(isinstance(n, int) for n in plan["summary"].values())
    assert plan["changes"]
    for change in plan["changes"]:
        assert {"kind", "action", "key", "before", "after"} <= set(change)
        assert change["kind"] in KINDS
        assert change["action"] in ACTIONS
        assert isinstance(change["key"], str)
        assert change["key"]
        assert isinstance(change["before"], dict)
        assert isinstance(change["after"], dict)
    assert {c["kind"] for c in plan["changes"]} == KINDS


def _is_deactivation(change: dict[str, Any]) -> bool:
    return bool(
        change["kind"] == "user"
        and change["action"] == "update"
        and change["after"].get("status") == "inactive"
    )


def test_summary_counts_each_change_once_add_as_create_remove_and_deactivation_as_delete(
    cli: Cli, drifted: Path
) -> None:
    plan = _plan(cli, drifted)
    changes = plan["changes"]
    assert any(_is_deactivation(c) for c in changes)  # idle@ is not declared: deactivated
    expected = Counter(
        "delete"
        if c["action"] in {"delete", "remove"} or _is_deactivation(c)
        else "create"
        if c["action"] in {"create", "add"}
        else "update"
        for c in changes
    )
    assert plan["summary"] == {k: expected[k] for k in ("create", "update", "delete")}
    assert sum(plan["summary"].values()) == len(changes)


def test_one_change_per_object_and_kind(cli: Cli, drifted: Path) -> None:
    changes = _plan(cli, drifted)["changes"]
    identities = Counter((c["kind"], c["key"]) for c in changes)
    assert [i for i, n in identities.items() if n > 1] == []
    (ann,) = [c for c in changes if c["kind"] == "user" and c["key"] == "ann@acme.example"]
    assert ann["action"] == "update"
    assert {"first_name", "last_name", "type"} <= set(ann["after"])
    members = [c for c in changes if c["kind"] == "contact_group_member"]
    assert {c["action"] for c in members} == {"add", "remove"}
    assert len([c for c in members if c["action"] == "remove"]) == 1  # gone@ leaves Office A


def test_text_format_marks_lines_and_ends_with_the_summary(cli: Cli, drifted: Path) -> None:
    plan = _plan(cli, drifted)
    text = cli("plan", str(drifted))
    assert text.code == 0
    lines = text.out.rstrip("\n").splitlines()
    s = plan["summary"]
    assert (
        lines[-1]
        == f"Plan: {s['create']} to create, {s['update']} to update, {s['delete']} to delete."
    )
    heads = [line for line in lines if line[:2] in {"+ ", "~ ", "- "}]
    assert len(heads) == len(plan["changes"])
    marks = Counter(line[0] for line in heads)
    assert marks["+"] == len([c for c in plan["changes"] if c["action"] in {"create", "add"}])
    assert marks["-"] == s["delete"]
    assert re.search(r'first_name: "Anne" -> "Ann"', text.out)
    assert "+ group New Group" in text.out
    assert "- group Old Group" in text.out
    assert "~ group_settings Developers" in text.out


def test_no_changes_says_so(cli: Cli, drifted: Path) -> None:
    assert cli("apply", str(drifted), "--auto-approve").code == 0
    text = cli("plan", str(drifted))
    assert text.code == 0
    assert text.out.strip().splitlines()[-1] == "No changes."
    assert "No changes." in cli("plan", str(drifted), "--format", "markdown").out
    empty = _plan(cli, drifted)
    assert empty["summary"] == {"create": 0, "update": 0, "delete": 0}
    assert empty["changes"] == []


def test_markdown_is_grouped_by_kind_with_the_summary(cli: Cli, drifted: Path) -> None:
    plan = _plan(cli, drifted)
    markdown = cli("plan", str(drifted), "--format", "markdown")
    assert markdown.code == 0
    s = plan["summary"]
    assert (
        f"Plan: {s['create']} to create, {s['update']} to update, {s['delete']} to delete."
        in markdown.out
    )
    per_kind = Counter(c["kind"] for c in plan["changes"])
    positions = []
    for kind, count in per_kind.items():
        heading = re.search(rf"^.*\b{kind} \({count}\).*$", markdown.out, re.MULTILINE)
        assert heading, kind
        positions.append(heading.start())
    assert len(set(positions)) == len(per_kind)
