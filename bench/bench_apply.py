"""How close an apply comes to the fewest calls and the least time Zoom's rate limits allow.

Starts the sandbox as its own process (real HTTP, rate limits on, pro tier, 100 ms latency),
seeds an account with an owner and `--groups` groups, then plans and applies a configuration
that adds `--users` new users, `--memberships` group-membership adds among them, and a settings
change on `--settings` groups. Prints:

- calls made vs the batched floor (one call per user, one per 30 members of a group, one per
  settings request, and no `set_primary` for new users), and what the plan promised: new users
  join their primary group first, and where groups' "primary first" orders form a cycle a few
  groups are split into two requests (plan/diff/joining.py); target at most 1.05x;
- wall time of the apply vs the rate-limit floor: the largest, over categories, of the floor's
  calls in that category over the tier's per-second budget (categories have budgets of their
  own, so they can all be busy at once); target at most 1.15x;
- 429s received; target under 1% of requests.

    python -m bench.bench_apply [--users 500 --memberships 2000 --settings 100 --groups 100]

The licence case (`--licences N`) instead gives N licensed users a webinar licence: the plan
routes them through POST /users/features (30 users a request, one request every 10 seconds)
and PATCH /users/{id}/settings (Medium, one user a call), whichever mix ends soonest. It prints
the calls against the plan's count and the wall time against the floor both limits give: the
bulk requests one every 10 seconds, beside the Medium calls at the tier's budget.

    python -m bench.bench_apply --licences 600 [--tier free]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time
from collections.abc import Sequence
from typing import Any

import httpx
from pydantic import SecretStr

from bench.bench_read import sandbox_process
from reconciler.apply import Applier
from reconciler.catalog import TIER_BUDGETS, Category, Tier
from reconciler.live import ReadRequest, read_live_state
from reconciler.model import Config
from reconciler.plan.changes import Change, GroupMemberAdd
from reconciler.plan.desired import desired_from_config
from reconciler.plan.diff import build_plan, diff
from reconciler.plan.estimate import estimate
from reconciler.plan.licences import bulk_requests, finish_seconds
from reconciler.plan.plan import make_plan
from reconciler.zoom import ZoomClient, ZoomConnection


def account(groups: int) -> dict[str, Any]:
    """What the sandbox starts with: the owner and the groups, with default settings."""
    return {
        "version": 1,
        "users": [{"email": "owner@bench.example", "role": "owner"}],
        "groups": [{"name": f"Group {g:03d}"} for g in range(groups)],
    }


def configuration(users: int, memberships: int, settings: int, groups: int) -> dict[str, Any]:
    """The wanted account: new users spread over the groups, and settings on some groups."""
    per_user, extra = divmod(memberships, users)
    wanted_users = []
    for u in range(users):
        count = min(groups, per_user + (1 if u < extra else 0))
        names = [f"Group {(u * 7 + k * 13) % groups:03d}" for k in range(count)]
        wanted_users.append(
            {
                "email": f"user{u:04d}@bench.example",
                "first_name": f"User{u}",
                "last_name": "Bench",
                "type": "basic",
                "create_action": "custCreate",
                "groups": list(dict.fromkeys(names)),
            }
        )
    wanted_groups = [
        {
            "name": f"Group {g:03d}",
            **({"settings": {"in_meeting": {"chat": True}}} if g < settings else {}),
        }
        for g in range(groups)
    ]
    return {
        "version": 1,
        "users": [{"email": "owner@bench.example"}, *wanted_users],
        "groups": wanted_groups,
    }


def _unordered(changes: Sequence[Change]) -> list[Change]:
    """The plan as if no group were split for primary-first joining: every group's members in
    one batch, 30 a request, and no `set_primary` for new users (the floor Zoom's batching
    allows, whatever the order)."""
    return [
        c.model_copy(update={"early": False}) if isinstance(c, GroupMemberAdd) else c
        for c in changes
    ]


async def run(args: argparse.Namespace, variables: dict[str, str]) -> None:
    root = variables["ZOOM_API_BASE_URL"].removesuffix("/v2")
    httpx.post(f"{root}/_sandbox/seed", json=account(args.groups), timeout=60).raise_for_status()
    config = Config.model_validate(
        configuration(args.users, args.memberships, args.settings, args.groups)
    )
    desired = desired_from_config(config)
    connection = ZoomConnection(
        account_id=variables["ZOOM_ACCOUNT_ID"],
        client_id=variables["ZOOM_CLIENT_ID"],
        client_secret=SecretStr(variables["ZOOM_CLIENT_SECRET"]),
        api_base_url=variables["ZOOM_API_BASE_URL"],
        oauth_token_url=variables["ZOOM_OAUTH_TOKEN_URL"],
        tier=Tier(args.tier),
    )
    async with ZoomClient(connection) as zoom:
        live, _ = await read_live_state(zoom, ReadRequest.for_desired(desired))
        plan = build_plan(desired, live)
        tier = Tier(args.tier)
        promised = estimate(plan.changes, tier)
        floor = estimate(_unordered(plan.changes), tier)
        time.sleep(1.1)  # let the reads' second-long windows pass before timing the apply
        started = time.monotonic()
        report = await Applier(zoom).apply(plan.changes)
        wall = time.monotonic() - started
    counts = plan.summary
    time_floor = max(
        calls / TIER_BUDGETS[tier][category].per_second for category, calls in floor.calls.items()
    )
    print(
        f"plan: {counts.create} to create, {counts.update} to update ({len(plan.changes)} changes)"
    )
    print(f"outcome: {report.summary()}")
    print(
        f"calls: {report.calls} vs batched floor {floor.total_calls} "
        f"({report.calls / floor.total_calls:.3f}x, target <= 1.05x); floor by category: "
        + ", ".join(f"{c.value} {n}" for c, n in floor.calls.items())
        + f"; the plan promised {promised.total_calls}"
    )
    print(
        f"wall time: {wall:.1f} s vs rate-limit floor {time_floor:.1f} s "
        f"({wall / time_floor:.3f}x, target <= 1.15x); one category after another would take {floor.seconds:.1f} s"
    )
    share = report.throttled / report.calls if report.calls else 0.0
    print(f"429s: {report.throttled} of {report.calls} requests ({share:.2%}, target < 1%)")


def _connection(variables: dict[str, str], tier: Tier) -> ZoomConnection:
    return ZoomConnection(
        account_id=variables["ZOOM_ACCOUNT_ID"],
        client_id=variables["ZOOM_CLIENT_ID"],
        client_secret=SecretStr(variables["ZOOM_CLIENT_SECRET"]),
        api_base_url=variables["ZOOM_API_BASE_URL"],
        oauth_token_url=variables["ZOOM_OAUTH_TOKEN_URL"],
        tier=tier,
    )


async def run_licences(args: argparse.Namespace, variables: dict[str, str]) -> None:
    """N licensed users, each to get a webinar licence (500 attendees)."""
    root = variables["ZOOM_API_BASE_URL"].removesuffix("/v2")
    emails = [f"host{n:04d}@bench.example" for n in range(args.licences)]
    seed = {"version": 1, "users": [{"email": e, "type": "licensed"} for e in emails]}
    httpx.post(f"{root}/_sandbox/seed", json=seed, timeout=60).raise_for_status()
    wanted = {"version": 1, "users": [{"email": e, "features": {"webinar": 500}} for e in emails]}
    desired = desired_from_config(Config.model_validate(wanted))
    tier = Tier(args.tier)
    async with ZoomClient(_connection(variables, tier)) as zoom:
        live, _ = await read_live_state(zoom, ReadRequest.for_desired(desired))
        changes, notes = diff(desired, live)
        plan = make_plan(changes, live, notes, tier=tier)
        counted = estimate(plan.changes, tier)
        time.sleep(1.1)  # let the reads' second-long windows pass before timing the apply
        started = time.monotonic()
        report = await Applier(zoom).apply(plan.changes)
        wall = time.monotonic() - started
    bulk = bulk_requests(plan.changes)
    medium = counted.calls.get(Category.MEDIUM, 0)
    floor = finish_seconds(bulk, medium - bulk, TIER_BUDGETS[tier][Category.MEDIUM].per_second)
    print(f"licences: {args.licences} webinar licences at the {tier.value} tier")
    print(f"outcome: {report.summary()}")
    print(
        f"calls: {report.calls} vs the plan's {counted.total_calls}: {bulk} POST /users/features"
        f" and {medium - bulk} PATCH /users/{{id}}/settings"
    )
    print(
        f"wall time: {wall:.1f} s vs the floor of both limits {floor:.1f} s"
        f" ({wall / floor:.3f}x); PATCH alone would take"
        f" {args.licences / TIER_BUDGETS[tier][Category.MEDIUM].per_second:.1f} s, the bulk"
        f" call alone {10 * (math.ceil(args.licences / 30) - 1):.0f} s"
    )
    share = report.throttled / report.calls if report.calls else 0.0
    print(f"429s: {report.throttled} of {report.calls} requests ({share:.2%}, target < 1%)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--memberships", type=int, default=2000)
    parser.add_argument("--settings", type=int, default=100)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--tier", default="pro", choices=["free", "pro", "business"])
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--licences", type=int, default=0, help="run the licence case instead")
    args = parser.parse_args()
    with sandbox_process(args.tier, args.latency_ms) as variables:
        asyncio.run(run_licences(args, variables) if args.licences else run(args, variables))


if __name__ == "__main__":
    main()
