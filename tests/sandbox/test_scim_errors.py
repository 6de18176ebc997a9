"""Every error under /scim2 comes in SCIM's error schema, as Zoom's SCIM2 answers them; /v2 keeps
Zoom's `{code, message}`.

Zoom's developer forum shows SCIM2's errors as `{"schemas": [...Error], "detail": ...,
"status": 400}` (a filter on a pending user; a PATCH whose `Operations` key was misspelt).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest

from reconciler.sandbox import ServerInfo
from tests.sandbox.scim_support import ERROR, GROUP, USER, refused, seed_account
from tests.sandbox.support import http_client


def _configure(server: ServerInfo, **changes: Any) -> None:
    response = httpx.post(f"{server.root_url}/_sandbox/config", json=changes, timeout=10)
    assert response.status_code == 200, response.text


@pytest.fixture
def zoom(sandbox_server: ServerInfo) -> Iterator[httpx.Client]:
    with closing(http_client(sandbox_server)) as client:
        yield client


def test_refusals_of_every_status_take_scims_error_schema(
    zoom: httpx.Client, sandbox_server: ServerInfo
) -> None:
    seed_account(sandbox_server)
    refused(
        zoom.get("/scim2/Groups", params={"filter": 'id eq "x"'}),
        400,
        'The current filter does not support the filter name: id eq "x"',
    )
    refused(
        zoom.post(
            "/scim2/Users", content=b"{not json", headers={"content-type": "application/json"}
        ),
        400,
        "The request body must be in JSON format.",
    )
    refused(zoom.get("/scim2/Users/nobody"), 404, "User does not exist.")
    refused(zoom.get("/scim2/Groups/nothing"), 404, "Group does not exist.")
    refused(
        zoom.post("/scim2/Groups", json={"schemas": [GROUP], "displayName": "SALES"}),
        409,
        "Group SALES exists.",
    )
    refused(zoom.get("/scim2/Nothing"), 404, "This API endpoint is not recognized.")
    with closing(httpx.Client(base_url=sandbox_server.root_url, timeout=10)) as anonymous:
        refused(anonymous.get("/scim2/Users"), 401, "Invalid access token.")
        bad = {"Authorization": "Bearer not-a-token"}
        refused(anonymous.get("/scim2/Groups", headers=bad), 401, "Invalid access token.")


def test_rate_limits_and_server_failures_take_it_too(
    zoom: httpx.Client, sandbox_server: ServerInfo
) -> None:
    _configure(sandbox_server, faults={"storm_seconds": 60})
    storm = zoom.get("/scim2/Users")
    assert storm.status_code == 429
    assert storm.headers["Retry-After"] == "1"
    assert storm.json()["schemas"] == [ERROR]
    assert storm.json()["status"] == 429
    assert "per-second rate limit" in storm.json()["detail"]
    v2_storm = zoom.get("/v2/users")
    assert set(v2_storm.json()) == {"code", "message"}

    _configure(
        sandbox_server,
        faults={"storm_until": 0.0, "fault_rate": 1.0, "drop_share": 0.0, "applied_share": 0.0},
    )
    failed = zoom.post("/scim2/Users", json={"schemas": [USER], "userName": "x@acme.example"})
    assert failed.status_code in (500, 502, 503, 504)
    assert failed.json() == {
        "schemas": [ERROR],
        "detail": failed.reason_phrase,
        "status": failed.status_code,
    }


def test_v2_keeps_zooms_code_and_message(zoom: httpx.Client, sandbox_server: ServerInfo) -> None:
    assert zoom.get("/v2/users/nobody").json() == {
        "code": 1001,
        "message": "User does not exist: nobody.",
    }
    assert zoom.get("/v2/nothing").json() == {
        "code": 2300,
        "message": "This API endpoint is not recognized.",
    }
    with closing(httpx.Client(base_url=sandbox_server.root_url, timeout=10)) as anonymous:
        assert anonymous.get("/v2/users").json() == {
            "code": 124,
            "message": "Invalid access token.",
        }
