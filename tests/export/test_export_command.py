"""`zoom-reconciler export` end to end: a sandbox account out, `plan` on the files: no changes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from reconciler.cli.main import main
from reconciler.sandbox import ServerInfo
from tests.live.support import seed_server

SEED = """
version: 1
divisions:
  - {name: Engineering, description: Builders}
groups:
  - name: Developers
    admins: [ann@acme.example]
    settings:
      in_meeting: {chat: true}
users:
  - {email: owner@acme.example, role: owner}
  - {email: ann@acme.example, first_name: Ann, groups: [Developers], division: Engineering,
     job_title: Lead}
  - {email: pat@acme.example, status: pending}
contact_groups:
  - name: Office
    members: {users: [ann@acme.example]}
"""


def _run(*argv: str) -> int:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    code = done.value.code
    assert isinstance(code, int)
    return code


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = tmp_path / "seed.yaml"
    path.write_text(SEED, encoding="utf-8")
    return path


def test_export_then_plan_reports_no_changes(
    tmp_path: Path, seed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    out = tmp_path / "account"
    assert _run("export", "--out", str(out), "--sandbox", "--sandbox-seed", str(seed)) == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == [
        "config.schema.json",
        "contact-groups.yaml",
        "divisions.yaml",
        "groups.yaml",
        "policy.yaml",
        "users.yaml",
    ]
    err = capsys.readouterr().err
    assert "read users: 3 in 3 calls" in err
    assert "read group settings: 4 calls" in err
    assert "read user details: 3 calls" in err
    # ann and pat, whose invitation is pending, are written; the owner only in a comment
    assert "Wrote 6 files" in err
    assert ": 2 users (1 pending invitations)," in err
    assert "job_title: Lead" in (out / "users.yaml").read_text(encoding="utf-8")
    code = _run("plan", str(out), "--sandbox", "--sandbox-seed", str(seed), "--detailed-exitcode")
    assert code == 0
    captured = capsys.readouterr()
    assert "No changes." in captured.out
    # plan shows its read the same way, and reads ann's record for the job title it compares
    assert "read users: 3 in 3 calls" in captured.err
    assert "read user details: 1 call" in captured.err


def test_export_without_user_details_reads_no_user_one_by_one(
    tmp_path: Path, seed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    out = tmp_path / "account"
    args = ("export", "--out", str(out), "--no-user-details")
    assert _run(*args, "--sandbox", "--sandbox-seed", str(seed)) == 0
    err = capsys.readouterr().err
    assert "user details" not in err.split("Wrote")[0]
    assert "job titles and the other fields" in err
    assert "job_title" not in (out / "users.yaml").read_text(encoding="utf-8")
    code = _run("plan", str(out), "--sandbox", "--sandbox-seed", str(seed), "--detailed-exitcode")
    assert code == 0


def test_apply_shows_its_read_too(
    tmp_path: Path, seed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "1")
    config = tmp_path / "zoom.yaml"
    config.write_text("version: 1\ngroups: [{name: Sales}]\n", encoding="utf-8")
    args = ("apply", str(config), "--auto-approve", "--sandbox", "--sandbox-seed", str(seed))
    assert _run(*args) == 0
    err = capsys.readouterr().err
    assert "read groups: 1 in 1 call" in err
    assert "read users: 3 in 3 calls" in err


def test_export_refuses_a_directory_with_other_configuration(
    tmp_path: Path, seed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "account"
    out.mkdir()
    (out / "mine.yaml").write_text("version: 1\n", encoding="utf-8")
    assert _run("export", "--out", str(out), "--sandbox", "--sandbox-seed", str(seed)) == 1
    assert "mine.yaml" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["mine.yaml"]


def test_export_needs_an_output_directory(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("export", "--sandbox") == 1
    assert "--out" in capsys.readouterr().err


def test_re_exporting_into_the_same_directory_gives_the_same_files(
    tmp_path: Path, seed: Path
) -> None:
    out = tmp_path / "account"
    args = ("export", "--out", str(out), "--schema-url", "https://example.test/s.json")
    assert _run(*args, "--sandbox", "--sandbox-seed", str(seed)) == 0
    first = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert _run(*args, "--sandbox", "--sandbox-seed", str(seed)) == 0
    second = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert first == second
    assert "config.schema.json" not in first
    assert "$schema=https://example.test/s.json" in first["users.yaml"]


def test_an_account_without_groups_exports_with_a_warning_and_plans_clean(
    sandbox_server: ServerInfo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Real HTTP, credentials from the environment, and a plan without groups or contacts."""
    for line in sandbox_server.exports():
        name, _, value = line.removeprefix("export ").partition("=")
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CI", "1")
    seed_server(sandbox_server, {"version": 1, "users": [{"email": "a@acme.example"}]})
    httpx.post(
        f"{sandbox_server.root_url}/_sandbox/config", json={"paid_account": False}, timeout=10
    ).raise_for_status()
    out = tmp_path / "account"
    assert _run("export", "--out", str(out)) == 0
    err = capsys.readouterr().err
    assert "Warning: groups not read: Zoom answered 'Only available for paid account" in err
    assert "Warning: contact groups not read" in err
    assert _run("plan", str(out), "--detailed-exitcode") == 0
    assert "No changes." in capsys.readouterr().out
