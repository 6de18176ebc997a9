"""The one place that speaks HTTP: httpx, Server-to-Server OAuth, and error translation.

Everything above this module sends `(method, path, params, json)` and gets an `ApiResponse`
back, or one of our own errors; no httpx type crosses this boundary. The same session talks to
real Zoom over the network, to the sandbox in-process (an ASGI app) or to a test's transport.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from reconciler.catalog import Api
from reconciler.errors import CredentialsError, ReconcilerError
from reconciler.zoom.errors import ZoomTransportError
from reconciler.zoom.settings import ZoomConnection

log = logging.getLogger("reconciler.zoom")

# "Invalid access token" / "Access token is expired", and the divisions API's own spelling.
TOKEN_EXPIRED_CODES = frozenset({124, 30031004})

# httpx failures that happen before a single byte of the request can have reached Zoom.
_NOT_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)

Clock = Callable[[], float]
AsgiApp = Callable[..., Awaitable[None]]
JsonBody = Mapping[str, Any] | list[Any]
QueryParams = Mapping[str, str | int]


@dataclass(frozen=True)
class ApiResponse:
    """An answer from Zoom, reduced to what the client needs; headers have lower-case keys."""

    status: int
    headers: Mapping[str, str]
    body: Any  # parsed JSON, or None for an empty or non-JSON body
    elapsed_ms: float = 0.0

    @property
    def zoom_code(self) -> int | None:
        code = self.body.get("code") if isinstance(self.body, dict) else None
        return code if isinstance(code, int) else None

    @property
    def zoom_message(self) -> str:
        message = self.body.get("message") if isinstance(self.body, dict) else None
        return message if isinstance(message, str) else ""


@dataclass(frozen=True)
class AccessToken:
    """A bearer token and when to replace it; the value never shows in a repr."""

    value: str = field(repr=False)
    renew_at: float


def _json_or_none(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


class ServerToServerAuth(httpx.Auth):
    """Adds the bearer token; one fetch serves every concurrent request.

    The token is renewed shortly before it expires, and once more when Zoom calls it invalid or
    expired (code 124, or 30031004 on divisions), after which the request is replayed once: a
    second refusal goes back to the caller rather than round a loop.
    """

    def __init__(
        self, fetch: Callable[[], Awaitable[AccessToken]], clock: Clock = time.monotonic
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: AccessToken | None = None
        self.fetches = 0

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._current()
        request.headers["Authorization"] = f"Bearer {token.value}"
        response = yield request
        if response.status_code not in (400, 401):
            return
        await response.aread()
        if _code(response) in TOKEN_EXPIRED_CODES:
            token = await self._replace(token)
            request.headers["Authorization"] = f"Bearer {token.value}"
            yield request

    async def _current(self) -> AccessToken:
        async with self._lock:
            if self._token is None or self._clock() >= self._token.renew_at:
                self._token = await self._fetch_counted()
            return self._token

    async def _replace(self, rejected: AccessToken) -> AccessToken:
        async with self._lock:
            # Another request may already have replaced the rejected token.
            if self._token is None or self._token is rejected:
                self._token = await self._fetch_counted()
            return self._token

    async def _fetch_counted(self) -> AccessToken:
        self.fetches += 1
        return await self._fetch()


def _code(response: httpx.Response) -> int | None:
    body = _json_or_none(response)
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, int) else None


class _InProcessTransport(httpx.AsyncBaseTransport):
    """Runs an ASGI app in this process; an app that raises is a server that hung up.

    Over a socket the client would see the connection close without an answer, so that is
    what the client sees here too, and the request may have been acted on.
    """

    def __init__(self, app: AsgiApp) -> None:
        self._inner = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._inner.handle_async_request(request)
        except Exception as crash:
            log.debug("in-process server raised %s", type(crash).__name__)
            raise httpx.RemoteProtocolError(
                f"server closed the connection ({type(crash).__name__})", request=request
            ) from None

    async def aclose(self) -> None:
        await self._inner.aclose()


class HttpSession:
    """An authenticated connection to Zoom (or the sandbox) that speaks in `ApiResponse`s.

    Pass `transport` (any httpx async transport, e.g. a test's `MockTransport`) or `asgi_app`
    (the sandbox, in-process); neither means the real network.
    """

    def __init__(
        self,
        connection: ZoomConnection,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        asgi_app: AsgiApp | None = None,
        timeout: float = 30.0,
        max_connections: int = 100,
        clock: Clock = time.monotonic,
    ) -> None:
        if asgi_app is not None:
            transport = _InProcessTransport(asgi_app)
        self._connection = connection
        self._clock = clock
        self._client = httpx.AsyncClient(
            base_url=connection.api_base_url,
            transport=transport,
            timeout=timeout,
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            headers={"Accept": "application/json", "User-Agent": "zoom-reconciler"},
        )
        self._auth = ServerToServerAuth(self._fetch_token, clock)

    @property
    def token_fetches(self) -> int:
        """How many access tokens this session has asked for."""
        return self._auth.fetches

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json: JsonBody | None = None,
        api: Api = Api.V2,
    ) -> ApiResponse:
        """One request, one answer; transport failures become `ZoomTransportError`.

        SCIM2 requests go to the SCIM2 base with the same token, asking for SCIM's media type.
        """
        started = self._clock()
        url, headers = path, None
        if api is Api.SCIM2:
            url = self._connection.scim_base_url + path
            headers = {"Accept": "application/scim+json"}
        try:
            response = await self._client.request(
                method, url, params=params, json=json, auth=self._auth, headers=headers
            )
        except _NOT_SENT as exc:
            reason = (
                f"could not connect to Zoom ({type(exc).__name__}); check ZOOM_API_BASE_URL"
                " and that this machine can reach it"
            )
            raise ZoomTransportError(
                reason, method=method, path=path, request_sent=False, unreachable=True
            ) from None
        except httpx.RequestError as exc:
            reason = f"connection lost before Zoom answered ({type(exc).__name__})"
            raise ZoomTransportError(reason, method=method, path=path, request_sent=True) from None
        elapsed_ms = (self._clock() - started) * 1000
        log.debug("%s %s -> %d (%.0f ms)", method, path, response.status_code, elapsed_ms)
        return ApiResponse(
            status=response.status_code,
            headers={name.lower(): value for name, value in response.headers.items()},
            body=_json_or_none(response),
            elapsed_ms=elapsed_ms,
        )

    async def _fetch_token(self) -> AccessToken:
        """Ask the token endpoint for a new token (grant_type=account_credentials)."""
        connection = self._connection
        secret = connection.client_secret.get_secret_value()
        url = connection.oauth_token_url
        try:
            response = await self._client.post(
                url,
                data={"grant_type": "account_credentials", "account_id": connection.account_id},
                auth=httpx.BasicAuth(connection.client_id, secret),
            )
        except httpx.RequestError as exc:
            reason = (
                f"could not reach the token endpoint ({type(exc).__name__}); check"
                " ZOOM_OAUTH_TOKEN_URL and that this machine can reach it"
            )
            raise ZoomTransportError(
                reason,
                method="POST",
                path=url,
                request_sent=False,
                unreachable=isinstance(exc, _NOT_SENT),
            ) from None
        body = _json_or_none(response)
        if response.status_code >= 500:
            reason = f"the token endpoint answered HTTP {response.status_code}"
            raise ZoomTransportError(reason, method="POST", path=url, request_sent=False)
        if response.status_code != 200 or not isinstance(body, dict):
            raise CredentialsError(_refusal(response.status_code, body, secret))
        value = body.get("access_token")
        if not isinstance(value, str) or not value:
            raise CredentialsError("The Zoom token endpoint answered without an access token.")
        expires_in = body.get("expires_in")
        lifetime = float(expires_in) if isinstance(expires_in, int | float) else 3600.0
        # Renew a little early: a minute for Zoom's hour-long tokens, a tenth for short ones.
        margin = min(60.0, lifetime / 10)
        log.debug("fetched an access token (expires in %.0f s)", lifetime)
        return AccessToken(value=value, renew_at=self._clock() + lifetime - margin)


def _refusal(status: int, body: Any, secret: str) -> str:
    """Why the token endpoint said no, from its `reason`/`error` fields, without the secret."""
    details = []
    if isinstance(body, dict):
        for key in ("error", "reason"):
            value = body.get(key)
            if isinstance(value, str) and value:
                details.append(value)
    said = ": " + " - ".join(details) if details else ""
    text = (
        f"Zoom refused the credentials (token endpoint HTTP {status}{said}). "
        "Check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET."
    )
    return text.replace(secret, "***") if secret else text


def send_json(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    json: JsonBody | None = None,
    params: QueryParams | None = None,
    timeout: float = 30.0,
) -> ApiResponse:
    """One plain JSON request to any HTTP API (GitHub's, for the Action's pull-request comments).

    Not for Zoom: no OAuth, no retries. Kept here so httpx stays in one module; a failure to
    connect becomes a `ReconcilerError` naming only the host, never the headers.
    """
    started = time.monotonic()
    try:
        response = httpx.request(
            method, url, headers=headers, json=json, params=params, timeout=timeout
        )
    except httpx.RequestError as exc:
        host = httpx.URL(url).host
        raise ReconcilerError(f"{method} {host}: no answer ({type(exc).__name__})") from None
    return ApiResponse(
        status=response.status_code,
        headers={name.lower(): value for name, value in response.headers.items()},
        body=_json_or_none(response),
        elapsed_ms=(time.monotonic() - started) * 1000,
    )
