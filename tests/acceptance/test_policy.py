"""The policy section: prune defaults, protected users and the safety caps."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.acceptance.conftest import write
from tests.e2e.conftest import Cli

TEN_USERS = "version: 1\nusers:\n" + "".join(
    f"  - {{email: u{i}@acme.example, first_name: U{i}, create_action: custCreate}}\n"
    for i in range(10)
)


def _seed(cli: Cli, text: str) -> None:
    seeded = httpx.post(
        f"{cli.server.root_url}/_sandbox/seed",
        content=text,
        headers={"content-type": "application/yaml"},
        timeout=10,
    )
    assert seeded.status_code == 200, seeded.text
    cli.clear_journal()


def _actions(cli: Cli, config: Path) -> set[tuple[str, str, str]]:
    planned = cli("plan", str(config), "--format", "json")
    assert planned.code == 0, planned.err
    return {(c["kind"], c["action"], c["key"]) for c in planned.json()["changes"]}


def test_by_default_nothing_undeclared_is_pruned(cli: Cli, tmp_path: Path) -> None:
    _seed(
        cli,
        "version: 1\ndivisions: [{name: D}]\ngroups: [{name: G}]\n"
        "users: [{email: x@acme.example, first_name: X}]\n"
        "contact_groups: [{name: C, members: {users: [x@acme.example]}}]\n",
    )
    config = write(tmp_path / "c.yaml", "version: 1\n")
    assert cli("plan", str(config), "--detailed-exitcode").code == 0


def test_protected_users_are_never_changed_or_pruned(cli: Cli, tmp_path: Path) -> None:
    _seed(cli, "version: 1\nusers: [{email: owner@acme.example, first_name: Owner}]\n")
    config = write(
        tmp_path / "c.yaml",
        "version: 1\npolicy:\n  prune: {users: delete}\n"
        "  protected_users: [OWNER@acme.example]\n"
        "users:\n  - {email: owner@acme.example, first_name: Someone Else}\n",
    )
    assert cli("plan", str(config), "--detailed-exitcode").code == 0
    unlisted = write(
        tmp_path / "d.yaml",
        "version: 1\npolicy:\n  prune: {users: delete}\n  protected_users: [owner@acme.example]\n",
    )
    assert cli("plan", str(unlisted), "--detailed-exitcode").code == 0


def test_max_change_percent_refuses_a_wide_change_unless_forced(cli: Cli, tmp_path: Path) -> None:
    _seed(cli, TEN_USERS)
    changed = TEN_USERS
    for i in range(4):  # 40% of a kind with 10 live objects
        changed = changed.replace(f"first_name: U{i},", f"first_name: V{i},")
    config = write(tmp_path / "c.yaml", changed)
    refused = cli("apply", str(config), "--auto-approve")
    assert refused.code == 1
    assert "max_change_percent" in refused.err
    assert cli.writes() == []
    allowed = write(
        tmp_path / "allowed.yaml",
        changed.replace(
            "version: 1\n", "version: 1\npolicy:\n  safety: {max_change_percent: 50}\n"
        ),
    )
    assert cli("apply", str(allowed), "--auto-approve").code == 0
    assert cli.store.user("u0@acme.example").first_name == "V0"


def test_max_deletes_counts_deactivations(cli: Cli, tmp_path: Path) -> None:
    _seed(cli, TEN_USERS)
    config = write(
        tmp_path / "c.yaml",
        "version: 1\npolicy:\n  prune: {users: deactivate}\n  safety: {max_deletes: 2, "
        "max_change_percent: 100}\n",
    )
    assert len([a for a in _actions(cli, config) if a[0] == "user"]) == 10
    refused = cli("apply", str(config), "--auto-approve")
    assert refused.code == 1
    assert "max_deletes" in refused.err
    assert cli.writes() == []
