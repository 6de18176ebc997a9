"""The configuration: the contract's own example, directory merging, identities, errors."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.acceptance.conftest import CONTRACT_EXAMPLE, write
from tests.e2e.conftest import Cli

DIAGNOSTIC = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


def _seed(cli: Cli, text: str) -> None:
    seeded = httpx.post(
        f"{cli.server.root_url}/_sandbox/seed",
        content=text,
        headers={"content-type": "application/yaml"},
        timeout=10,
    )
    assert seeded.status_code == 200, seeded.text
    cli.clear_journal()


def _diagnostics(err: str) -> list[re.Match[str]]:
    return [m for line in err.splitlines() if (m := DIAGNOSTIC.match(line))]


# -- the contract's example ----------------------------------------------------------------

EXAMPLE_ACCOUNT = """\
version: 1
users:
  - {email: owner@acme.example, first_name: Owner, type: licensed, create_action: custCreate}
  - {email: ann@acme.example, first_name: Ann, type: licensed, create_action: custCreate}
  - {email: lead@acme.example, first_name: Lee, type: licensed, create_action: custCreate}
"""


def test_the_contract_example_is_valid(cli: Cli) -> None:
    validated = cli("validate", str(CONTRACT_EXAMPLE))
    assert validated.code == 0, validated.err


def test_members_not_declared_in_users_are_warned_about_then_refused_if_absent(
    cli: Cli, tmp_path: Path
) -> None:
    validated = cli("validate", str(CONTRACT_EXAMPLE))
    warnings = [m for m in _diagnostics(validated.err) if m["message"].startswith("warning: ")]
    assert [(m["line"], m["col"]) for m in warnings] == [("22", "15"), ("23", "14")]
    assert "ann@acme.example" in warnings[0]["message"]
    # Absent from the account too: plan and apply refuse them, where they are written.
    cli.clear_journal()
    for command in (
        ("plan", str(CONTRACT_EXAMPLE)),
        ("apply", str(CONTRACT_EXAMPLE), "--auto-approve"),
    ):
        refused = cli(*command)
        assert refused.code == 1, refused.out
        errors = _diagnostics(refused.err)
        assert [(m["line"], m["col"]) for m in errors] == [("22", "15"), ("23", "14")]
        assert "ann@acme.example" in errors[0]["message"]
        assert "lead@acme.example" in errors[1]["message"]
    assert cli.writes() == []


def test_undeclared_live_users_can_be_members_of_every_kind(cli: Cli, tmp_path: Path) -> None:
    _seed(cli, "version: 1\nusers: [{email: X@acme.example, first_name: X}]\n")
    config = write(
        tmp_path / "c.yaml",
        "version: 1\n"
        "divisions: [{name: D, members: [x@acme.example]}]\n"
        "groups: [{name: G, members: [x@acme.example], admins: [x@acme.example]}]\n"
        "contact_groups: [{name: C, members: {users: [x@acme.example]}}]\n",
    )
    assert cli("validate", str(config)).code == 0
    planned = cli("plan", str(config), "--format", "json")
    assert planned.code == 0, planned.err
    kinds = {(c["kind"], c["action"]) for c in planned.json()["changes"]}
    assert {
        ("division_member", "add"),
        ("group_member", "add"),
        ("group_admin", "add"),
        ("contact_group_member", "add"),
    } <= kinds
    assert not any(c["kind"] == "user" for c in planned.json()["changes"])
    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    assert cli("plan", str(config), "--detailed-exitcode").code == 0


def test_the_contract_example_plans_applies_and_converges(cli: Cli) -> None:
    _seed(cli, EXAMPLE_ACCOUNT)
    planned = cli("plan", str(CONTRACT_EXAMPLE), "--format", "json")
    assert planned.code == 0, planned.err
    changes = {(c["kind"], c["action"], c["key"]) for c in planned.json()["changes"]}
    kinds = {kind for kind, _, _ in changes}
    assert {
        "user",
        "group",
        "group_member",
        "group_admin",
        "division",
        "division_member",
        "contact_group",
        "contact_group_member",
    } <= kinds, kinds
    assert ("user", "create", "jill@acme.example") in changes
    applied = cli("apply", str(CONTRACT_EXAMPLE), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    jill = cli.store.user("jill@acme.example")
    assert (jill.first_name, jill.last_name, jill.dept, jill.timezone) == (
        "Jill",
        "Chill",
        "Engineering",
        "America/Chicago",
    )
    again = cli("plan", str(CONTRACT_EXAMPLE), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err


# -- directory merging ---------------------------------------------------------------------


def test_a_directory_is_merged_recursively_from_yaml_and_yml_files(
    cli: Cli, tmp_path: Path
) -> None:
    root = tmp_path / "org"
    write(root / "base.yaml", "version: 1\npolicy:\n  safety: {max_deletes: 3}\n")
    write(root / "groups.yml", "groups:\n  - name: A\n")
    write(root / "teams" / "more.yaml", "version: 1\ngroups:\n  - name: B\n")
    write(root / "teams" / "notes.txt", "groups: [this is not configuration\n")
    write(root / "z" / "users.yaml", "users:\n  - email: a@acme.example\n    groups: [A, B]\n")
    validated = cli("validate", str(root))
    assert validated.code == 0, validated.err
    planned = cli("plan", str(root), "--format", "json")
    assert planned.code == 0, planned.err
    keys = {(c["kind"], c["key"]) for c in planned.json()["changes"]}
    assert {("group", "A"), ("group", "B"), ("user", "a@acme.example")} <= keys


def test_files_are_read_in_sorted_path_order(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "org"
    write(root / "b.yaml", "version: 1\ngroups:\n  - name: Twice\n")
    write(root / "a" / "z.yml", "groups:\n  - name: Twice\n")
    invalid = cli("validate", str(root))
    assert invalid.code == 1
    (found,) = _diagnostics(invalid.err)
    # a/z.yml sorts before b.yaml: the duplicate is the one in b.yaml.
    assert Path(found["file"]).name == "b.yaml"
    assert "z.yml" in found["message"]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"a.yaml": "policy: {}\nversion: 1\n", "b.yaml": "policy: {}\n"}, "policy"),
        ({"a.yaml": "groups: []\n", "b.yaml": "users: []\n"}, "version"),
        ({"a.yaml": "version: 1\n", "b.yaml": "version: 2\n"}, "version"),
        ({"a.yaml": "version: 2\n"}, "version"),
        ({"a.yaml": "policy: {}\n"}, "version"),
        ({"a.yaml": "version: 1\npolicy: {}\npolicy: {}\n"}, "policy"),
    ],
)
def test_directory_rules_policy_once_version_present_and_equal(
    cli: Cli, tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    root = tmp_path / "org"
    for name, text in files.items():
        write(root / name, text)
    invalid = cli("validate", str(root))
    assert invalid.code == 1
    found = _diagnostics(invalid.err)
    assert found, invalid.err
    assert any(expected in m["message"] for m in found)


# -- errors ----------------------------------------------------------------------------------

BROKEN = """\
version: 1
groups:
  - name: Developers
    colour: blue
    settings:
      in_meeting: {chatt: true}
    lock_settings:
      in_meeting: {no_such_lock: true}
