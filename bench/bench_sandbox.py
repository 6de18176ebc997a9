"""How fast and how big the sandbox is: throughput over loopback and memory for 100,000 users.

Throughput: the sandbox runs as `zoom-reconciler sandbox serve` in its own process (rate limits
switched off through the control endpoint, 10,000 generated users), and several client
processes, each with one keep-alive connection, send a mix of reads and writes for a few
seconds. The target is at least 1,000 requests/s, so that the sandbox is never the bottleneck of
other benchmarks. The load generators use the standard library's `http.client`, which costs a
fraction of the server's CPU per request: with a heavier client, a machine with few cores
measures its clients rather than the sandbox. The server's own CPU time per request is printed
too, as the figure that does not depend on the clients.

Memory: 100,000 generated users in this process, measured with tracemalloc and the RSS growth.

    python -m bench.bench_sandbox [--seconds 5] [--clients 8] [--users 100000]
"""

from __future__ import annotations

import argparse
import gc
import http.client
import itertools
import json
import os
import subprocess
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from reconciler.sandbox import SandboxOptions, create_app, generate_account


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _start_server() -> tuple[subprocess.Popen[str], dict[str, str]]:
    command = [
        sys.executable,
        "-m",
        "reconciler",
        "sandbox",
        "serve",
        "--port",
        "0",
        "--random-seed",
        "1",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    lines = [process.stdout.readline().strip() for _ in range(5)]
    env = dict(line.removeprefix("export ").split("=", 1) for line in lines)
    return process, env


def _client(env: dict[str, str]) -> httpx.Client:
    root = env["ZOOM_API_BASE_URL"].removesuffix("/v2")
    client = httpx.Client(base_url=root, timeout=30)
    token = client.post(
        "/oauth/token",
        data={"grant_type": "account_credentials", "account_id": env["ZOOM_ACCOUNT_ID"]},
        auth=(env["ZOOM_CLIENT_ID"], env["ZOOM_CLIENT_SECRET"]),
    ).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def _worker(
    env: dict[str, str], index: int, seconds: float, user_ids: list[str], group_id: str
) -> tuple[int, int]:
    """One load generator: its own process and keep-alive connection, reads and writes mixed."""
    setup = _client(env)
    authorization = str(setup.headers["Authorization"])
    setup.close()
    address = urlsplit(env["ZOOM_API_BASE_URL"])
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port)
    headers = {"Authorization": authorization, "Content-Type": "application/json"}
    patch = json.dumps({"dept": f"D{index}"})
    ids = itertools.cycle(user_ids[index::7] or user_ids)
    calls = itertools.cycle(["get_user", "list", "patch", "get_user", "group"])
    done = failed = 0
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        call = next(calls)
        if call == "get_user":
            connection.request("GET", f"/v2/users/{next(ids)}", headers=headers)
        elif call == "list":
            connection.request("GET", "/v2/users?page_size=30", headers=headers)
        elif call == "patch":
            connection.request("PATCH", f"/v2/users/{next(ids)}", body=patch, headers=headers)
        else:
            connection.request("GET", f"/v2/groups/{group_id}/settings", headers=headers)
        response = connection.getresponse()
        response.read()
        done += 1
        failed += response.status >= 400
    connection.close()
    return done, failed


def throughput(seconds: float, clients: int) -> None:
    process, env = _start_server()
    try:
        setup = _client(env)
        setup.post("/_sandbox/config", json={"rate_limits": False})
        setup.post(
            "/_sandbox/seed", json={"generate": {"users": 10_000, "groups": 50, "divisions": 5}}
        )
        page = setup.get("/v2/users", params={"page_size": 300}).json()
        user_ids = [u["id"] for u in page["users"]]
        group_id = setup.get("/v2/groups").json()["groups"][0]["id"]
        server_cpu = _cpu_seconds(process.pid)
        started = time.perf_counter()
        with ProcessPoolExecutor(clients) as pool:
            results = list(
                pool.map(
                    _worker,
                    *zip(
                        *[(env, i, seconds, user_ids, group_id) for i in range(clients)],
                        strict=True,
                    ),
                )
            )
        elapsed = time.perf_counter() - started
        server_cpu = _cpu_seconds(process.pid) - server_cpu
        total = sum(done for done, _ in results)
        failed = sum(bad for _, bad in results)
        print(
            f"throughput: {total / elapsed:,.0f} requests/s over loopback "
            f"({total:,} requests, {clients} client processes, {elapsed:.1f} s, {failed} errors; "
            f"{os.cpu_count()} CPUs shared by server and clients)"
        )
        print(
            f"server cost: {server_cpu / total * 1e6:,.0f} us of CPU per request, "
            f"i.e. {total / server_cpu:,.0f} requests/s per core for the sandbox itself"
        )

        started = time.perf_counter()
        setup.post(
            "/_sandbox/seed", json={"generate": {"users": 100_000, "groups": 200, "divisions": 10}}
        )
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        token, pages, seen = "", 0, 0
        while True:
            params: dict[str, str | int] = {
                "page_size": 300,
                **({"next_page_token": token} if token else {}),
            }
            listing = setup.get("/v2/users", params=params).json()
            pages += 1
            seen += len(listing["users"])
            token = listing["next_page_token"]
            if not token:
                break
        print(
            f"100,000-user account: generated in {seeded:.1f} s; "
            f"{seen:,} active users listed in {pages} pages in {time.perf_counter() - started:.1f} s"
        )
        setup.close()
    finally:
        process.terminate()
        process.wait(10)


def memory(users: int) -> None:
    gc.collect()
    rss_before = _rss_mb()
    tracemalloc.start()
    app = create_app(SandboxOptions(rate_limits=False, random_seed=1))
    generate_account(app.sandbox.store, users=users, groups=200, divisions=10, seed=1)
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gc.collect()
    print(
        f"memory: {users:,} users hold {current / 2**20:.0f} MiB (tracemalloc), "
        f"RSS grew by {_rss_mb() - rss_before:.0f} MiB; {current / users:.0f} bytes per user"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--users", type=int, default=100_000)
    args = parser.parse_args()
    throughput(args.seconds, args.clients)
    memory(args.users)


if __name__ == "__main__":
    main()
