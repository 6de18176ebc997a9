"""Every command and flag of the contract's table, with its exit codes."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from reconciler.config import load_config
from tests.acceptance.conftest import REPOSITORY, Front, Staged, write
from tests.e2e.conftest import Cli

ORG = """\
version: 1
divisions:
  - name: Engineering
groups:
  - name: Developers
    admins: [lead@acme.example]
    settings:
      in_meeting: {chat: true}
  - name: Sellers
users:
  - email: lead@acme.example
    first_name: Lee
    type: licensed
    create_action: custCreate
    groups: [Developers]
    division: Engineering
  - email: bob@acme.example
    first_name: Bob
    create_action: custCreate
    groups: [Sellers]
contact_groups:
  - name: Office A
    members:
      users: [lead@acme.example]
"""


@pytest.fixture
def org(tmp_path: Path) -> Path:
    return write(tmp_path / "org.yaml", ORG)


def _seed_yaml(cli: Cli, text: str) -> None:
    seeded = httpx.post(
        f"{cli.server.root_url}/_sandbox/seed",
        content=text,
        headers={"content-type": "application/yaml"},
        timeout=10,
    )
    assert seeded.status_code == 200, seeded.text
    cli.clear_journal()


# -- validate ------------------------------------------------------------------------------


def test_validate_exits_0_when_valid_and_1_when_invalid(
    cli: Cli, org: Path, tmp_path: Path
) -> None:
    assert cli("validate", str(org)).code == 0
    broken = write(tmp_path / "broken.yaml", ORG.replace("first_name: Lee", "frist_name: Lee"))
    invalid = cli("validate", str(broken))
    assert invalid.code == 1
    assert "frist_name" in invalid.err
    assert cli.control("GET", "journal")["entries"] == []


# -- plan ----------------------------------------------------------------------------------


def test_plan_exit_codes_with_and_without_detailed_exitcode(cli: Cli, org: Path) -> None:
    assert cli("plan", str(org)).code == 0
    assert cli("plan", str(org), "--detailed-exitcode").code == 2
    assert cli("apply", str(org), "--auto-approve").code == 0
    assert cli("plan", str(org), "--detailed-exitcode").code == 0
    assert cli("plan", str(org)).code == 0


def test_plan_errors_exit_1_even_with_detailed_exitcode(
    cli: Cli, org: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = write(tmp_path / "broken.yaml", "version: 1\ngroups: [{nmae: X}]\n")
    assert cli("plan", str(broken), "--detailed-exitcode").code == 1
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", "wrong")
    assert cli("plan", str(org), "--detailed-exitcode").code == 1


def test_plan_out_writes_the_plan_and_apply_plan_runs_it(
    cli: Cli, org: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    assert cli("plan", str(org), "--out", str(saved)).code == 0
    assert json.loads(saved.read_text(encoding="utf-8"))["format_version"] == 1
    applied = cli("apply", "--plan", str(saved), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    assert cli("plan", str(org), "--detailed-exitcode").code == 0


def test_apply_plan_refuses_when_live_state_drifted(cli: Cli, org: Path, tmp_path: Path) -> None:
    assert cli("apply", str(org), "--auto-approve").code == 0
    changed = write(tmp_path / "changed.yaml", ORG.replace("first_name: Bob", "first_name: Rob"))
    saved = tmp_path / "plan.json"
    assert cli("plan", str(changed), "--out", str(saved)).code == 0
    cli.store.user("bob@acme.example").first_name = "Robert"  # someone edits Zoom meanwhile
    cli.clear_journal()
    refused = cli("apply", "--plan", str(saved), "--auto-approve")
    assert refused.code == 1
    assert "bob@acme.example" in refused.err or "changed" in refused.err
    assert cli.writes() == []
    assert cli.store.user("bob@acme.example").first_name == "Robert"


# -- apply ---------------------------------------------------------------------------------


def test_apply_auto_approve_applies_everything_and_exits_0(cli: Cli, org: Path) -> None:
    applied = cli("apply", str(org), "--auto-approve")
    assert applied.code == 0, applied.err
    assert cli.store.user("lead@acme.example").first_name == "Lee"
    assert {g.name for g in cli.store.groups.values()} == {"Developers", "Sellers"}


def test_apply_exits_1_when_a_change_fails(front: Front, cli: Cli, org: Path) -> None:
    front.stage(
        Staged(
            lambda method, path: method == "POST" and path.startswith("/v2/groups"),
            400,
            {"code": 300, "message": "Validation Failed."},
        )
    )
    failed = cli("apply", str(org), "--auto-approve")
    assert failed.code == 1
    assert "fail" in (failed.out + failed.err).lower()


@pytest.mark.parametrize("variable", ["CI", "GITHUB_ACTIONS", None])
def test_apply_without_auto_approve_refuses_in_ci_or_without_a_terminal(
    cli: Cli, org: Path, variable: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if variable is None:
        monkeypatch.setattr(sys, "stdin", io.StringIO("yes\n"))  # a pipe, not a terminal
    else:
        monkeypatch.setenv(variable, "true")
        monkeypatch.setattr(sys, "stdin", _Terminal("yes\n"))
    refused = cli("apply", str(org))
    assert refused.code == 1
    assert "--auto-approve" in refused.err
    assert cli.writes() == []


class _Terminal(io.StringIO):
    """Standard input that says it is a terminal, with the user's answer typed in."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "code"), [("yes\n", 0), ("no\n", 1)])
