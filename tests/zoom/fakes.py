"""Plain-function stand-ins for Zoom at the HTTP boundary, and a clock that never really sleeps."""

from __future__ import annotations

import asyncio
import base64
import json
import random
from collections import deque
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from reconciler.zoom import HttpSession, RetryPolicy, Scheduler, Tier, ZoomClient, ZoomConnection

ACCOUNT_ID = "acct-123"
CLIENT_ID = "client-abc"
CLIENT_SECRET = "s3cr3t-sentinel-value-9f8e7d"
BASE_URL = "https://api.zoom.test/v2"
TOKEN_URL = "https://zoom.test/oauth/token"
BASIC = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()

FAST_RETRIES = RetryPolicy(attempts=5, wait_initial=0.0, wait_max=0.0, wait_jitter=0.0)

Responder = Callable[[httpx.Request], httpx.Response]


def connection(tier: Tier = Tier.PRO) -> ZoomConnection:
    return ZoomConnection.from_env(
        {
            "ZOOM_ACCOUNT_ID": ACCOUNT_ID,
            "ZOOM_CLIENT_ID": CLIENT_ID,
            "ZOOM_CLIENT_SECRET": CLIENT_SECRET,
            "ZOOM_API_BASE_URL": BASE_URL,
            "ZOOM_OAUTH_TOKEN_URL": TOKEN_URL,
            "ZOOM_RATE_LIMIT_TIER": tier.value,
        }
    )


def zoom_error(status: int, code: int | None, message: str, **headers: str) -> httpx.Response:
    body: dict[str, Any] = {"message": message}
    if code is not None:
        body["code"] = code
    return httpx.Response(status, json=body, headers=headers)


class FakeClock:
    """Monotonic and wall time that advance only when someone sleeps."""

    def __init__(self, wall_start: datetime | None = None) -> None:
        self.now = 1_000.0
        self._start = self.now
        self.wall_start = wall_start or datetime(2026, 3, 4, 12, 0, 0, tzinfo=UTC)
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def wall(self) -> datetime:
        return self.wall_start + timedelta(seconds=self.now - self._start)

    async def sleep(self, seconds: float) -> None:
        # Every wait is computed from the current reading, so moving the clock by it lands on
        # the sleeper's target even when several tasks sleep at once.
        self.slept.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


class FakeZoom:
    """A scriptable Zoom: a token endpoint that counts, and an API that records every request.

    Queue answers in `script` (responses, or functions of the request); once it is empty,
    `default` answers. Tokens listed in `revoked` get 401 code 124, as Zoom does.
    """

    def __init__(self, default: Responder | None = None, *, expires_in: int = 3600) -> None:
        self.default = default or (lambda request: httpx.Response(200, json={}))
        self.expires_in = expires_in
        self.script: deque[httpx.Response | Responder | Exception] = deque()
        self.token_requests: list[httpx.Request] = []
        self.api_requests: list[httpx.Request] = []
        self.revoked: set[str] = set()
        self.tokens_used: list[str] = []
        self.requested: list[str] = []
        self.token_answer: httpx.Response | None = None
        self.token_script: deque[httpx.Response | Exception] = deque()

    def queue(self, *answers: httpx.Response | Responder | Exception) -> None:
        self.script.extend(answers)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if str(request.url).startswith(TOKEN_URL):
            return self._token(request)
        self.api_requests.append(request)
        # The client replays the same request object, so read what it carries now.
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.tokens_used.append(bearer)
        self.requested.append(f"{request.method} {request.url.path}")
        if bearer in self.revoked:
            return zoom_error(401, 124, "Access token is expired.")
        if self.script:
            answer = self.script.popleft()
            if isinstance(answer, Exception):
                if isinstance(answer, httpx.RequestError):
                    answer.request = request
                raise answer
            return answer(request) if callable(answer) else answer
        return self.default(request)

    def _token(self, request: httpx.Request) -> httpx.Response:
        self.token_requests.append(request)
        if self.token_script:
            scripted = self.token_script.popleft()
            if isinstance(scripted, Exception):
                if isinstance(scripted, httpx.RequestError):
                    scripted.request = request
                raise scripted
            return scripted
        if self.token_answer is not None:
            return self.token_answer
        assert request.headers["Authorization"] == f"Basic {BASIC}"
        form = dict(x.split("=", 1) for x in request.content.decode().split("&"))
        assert form == {"grant_type": "account_credentials", "account_id": ACCOUNT_ID}
        token = f"tok-{len(self.token_requests)}"
        return httpx.Response(
            200,
            json={
                "access_token": token,
                "token_type": "bearer",
                "expires_in": self.expires_in,
                "scope": "user:read:admin",
            },
        )

    def paths(self) -> list[str]:
        return list(self.requested)


def make_client(
    zoom: FakeZoom,
    *,
    clock: FakeClock | None = None,
    tier: Tier = Tier.PRO,
    retry: RetryPolicy = FAST_RETRIES,
    headroom: float = 0.9,
) -> ZoomClient:
    clock = clock or FakeClock()
    conn = connection(tier)
    session = HttpSession(conn, transport=httpx.MockTransport(zoom), clock=clock)
    scheduler = Scheduler(
        tier=tier,
        headroom=headroom,
        clock=clock,
        wall_clock=clock.wall,
        sleep=clock.sleep,
        rng=random.Random(7),
    )
    return ZoomClient(conn, session=session, scheduler=scheduler, retry=retry)


def json_of(request: httpx.Request) -> Mapping[str, Any]:
    loaded: Mapping[str, Any] = json.loads(request.content)
    return loaded
