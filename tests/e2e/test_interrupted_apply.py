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

import pytest

from reconciler.config import load_config
from tests.e2e.conftest import Cli, assert_account_is, stopped_at

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "acme"
WRITES = 177  # the example's bootstrap of an empty account makes this many accepted writes
KILL_AT = range(1, WRITES, 11)  # every phase: divisions, users, groups, settings, members...


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
