"""The CLI's exit-code contract: usage errors exit 1, never 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reconciler", *args], capture_output=True, text=True, check=False
    )


def test_usage_error_exits_1_not_2() -> None:
    result = run("no-such-command")
    assert result.returncode == 1
    assert "No such command" in result.stderr


def test_missing_argument_exits_1() -> None:
    result = run("validate")
    assert result.returncode == 1
    assert "Missing argument" in result.stderr


def test_help_exits_0() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "validate" in result.stdout


# Runs `validate` with every socket operation refused and recorded (PEP 578 audit hooks see
# them all, however deep), then lists the modules that could talk to Zoom if they were loaded.
_OFFLINE_RUN = """
import json, sys
used = []
def refuse_network(event, args):
    if event.startswith("socket."):
        used.append(event)
        raise OSError(f"network use during validate: {event}")
sys.addaudithook(refuse_network)
from reconciler.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
online = ("httpx", "httpcore", "uvicorn", "starlette", "reconciler.zoom", "reconciler.sandbox",
          "reconciler.live", "reconciler.apply")
loaded = sorted(m for m in sys.modules if m.startswith(online))
print(json.dumps({"code": code, "sockets": used, "loaded": loaded}))
"""

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BROKEN = Path(__file__).resolve().parent / "config" / "invalid" / "dir_broken_file"


@pytest.mark.parametrize(("path", "code"), [(EXAMPLES / "acme", 0), (BROKEN, 1)])
def test_validate_sends_nothing_and_never_loads_a_client(path: Path, code: int) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _OFFLINE_RUN, "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report == {"code": code, "sockets": [], "loaded": []}, result.stderr


def test_the_offline_probe_notices_a_socket() -> None:
    """The probe above can fail: the same hook sees a connection that is attempted."""
    probe = _OFFLINE_RUN.replace(
        "from reconciler.cli.main import main",
        "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9))\n"
        "except OSError:\n    pass\nfrom reconciler.cli.main import main",
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "validate", str(EXAMPLES / "acme")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(result.stdout.splitlines()[-1])["sockets"], result.stderr
