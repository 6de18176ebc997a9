"""Serving the sandbox over real HTTP with uvicorn: in a background thread, or until Ctrl-C."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from reconciler.sandbox.app import SandboxApp, create_app
from reconciler.sandbox.faults import DroppedConnection
from reconciler.sandbox.oauth import Credentials
from reconciler.sandbox.runtime import SandboxOptions

DEFAULT_HOST = "127.0.0.1"


@dataclass(frozen=True)
class ServerInfo:
    """Where a running sandbox listens and the credentials it accepts."""

    root_url: str
    credentials: Credentials
    app: SandboxApp

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v2"

    @property
    def token_url(self) -> str:
        return f"{self.root_url}/oauth/token"

    @property
    def scim_url(self) -> str:
        return f"{self.root_url}/scim2"

    def exports(self) -> list[str]:
        """The five lines a shell needs to point the tool at this sandbox (the secret included)."""
        c = self.credentials
        return [
            f"export ZOOM_API_BASE_URL={self.base_url}",
            f"export ZOOM_OAUTH_TOKEN_URL={self.token_url}",
            f"export ZOOM_ACCOUNT_ID={c.account_id}",
            f"export ZOOM_CLIENT_ID={c.client_id}",
            f"export ZOOM_CLIENT_SECRET={c.client_secret}",
        ]


class _QuietDrops(logging.Filter):
    """A dropped connection is a requested fault, not a server error worth a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this; without it every answer waits ~40 ms for a delayed ACK.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def _server(app: SandboxApp, sock: socket.socket) -> uvicorn.Server:
    logging.getLogger("uvicorn.error").addFilter(_QuietDrops())
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_keep_alive=30,
    )
    return uvicorn.Server(config)


def _info(app: SandboxApp, sock: socket.socket) -> ServerInfo:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return ServerInfo(f"http://{shown}:{port}", app.sandbox.credentials, app)


@contextmanager
def running_server(
    options: SandboxOptions | None = None, *, host: str = DEFAULT_HOST, port: int = 0
) -> Iterator[ServerInfo]:
    """A sandbox on a real socket in a background thread, for tests; port 0 picks a free port."""
    app = create_app(options)
    sock = _bind(host, port)
    server = _server(app, sock)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    try:
        yield _info(app, sock)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def serve(
    options: SandboxOptions,
    *,
    host: str = DEFAULT_HOST,
    port: int = 0,
    ready: Callable[[ServerInfo], None] | None = None,
) -> None:
    """Serve until interrupted; `ready` learns the address before the first request is taken."""
    app = create_app(options)
    sock = _bind(host, port)
    server = _server(app, sock)
    if ready is not None:
        ready(_info(app, sock))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
