"""The CLI, run in process (or as a subprocess) against the sandbox over real HTTP."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.cli.main import main
from reconciler.sandbox import ServerInfo

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class Cli:
    server: ServerInfo
    capsys: pytest.CaptureFixture[str]
    monkeypatch: pytest.MonkeyPatch

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        for name, value in (env or {}).items():
            self.monkeypatch.setenv(name, value)
        self.capsys.readouterr()
        try:
            main(["--no-color", *args])
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        else:  # pragma: no cover - main always exits
            code = 0
        captured = self.capsys.readouterr()
        for name in env or {}:
            self.monkeypatch.delenv(name)
        return Result(code, captured.out, captured.err)

    # the sandbox, seen from outside the tool -----------------------------------------------

    @property
    def store(self) -> Any:
        return self.server.app.sandbox.store

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(
            method, f"{self.server.root_url}/_sandbox/{path}", json=body, timeout=10
        )
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def writes(self) -> list[dict[str, Any]]:
        """Every API request that could have changed the account, since the last reset."""
        entries = self.control("GET", "journal")["entries"]
        return [e for e in entries if e["method"] != "GET" and e["path"].startswith("/v2/")]

    def clear_journal(self) -> None:
        self.control("DELETE", "journal")


@pytest.fixture
def cli(
    sandbox_server: ServerInfo,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Cli:
    for line in sandbox_server.exports():
        name, _, value = line.removeprefix("export ").partition("=")
        monkeypatch.setenv(name, value)
    # The shared sandbox does not limit rates; the business tier's pacing keeps the tests quick.
    monkeypatch.setenv("ZOOM_RATE_LIMIT_TIER", "business")
    for name in ("CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    # Approval journals of unfinished applies stay with the test, not beside the example.
    monkeypatch.setenv("ZOOM_RECONCILER_STATE_DIR", str(tmp_path / "state"))
    return Cli(sandbox_server, capsys, monkeypatch)


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """A copy of the example organisation that a test may edit."""
    target = tmp_path / "org.yaml"
    shutil.copy(FIXTURES / "org.yaml", target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def stopped_at(
    cli: Cli, args: list[str], write: int, sig: signal.Signals
) -> tuple[subprocess.Popen[str], str, str]:
    """Run the CLI in its own process until the sandbox holds its `write`th write, then signal."""
    cli.control("POST", "stall", {"after_writes": write})
    process = subprocess.Popen(
        [sys.executable, "-m", "reconciler", "--no-color", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120  # a hang, not a speed limit
        while not cli.control("GET", "stall")["stalled"]:
            if process.poll() is not None:
                out, err = process.communicate()
                pytest.fail(f"the run ended before its write {write}:\n{out}\n{err}")
            assert time.monotonic() < deadline, "the run never reached the write"
            time.sleep(0.02)
        process.send_signal(sig)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        cli.control("DELETE", "stall")
    return process, out, err
