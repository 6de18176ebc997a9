"""The contract seen from outside: the CLI against the sandbox over real HTTP.

`cli` runs the command line in process with the sandbox's `export` lines in the environment.
`front` puts a recording proxy between the tool and the sandbox: it keeps every request exactly
as the tool sent it (headers and body included) and can answer chosen requests itself, which is
how a 401 or a 429 from "Zoom" is staged without touching the tool.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from reconciler.sandbox import ServerInfo
from tests.e2e.conftest import Cli

FIXTURES = Path(__file__).parent / "fixtures"
CONTRACT_EXAMPLE = FIXTURES / "contract_example.yaml"
REPOSITORY = Path(__file__).resolve().parents[2]

SECRET_VARIABLE = "ZOOM_CLIENT_SECRET"


@pytest.fixture
def cli(
    sandbox_server: ServerInfo,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Cli:
    """The CLI pointed at the shared sandbox only through the contract's environment variables."""
    for line in sandbox_server.exports():
        name, _, value = line.removeprefix("export ").partition("=")
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ZOOM_RATE_LIMIT_TIER", "business")  # the sandbox does not limit here
    for name in ("CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    # Approval journals of unfinished applies stay with the test, not beside the example.
    monkeypatch.setenv("ZOOM_RECONCILER_STATE_DIR", str(tmp_path / "state"))
    return Cli(sandbox_server, capsys, monkeypatch)


@dataclass(frozen=True)
class Seen:
    at: float  # time.monotonic() on arrival
    method: str
    path: str  # with the query string
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Staged:
    """An answer the front gives instead of the sandbox, once, to the first request matching."""

    matches: Callable[[str, str], bool]
    status: int
    json_body: object
    headers: dict[str, str] = field(default_factory=dict)
    headers_when_served: Callable[[], dict[str, str]] | None = None
    """Headers computed as the answer goes out (a reset time relative to that moment)."""

    def all_headers(self) -> dict[str, str]:
        late = self.headers_when_served() if self.headers_when_served is not None else {}
        return {**self.headers, **late}


class Front:
    """A recording proxy in front of the sandbox that can stage answers of its own."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.seen: list[Seen] = []
        self.staged: list[Staged] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.root_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def stage(self, answer: Staged) -> None:
        with self._lock:
            self.staged.append(answer)

    def api_calls(self) -> list[Seen]:
        return [s for s in self.seen if s.path.startswith("/v2/")]

    def token_calls(self) -> list[Seen]:
        return [s for s in self.seen if s.path.startswith("/oauth/token")]

    def _take_staged(self, method: str, path: str) -> Staged | None:
        with self._lock:
            for answer in self.staged:
                if answer.matches(method, path):
                    self.staged.remove(answer)
                    return answer
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        front = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                with front._lock:
                    front.seen.append(
                        Seen(time.monotonic(), self.command, self.path, headers, body)
                    )
                staged = front._take_staged(self.command, self.path)
                if staged is not None:
                    status, payload = staged.status, json.dumps(staged.json_body).encode()
                    answer_headers = {"content-type": "application/json", **staged.all_headers()}
                else:
                    forwarded = {
                        k: v for k, v in headers.items() if k not in {"host", "content-length"}
                    }
                    upstream = httpx.request(
                        self.command,
                        front.upstream + self.path,
                        headers=forwarded,
                        content=body,
                        timeout=30,
                    )
                    status, payload = upstream.status_code, upstream.content
                    answer_headers = {
                        k: v
                        for k, v in upstream.headers.items()
                        if k.lower() not in {"content-length", "transfer-encoding", "connection"}
                    }
                try:
                    self.send_response(status)
                    for name, value in answer_headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the tool stopped listening (a run that gave up): nothing to answer

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        return Handler

    def __enter__(self) -> Front:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def front(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Iterator[Front]:
    """The CLI's Zoom URLs point at the recording front, which forwards to the sandbox."""
    with Front(cli.server.root_url) as proxy:
        monkeypatch.setenv("ZOOM_API_BASE_URL", f"{proxy.root_url}/v2")
        monkeypatch.setenv("ZOOM_OAUTH_TOKEN_URL", f"{proxy.root_url}/oauth/token")
        yield proxy


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