def test_apply_on_a_terminal_asks_and_only_yes_applies(
    cli: Cli, org: Path, answer: str, code: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal(answer))
    asked = cli("apply", str(org))
    assert asked.code == code, asked.err
    assert bool(cli.writes()) == (code == 0)


MANY_GROUPS = "version: 1\ngroups:\n" + "".join(f"  - name: Old {i}\n" for i in range(12))


@pytest.mark.parametrize("quiet", [False, True])
def test_safety_caps_refuse_and_force_overrides_saying_so(
    cli: Cli, tmp_path: Path, quiet: bool
) -> None:
    _seed_yaml(cli, MANY_GROUPS)
    prune = write(tmp_path / "prune.yaml", "version: 1\npolicy:\n  prune:\n    groups: true\n")
    refused = cli("apply", str(prune), "--auto-approve")
    assert refused.code == 1
    assert "max_deletes" in refused.err
    assert cli.writes() == []
    flags = ["--quiet"] if quiet else []
    forced = cli(*flags, "apply", str(prune), "--auto-approve", "--force")
    assert forced.code == 0, forced.err
    assert "--force" in forced.out + forced.err
    assert "max_deletes" in forced.out + forced.err
    assert cli.store.groups == {}


# -- export --------------------------------------------------------------------------------


def test_export_then_plan_finds_no_changes(cli: Cli, org: Path, tmp_path: Path) -> None:
    assert cli("apply", str(org), "--auto-approve").code == 0
    out = tmp_path / "exported"
    exported = cli("export", "--out", str(out))
    assert exported.code == 0, exported.err
    assert sorted(out.rglob("*.yaml"))
    again = cli("plan", str(out), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err


def test_export_exits_1_on_error(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZOOM_CLIENT_ID")
    assert cli("export", "--out", str(tmp_path / "x")).code == 1


# -- usage errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["plan"],
        ["plan", "x.yaml", "--format", "html"],
        ["plan", "x.yaml", "--no-such-flag"],
        ["apply"],
        ["export"],
        ["frobnicate"],
        ["sandbox", "serve", "--port", "many"],
        ["--no-such-global", "validate", "x.yaml"],
    ],
)
def test_usage_errors_exit_1_never_2(cli: Cli, args: list[str]) -> None:
    assert cli(*args).code == 1


# -- scope and the in-process sandbox --------------------------------------------------------


def _kinds(result_json: dict[str, object]) -> set[str]:
    return {c["kind"] for c in result_json["changes"]}  # type: ignore[attr-defined]


def test_target_is_repeatable_and_scopes_the_plan(cli: Cli, org: Path) -> None:
    everything = cli("plan", str(org), "--format", "json").json()
    assert {"user", "group", "division", "contact_group"} <= _kinds(everything)
    scoped = cli(
        "plan", str(org), "--format", "json", "--target", "division", "--target", "group:Sellers"
    ).json()
    kinds = _kinds(scoped)
    assert {"division", "group"} <= kinds
    assert "contact_group" not in kinds
    groups = {c["key"] for c in scoped["changes"] if c["kind"] == "group"}
    assert groups == {"Sellers"}  # Developers is out of scope
    assert cli("plan", str(org), "--target", "nonsense").code == 1


def test_target_scopes_apply_too(cli: Cli, org: Path) -> None:
    assert cli("apply", str(org), "--auto-approve", "--target", "division").code == 0
    assert {d.name for d in cli.store.divisions.values()} == {"Main Division", "Engineering"}
    assert cli.store.groups == {}
    assert cli.store.contact_groups == {}


