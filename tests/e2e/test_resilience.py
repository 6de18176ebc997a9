"""Convergence when things go wrong: the sandbox's faults on, and a run killed part way."""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path

import pytest

from reconciler.sandbox.owner import DEFAULT_OWNER_EMAIL
from tests.e2e.conftest import Cli, stopped_at

pytestmark = pytest.mark.slow

USERS = 40
GROUPS = 4


def _org(path: Path) -> Path:
    """A made-up organisation: every kind of object, with plenty of memberships."""
    lines = [
        "version: 1",
        "divisions:",
        "  - {name: North, description: Northern offices}",
        "  - {name: South}",
        "groups:",
    ]
    for g in range(GROUPS):
        lines.append(f"  - name: Team {g}")
        lines.append(f"    admins: [u{g:02d}@acme.example]")
        lines.append("    settings: {in_meeting: {chat: %s}}" % ("true" if g % 2 else "false"))
    lines.append("users:")
    for u in range(USERS):
        groups = sorted({f"Team {u % GROUPS}", f"Team {(u * 7) % GROUPS}"})
        lines.append(
            f"  - {{email: u{u:02d}@acme.example, first_name: U{u}, last_name: Test, "
            f"type: basic, create_action: custCreate, groups: [{', '.join(groups)}], "
            f"division: {'North' if u % 3 else 'South'}}}"
        )
    lines += [
        "contact_groups:",
        "  - name: Everyone North",
        "    members:",
        f"      users: [{', '.join(f'u{u:02d}@acme.example' for u in range(USERS) if u % 3)}]",
        "      groups: [Team 0, Team 1]",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _assert_exactly_as_declared(cli: Cli) -> None:
    """No duplicate users, groups or members: the account holds what the file says, once."""
    store = cli.store
    assert sorted(u.email for u in store.users.values()) == [
        DEFAULT_OWNER_EMAIL,  # the account's own, which the file does not manage
        *(f"u{u:02d}@acme.example" for u in range(USERS)),
    ]
    assert sorted(g.name for g in store.groups.values()) == [f"Team {g}" for g in range(GROUPS)]
    for group in store.groups.values():
        g = int(group.name.split()[1])
        expected = {
            f"u{u:02d}@acme.example" for u in range(USERS) if g in (u % GROUPS, (u * 7) % GROUPS)
        }
        assert {store.users[i].email for i in group.members} == expected
    for user in store.users.values():
        assert len(user.group_ids) == len(set(user.group_ids))
    (contact,) = store.contact_groups.values()
    assert len(contact.members) == len([u for u in range(USERS) if u % 3]) + 2


def test_apply_converges_within_two_runs_with_faults_on(cli: Cli, tmp_path: Path) -> None:
    """Dropped connections, 429s, an expired token and 5xx while reading, and failed writes
    that were applied anyway. Concurrent requests meet the faults in no fixed order, so the
    sandbox fails requests by number: the first run's reads meet four faults (fewer than a
    call's attempts) and its writes three, and a second run has none left to meet."""
    org = _org(tmp_path / "org.yaml")
    cli.control("DELETE", "journal")
    assert cli("plan", str(org), "--detailed-exitcode").code == 2
    reads = len([e for e in cli.control("GET", "journal")["entries"] if _is_api(e)])
    while_reading = {"1": 0, "2": 429, "3": 401, "4": 503}
    first_write = reads + len(while_reading) + 1  # each fault costs one more request
    while_writing = {str(first_write): 500, str(first_write + 10): 0, str(first_write + 20): 502}
    script = {**while_reading, **while_writing}
    cli.control("POST", "config", {"faults": {"script": script, "applied_share": 1.0}})
    cli.control("DELETE", "journal")
    codes = []
    for _ in range(2):
        run = cli("apply", str(org), "--auto-approve")
        codes.append(run.code)
        if run.code == 0:
            break
    cli.control("POST", "config", {"faults": {"script": {}}})
    assert codes[-1] == 0, codes
    entries = cli.control("GET", "journal")["entries"]
    faults = Counter(e["status"] for e in entries if e["status"] in (0, 401, 429, *range(500, 600)))
    assert faults.pop(401) >= 1  # the token died; requests in flight with it were refused too
    assert sorted(faults.elements()) == [0, 0, 429, 500, 502, 503]
    assert any(e["status"] == 500 and e["method"] != "GET" for e in entries)  # a write's fault
    assert cli("plan", str(org), "--detailed-exitcode").code == 0
    _assert_exactly_as_declared(cli)


def _is_api(entry: dict[str, object]) -> bool:
    return not str(entry["path"]).startswith("/oauth")


def test_a_run_killed_part_way_converges_when_run_again(cli: Cli, tmp_path: Path) -> None:
    """The sandbox holds its answers from the 33rd write on, so the kill lands there."""
    org = _org(tmp_path / "org.yaml")
    process, _, _ = stopped_at(cli, ["apply", str(org), "--auto-approve"], 33, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    assert cli("plan", str(org), "--detailed-exitcode").code == 2  # part of it is left

    rerun = cli("apply", str(org), "--auto-approve")
    assert rerun.code == 0, rerun.out + rerun.err
    assert cli("plan", str(org), "--detailed-exitcode").code == 0
    _assert_exactly_as_declared(cli)


def test_ctrl_c_prints_what_was_done_and_a_rerun_finishes(cli: Cli, tmp_path: Path) -> None:
    """An interrupted apply still reports every change (done, or left and why), then exits 1.

    Ctrl-C lands while the sandbox holds the answer to the 10th write: the run cannot have
    finished first, however slow the machine (a race this test once lost).
    """
    org = _org(tmp_path / "org.yaml")
    process, out, err = stopped_at(cli, ["apply", str(org), "--auto-approve"], 10, signal.SIGINT)
    assert process.returncode == 1, err
    assert "Stopped early: interrupted; run apply again to finish" in out
    lines = out.splitlines()
    done = [line for line in lines if line.startswith("done ")]
    left = [line for line in lines if line.startswith("skipped ")]
    assert done
    assert left
    assert any("not started: the run was interrupted" in line for line in left)
    assert any("it may have taken effect" in line for line in left)  # the held write
    summary = next(line for line in lines if line.startswith("Apply: "))
    assert f"Apply: {len(done)} done, 0 failed, {len(left)} skipped" in summary

    rerun = cli("apply", str(org), "--auto-approve")
    assert rerun.code == 0, rerun.out + rerun.err
    _assert_exactly_as_declared(cli)