users:
  - email: jill@acme.example
    frist_name: Jill
    type: licenced
    groups: [Developer]
"""


def test_every_config_error_at_once_as_file_line_col_and_nothing_sent(
    cli: Cli, tmp_path: Path
) -> None:
    broken = write(tmp_path / "broken.yaml", BROKEN)
    for command in (["validate"], ["plan"], ["apply", "--auto-approve"]):
        cli.clear_journal()
        result = cli(*command, str(broken))
        assert result.code == 1
        found = _diagnostics(result.err)
        assert [(int(m["line"]), m["file"]) for m in found] == [
            (4, str(broken)),
            (6, str(broken)),
            (8, str(broken)),
            (11, str(broken)),
            (12, str(broken)),
            (13, str(broken)),
        ], result.err
        assert all(int(m["col"]) >= 1 for m in found)
        text = " ".join(m["message"] for m in found)
        for word in ("colour", "chatt", "no_such_lock", "frist_name", "licenced", "Developer"):
            assert word in text
        assert cli.control("GET", "journal")["entries"] == []


# -- enums, identities, unmanaged fields -----------------------------------------------------


def test_enums_take_names_or_numbers_and_mean_the_same(cli: Cli, tmp_path: Path) -> None:
    by_name = write(
        tmp_path / "names.yaml",
        "version: 1\nusers:\n"
        "  - {email: a@acme.example, type: licensed, create_action: custCreate}\n"
        "  - {email: b@acme.example, type: no_meetings_license, create_action: custCreate}\n"
        "  - {email: c@acme.example, type: basic, create_action: custCreate}\n"
        "contact_groups:\n"
        "  - {name: One, privacy: visible_to_anyone}\n"
        "  - {name: Two, privacy: members_only_searchable_by_anyone}\n"
        "  - {name: Three, privacy: members_only}\n",
    )
    by_number = write(
        tmp_path / "numbers.yaml",
        by_name.read_text(encoding="utf-8")
        .replace("type: licensed", "type: 2")
        .replace("type: no_meetings_license", "type: 4")
        .replace("type: basic", "type: 1")
        .replace("privacy: visible_to_anyone", "privacy: 1")
        .replace("privacy: members_only_searchable_by_anyone", "privacy: 2")
        .replace("privacy: members_only", "privacy: 3"),
    )
    assert cli("apply", str(by_name), "--auto-approve").code == 0
    assert cli("plan", str(by_number), "--detailed-exitcode").code == 0
    types = {u.email: u.type for u in cli.store.users.values() if u.email.endswith("acme.example")}
    assert [int(getattr(types[e], "value", types[e])) for e in sorted(types)] == [2, 4, 1]
    wrong = write(
        tmp_path / "wrong.yaml", "version: 1\nusers:\n  - {email: a@acme.example, type: 3}\n"
    )
    rejected = cli("validate", str(wrong))
    assert rejected.code == 1
    assert "basic, licensed, no_meetings_license" in rejected.err


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("status", ["active", "inactive"]),
        ("create_action", ["create", "autoCreate", "custCreate", "ssoCreate"]),
    ],
)
def test_user_enum_names_of_the_contract_are_accepted(
    cli: Cli, tmp_path: Path, key: str, values: list[str]
) -> None:
    for value in values:
        # autoCreate comes with the password Zoom requires for it (validate refuses it without)
        extra = ", password: Sunny7Day-Ann" if value == "autoCreate" else ""
        config = write(
            tmp_path / f"{value}.yaml",
            f"version: 1\nusers:\n  - {{email: a@acme.example, {key}: {value}{extra}}}\n",
        )
        assert cli("validate", str(config)).code == 0, value


@pytest.mark.parametrize("users", ["none", "deactivate", "delete"])
def test_prune_users_modes_are_accepted(cli: Cli, tmp_path: Path, users: str) -> None:
    config = write(tmp_path / "p.yaml", f"version: 1\npolicy:\n  prune:\n    users: {users}\n")
    assert cli("validate", str(config)).code == 0


@pytest.mark.parametrize("kind", ["groups", "divisions", "contact_groups"])
def test_an_id_pin_turns_a_new_name_into_a_rename(cli: Cli, tmp_path: Path, kind: str) -> None:
    config = write(tmp_path / "c.yaml", f"version: 1\n{kind}:\n  - name: Before\n")
    assert cli("apply", str(config), "--auto-approve").code == 0
    live = {
        "groups": cli.store.groups,
        "divisions": cli.store.divisions,
        "contact_groups": cli.store.contact_groups,
    }[kind]
    pinned = next(o.id for o in live.values() if o.name == "Before")
    write(config, f"version: 1\n{kind}:\n  - name: After\n    id: {pinned}\n")
    planned = cli("plan", str(config), "--format", "json")
    assert planned.code == 0, planned.err
    (change,) = planned.json()["changes"]
    assert change["action"] == "update"
    assert change["before"]["name"] == "Before"
    assert change["after"]["name"] == "After"
    assert cli("apply", str(config), "--auto-approve").code == 0
    assert {o.name for o in live.values() if o.id == pinned} == {"After"}


def test_users_are_matched_by_email_ignoring_case(cli: Cli, tmp_path: Path) -> None:
    _seed(cli, "version: 1\nusers:\n  - {email: Jill@Acme.Example, first_name: Jill}\n")
    config = write(
        tmp_path / "c.yaml",
        "version: 1\nusers:\n  - {email: jILL@acme.example, first_name: Jill}\n",
    )
    assert cli("plan", str(config), "--detailed-exitcode").code == 0


def test_a_field_not_written_is_not_managed(cli: Cli, tmp_path: Path) -> None:
    _seed(
        cli,
        "version: 1\nusers:\n  - {email: a@acme.example, first_name: A, job_title: Boss, dept: X}\n",
    )
    config = write(tmp_path / "c.yaml", "version: 1\nusers:\n  - {email: a@acme.example}\n")
    assert cli("plan", str(config), "--detailed-exitcode").code == 0
