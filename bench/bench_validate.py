"""How long `validate` takes on a large organisation, and how much memory it needs.

Generates a 50,000-user, 500-group configuration split over several files in a temporary
directory, validates it in this process (wall and CPU time, peak resident set), then runs
`zoom-reconciler validate` once as a separate process for whole-process figures. Targets:
under 3 s and under 300 MB. CPU time is printed beside wall time because on a shared machine
the wall time mostly measures the other processes.

    python bench/bench_validate.py [--users 50000] [--groups 500]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reconciler.config import load_config

DEPARTMENTS = [
    "Engineering",
    "Sales",
    "Support",
    "Finance",
    "Marketing",
    "Operations",
    "Legal",
    "People",
]
TITLES = [
    "Engineer",
    "Senior Engineer",
    "Manager",
    "Analyst",
    "Specialist",
    "Director",
    "Associate",
]
ZONES = ["America/Chicago", "America/New_York", "Europe/Berlin", "Europe/London", "Asia/Tokyo"]
TYPES = ["licensed", "basic", "licensed", "no_meetings_license"]
DIVISIONS = 20
CONTACT_GROUPS = 20


def _write_policy(root: Path) -> None:
    (root / "policy.yaml").write_text(
        "version: 1\n"
        "policy:\n"
        "  prune: {users: deactivate, groups: true, group_members: true}\n"
        "  protected_users: [owner@bench.example]\n"
        "  safety: {max_deletes: 100, max_change_percent: 20}\n",
        encoding="utf-8",
    )


def _write_divisions(root: Path) -> None:
    lines = ["divisions:"]
    for number in range(DIVISIONS):
        lines += [
            f"  - name: Division {number:02d}",
            f"    description: Business unit {number:02d}",
        ]
    (root / "divisions.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_groups(root: Path, groups: int) -> None:
    lines = ["groups:"]
    for number in range(groups):
        chat = "true" if number % 3 else "false"
        lines += [
            f"  - name: Team {number:04d}",
            f"    admins: [user{number * 7 % 1000:06d}@bench.example]",
            "    settings:",
            f"      in_meeting: {{chat: {chat}, breakout_room: true, polling: true}}",
            "      recording: {cloud_recording: true, auto_recording: cloud}",
            "      schedule_meeting: {host_video: true, participant_video: false}",
            "    lock_settings:",
            "      in_meeting: {chat: true}",
            "      recording: {cloud_recording: true}",
        ]
    (root / "groups.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_users(root: Path, users: int, groups: int) -> None:
    directory = root / "users"
    directory.mkdir()
    per_file = 5000
    for start in range(0, users, per_file):
        lines = ["users:"]
        for number in range(start, min(start + per_file, users)):
            primary = number % groups
            secondary = (primary + 1 + number % 7) % groups
            department = DEPARTMENTS[number % len(DEPARTMENTS)]
            lines += [
                f"  - email: user{number:06d}@bench.example",
                f"    first_name: First{number}",
                f"    last_name: Last{number}",
                f"    type: {TYPES[number % len(TYPES)]}",
                f"    dept: {department}",
                f"    job_title: {TITLES[number % len(TITLES)]}",
                f"    timezone: {ZONES[number % len(ZONES)]}",
                f"    groups: [Team {primary:04d}, Team {secondary:04d}]",
                f"    division: Division {number % DIVISIONS:02d}",
            ]
        (directory / f"users-{start // per_file:02d}.yaml").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )
    # The owner is protected (policy.yaml), so it is declared by email alone, as validate asks.
    (directory / "owner.yaml").write_text(
        "users:\n  - email: owner@bench.example\n", encoding="utf-8"
    )


def _write_contact_groups(root: Path, groups: int) -> None:
    lines = ["contact_groups:"]
    for number in range(CONTACT_GROUPS):
        lines += [
            f"  - name: Directory {number:02d}",
            "    privacy: visible_to_anyone",
            "    members:",
            f"      users: [user{number:06d}@bench.example, user{number + 100:06d}@bench.example]",
            f"      groups: [Team {number % groups:04d}]",
        ]
    (root / "contact-groups.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(root: Path, users: int, groups: int) -> None:
    """Write the organisation as a directory of files, the way a large account would keep it."""
    _write_policy(root)
    _write_divisions(root)
    _write_groups(root, groups)
    _write_users(root, users, groups)
    _write_contact_groups(root, groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--groups", type=int, default=500)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        generate(root, options.users, options.groups)
        size = sum(path.stat().st_size for path in root.rglob("*.yaml"))
        print(
            f"configuration: {options.users} users, {options.groups} groups, {size / 1e6:.1f} MB of YAML"
        )

        started, cpu_started = time.perf_counter(), time.process_time()
        config = load_config(root)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"in process:   validate {elapsed:.2f} s wall, {cpu:.2f} s CPU, "
            f"peak RSS {peak_rss:.0f} MB ({config.summary()})"
        )
        del config

        before = _children_cpu()
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "reconciler", "validate", str(root)],
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        peak_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        status = (
            "valid"
            if done.returncode == 0
            else f"exit {done.returncode}: {done.stderr.strip()[:200]}"
        )
        cpu = _children_cpu() - before
        print(
            f"CLI process:  {elapsed:.2f} s wall, {cpu:.2f} s CPU, peak RSS {peak_rss:.0f} MB ({status})"
        )
        print("targets:      under 3 s, under 300 MB")
        load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
        print(
            f"machine:      {os.cpu_count()} CPUs, load average {load} (wall time grows with load)"
        )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
