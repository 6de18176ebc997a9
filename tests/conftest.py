"""Shared fixtures: the Zoom API sandbox, over real HTTP and in process.

- `sandbox_server`: a uvicorn server on 127.0.0.1 shared by the session and reset before each
  test (rate limits off; turn them on with `POST /_sandbox/config {"rate_limits": true}`).
  Yields `ServerInfo` (`base_url`, `token_url`, `root_url`, `credentials`, `exports()`).
- `sandbox_app`: a fresh in-process ASGI app per test (rate limits off) for
  `httpx.ASGITransport`, or `tests.sandbox.support.in_process_client` for sync code.

Property tests are deterministic by default (hypothesis profile `ci`: a fixed seed, so a run
never fails on a draw that the previous one did not make); `HYPOTHESIS_PROFILE=random` draws
new examples every run, for long runs that hunt for new failures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import settings

from reconciler.sandbox import SandboxApp, SandboxOptions, ServerInfo, create_app, running_server

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("random", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def _shared_sandbox_server() -> Iterator[ServerInfo]:
    with running_server(SandboxOptions(rate_limits=False, random_seed=1)) as server:
        yield server


@pytest.fixture
def sandbox_server(_shared_sandbox_server: ServerInfo) -> ServerInfo:
    reset = httpx.post(f"{_shared_sandbox_server.root_url}/_sandbox/reset", timeout=10)
    assert reset.status_code == 204
    return _shared_sandbox_server


@pytest.fixture
def sandbox_app() -> SandboxApp:
    return create_app(SandboxOptions(rate_limits=False, random_seed=1))
