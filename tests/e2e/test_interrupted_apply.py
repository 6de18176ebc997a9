"""An apply killed at any write finishes on the next run.

A real `zoom-reconciler apply` of the bundled example runs against the sandbox server, which
holds every answer from its Nth accepted write on (`/_sandbox/stall`): the kill lands exactly
there, after a write Zoom made but whose answer the tool never heard, whatever the machine's
speed. The next `apply` must exit 0 without `--force`, duplicate nothing and leave the account
as configured (primary groups included), with nothing left to plan.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from reconciler.config import load_config
from reconciler.model import Config
from tests.e2e.conftest import Cli, stopped_at

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "acme"
WRITES = 177  # the example's bootstrap of an empty account makes this many accepted writes
KILL_AT = range(1, WRITES, 11)  # every phase: divisions, users, groups, settings, members...


def assert_account_is(config: Config, state: dict[str, Any]) -> None:
    """The sandbox's account holds each declared object once, with its declared groups and
    primary group (the first of the user's `groups:`)."""
    groups = {g["id"]: g["name"] for g in state["groups"]}
    names = sorted(groups.values())
    assert names == sorted({g.name for g in config.groups}), names
    contact_names = sorted(c["name"] for c in state["contact_groups"])
    assert contact_names == sorted(c.name for c in config.contact_groups)
    emails = [u["email"].lower() for u in state["users"]]
    assert len(emails) == len(set(emails)), "a user was created twice"
    by_email = {u["email"].lower(): u for u in state["users"]}
    extra_members = {g.name: {e.lower() for e in g.members or ()} for g in config.groups}
    for user in config.users:
        if user.key not in by_email:
            continue  # the protected owner, say, declared by email only
        live = by_email[user.key]
        have = [groups[i] for i in live["group_ids"]]
        if user.groups:
            wanted = set(user.groups) | {
                g for g, members in extra_members.items() if user.key in members
            }
            assert sorted(have) == sorted(wanted), user.key
            assert have[0] == user.groups[0], f"{user.key}: primary group {have[0]}"


@pytest.mark.parametrize("write", KILL_AT)
def test_an_apply_killed_at_any_write_finishes_on_the_next_run(cli: Cli, write: int) -> None:
    killed, _, _ = stopped_at(cli, ["apply", str(EXAMPLE), "--auto-approve"], write, signal.SIGKILL)
    assert killed.returncode == -signal.SIGKILL

    rerun = cli("apply", str(EXAMPLE), "--auto-approve")
    assert rerun.code == 0, rerun.out + rerun.err
    assert " 0 failed, 0 skipped" in rerun.out
    again = cli("plan", str(EXAMPLE), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    assert_account_is(load_config(EXAMPLE), cli.control("GET", "state"))
