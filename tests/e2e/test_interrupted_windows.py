"""The windows the bundled example's kill test does not reach: renames and half-done batches.

A small account, seeded over the sandbox's control API, holds a group, a division and a contact
group that the configuration pins by `id` under new names, and forty users who join a new group
(two member batches of 30), move to the renamed division (two batches of 30) and fill a new
contact group. A real `apply` is killed at every one of its writes, right after a write Zoom
made whose answer was lost (the sandbox's stall, never a race); the next `apply` must exit 0
without `--force`, rename nothing twice, duplicate nothing and leave nothing to plan.
"""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest

from reconciler.config import load_config
from tests.e2e.conftest import Cli, assert_account_is, stopped_at

pytestmark = pytest.mark.slow

USERS = 40  # more than one batch of group members (30) and of division users (30)
NEW_USERS = 2

SEED = """\
version: 1
divisions:
  - {id: div-renamed, name: Sales Field}
groups:
  - {id: grp-renamed, name: Ground Floor}
contact_groups:
  - id: cg-renamed
    name: Old Book
    members: {users: [u00@acme.example]}
users:
""" + "".join(
    f"  - {{email: u{u:02d}@acme.example, first_name: U{u}, last_name: Seeded, type: basic}}\n"
    for u in range(USERS)
)


def _config(path: Path) -> Path:
    lines = [
        "version: 1",
        "policy:",
        "  prune: {users: none, groups: false, contact_groups: false, group_members: true}",
        "  safety: {max_deletes: 5, max_change_percent: 25}",
        "divisions:",
        "  - {id: div-renamed, name: Field Sales}",
        "groups:",
        "  - {id: grp-renamed, name: Floor One}",
        "  - {name: Everyone}",
        "contact_groups:",
        "  - id: cg-renamed",
        "    name: Phone Book",
        "    members: {users: [u00@acme.example, u01@acme.example]}",
        "  - name: Staff",
        "    members:",
        "      users: [" + ", ".join(f"u{u:02d}@acme.example" for u in range(USERS)) + "]",
        "users:",
    ]
    for u in range(USERS + NEW_USERS):
        # Everyone is each user's first group (their primary); every third also joins Floor One.
        groups = "[Everyone, Floor One]" if u % 3 == 0 else "[Everyone]"
        last = "Seeded" if u < USERS else "Hired"
        lines.append(
            f"  - {{email: u{u:02d}@acme.example, first_name: U{u}, last_name: {last},"
            f" type: basic, create_action: custCreate, groups: {groups}, division: Field Sales}}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


WRITES = 13  # this apply's accepted writes against the seeded account


def _seed(cli: Cli) -> None:
    response = httpx.post(
        f"{cli.server.root_url}/_sandbox/seed",
        content=SEED.encode(),
        headers={"content-type": "application/yaml"},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_the_apply_makes_the_writes_the_kill_points_count_on(cli: Cli, tmp_path: Path) -> None:
    """Every kill point below lands inside the apply: it makes exactly WRITES writes."""
    _seed(cli)
    config = _config(tmp_path / "org.yaml")
    cli.clear_journal()
    done = cli("apply", str(config), "--auto-approve")
    assert done.code == 0, done.out + done.err
    assert len(cli.writes()) == WRITES, [(w["method"], w["path"]) for w in cli.writes()]


@pytest.mark.parametrize("write", range(1, WRITES + 1))
def test_a_rename_or_batch_killed_at_any_write_finishes_on_the_next_run(
    cli: Cli, tmp_path: Path, write: int
) -> None:
    _seed(cli)
    config = _config(tmp_path / "org.yaml")
    killed, _, _ = stopped_at(cli, ["apply", str(config), "--auto-approve"], write, signal.SIGKILL)
    assert killed.returncode == -signal.SIGKILL

    rerun = cli("apply", str(config), "--auto-approve")
    assert rerun.code == 0, rerun.out + rerun.err
    if write < WRITES:
        assert " 0 failed, 0 skipped" in rerun.out
    else:  # killed after its last write: only the answer was lost
        assert rerun.out.startswith("No changes."), rerun.out
    again = cli("plan", str(config), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    assert_account_is(load_config(config), cli.control("GET", "state"))
