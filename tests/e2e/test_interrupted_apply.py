"""An apply killed at any write finishes on the next run.

A real `zoom-reconciler apply` of the bundled example runs against the sandbox server, which
holds every answer from its Nth accepted write on (`/_sandbox/stall`): the kill lands exactly
there, after a write Zoom made but whose answer the tool never heard, whatever the machine's
speed. The next `apply` must exit 0 without `--force`, duplicate nothing and leave the account
as configured (primary groups included), with nothing left to plan. The sandbox gives created
users the account's time zone, as Zoom does, so the approval journal is what lets the re-run
overwrite it without `--force`: without the journal the caps refuse the re-run.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import httpx
import pytest

from reconciler.apply.saved import load_saved_plan
from reconciler.config import load_config
from reconciler.plan.approval import Approved
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


def test_a_saved_plan_given_its_approval_is_finished_without_the_caps(
    cli: Cli, tmp_path: Path
) -> None:
    """`apply --plan FILE --approved APPROVAL` (what the Action runs to finish a reviewed plan):
    the caps do not count the changes the approval covers, sealed or not."""
    people = [f"p{i}@acme.example" for i in range(10)]
    seed = "version: 1\nusers:\n" + "".join(
        f"  - {{email: {e}, first_name: P, last_name: Old, type: basic}}\n" for e in people
    )
    httpx.post(
        f"{cli.server.root_url}/_sandbox/seed",
        content=seed.encode(),
        headers={"content-type": "application/yaml"},
        timeout=10,
    ).raise_for_status()
    config = tmp_path / "org.yaml"
    config.write_text(
        seed.replace("last_name: Old", "last_name: New").replace(
            "version: 1\n", "version: 1\npolicy: {safety: {max_change_percent: 10}}\n"
        ),
        encoding="utf-8",
    )
    saved = tmp_path / "plan.json"
    assert cli("plan", str(config), "--out", str(saved)).code == 0
    refused = cli("apply", "--plan", str(saved), "--auto-approve")
    assert refused.code == 1
    assert "10 of 11 users changed" in refused.err

    other = tmp_path / "other.json"  # an approval of something else covers nothing here
    other.write_text(json.dumps(Approved().as_sealed().to_json()), encoding="utf-8")
    assert cli("apply", "--plan", str(saved), "--auto-approve", "--approved", str(other)).code == 1

    approval = tmp_path / "approved.json"
    reviewed = load_saved_plan(saved.read_text(encoding="utf-8")).plan.changes
    approval.write_text(json.dumps(Approved.of(reviewed).as_sealed().to_json()), encoding="utf-8")
    done = cli("apply", "--plan", str(saved), "--auto-approve", "--approved", str(approval))
    assert done.code == 0, done.out + done.err
    assert "--force" not in done.err
    assert cli("plan", str(config), "--detailed-exitcode").code == 0
