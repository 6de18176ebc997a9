"""The real ZoomClient talking to an in-process sandbox, plus a hook to break chosen requests."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from pydantic import SecretStr

from reconciler.sandbox import SandboxApp, load_seed_text
from reconciler.sandbox.store import Store
from reconciler.zoom import HttpSession, RetryPolicy, ZoomClient, ZoomConnection

BASE = "http://sandbox.test"
FAST_RETRIES = RetryPolicy(attempts=4, wait_initial=0.0, wait_max=0.0, wait_jitter=0.0)

Matcher = Callable[[str, str], bool]


class AppliedThenFailed:
    """Wraps the sandbox: the first request matching lets Zoom apply it, then answers 500.

    That is the ambiguous case the applier must resolve by reading back, never by repeating.
    """

    def __init__(self, app: SandboxApp, matches: Matcher, times: int = 1) -> None:
        self.app = app
        self.matches = matches
        self.left = times

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if (
            scope["type"] != "http"
            or not self.left
            or not self.matches(scope["method"], scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        self.left -= 1

        async def swallow(message: MutableMapping[str, Any]) -> None:
            return None

        await self.app(scope, receive, swallow)
        body = json.dumps({"code": 500, "message": "Internal error."}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 500,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


class Unavailable:
    """Wraps the sandbox (or another wrapper): every request matching is answered 503, unseen."""

    def __init__(self, app: Any, matches: Matcher) -> None:
        self.app = app
        self.matches = matches

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not self.matches(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        body = json.dumps({"code": 503, "message": "Service unavailable."}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


def seed(app: SandboxApp, text: str) -> Store:
    app.sandbox.replace_store(lambda store: load_seed_text(store, text))
    return app.sandbox.store


@asynccontextmanager
async def zoom_client(app: SandboxApp, asgi: Any = None) -> AsyncIterator[ZoomClient]:
    c = app.sandbox.credentials
    connection = ZoomConnection(
        account_id=c.account_id,
        client_id=c.client_id,
        client_secret=SecretStr(c.client_secret),
        api_base_url=f"{BASE}/v2",
        oauth_token_url=f"{BASE}/oauth/token",
    )
    session = HttpSession(connection, asgi_app=asgi or app)
    async with ZoomClient(connection, session=session, retry=FAST_RETRIES) as zoom:
        yield zoom


def requests(app: SandboxApp, method: str, path_part: str) -> int:
    """How many API requests with this method (any, if empty) had `path_part` in their path."""
    entries = app.sandbox.journal.as_json()["entries"]
    return sum(
        1 for e in entries if (not method or e["method"] == method) and path_part in e["path"]
    )
