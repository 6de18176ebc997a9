"""`plan` and `apply` end to end: the CLI in process against the sandbox over real HTTP."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from reconciler.sandbox.entities import CreateAction, UserStatus
from reconciler.sandbox.settings import Document
from tests.e2e.conftest import Cli, edit


def _group(cli: Cli, name: str):
    return next(g for g in cli.store.groups.values() if g.name == name)


def _emails(cli: Cli, user_ids) -> set[str]:
    return {cli.store.users[i].email for i in user_ids}


def _bootstrap(cli: Cli, org: Path) -> None:
    applied = cli("apply", str(org), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err


def _changes(cli: Cli, org: Path) -> set[tuple[str, str, str]]:
    planned = cli("plan", str(org), "--format", "json")
    assert planned.code == 0, planned.err
    return {(c["kind"], c["action"], c["key"]) for c in planned.json()["changes"]}


def test_bootstrap_an_empty_account_then_nothing_is_left_to_do(cli: Cli, org: Path) -> None:
    first = cli("plan", str(org), "--detailed-exitcode")
    assert first.code == 2, first.err
    assert "Plan: " in first.out

    applied = cli("apply", str(org), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    assert " 0 failed, 0 skipped" in applied.out

    again = cli("plan", str(org), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    assert "No changes." in again.out

    developers = _group(cli, "Developers")
    assert _emails(cli, developers.members) == {
        "lead@acme.example",
        "ann@acme.example",
        "cat@acme.example",
    }
    assert _emails(cli, developers.admins) == {"lead@acme.example"}
    cat = cli.store.user("cat@acme.example")
    assert cat.group_ids[0] == _group(cli, "Sellers").id  # the first group listed is primary
    office = next(iter(cli.store.contact_groups.values()))
    assert len(office.members) == 3

    cli.clear_journal()
    assert cli("apply", str(org), "--auto-approve").code == 0
    assert cli.writes() == []


def test_out_of_band_drift_of_each_kind_is_found_exactly_and_fixed(cli: Cli, org: Path) -> None:
    _bootstrap(cli, org)
    store = cli.store
    ann, bob = store.user("ann@acme.example"), store.user("bob@acme.example")
    developers = _group(cli, "Developers")
    office = next(iter(store.contact_groups.values()))
    engineering = next(d for d in store.divisions.values() if d.name == "Engineering")

    ann.first_name = "Anne"
    store.remove_member(developers, ann.id)
    store.add_members(developers, [bob])
    store.add_admins(developers, [ann])
    store.patch_settings(
        developers, Document.find("settings", None), {"in_meeting": {"chat": False}}
    )
    store.patch_settings(
        developers, Document.find("lock_settings", None), {"in_meeting": {"chat": False}}
    )
    store.assign_division(store.main_division, [bob])
    engineering.description = "Somebody else's words"
    office.description = "Changed by hand"
    store.remove_contact_members(office, [bob.id])
    store.add_contact_members(office, [{"type": 1, "id": store.user("lead@acme.example").id}])
    store.delete_group(_group(cli, "Sellers"))

    assert _changes(cli, org) == {
        ("user", "update", "ann@acme.example"),
        ("group_member", "add", "Developers/ann@acme.example"),
        ("group_member", "remove", "Developers/bob@acme.example"),
        ("group_admin", "remove", "Developers/ann@acme.example"),
        ("group_settings", "update", "Developers"),
        ("group_lock_settings", "update", "Developers"),
        ("division_member", "add", "Sales/bob@acme.example"),
        ("division", "update", "Engineering"),
        ("contact_group", "update", "Office A"),
        ("contact_group_member", "add", "Office A/user:bob@acme.example"),
        ("contact_group_member", "remove", "Office A/user:lead@acme.example"),
        ("group", "create", "Sellers"),
        ("group_member", "add", "Sellers/bob@acme.example"),
        ("group_member", "add", "Sellers/cat@acme.example"),
        ("group_settings", "update", "Sellers"),
    }
    _bootstrap(cli, org)
    assert cli("plan", str(org), "--detailed-exitcode").code == 0
    assert ann.first_name == "Ann"
    assert _emails(cli, developers.admins) == {"lead@acme.example"}
    assert store.user("cat@acme.example").group_ids[0] == _group(cli, "Sellers").id  # primary again


def test_prune_policies_deactivate_delete_or_leave_undeclared_objects(cli: Cli, org: Path) -> None:
    _bootstrap(cli, org)
    store = cli.store
    stray = store.create_user(CreateAction.CUST_CREATE, {"email": "stray@acme.example", "type": 1})
    store.create_group("Leftovers")
    store.add_members(_group(cli, "Sellers"), [stray])

    edit(org, "group_members: true", "group_members: false")
    assert _changes(cli, org) == set()  # nothing is pruned by default, members kept

    edit(org, "users: none", "users: deactivate")
    assert _changes(cli, org) == {("user", "update", "stray@acme.example")}
    _bootstrap(cli, org)
    assert stray.status is UserStatus.INACTIVE

    edit(org, "users: deactivate", "users: delete")
    edit(org, "groups: false", "groups: true")
    assert _changes(cli, org) == {
        ("user", "delete", "stray@acme.example"),
        ("group", "delete", "Leftovers"),
    }
    _bootstrap(cli, org)
    assert not store.has_email("stray@acme.example")
    assert {g.name for g in store.groups.values()} == {"Developers", "Sellers"}


def test_safety_caps_refuse_with_no_writes_unless_forced(cli: Cli, org: Path) -> None:
    _bootstrap(cli, org)
    for i in range(3):
        cli.store.create_user(
            CreateAction.CUST_CREATE, {"email": f"old{i}@acme.example", "type": 1}
        )
    edit(org, "users: none", "users: delete")
    edit(org, "max_deletes: 10", "max_deletes: 2")
    cli.clear_journal()

    refused = cli("apply", str(org), "--auto-approve")
    assert refused.code == 1
    assert "max_deletes" in refused.err
    assert cli.writes() == []

    forced = cli("apply", str(org), "--auto-approve", "--force")
    assert forced.code == 0, forced.err
    assert "--force" in forced.err
    assert not cli.store.has_email("old0@acme.example")


def _refused_without_writes(cli: Cli, org: Path, reason: str, *, forced: bool) -> None:
    """`apply` refuses the plan for `reason` before sending a single write."""
    cli.clear_journal()
    flags = ("--auto-approve", "--force") if forced else ("--auto-approve",)
    refused = cli("apply", str(org), *flags)
    assert refused.code == 1, refused.out + refused.err
    assert reason in refused.err
    assert cli.writes() == []


def test_max_change_percent_refuses_with_no_writes_unless_forced(cli: Cli, org: Path) -> None:
    _bootstrap(cli, org)
    for i in range(8):  # undeclared users count towards the live total, and are left alone
        cli.store.create_user(
            CreateAction.CUST_CREATE, {"email": f"other{i}@acme.example", "type": 1}
        )
    edit(org, "max_deletes: 10", "max_deletes: 10\n    max_change_percent: 25")
    for name in ("Lee", "Ann", "Bob", "Cat"):  # 4 of 12 users: 33%
        edit(org, f"first_name: {name}", f"first_name: {name}x")

    _refused_without_writes(cli, org, "safety.max_change_percent (25%)", forced=False)
    forced = cli("apply", str(org), "--auto-approve", "--force")
    assert forced.code == 0, forced.out + forced.err
    assert cli.store.user("ann@acme.example").first_name == "Annx"


def test_removing_the_last_admin_of_a_group_is_refused_even_forced(cli: Cli, org: Path) -> None:
    _bootstrap(cli, org)
    edit(org, "admins: [lead@acme.example]", "admins: []")
    _refused_without_writes(cli, org, "group Developers would lose its last admin", forced=True)
    assert _emails(cli, _group(cli, "Developers").admins) == {"lead@acme.example"}


def test_account_admins_are_never_deactivated_or_pruned(cli: Cli, org: Path) -> None:
    """Zoom refuses both for admins: the plan says so in a note and apply writes nothing."""
    from reconciler.sandbox.entities import Role

    _bootstrap(cli, org)
    cli.store.user("lead@acme.example").role = Role.ADMIN  # the account's only admin
    boss = cli.store.create_user(
        CreateAction.CUST_CREATE, {"email": "boss@acme.example", "type": 1}
    )
    boss.role = Role.ADMIN
    edit(org, "    dept: Engineering", "    dept: Engineering\n    status: inactive")
    edit(org, "users: none", "users: delete")

    planned = cli("plan", str(org))
    assert planned.code == 0, planned.err
    assert "No changes." in planned.out
    assert "lead@acme.example is an account admin" in planned.out
    assert "boss@acme.example is an account admin" in planned.out
    cli.clear_journal()
    assert cli("apply", str(org), "--auto-approve").code == 0
    assert cli.writes() == []
    assert cli.store.user("lead@acme.example").status is UserStatus.ACTIVE


def test_protected_users_are_never_touched(cli: Cli, org: Path) -> None:
    """The differ leaves protected users out of every change, so apply sends nothing for them."""
    _bootstrap(cli, org)
    cli.store.create_user(CreateAction.CUST_CREATE, {"email": "keep@acme.example", "type": 1})
    edit(org, "policy:\n", "policy:\n  protected_users: [bob@acme.example, keep@acme.example]\n")
    edit(org, "users: none", "users: delete")
    edit(org, "first_name: Bob", "first_name: Robert")
    edit(org, "users: [ann@acme.example, bob@acme.example]", "users: [ann@acme.example]")

    assert _changes(cli, org) == set()
    cli.clear_journal()
    applied = cli("apply", str(org), "--auto-approve", "--force")
    assert applied.code == 0, applied.out + applied.err
    assert "No changes." in applied.out
    assert cli.writes() == []
    bob = cli.store.user("bob@acme.example")
    assert bob.first_name == "Bob"
    assert cli.store.has_email("keep@acme.example")
    office = next(iter(cli.store.contact_groups.values()))
    assert any(member_id == bob.id for _, member_id in office.members)


def test_a_member_neither_declared_nor_in_the_account_fails_plan_and_apply(
    cli: Cli, org: Path
) -> None:
    """Adding nothing for such a member would drop a reviewed line in silence."""
    _bootstrap(cli, org)
    cli.store.create_user(CreateAction.CUST_CREATE, {"email": "keep@acme.example", "type": 1})
    edit(
        org,
        "    admins: [lead@acme.example]",
        "    admins: [lead@acme.example, gone@acme.example]\n"
        "    members: [keep@acme.example, ghost@acme.example]",
    )
    cli.clear_journal()
    for command in (("plan", str(org)), ("apply", str(org), "--auto-approve")):
        result = cli(*command)
        assert result.code == 1, result.out + result.err
        assert result.err.splitlines()[-3:] == [
            f"{org}:19:33: user 'gone@acme.example' (admins of Developers) is neither declared"
            " in users nor in the account",
            f"{org}:20:34: user 'ghost@acme.example' (members of Developers) is neither declared"
            " in users nor in the account",
            "2 error(s) found.",
        ]
    assert cli.writes() == []
    edit(org, ", gone@acme.example]", "]")
    edit(org, ", ghost@acme.example]", "]")
    applied = cli("apply", str(org), "--auto-approve")  # a member the account has is fine
    assert applied.code == 0, applied.out + applied.err
    assert "keep@acme.example" in _emails(cli, _group(cli, "Developers").members)


def test_apply_refuses_to_wait_for_an_answer_in_ci(cli: Cli, org: Path) -> None:
    refused = cli("apply", str(org), env={"CI": "true"})
    assert refused.code == 1
    assert "--auto-approve" in refused.err
    assert cli.writes() == []


def test_a_saved_plan_applies_while_fresh_and_is_refused_once_stale(
    cli: Cli, org: Path, tmp_path: Path
) -> None:
    _bootstrap(cli, org)
    store = cli.store
    store.user("ann@acme.example").first_name = "Anne"
    saved = tmp_path / "plan.json"
    assert cli("plan", str(org), "--out", str(saved)).code == 0
    text = saved.read_text()
    assert cli.server.credentials.client_secret not in text

    store.user("bob@acme.example").last_name = "Elsewhere"  # not touched by the plan
    applied = cli("apply", "--plan", str(saved), "--auto-approve")
    assert applied.code == 0, applied.err
    assert store.user("ann@acme.example").first_name == "Ann"

    store.user("ann@acme.example").first_name = "Anne"
    assert cli("plan", str(org), "--out", str(saved)).code == 0
    store.user("ann@acme.example").first_name = "Annie"  # drift after the review
    cli.clear_journal()
    stale = cli("apply", "--plan", str(saved), "--auto-approve")
    assert stale.code == 1
    assert "stale" in stale.err
    assert "user:ann@acme.example" in stale.err
    assert cli.writes() == []


def test_target_scopes_the_plan_to_an_object_and_what_it_needs(cli: Cli, org: Path) -> None:
    planned = cli("plan", str(org), "--format", "json", "--target", "group_admin:Developers")
    assert planned.code == 0, planned.err
    got = {(c["kind"], c["action"], c["key"]) for c in planned.json()["changes"]}
    assert got == {
        ("group_admin", "add", "Developers/lead@acme.example"),
        ("group", "create", "Developers"),
        ("user", "create", "lead@acme.example"),
    }
    assert "warning" not in planned.err
    bad = cli("plan", str(org), "--target", "gadget")
    assert bad.code == 1
    assert "unknown kind" in bad.err
    typo = cli("plan", str(org), "--target", "group:Developerz")
    assert typo.code == 0, typo.err
    assert "warning: --target group:Developerz: nothing by that name" in typo.err
    assert "No changes." in typo.out


def test_sandbox_flag_needs_no_credentials(cli: Cli, org: Path, tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "version: 1\nusers:\n  - {email: owner@acme.example, role: owner}\n"
        "  - {email: ann@acme.example, first_name: Old, create_action: custCreate}\n"
    )
    for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"):
        cli.monkeypatch.delenv(name)
    planned = cli("plan", str(org), "--sandbox", "--sandbox-seed", str(seed), "--format", "json")
    assert planned.code == 0, planned.err
    keys = {(c["kind"], c["action"], c["key"]) for c in planned.json()["changes"]}
    assert ("user", "update", "ann@acme.example") in keys
    assert ("user", "create", "lead@acme.example") in keys
    applied = cli("apply", str(org), "--sandbox", "--sandbox-seed", str(seed), "--auto-approve")
    assert applied.code == 0, applied.err
    assert cli.writes() == []  # the shared server saw none of it


EXAMPLE = Path(__file__).resolve().parents[2] / "examples"


def test_the_example_organisation_bootstraps_an_empty_account(cli: Cli) -> None:
    first = cli("apply", str(EXAMPLE / "acme"), "--auto-approve")
    assert first.code == 0, first.out + first.err
    assert " 0 failed, 0 skipped" in first.out
    again = cli("plan", str(EXAMPLE / "acme"), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err


def test_the_example_organisation_converges_from_the_sandbox_seed(cli: Cli) -> None:
    seed = (EXAMPLE / "sandbox-seed.yaml").read_text(encoding="utf-8")
    response = httpx.post(f"{cli.server.root_url}/_sandbox/seed", content=seed, timeout=30)
    assert response.status_code == 200, response.text
    planned = cli("plan", str(EXAMPLE / "acme"), "--detailed-exitcode")
    assert planned.code == 2, planned.err
    applied = cli("apply", str(EXAMPLE / "acme"), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    again = cli("plan", str(EXAMPLE / "acme"), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err


def test_exit_codes_through_a_real_process(cli: Cli, org: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "reconciler", "--no-color", *args]
        return subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    changes = run("plan", str(org), "--detailed-exitcode", "--format", "markdown")
    assert changes.returncode == 2, changes.stderr
    assert changes.stdout.startswith("<!-- zoom-reconciler")
    assert cli.server.credentials.client_secret not in changes.stdout + changes.stderr
    assert run("apply").returncode == 1  # a usage error is 1, never 2
    assert run("apply", str(org)).returncode == 1  # stdin is not a terminal: no prompt
    assert cli.writes() == []


def test_an_autocreate_password_never_reaches_a_plan_file_or_output(
    cli: Cli, org: Path, tmp_path: Path
) -> None:
    password = "Sentinel-Pw-42x"
    cli.monkeypatch.setenv("NEW_HIRE_PASSWORD", password)
    edit(
        org,
        "users:\n",
        "users:\n  - {email: auto@acme.example, create_action: autoCreate, "
        "password: '${NEW_HIRE_PASSWORD}', first_name: Auto}\n",
    )
    saved = tmp_path / "plan.json"
    planned = cli("plan", str(org), "--out", str(saved), "--format", "json")
    assert planned.code == 0, planned.err
    assert password not in saved.read_text() + planned.out + planned.err

    without = cli("apply", "--plan", str(saved), "--auto-approve")
    assert without.code == 1
    assert "user create auto@acme.example: user auto@acme.example: no password" in without.out
    assert password not in without.out + without.err

    rerun = tmp_path / "again.json"
    assert cli("plan", str(org), "--out", str(rerun)).code == 0
    with_config = cli("apply", str(org), "--plan", str(rerun), "--auto-approve")
    assert with_config.code == 0, with_config.out + with_config.err
    assert password not in with_config.out + with_config.err
    assert cli.store.user("auto@acme.example").first_name == "Auto"
