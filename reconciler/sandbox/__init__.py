"""A faithful, stateful simulator of the Zoom API; imports nothing else from reconciler.

Public surface: `create_app` (ASGI, for `httpx.ASGITransport`), `running_server` (uvicorn in a
background thread) and `serve` (blocking), `SandboxOptions`, `FaultConfig`, `Tier`,
`Credentials` with the documented defaults, and the seeding helpers. The behaviour, and every
decision taken where Zoom's documentation is ambiguous, is described in docs/sandbox.md.
"""

from __future__ import annotations

from reconciler.sandbox.app import SandboxApp, create_app
from reconciler.sandbox.errors import SeedError
from reconciler.sandbox.faults import DroppedConnection, FaultConfig
from reconciler.sandbox.oauth import DEFAULT_ACCOUNT_ID, DEFAULT_CLIENT_ID, Credentials
from reconciler.sandbox.ratelimit import Tier
from reconciler.sandbox.runtime import Sandbox, SandboxOptions
from reconciler.sandbox.seed import generate_account, load_seed_file, load_seed_text
from reconciler.sandbox.server import ServerInfo, running_server, serve
from reconciler.sandbox.state import dump_state

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_CLIENT_ID",
    "Credentials",
    "DroppedConnection",
    "FaultConfig",
    "Sandbox",
    "SandboxApp",
    "SandboxOptions",
    "SeedError",
    "ServerInfo",
    "Tier",
    "create_app",
    "dump_state",
    "generate_account",
    "load_seed_file",
    "load_seed_text",
    "running_server",
    "serve",
]
