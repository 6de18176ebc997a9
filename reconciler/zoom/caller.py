"""`ZoomCaller`: one operation sent with pacing and retries, and listings walked page by page.

Each call waits for its category's slot in the `Scheduler`, holds one of that category's
in-flight places (enough to fill the budget at a few hundred milliseconds of latency), and is
retried with stamina when that is safe:

- 429: always retried (Zoom did not apply the request); the scheduler pauses the whole
  category for `Retry-After`, so the retry itself waits there.
- 5xx and dropped connections: retried with jittered backoff only when the operation is
  idempotent. A write that is not raises `AmbiguousWriteError` after exactly one request.
- A connection that was never made: retried for every operation, nothing was sent. Until
  Zoom has answered once in this run, only a few times: a wrong address or a blocked network
  should stop the run in seconds, not after a minute of silent backoff.
- Any other 4xx: raised at once as `ZoomAPIError` (`NotFound`, `TokenRejected`, ...).

`ZoomClient` adds a typed method per endpoint on top.
"""

from __future__ import annotations

import logging
import math
from asyncio import Semaphore
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import stamina

from reconciler.catalog import ENDPOINTS, Api, Category, Endpoint, HttpMethod, Operation
from reconciler.errors import ReconcilerError, ZoomAPIError
from reconciler.zoom import scim
from reconciler.zoom.errors import (
    AmbiguousWriteError,
    NotFound,
    RateLimited,
    ServerError,
    TokenRejected,
    ZoomTransportError,
)
from reconciler.zoom.http import ApiResponse, HttpSession, JsonBody, QueryParams
from reconciler.zoom.ratelimit import Scheduler, parse_rate_limit_headers
from reconciler.zoom.settings import ZoomConnection

log = logging.getLogger("reconciler.zoom")
# stamina reports each retry at WARNING; without this, an app that configures no logging
# would get them on stderr through logging's last-resort handler. Configured handlers still
# receive them.
logging.getLogger("stamina").addHandler(logging.NullHandler())

# 501 means "never going to work"; the rest of 5xx may pass on a second try.
_NOT_RETRYABLE_5XX = frozenset({501})


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per call (429s included) and the backoff between them."""

    attempts: int = 8
    unreachable_attempts: int = 3  # while Zoom has not answered once: see the module docstring
    wait_initial: float = 0.5
    wait_max: float = 30.0
    wait_jitter: float = 1.0
    timeout: float | None = None


@dataclass
class CallStats:
    """What a run cost: requests per category, 429s per category, retries, token fetches."""

    calls: Counter[Category] = field(default_factory=Counter)
    throttled: Counter[Category] = field(default_factory=Counter)
    retries: int = 0
    token_fetches: int = 0

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def summary(self) -> str:
        """One line for `-v`: `Zoom API: 35 calls (Medium 34, Light 1), 0 answered 429, ...`."""
        by_category = ", ".join(
            f"{category.label} {count}" for category, count in self.calls.most_common()
        )
        return (
            f"Zoom API: {self.total_calls} calls ({by_category}),"
            f" {sum(self.throttled.values())} answered 429, {self.retries} retried,"
            f" {self.token_fetches} access tokens fetched"
        )


class PagingError(ReconcilerError):
    """Zoom handed back a page token it had already given: stop rather than loop."""


def _retry_decision(error: Exception) -> bool | float:
    """stamina's hook: which failures get another attempt, and after how long."""
    if isinstance(error, RateLimited):
        return 0.0  # the scheduler already holds the category back for `Retry-After`
    retry = isinstance(error, ServerError | ZoomTransportError)
    if retry:
        log.info("retrying after: %s", error)
    return retry


def _api_error(response: ApiResponse, endpoint: Endpoint, path: str) -> ZoomAPIError:
    status, code, message = response.status, response.zoom_code, response.zoom_message
    if endpoint.api is Api.SCIM2:
        code, message = scim.error_words(response)
        path = "/scim2" + path
    message = message or f"HTTP {status} without a message"
    kind: type[ZoomAPIError] = ZoomAPIError
    if status == 401:
        kind = TokenRejected
    elif status == 404:
        kind = NotFound
    elif status >= 500 and status not in _NOT_RETRYABLE_5XX:
        kind = ServerError
    return kind(status, code, message, method=endpoint.method.value, path=path)


