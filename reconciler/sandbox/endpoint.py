"""What every Zoom API request goes through before and after its handler.

Order, as Zoom appears to apply it: bearer token (401 code 124; divisions 30031002/30031004),
fault draw (429 storm), rate limit (429), a scope the app was not given (400 code 4711; only
for operations that declare their scopes), paid-only features on a free account (400 code 200),
query and body validation against the official spec
(400 code 300 "Validation Failed."), then the handler. An injected 5xx or dropped connection
happens either before the handler (nothing changed) or, for writes, after it (the change was
made but the client saw a failure).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft7Validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reconciler.sandbox import errors
from reconciler.sandbox.errors import SandboxError
from reconciler.sandbox.faults import DroppedConnection, Fault, FaultKind
from reconciler.sandbox.journal import Entry
from reconciler.sandbox.oauth import TokenProblem
from reconciler.sandbox.ratelimit import PER_WINDOW, Category, too_many_requests
from reconciler.sandbox.runtime import Sandbox
from reconciler.sandbox.spec import (
    OperationKey,
    SpecName,
    field_errors,
    parameter_schemas,
    request_validator,
)
from reconciler.sandbox.store import Store

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
RECORD = "sandbox.record"
SERVER_ERROR_MESSAGES = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(slots=True)
class Call:
    """One parsed, validated request as a handler sees it."""

    sandbox: Sandbox
    params: Mapping[str, str]
    query: Mapping[str, Any]
    body: Any
    request: Request
    operation: OperationKey
    """The spec operation being served (a listing reads its page size rules from it)."""

    @property
    def store(self) -> Store:
        return self.sandbox.store

    @property
    def base_url(self) -> str:
        """Where the client reached the sandbox (SCIM's `meta.location`); built only when asked."""
        return str(self.request.base_url).rstrip("/")


@dataclass(slots=True)
class Reply:
    status: int = 200
    body: Any = None
    media_type: str = "application/json"


Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class OffSpec:
    """An operation from another Zoom API reference than the vendored spec.

    `shaped_like`: the spec path whose parameters and bodies it shares; `scopes`: the scopes
    Zoom accepts for it, so `withheld_scopes` can make the sandbox refuse it as Zoom does."""

    shaped_like: str
    category: Category
    scopes: tuple[str, ...] = ()


class ScimResponse(JSONResponse):
    media_type = "application/scim+json"


def api_route(
    spec: SpecName,
    method: str,
    template: str,
    handler: Handler,
    *,
    prefix: str = "",
    token_errors: Callable[[TokenProblem], SandboxError] | None = None,
    paid_only: bool = False,
    off_spec: OffSpec | None = None,
    scopes: tuple[str, ...] = (),
) -> Route:
    """A Starlette route for one operation of Zoom's spec, with the whole pipeline around it.

    `off_spec` serves an operation the vendored spec lacks, validated with a spec operation of
    the same shape and charged to the category its own reference gives. `scopes`: the scopes
    Zoom accepts for an operation of the spec, so `withheld_scopes` can refuse it."""
    key = OperationKey(spec, method.lower(), off_spec.shaped_like if off_spec else template)
    category = off_spec.category if off_spec else Category.of(key)
    scopes = off_spec.scopes if off_spec else scopes
    query_validator = _query_validator(key)
    has_body = "requestBody" in key.definition()
    write = method.upper() in WRITE_METHODS
    token_error = token_errors or _default_token_error
    scim = spec == "scim2-api"

    async def endpoint(request: Request) -> Response:
        sandbox: Sandbox = request.app.state.sandbox
        record = request.scope.get(RECORD)
        if record is not None:
            record["category"] = category.value
        headers: dict[str, str] = {}
        fault: Fault | None = None
        try:
            problem = sandbox.tokens.problem(request.headers.get("authorization"))
            if problem is not None:
                raise token_error(problem)
            fault = sandbox.faults.draw(write=write, now=sandbox.clock())
            if fault is not None and fault.kind is FaultKind.TOKEN_EXPIRY:
                sandbox.tokens.expire(request.headers.get("authorization"))
                raise token_error(TokenProblem.EXPIRED)
            if fault is not None and fault.kind is FaultKind.STORM:
                limit = PER_WINDOW[sandbox.limiter.tier][category].limit
                raise too_many_requests(category, daily=False, limit=limit, retry_after="1")
            headers = sandbox.limiter.charge(category)
            if scopes and sandbox.withheld_scopes.issuperset(scopes):
                raise errors.missing_scopes(scopes)
            if paid_only and not sandbox.paid_account:
                raise errors.only_for_paid_accounts(sandbox.credentials.account_id)
            query = _query(request, query_validator)
            body = await _body(request, key, query, scim=scim) if has_body else None
            if fault is not None and not fault.applied:
                return _failure(fault, scim=scim)
            call = Call(sandbox, request.path_params, query, body, request, key)
            reply = handler(call)
            if fault is not None:
                return _failure(fault, scim=scim)
        except SandboxError as error:
            all_headers = {**headers, **error.headers}
            if scim:
                error = errors.in_scim_words(error)
                return ScimResponse(error.scim_body(), error.status, headers=all_headers)
            return JSONResponse(error.body(), error.status, headers=all_headers)
        if reply.body is None:
            return Response(status_code=reply.status, headers=headers)
        return JSONResponse(reply.body, reply.status, headers=headers, media_type=reply.media_type)

    return Route(prefix + template, endpoint, methods=[method.upper()])


def _default_token_error(problem: TokenProblem) -> SandboxError:
    return errors.invalid_access_token(expired=problem is TokenProblem.EXPIRED)


def divisions_token_error(problem: TokenProblem) -> SandboxError:
    return errors.divisions_token_error(missing=problem is TokenProblem.MISSING)


def _query_validator(key: OperationKey) -> tuple[Draft7Validator, dict[str, str]] | None:
    schemas = parameter_schemas(key, "query")
    if not schemas:
        return None
    types = {name: str(schema.get("type", "string")) for name, schema in schemas.items()}
    return Draft7Validator({"type": "object", "properties": schemas}), types


def _query(
    request: Request, checker: tuple[Draft7Validator, dict[str, str]] | None
) -> dict[str, Any]:
    """Query parameters converted to their declared types and checked against the spec."""
    query: dict[str, Any] = dict(request.query_params)
    if checker is None or not query:
        return query
    validator, types = checker
    for name, value in query.items():
        kind = types.get(name)
        if kind == "integer":
            with contextlib.suppress(ValueError):
                query[name] = int(value)
        elif kind == "boolean" and value in ("true", "false"):
            query[name] = value == "true"
    problems = field_errors(validator, query)
    if problems:
        raise errors.validation_failed(problems)
    return query


async def _body(
    request: Request, key: OperationKey, query: Mapping[str, Any], *, scim: bool
) -> Any:
    raw = await request.body()
    if not raw.strip():
        body: Any = {}
    else:
        try:
            body = json.loads(raw)
        except ValueError:
            if scim:  # S000:187, 384, 1125, 2048, 2439
                raise errors.scim_error(400, "The request body must be in JSON format.") from None
            raise SandboxError(400, 300, "Request Body should be a valid JSON object.") from None
    option = query.get("option")
    validator = request_validator(key, option if isinstance(option, str) else None)
    if validator is not None:
        problems = field_errors(validator, body)
        if problems:
            raise errors.validation_failed(problems)
    return body


def _failure(fault: Fault, *, scim: bool) -> Response:
    if fault.kind is FaultKind.DROP:
        return DroppedResponse()
    message = SERVER_ERROR_MESSAGES.get(fault.status, "Server Error")
    if scim:
        return ScimResponse(errors.scim_error_body(fault.status, message), fault.status)
    return JSONResponse({"code": fault.status, "message": message}, fault.status)


class DroppedResponse(Response):
    """Starts an answer and hangs up: the server closes the socket, the client gets no response."""

    def __init__(self) -> None:
        super().__init__(b"{}", 200, media_type="application/json")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        raise DroppedConnection("connection dropped by the sandbox's fault injection")


class SandboxASGI:
    """The outermost layer: latency, the journal, and letting a dropped connection reach the server."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        control = path.startswith("/_sandbox")
        delay = 0.0 if control else self.sandbox.faults.delay_s()
        if delay:
            await asyncio.sleep(delay)
        record: dict[str, Any] = {"category": "", "status": 0}
        scope[RECORD] = record

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                record["status"] = message["status"]
                if not control:
                    write = scope["method"] in WRITE_METHODS and not path.startswith("/oauth")
                    await self.sandbox.stall.before_answer(write, record["status"])
            await send(message)

        dropped = False
        try:
            if control:
                await self.app(scope, receive, send_and_note)
            else:
                async with self.sandbox.stall.turn() as handled:
                    if handled:
                        await self.app(scope, receive, send_and_note)
                    else:  # sent after the stall's cut: never made, never answered
                        await DroppedResponse()(scope, receive, send)
        except DroppedConnection:
            dropped = True
            raise
        finally:
            if not control:
                self.sandbox.journal.add(
                    Entry(
                        self.sandbox.clock(),
                        scope["method"],
                        path,
                        record["category"],
                        0 if dropped else record["status"],
                        delay,
                    )
                )
