"""Control endpoints under `/_sandbox`, outside Zoom's paths, for tests and benchmarks.

They need no token and are neither rate limited, delayed, faulted nor journalled.
- `GET /_sandbox/state`: the whole account as JSON (the state seed format)
- `GET /_sandbox/journal?since=N`, `DELETE /_sandbox/journal`: every API request answered
- `POST /_sandbox/reset`: back to the start seed and start options
- `POST /_sandbox/seed`: replace the account: a state dump (JSON), a configuration (JSON or
  YAML body) or `{"generate": {"users": N, "groups": G, "divisions": D, "seed": S}}`
- `GET|POST /_sandbox/config`: tier, rate_limits, faults (see faults.FaultConfig; plus
  `storm_seconds` to start a 429 storm now), random_seed
- `POST /_sandbox/clock`: `{"advance": seconds}` moves the sandbox's clock forward
- `POST /_sandbox/invitations/accept`: `{"email": ...}` or `{"all": true}` activates pending users
- `POST /_sandbox/invitations/expire`: the same body; those invitations run out (code 1120)
- `GET|POST|DELETE /_sandbox/stall`: `{"after_writes": N}` holds every API answer from the Nth
  accepted write on (see stall.py); GET tells whether it holds any; DELETE lets them go
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reconciler.sandbox.entities import User, UserStatus
from reconciler.sandbox.errors import SandboxError, SeedError
from reconciler.sandbox.runtime import Sandbox
from reconciler.sandbox.seed import generate_account, load_seed_text
from reconciler.sandbox.state import dump_state
from reconciler.sandbox.views import iso


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def _refused(message: str) -> Response:
    return JSONResponse({"error": message}, 400)


async def _json(request: Request) -> Any:
    raw = await request.body()
    return json.loads(raw) if raw.strip() else {}


async def state(request: Request) -> Response:
    return JSONResponse(dump_state(_sandbox(request).store))


async def journal(request: Request) -> Response:
    sandbox = _sandbox(request)
    if request.method == "DELETE":
        sandbox.journal.clear()
        return Response(status_code=204)
    return JSONResponse(sandbox.journal.as_json(int(request.query_params.get("since", 0))))


async def reset(request: Request) -> Response:
    _sandbox(request).reset()
    return Response(status_code=204)


async def seed(request: Request) -> Response:
    sandbox = _sandbox(request)
    raw = (await request.body()).decode("utf-8")
    try:
        is_json = "json" in request.headers.get("content-type", "")
        generate = json.loads(raw or "{}").get("generate") if is_json else None
        if generate is not None:
            sandbox.replace_store(lambda store: generate_account(store, **dict(generate)))
        else:
            sandbox.replace_store(lambda store: load_seed_text(store, raw, json_hint=is_json))
    except (SeedError, ValueError, KeyError, TypeError) as problem:
        return _refused(f"seed refused: {problem}")
    return JSONResponse(
        {
            "users": len(sandbox.store.users),
            "groups": len(sandbox.store.groups),
            "divisions": len(sandbox.store.divisions),
            "contact_groups": len(sandbox.store.contact_groups),
        }
    )


async def config(request: Request) -> Response:
    sandbox = _sandbox(request)
    if request.method == "POST":
        try:
            sandbox.configure(await _json(request))
        except (ValueError, TypeError) as problem:
            return _refused(str(problem))
    return JSONResponse(sandbox.config_json())


async def clock(request: Request) -> Response:
    sandbox = _sandbox(request)
    body = await _json(request)
    now = sandbox.clock.advance(float(body.get("advance", 0)))
    return JSONResponse({"now": iso(now), "offset_s": sandbox.clock.offset})


async def _invited(request: Request) -> list[User] | Response:
    """The pending users a control request names: `{"email": ...}` or `{"all": true}`."""
    store = _sandbox(request).store
    body = await _json(request)
    if body.get("all"):
        return store.users_with_status(UserStatus.PENDING)
    try:
        user = store.user(str(body.get("email", "")))
    except SandboxError as missing:
        return _refused(missing.message)
    return [user] if user.status is UserStatus.PENDING else []


async def accept_invitations(request: Request) -> Response:
    invited = await _invited(request)
    if isinstance(invited, Response):
        return invited
    accepted = [user for user in invited if not user.invitation_expired]
    for user in accepted:
        _sandbox(request).store.accept_invitation(user)
    return JSONResponse({"accepted": [u.email for u in accepted]})


async def expire_invitations(request: Request) -> Response:
    invited = await _invited(request)
    if isinstance(invited, Response):
        return invited
    for user in invited:
        _sandbox(request).store.expire_invitation(user)
    return JSONResponse({"expired": [u.email for u in invited]})


async def stall(request: Request) -> Response:
    sandbox = _sandbox(request)
    if request.method == "POST":
        try:
            sandbox.stall.arm(int((await _json(request))["after_writes"]))
        except (KeyError, ValueError, TypeError) as problem:
            return _refused(f"stall refused: {problem}")
    elif request.method == "DELETE":
        sandbox.stall.release()
    return JSONResponse(sandbox.stall.as_json())


def routes() -> list[Route]:
    return [
        Route("/_sandbox/state", state, methods=["GET"]),
        Route("/_sandbox/journal", journal, methods=["GET", "DELETE"]),
        Route("/_sandbox/reset", reset, methods=["POST"]),
        Route("/_sandbox/seed", seed, methods=["POST"]),
        Route("/_sandbox/config", config, methods=["GET", "POST"]),
        Route("/_sandbox/clock", clock, methods=["POST"]),
        Route("/_sandbox/invitations/accept", accept_invitations, methods=["POST"]),
        Route("/_sandbox/invitations/expire", expire_invitations, methods=["POST"]),
        Route("/_sandbox/stall", stall, methods=["GET", "POST", "DELETE"]),
    ]
