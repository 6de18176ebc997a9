"""Every SCIM2 answer of the sandbox, success and error, reads with a generic SCIM library.

Identity providers provision Zoom with generic SCIM clients; `scim2-models` (pydantic models of
RFC 7643/7644) stands for them here. Each answer is parsed in the context of its operation, so
the library also checks what a response must carry (`id`, `schemas`, `meta`, an Error's
numeric `status`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest
from scim2_models import (
    Context,
    EnterpriseUser,
    Error,
    Group,
    GroupMembership,
    ListResponse,
    User,
)

from reconciler.sandbox import ServerInfo
from tests.sandbox.scim_support import GROUP, PATCH_OP, USER, seed_account
from tests.sandbox.support import http_client


class ZoomGroupMembership(GroupMembership):
    """A user's group as Zoom sends it: RFC 7643's sub-attributes plus Zoom's documented
    `primary` (S000:851), which a SCIM client reading Zoom declares as this one does."""

    primary: bool | None = None


class ScimUser(User[EnterpriseUser]):
    groups: list[ZoomGroupMembership] | None = None  # type: ignore[assignment]


SCIM_JSON = "application/scim+json"


@pytest.fixture
def zoom(sandbox_server: ServerInfo) -> Iterator[httpx.Client]:
    with closing(http_client(sandbox_server)) as client:
        yield client


def _parsed(response: httpx.Response, model: Any, context: Context, status: int) -> Any:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == SCIM_JSON
    return model.model_validate(response.json(), scim_ctx=context)


def _error(response: httpx.Response, status: int) -> Error:
    error: Error = _parsed(response, Error, Context.DEFAULT, status)
    assert error.status == status
    assert isinstance(response.json()["status"], int)  # a number, as Zoom sends it
    assert error.detail
    return error


def test_every_success_answer_parses(zoom: httpx.Client, sandbox_server: ServerInfo) -> None:
    ids = seed_account(sandbox_server)
    bob = ids["bob@acme.example"]
    zoom.patch(f"/v2/users/{bob}", json={"job_title": "Engineer"})

    listed = _parsed(
        zoom.get("/scim2/Users", params={"count": 100}),
        ListResponse[ScimUser],
        Context.SEARCH_RESPONSE,
        200,
    )
    assert listed.total_results == len(listed.resources) == 6  # pending newbie included
    by_name = {u.user_name: u for u in listed.resources}
    assert by_name["bob@acme.example"].title == "Engineer"
    assert [(g.value, g.primary) for g in by_name["bob@acme.example"].groups or []] == [
        ("Ops", True),
        ("Sales", False),
    ]
    assert by_name["bob@acme.example"][EnterpriseUser] is not None

    one = _parsed(zoom.get(f"/scim2/Users/{bob}"), ScimUser, Context.RESOURCE_QUERY_RESPONSE, 200)
    assert (one.id, one.user_name, one.active) == (bob, "bob@acme.example", True)
    assert [g.value for g in one.groups or []] == ["Ops", "Sales"]
    assert one.meta is not None
    assert one.meta.resource_type == "User"

    created = _parsed(
        zoom.post(
            "/scim2/Users",
            json={
                "schemas": [USER],
                "userName": "new@acme.example",
                "name": {"givenName": "New", "familyName": "Hire"},
                "title": "Analyst",
            },
        ),
        ScimUser,
        Context.RESOURCE_CREATION_RESPONSE,
        201,
    )
    assert (created.user_name, created.title) == ("new@acme.example", "Analyst")
    replaced = _parsed(
        zoom.put(f"/scim2/Users/{created.id}", json={"schemas": [USER], "displayName": "N. Hire"}),
        ScimUser,
        Context.RESOURCE_REPLACEMENT_RESPONSE,
        200,
    )
    assert replaced.display_name == "N. Hire"
    patched = _parsed(
        zoom.patch(
            f"/scim2/Users/{created.id}",
            json={
                "schemas": [PATCH_OP],
                "Operations": [{"op": "replace", "value": {"active": False}}],
            },
        ),
        ScimUser,
        Context.RESOURCE_PATCH_RESPONSE,
        200,
    )
    assert patched.active is False

    groups = _parsed(
        zoom.get("/scim2/Groups", params={"count": 10}),
        ListResponse[Group],
        Context.SEARCH_RESPONSE,
        200,
    )
    assert sorted(g.display_name for g in groups.resources) == ["Ops", "Sales"]
    group = _parsed(
        zoom.post("/scim2/Groups", json={"schemas": [GROUP], "displayName": "Analysts"}),
        Group,
        Context.RESOURCE_CREATION_RESPONSE,
        201,
    )
    fetched = _parsed(
        zoom.get(f"/scim2/Groups/{group.id}"), Group, Context.RESOURCE_QUERY_RESPONSE, 200
    )
    assert fetched.display_name == "Analysts"
    empty = _parsed(
        zoom.get("/scim2/Groups", params={"filter": "displayName eq Nobody"}),
        ListResponse[Group],
        Context.SEARCH_RESPONSE,
        200,
    )
    assert empty.total_results == 0
    # the writes that answer 204 have no body to parse
    assert zoom.delete(f"/scim2/Groups/{group.id}").status_code == 204
    assert zoom.delete(f"/scim2/Users/{created.id}").status_code == 204


def test_every_error_answer_parses(zoom: httpx.Client, sandbox_server: ServerInfo) -> None:
    ids = seed_account(sandbox_server)
    _error(zoom.get("/scim2/Users", params={"filter": 'title co "x"'}), 400)
    _error(zoom.post("/scim2/Users", json={"schemas": [USER], "userName": "nope"}), 400)
    _error(zoom.post("/scim2/Users", json={}), 400)
    _error(zoom.patch(f"/scim2/Users/{ids['ann@acme.example']}", json={"operations": []}), 400)
    _error(zoom.patch(f"/scim2/Groups/{ids['Sales']}", json={"Operations": [{"op": "x"}]}), 400)
    _error(zoom.delete(f"/scim2/Users/{ids['admin@acme.example']}"), 400)
    _error(zoom.get("/scim2/Users/nobody"), 404)
    _error(zoom.get("/scim2/Groups/nothing"), 404)
    _error(zoom.get("/scim2/Somewhere"), 404)
    _error(zoom.post("/scim2/Groups", json={"schemas": [GROUP], "displayName": "sales"}), 409)
    _error(
        zoom.put(
            f"/scim2/Users/{ids['ann@acme.example']}",
            json={"schemas": [USER], "emails": [{"value": "bob@acme.example"}]},
        ),
        409,
    )
    with closing(httpx.Client(base_url=sandbox_server.root_url, timeout=10)) as anonymous:
        _error(anonymous.get("/scim2/Users"), 401)
    storm: dict[str, Any] = {"faults": {"storm_seconds": 60}}
    assert httpx.post(f"{sandbox_server.root_url}/_sandbox/config", json=storm).status_code == 200
    _error(zoom.get("/scim2/Groups"), 429)
    faults: dict[str, Any] = {"faults": {"storm_until": 0.0, "fault_rate": 1.0, "drop_share": 0.0}}
    assert httpx.post(f"{sandbox_server.root_url}/_sandbox/config", json=faults).status_code == 200
    failed = zoom.get("/scim2/Groups")
    _error(failed, failed.status_code)
