"""Connecting the real `ZoomClient` to a sandbox, in process or over HTTP, and seeding it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from pydantic import SecretStr

from reconciler.live import ReadReport, ReadRequest, read_live_state
from reconciler.model.live import LiveState
from reconciler.sandbox import ServerInfo, load_seed_text
from reconciler.sandbox.app import SandboxApp
from reconciler.sandbox.store import Store
from reconciler.zoom import HttpSession, RetryPolicy, Scheduler, ZoomClient, ZoomConnection

IN_PROCESS_ROOT = "http://sandbox"


def _unpaced() -> Scheduler:
    """Pacing stays on, with a burst big enough that tests never wait for a slot."""
    return Scheduler(burst=100_000)


@asynccontextmanager
async def in_process_client(app: SandboxApp) -> AsyncIterator[ZoomClient]:
    credentials = app.sandbox.credentials
    connection = ZoomConnection(
        account_id=credentials.account_id,
        client_id=credentials.client_id,
        client_secret=SecretStr(credentials.client_secret),
        api_base_url=f"{IN_PROCESS_ROOT}/v2",
        oauth_token_url=f"{IN_PROCESS_ROOT}/oauth/token",
    )
    session = HttpSession(connection, asgi_app=app)
    async with ZoomClient(connection, session=session, scheduler=_unpaced()) as client:
        yield client


@asynccontextmanager
async def http_client(
    server: ServerInfo, retry: RetryPolicy | None = None, *, scheduler: Scheduler | None = None
) -> AsyncIterator[ZoomClient]:
    """The client over real HTTP, with `scheduler`'s pacing (by default, no waiting)."""
    credentials = server.credentials
    connection = ZoomConnection(
        account_id=credentials.account_id,
        client_id=credentials.client_id,
        client_secret=SecretStr(credentials.client_secret),
        api_base_url=server.base_url,
        oauth_token_url=server.token_url,
    )
    pacing = scheduler if scheduler is not None else _unpaced()
    async with ZoomClient(connection, scheduler=pacing, retry=retry) as client:
        yield client


def seed_server(server: ServerInfo, seed: str | dict[str, Any]) -> None:
    """Replace the served account with a YAML seed, or a JSON one (config, state or generator)."""
    if isinstance(seed, str):
        response = httpx.post(
            f"{server.root_url}/_sandbox/seed",
            content=seed,
            headers={"content-type": "application/yaml"},
            timeout=30,
        )
    else:
        response = httpx.post(f"{server.root_url}/_sandbox/seed", json=seed, timeout=30)
    assert response.status_code == 200, response.text


def seed_app(app: SandboxApp, seed: str | Callable[[Store], None]) -> None:
    app.sandbox.replace_store(seed if callable(seed) else lambda s: load_seed_text(s, seed))


async def read_in_process(
    app: SandboxApp, request: ReadRequest | None = None
) -> tuple[LiveState, ReadReport]:
    async with in_process_client(app) as client:
        return await read_live_state(client, request or ReadRequest.everything())
