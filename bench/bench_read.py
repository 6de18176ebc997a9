"""How close a full read of a large account comes to what Zoom's rate limits allow.

Starts the sandbox as its own process (`zoom-reconciler sandbox serve`, real HTTP, rate limits
on, the chosen tier and latency), fills it with the generator, reads it with the reader and
prints:

- calls made vs the floor: the floor is the read plan's calls for this account (one listing
  page per 300 users of each status, the groups, divisions and contact-group listings, and one
  call per group setting, lock setting and admin read, per contact group's members, and with
  `--request export` per user), counted from the sandbox's own state; target at most 1.05x;
- wall time vs the rate-limit floor: the largest, over categories, of the floor's calls in that
  category divided by the tier's per-second budget; target at most 1.25x plus a few round trips;
- 429s received (target under 1% of requests), and the reader process's peak memory.

    python -m bench.bench_read [--users 10000 --groups 200 --divisions 20 --latency-ms 100]
                               [--request everything|export|settings]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from reconciler.live import LiveReader, ReadKind, ReadRequest, pages
from reconciler.live.reads import account_reads, contact_reads, detail_reads, group_reads
from reconciler.model.live import LiveContactGroup, LiveGroup, LiveUser, ZoomUserStatus
from reconciler.zoom import ENDPOINTS, TIER_BUDGETS, Category, Tier, ZoomClient, ZoomConnection

_STATUSES = ("active", "inactive", "pending")


@contextmanager
def sandbox_process(tier: str, latency_ms: float) -> Iterator[dict[str, str]]:
    """`sandbox serve` in a child process; yields the variables it prints."""
    command = [
        sys.executable,
        "-m",
        "reconciler",
        "sandbox",
        "serve",
        "--port",
        "0",
        "--tier",
        tier,
        "--latency-ms",
        str(latency_ms),
        "--random-seed",
        "1",
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert child.stdout is not None
        variables: dict[str, str] = {}
        while len(variables) < 5:
            line = child.stdout.readline()
            if not line:
                raise RuntimeError("the sandbox stopped before printing its address")
            name, _, value = line.removeprefix("export ").strip().partition("=")
            variables[name] = value
        yield variables
    finally:
        child.terminate()
        child.wait(10)


def _root(variables: dict[str, str]) -> str:
    return variables["ZOOM_API_BASE_URL"].removesuffix("/v2")


def seed(variables: dict[str, str], users: int, groups: int, divisions: int) -> dict[str, Any]:
    """Fill the sandbox with the generator and return its state dump (for the floor)."""
    root = _root(variables)
    generate = {"users": users, "groups": groups, "divisions": divisions, "seed": 1}
    response = httpx.post(f"{root}/_sandbox/seed", json={"generate": generate}, timeout=300)
    response.raise_for_status()
    state = httpx.get(f"{root}/_sandbox/state", timeout=300)
    state.raise_for_status()
    dump: dict[str, Any] = state.json()
    return dump


def floor_calls(dump: dict[str, Any], request: ReadRequest) -> Counter[ReadKind]:
    """The calls the read plan makes for this account, from the sandbox's own state."""
    statuses = Counter(user["status"] for user in dump["users"])
    calls: Counter[ReadKind] = Counter()
    for status in _STATUSES:
        calls[ReadKind.USERS] += pages(ReadKind.USERS, statuses[status])
    calls[ReadKind.GROUPS] = pages(ReadKind.GROUPS, len(dump["groups"]))
    calls[ReadKind.DIVISIONS] = pages(ReadKind.DIVISIONS, len(dump["divisions"]))
    groups = [LiveGroup(g["id"], g["name"]) for g in dump["groups"]]
    calls.update(read.kind for read in group_reads(request, groups))
    calls.update(read.kind for read in account_reads(request))
    users = [
        LiveUser(str(user["email"]).lower(), ZoomUserStatus(user["status"]), 1, id=user["id"])
        for user in dump["users"]
    ]
    calls.update(read.kind for read in detail_reads(request, users))
    if request.contact_groups:
        contacts = [LiveContactGroup(c["id"], c["name"]) for c in dump["contact_groups"]]
        calls[ReadKind.CONTACT_GROUPS] = pages(ReadKind.CONTACT_GROUPS, len(contacts))
        calls.update(read.kind for read in contact_reads(request, contacts))
    return calls


def per_category(calls: Counter[ReadKind]) -> Counter[Category]:
    totals: Counter[Category] = Counter()
    for kind, count in calls.items():
        totals[ENDPOINTS[kind.operation].category] += count
    return totals


def rate_limit_floor(calls: Counter[Category], tier: Tier) -> tuple[float, Category]:
    """Seconds the busiest category needs at the tier's budget, and which category that is."""
    budgets = TIER_BUDGETS[tier]
    seconds, category = max((count / budgets[c].per_second, c) for c, count in calls.items())
    return seconds, category


async def read(variables: dict[str, str], request: ReadRequest) -> tuple[float, int, ZoomClient]:
    """Wall seconds and peak bytes Python allocated during the read, and the client used."""
    connection = ZoomConnection.from_env(variables)
    async with ZoomClient(connection) as client:
        tracemalloc.start()
        started = time.monotonic()
        await LiveReader(client).read(request)
        wall = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return wall, peak, client


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--divisions", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--tier", choices=[t.value for t in Tier], default="pro")
    parser.add_argument(
        "--request",
        choices=["everything", "export", "settings"],
        default="everything",
        help="everything (every listing and per-group read), export (that and each user's own"
        " record: one Light call per user) or settings and lock settings of every group only",
    )
    args = parser.parse_args()
    request = ReadRequest.everything()
    if args.request == "export":
        request = ReadRequest.for_export()
    if args.request == "settings":
        request = ReadRequest(settings=request.settings, lock_settings=request.lock_settings)
    tier = Tier(args.tier)
    with sandbox_process(args.tier, args.latency_ms) as variables:
        os.environ.pop("CI", None)
        dump = seed(variables, args.users, args.groups, args.divisions)
        variables["ZOOM_RATE_LIMIT_TIER"] = args.tier
        floor = floor_calls(dump, request)
        del dump
        wall, peak, client = asyncio.run(read(variables, request))
    stats = client.stats
    made = stats.total_calls
    floor_total = sum(floor.values())
    wall_floor, busiest = rate_limit_floor(per_category(floor), tier)
    throttled = sum(stats.throttled.values())
    print(
        f"account: {args.users} users, {args.groups} groups, {args.divisions} divisions;"
        f" tier {args.tier}; latency {args.latency_ms:.0f} ms; request: {args.request}"
    )
    print(
        f"calls made:      {made} vs floor {floor_total} = {made / floor_total:.3f}x (target <= 1.05x)"
    )
    for category, count in sorted(per_category(floor).items()):
        print(f"  {category.value:<8} made {stats.calls[category]:>5}, floor {count:>5}")
    print(
        f"wall time:       {wall:.1f} s vs rate-limit floor {wall_floor:.1f} s ({busiest.value})"
        f" = {wall / wall_floor:.2f}x (target <= 1.25x + a few round trips)"
    )
    print(
        f"429s received:   {throttled} of {made} requests = {100 * throttled / made:.2f}%"
        " (target < 1%)"
    )
    print(f"retries:         {stats.retries}; token fetches: {stats.token_fetches}")
    print(
        f"peak memory:     {peak / 2**20:.0f} MB allocated by the read;"
        f" {_peak_rss_mb():.0f} MB peak resident for the whole process"
    )


if __name__ == "__main__":
    main()
