"""The differ at scale: 50,000 users and 500 groups with settings; prints time and memory.

Run: python -m bench.bench_diff [--users N] [--groups N]
Targets: under 1 s and 300 MB for the default size.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from typing import Any

from reconciler.model.live import LiveDivision, LiveGroup, LiveState, LiveUser, ZoomUserStatus
from reconciler.plan import build_plan
from reconciler.plan.desired import Desired, DesiredDivision, DesiredGroup, DesiredUser

DIVISIONS = 10


def _settings(index: int, drift: bool) -> dict[str, Any]:
    chat = bool(index % 2) != drift
    return {
        "in_meeting": {
            "chat": chat,
            "breakout_room": True,
            "polling": index % 3 == 0,
            "who_can_share_screen": "host",
            "breakout_room_schedule": {"enable": False, "rooms": 2},
        },
        "recording": {"cloud_recording": True, "recording_audio_file": False, "formats": ["mp4"]},
        "schedule_meeting": {
            "host_video": True,
            "participants_video": False,
            "join_before_host": False,
        },
        "meeting_security": {"waiting_room": True, "password_length": 8},
    }


def scenario(users: int, groups: int) -> tuple[Desired, LiveState]:
    """A live account that differs from the configuration in about 1% of its objects."""
    group_names = [f"Group {g:04}" for g in range(groups)]
    division_names = [f"Division {d}" for d in range(DIVISIONS)]
    desired_users = []
    live_users = []
    for i in range(users):
        email = f"user{i:06}@acme.example"
        group = i % groups
        division = i % DIVISIONS
        profile = {"first_name": f"First{i}", "last_name": f"Last{i}", "dept": f"Dept {i % 40}"}
        desired_users.append(
            DesiredUser(
                email=email,
                profile=profile,
                type=2,
                groups=(group_names[group],),
                division=division_names[division],
            )
        )
        if i % 200 == 0:
            continue  # missing live: a create
        live_profile = dict(profile, dept="Old dept") if i % 100 == 1 else profile
        live_users.append(
            LiveUser(
                email=email,
                status=ZoomUserStatus.ACTIVE,
                type=1 if i % 150 == 2 else 2,
                id=f"u{i}",
                role_id="2",
                profile=live_profile,
                group_ids=(f"g{group if i % 120 != 3 else (group + 1) % groups}",),
                division_ids=(f"d{division}",),
            )
        )
    desired_groups = tuple(
        DesiredGroup(
            name=name, settings=_settings(g, False), lock_settings={"in_meeting": {"chat": True}}
        )
        for g, name in enumerate(group_names)
    )
    live_groups = tuple(
        LiveGroup(
            id=f"g{g}",
            name=name,
            settings=_settings(g, drift=g % 50 == 0),
            lock_settings={"in_meeting": {"chat": g % 25 != 0}},
            admins=frozenset(),
        )
        for g, name in enumerate(group_names)
    )
    desired = Desired(
        users=tuple(desired_users),
        groups=desired_groups,
        divisions=tuple(DesiredDivision(name=n) for n in division_names),
    )
    live = LiveState(
        users=tuple(live_users),
        groups=live_groups,
        divisions=tuple(LiveDivision(f"d{d}", n) for d, n in enumerate(division_names)),
    )
    return desired, live


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--groups", type=int, default=500)
    args = parser.parse_args(argv)

    desired, live = scenario(args.users, args.groups)
    gc.collect()
    started = time.perf_counter()
    plan = build_plan(desired, live)
    elapsed = time.perf_counter() - started

    gc.collect()
    tracemalloc.start()
    build_plan(desired, live)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    max_rss_mb = max_rss / (1024 * 1024) if sys.platform == "darwin" else max_rss / 1024
    summary = plan.summary
    print(f"users: {args.users}, groups: {args.groups} (with settings and lock settings)")
    print(f"changes: {summary.total} ({summary.text()})")
    print(f"diff time: {elapsed:.3f} s (target < 1 s)")
    print(f"diff peak allocation: {peak / 2**20:.1f} MB (tracemalloc)")
    print(f"process max RSS, inputs included: {max_rss_mb:.1f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
