"""`zoom-reconciler sandbox serve`: prints the five exports, then serves the API they point to."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from reconciler.sandbox.owner import DEFAULT_OWNER_EMAIL


def test_serve_prints_exports_and_serves(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "version: 1\ngroups: [{name: Developers}]\nusers: [{email: ann@acme.example, groups: [Developers]}]\n"
    )
    command = [
        sys.executable,
        "-m",
        "reconciler",
        "sandbox",
        "serve",
        "--port",
        "0",
        "--tier",
        "free",
        "--seed",
        str(seed),
        "--client-secret",
        "s3cret",
        "--random-seed",
        "4",
        "--latency-ms",
        "20",
        "--fault-rate",
        "0.001",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(5)]
        names = [line.split("=", 1)[0] for line in lines]
        assert names == [
            "export ZOOM_API_BASE_URL",
            "export ZOOM_OAUTH_TOKEN_URL",
            "export ZOOM_ACCOUNT_ID",
            "export ZOOM_CLIENT_ID",
            "export ZOOM_CLIENT_SECRET",
        ]
        env = dict(line.removeprefix("export ").split("=", 1) for line in lines)
        assert env["ZOOM_API_BASE_URL"].startswith("http://127.0.0.1:")
        assert env["ZOOM_API_BASE_URL"].endswith("/v2")
        assert env["ZOOM_CLIENT_SECRET"] == "s3cret"
        token = httpx.post(
            env["ZOOM_OAUTH_TOKEN_URL"],
            data={"grant_type": "account_credentials", "account_id": env["ZOOM_ACCOUNT_ID"]},
            auth=(env["ZOOM_CLIENT_ID"], env["ZOOM_CLIENT_SECRET"]),
        ).json()["access_token"]
        users = httpx.get(
            f"{env['ZOOM_API_BASE_URL']}/users", headers={"Authorization": f"Bearer {token}"}
        )
        # the seed names no owner, so the account has the sandbox's own
        assert [(u["email"], u["role_id"]) for u in users.json()["users"]] == [
            ("ann@acme.example", "2"),
            (DEFAULT_OWNER_EMAIL, "0"),
        ]
        assert users.headers["X-RateLimit-Limit"] == "2000"  # Free: Medium is capped at 2,000 a day
        root = env["ZOOM_API_BASE_URL"].removesuffix("/v2")
        config = httpx.get(f"{root}/_sandbox/config").json()
        assert (config["tier"], config["random_seed"]) == ("free", 4)
        assert config["faults"]["latency_ms"] == 20
        assert config["faults"]["fault_rate"] == 0.001
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=10)
    assert "s3cret" not in errors