def test_sandbox_plans_against_the_example_seed_or_a_given_one(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"):
        monkeypatch.delenv(name)
    acme = REPOSITORY / "examples" / "acme"
    seeded = cli("plan", str(acme), "--sandbox", "--detailed-exitcode")
    assert seeded.code == 2, seeded.err
    assert "examples/sandbox-seed.yaml" in seeded.err.replace("\\", "/")
    exported = tmp_path / "acme-now"
    assert cli("export", "--out", str(exported), "--sandbox").code == 0
    unchanged = cli("plan", str(exported), "--sandbox", "--detailed-exitcode")
    assert unchanged.code == 0, unchanged.out + unchanged.err
    own = write(tmp_path / "seed.yaml", "version: 1\ngroups:\n  - name: Only\n")
    other = cli("plan", str(exported), "--sandbox", "--sandbox-seed", str(own), "--format", "json")
    assert other.code == 0, other.err
    assert {"create"} <= {c["action"] for c in other.json()["changes"]}
    assert cli.control("GET", "journal")["entries"] == []  # the shared sandbox saw nothing


def test_the_example_plan_runs_against_the_owner_the_example_means(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's command: the account owner is acme's own, and no invented user is read."""
    for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"):
        monkeypatch.delenv(name)
    acme = REPOSITORY / "examples" / "acme"
    the_owner = load_config(acme).policy.protected_users[0]
    seed = load_config(REPOSITORY / "examples" / "sandbox-seed.yaml")
    planned = cli("plan", str(acme), "--sandbox", "--format", "json")
    assert planned.code == 0, planned.err
    context = planned.json()["context"]
    assert context["owners"] == [the_owner] == ["it-admin@acme.example"]
    assert context["live_counts"]["user"] == len(seed.users)  # every one of them the seed's
    assert not [note for note in planned.json()["notes"] if "owner" in note]
    text = cli("plan", str(acme), "--sandbox")
    assert "sandbox.example" not in text.out + text.err
    assert "account owner" not in text.out


def test_apply_sandbox_changes_only_the_in_process_account(
    cli: Cli, org: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"):
        monkeypatch.delenv(name)
    seed = write(tmp_path / "seed.yaml", "version: 1\ngroups:\n  - name: Sellers\n")
    applied = cli("apply", str(org), "--sandbox", "--sandbox-seed", str(seed), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    assert " 0 failed" in applied.out
    assert "+ group Developers" in applied.out
    assert "+ group Sellers" not in applied.out  # the seed has it already
    assert cli.control("GET", "journal")["entries"] == []
    assert cli.store.groups == {}


# -- common flags --------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[")


def test_no_color_quiet_and_verbose(cli: Cli, org: Path) -> None:
    plain = cli("plan", str(org))  # the fixture adds --no-color
    assert not ANSI.search(plain.out + plain.err)
    quiet = cli("--quiet", "plan", str(org))
    assert quiet.code == 0
    assert quiet.err.strip() == ""
    assert quiet.out == plain.out
    verbose = cli("-v", "plan", str(org))
    louder = cli("--verbose", "plan", str(org))
    assert verbose.code == louder.code == 0
    assert len(verbose.err) > len(plain.err)
    assert len(louder.err) > len(plain.err)


def test_common_flags_may_also_follow_the_command(cli: Cli, org: Path) -> None:
    """`plan PATH --quiet` reads as naturally as `--quiet plan PATH`, and means the same."""
    before = cli("--quiet", "plan", str(org))
    after = cli("plan", str(org), "--quiet")
    assert before.code == after.code == 0
    assert after.err.strip() == ""
    assert after.out == before.out
    plain = cli("plan", str(org))
    verbose = cli("plan", str(org), "-v")
    assert verbose.code == 0
    assert len(verbose.err) > len(plain.err)
    both = cli("-v", "validate", str(org), "--quiet")
    assert both.code == 0
    assert both.err.strip() == ""  # --quiet wins over -v, wherever each is written


# -- sandbox serve -------------------------------------------------------------------------


def test_sandbox_serve_prints_the_five_exports_then_serves(tmp_path: Path) -> None:
    seed = write(tmp_path / "seed.yaml", "version: 1\ngroups:\n  - name: Seeded\n")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reconciler",
            "sandbox",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--tier",
            "business",
            "--fault-rate",
            "0",
            "--latency-ms",
            "0",
            "--seed",
            str(seed),
            "--account-id",
            "acct-1",
            "--client-id",
            "client-1",
            "--client-secret",
            "s3cret-value",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline().rstrip("\n") for _ in range(5)]
        names = [line.partition("=")[0] for line in lines]
        assert names == [
            "export ZOOM_API_BASE_URL",
            "export ZOOM_OAUTH_TOKEN_URL",
            "export ZOOM_ACCOUNT_ID",
            "export ZOOM_CLIENT_ID",
            "export ZOOM_CLIENT_SECRET",
        ]
        env = dict(line.removeprefix("export ").split("=", 1) for line in lines)
        assert env["ZOOM_ACCOUNT_ID"] == "acct-1"
        assert env["ZOOM_CLIENT_ID"] == "client-1"
        assert env["ZOOM_CLIENT_SECRET"] == "s3cret-value"
        token = httpx.post(
            env["ZOOM_OAUTH_TOKEN_URL"],
            data={"grant_type": "account_credentials", "account_id": "acct-1"},
            auth=("client-1", "s3cret-value"),
            timeout=10,
        )
        assert token.status_code == 200, token.text
        answer = token.json()
        assert answer["token_type"] == "bearer"
        assert answer["expires_in"] == 3600
        assert set(answer) >= {"access_token", "scope"}
        groups = httpx.get(
            f"{env['ZOOM_API_BASE_URL']}/groups",
            headers={"authorization": f"Bearer {answer['access_token']}"},
            timeout=10,
        )
        assert [g["name"] for g in groups.json()["groups"]] == ["Seeded"]
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert "s3cret-value" not in err
