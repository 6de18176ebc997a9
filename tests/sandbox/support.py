"""Helpers for talking to the sandbox from tests: a sync in-process transport, tokens, and a
contract-checking caller that validates what it sends and receives against Zoom's spec."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from reconciler.sandbox import ServerInfo
from reconciler.sandbox.app import SandboxApp
from reconciler.sandbox.oauth import Credentials
from reconciler.sandbox.spec import (
    OperationKey,
    field_errors,
    request_validator,
    response_validator,
)


class SyncASGITransport(httpx.BaseTransport):
    """Runs the ASGI app on a private event loop so ordinary `httpx.Client` code can use it."""

    def __init__(self, app: SandboxApp) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._loop = asyncio.new_event_loop()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def send() -> httpx.Response:
            request.stream = httpx.ByteStream(request.read())
            response = await self._inner.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return self._loop.run_until_complete(send())

    def close(self) -> None:
        self._loop.close()


def token_for(client: httpx.Client, credentials: Credentials) -> str:
    response = client.post(
        "/oauth/token",
        data={"grant_type": "account_credentials", "account_id": credentials.account_id},
        auth=(credentials.client_id, credentials.client_secret),
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def in_process_client(app: SandboxApp) -> httpx.Client:
    """An authorised client for an in-process sandbox."""
    client = httpx.Client(transport=SyncASGITransport(app), base_url="http://sandbox")
    client.headers["Authorization"] = f"Bearer {token_for(client, app.sandbox.credentials)}"
    return client


def http_client(server: ServerInfo) -> httpx.Client:
    """An authorised client for a sandbox served over real HTTP."""
    client = httpx.Client(base_url=server.root_url, timeout=10)
    client.headers["Authorization"] = f"Bearer {token_for(client, server.credentials)}"
    return client


def _spec_of(template: str) -> tuple[OperationKey, str]:
    if template.startswith("/scim2"):
        return OperationKey("scim2-api", "", template), template
    return OperationKey("users-api", "", template), "/v2" + template


class Contract:
    """Calls one operation by its spec template, checking the request body before sending and
    the response body after, each against Zoom's official schema for that operation."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.checked = 0
        # (operation, option) pairs whose request body, or success answer, was checked
        self.requests_checked: set[tuple[OperationKey, str | None]] = set()
        self.responses_checked: set[tuple[OperationKey, str | None]] = set()

    def __call__(
        self,
        method: str,
        template: str,
        *,
        path: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        json: Any = None,
        expect: int = 200,
    ) -> httpx.Response:
        blank, url = _spec_of(template)
        key = OperationKey(blank.spec, method.lower(), template)
        option = (params or {}).get("option")
        if json is not None:
            validator = request_validator(key, option, page_only_sections=False)
            assert validator is not None, f"{method} {template} takes no body"
            problems = field_errors(validator, json)
            assert not problems, f"the test sends an invalid body: {problems}"
            self.requests_checked.add((key, option))
        response = self.client.request(method, url.format(**(path or {})), params=params, json=json)
        assert response.status_code == expect, (
            f"{method} {url}: {response.status_code} {response.text}"
        )
        body_validator = response_validator(key, expect, option)
        if body_validator is not None:
            errors = [e.message for e in body_validator.iter_errors(response.json())]
            assert not errors, f"{method} {template} answered outside Zoom's schema: {errors[:5]}"
            self.checked += 1
        elif expect == 204:
            assert response.content == b"", f"{method} {template} answered 204 with a body"
        if expect < 300:
            self.responses_checked.add((key, option))
        elif expect >= 400:
            body = response.json()
            # v2 answers {code, message}; SCIM2 answers SCIM's error schema
            assert set(body) >= ({"detail", "status"} if blank.spec == "scim2-api" else {"message"})
        return response
