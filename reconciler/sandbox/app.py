"""`create_app`: the sandbox as one ASGI application (token endpoint, v2, SCIM2, control).

Serve it with uvicorn (server.py) or hand it to `httpx.ASGITransport` for in-process use.
An unknown path answers 404 with Zoom's code 2300 "This API endpoint is not recognized."
(S001:3569 lists that code for an unrecognised endpoint); under /scim2 the same words come in
SCIM's error schema.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reconciler.sandbox import assistants, control, email, routes_v2, scim
from reconciler.sandbox.clock import Clock
from reconciler.sandbox.endpoint import SandboxASGI, ScimResponse
from reconciler.sandbox.errors import scim_error_body
from reconciler.sandbox.runtime import Sandbox, SandboxOptions

NOT_RECOGNISED = "This API endpoint is not recognized."


def _unknown(request: Request, status: int) -> Response:
    """Zoom's code 2300; under /scim2 in SCIM's error schema, as every SCIM2 error is."""
    if request.url.path.startswith("/scim2"):
        return ScimResponse(scim_error_body(status, NOT_RECOGNISED), status)
    return JSONResponse({"code": 2300, "message": NOT_RECOGNISED}, status)


async def _not_recognised(request: Request, exc: Exception) -> Response:
    return _unknown(request, 404)


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    return _unknown(request, 405)


class SandboxApp(SandboxASGI):
    """The ASGI app, with its running `Sandbox` at hand for in-process callers."""


def create_app(options: SandboxOptions | None = None, *, clock: Clock | None = None) -> SandboxApp:
    sandbox = Sandbox(options or SandboxOptions(), clock)
    starlette = Starlette(
        routes=[
            Route("/oauth/token", sandbox.tokens.token_endpoint, methods=["POST"]),
            *routes_v2.routes(),
            *assistants.routes(),
            *email.routes(),
            *scim.routes(),
            *control.routes(),
        ],
        exception_handlers={404: _not_recognised, 405: _method_not_allowed},
    )
    starlette.state.sandbox = sandbox
    return SandboxApp(starlette, sandbox)