class ZoomCaller:
    """Sends operations to Zoom within its rate limits, retrying what is safe to retry.

    Many calls may be awaited at once (for example with `asyncio.gather`): the scheduler and
    the per-category in-flight limits decide when each one goes.
    """

    def __init__(
        self,
        connection: ZoomConnection,
        *,
        session: HttpSession | None = None,
        scheduler: Scheduler | None = None,
        retry: RetryPolicy | None = None,
        latency_allowance: float = 0.6,
    ) -> None:
        self._session = session if session is not None else HttpSession(connection)
        self._scheduler = scheduler if scheduler is not None else Scheduler(tier=connection.tier)
        self._retry = retry if retry is not None else RetryPolicy()
        self._stats = CallStats()
        self._answered = False  # has Zoom (or its token endpoint) answered anything yet?
        # Enough requests in flight to use the whole budget at `latency_allowance` seconds each.
        self._in_flight = {
            category: Semaphore(
                max(2, math.ceil(self._scheduler.budget(category).per_second * latency_allowance))
            )
            for category in Category
        }

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._session.aclose()
        if self._stats.total_calls:
            log.info("%s", self.stats.summary())

    @property
    def stats(self) -> CallStats:
        self._stats.token_fetches = self._session.token_fetches
        return self._stats

    @property
    def scheduler(self) -> Scheduler:
        return self._scheduler

    # -- the machinery ---------------------------------------------------------------------

    async def call(
        self,
        operation: Operation,
        path_values: Mapping[str, str] | None = None,
        *,
        params: QueryParams | None = None,
        json: JsonBody | None = None,
    ) -> Any:
        """Send one operation, retrying as its endpoint allows; returns the JSON body or None."""
        endpoint = ENDPOINTS[operation]
        path = endpoint.render(**(path_values or {}))
        ambiguous: list[str] = []  # earlier attempts whose outcome is unknown
        policy = self._retry
        unreachable = 0

        def decide(error: Exception) -> bool | float:
            nonlocal unreachable
            if isinstance(error, ZoomTransportError) and error.unreachable and not self._answered:
                unreachable += 1
                if unreachable >= policy.unreachable_attempts:
                    return False
            return _retry_decision(error)

        async for attempt in stamina.retry_context(
            on=decide,
            attempts=policy.attempts,
            timeout=policy.timeout,
            wait_initial=policy.wait_initial,
            wait_max=policy.wait_max,
            wait_jitter=policy.wait_jitter,
        ):
            with attempt:
                if attempt.num > 1:
                    self._stats.retries += 1
                return await self._attempt(endpoint, path, params, json, ambiguous)
        raise AssertionError("stamina ends with a result or the last error")  # pragma: no cover

    async def _attempt(
        self,
        endpoint: Endpoint,
        path: str,
        params: QueryParams | None,
        json: JsonBody | None,
        ambiguous: list[str],
    ) -> Any:
        own_limit = endpoint.own_rate
        if own_limit is None:
            return await self._attempt_paced(endpoint, path, params, json, ambiguous)
        async with self._scheduler.endpoint_turn(endpoint.operation.value, own_limit):
            return await self._attempt_paced(endpoint, path, params, json, ambiguous)

    async def _attempt_paced(
        self,
        endpoint: Endpoint,
        path: str,
        params: QueryParams | None,
        json: JsonBody | None,
        ambiguous: list[str],
    ) -> Any:
        category = endpoint.category
        method = endpoint.method.value
        own_limit = endpoint.own_rate
        # An endpoint with a limit of its own sends one request in many seconds: it skips the
        # queue for the category's in-flight places, so it does not wait behind a hundred
        # calls of its category that it could run beside (it still takes a category slot).
        in_flight = self._in_flight[category] if own_limit is None else nullcontext()
        async with in_flight:
            await self._scheduler.acquire(category)
            if own_limit is not None:
                self._scheduler.endpoint_sent(endpoint.operation.value)
            self._stats.calls[category] += 1
            try:
                response = await self._session.send(
                    method, path, params=params, json=json, api=endpoint.api
                )
            except ZoomTransportError as lost:
                self._answered = self._answered or not lost.unreachable
                if lost.request_sent:
                    self._unknown_outcome(endpoint, path, lost.reason, ambiguous)
                raise
            self._answered = True
        headers = parse_rate_limit_headers(
            response.headers, self._scheduler.wall_clock(), message=response.zoom_message
        )
        self._scheduler.observe(category, headers)
        if response.status == 429:
            self._stats.throttled[category] += 1
            if own_limit is not None and not headers.is_daily:
                wait = self._scheduler.endpoint_throttled(
                    endpoint.operation.value, own_limit, headers
                )
            else:
                wait = self._scheduler.throttled(category, headers)
            log.info("%s %s: 429 on %s requests, pausing %.1f s", method, path, category, wait)
            raise RateLimited(
                response.zoom_message or "Too many requests.",
                category=category.label,
                method=method,
                path=path,
            )
        if response.status < 400:
            return response.body
        error = _api_error(response, endpoint, path)
        if response.status >= 500 and response.status not in _NOT_RETRYABLE_5XX:
            self._unknown_outcome(endpoint, path, str(error), ambiguous)
            raise error
        if ambiguous and endpoint.method is not HttpMethod.GET:
            if endpoint.means_gone(response.status, response.zoom_code):
                return None  # an earlier attempt did it
            raise AmbiguousWriteError(
                endpoint.operation.value,
                method=method,
                path=path,
                cause=f"{ambiguous[0]}; the retry then got {error}",
            )
        raise error

    @staticmethod
    def _unknown_outcome(endpoint: Endpoint, path: str, cause: str, ambiguous: list[str]) -> None:
        """Zoom may have applied the request: only idempotent operations may go again."""
        if not endpoint.idempotent:
            raise AmbiguousWriteError(
                endpoint.operation.value, method=endpoint.method.value, path=path, cause=cause
            )
        ambiguous.append(cause)

    async def pages(
        self,
        operation: Operation,
        path_values: Mapping[str, str] | None = None,
        *,
        params: QueryParams | None = None,
    ) -> AsyncIterator[list[Any]]:
        """Yield each page's items, following `next_page_token` until Zoom sends none or ""."""
        page = ENDPOINTS[operation].page
        if page is None:
            raise ValueError(f"{operation.value} is not a listing")
        query: dict[str, str | int] = {**(params or {}), "page_size": page.size}
        seen: set[str] = set()
        while True:
            body = await self.call(operation, path_values, params=query)
            body = body if isinstance(body, dict) else {}
            items = body.get(page.items_key)
            yield list(items) if isinstance(items, list) else []
            token = body.get("next_page_token")
            if not isinstance(token, str) or not token:
                return
            if token in seen:
                raise PagingError(f"{operation.value}: Zoom repeated a page token; stopping")
            seen.add(token)
            query["next_page_token"] = token

    async def _all(
        self,
        operation: Operation,
        path_values: Mapping[str, str] | None = None,
        *,
        params: QueryParams | None = None,
    ) -> list[Any]:
        return [
            item
            async for page in self.pages(operation, path_values, params=params)
            for item in page
        ]
