"""SCIM2 through the same client: its base URL, the shared token and scheduler, SCIM's error
body turned into the same errors, and Zoom's user resource read with scim2-models."""

from __future__ import annotations

import httpx
import pytest

from reconciler.catalog import Category
from reconciler.errors import ZoomAPIError
from reconciler.zoom import NotFound
from reconciler.zoom.scim import Scim2ScopeMissing, is_missing_scope, parse_user
from tests.zoom.fakes import FakeZoom, make_client

pytestmark = pytest.mark.anyio

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
USER = {
    "schemas": [
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
        "urn:ietf:params:scim:schemas:extension:zoom:1.0:User",
    ],
    "id": "u1",
    "userName": "ann@acme.example",
    "name": {"givenName": "Ann", "familyName": "Archer"},
    "active": True,
    "userType": "Licensed",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Eng"},
    "urn:ietf:params:scim:schemas:extension:zoom:1.0:User": {"pronouns": "she/her"},
}


def scim_error(status: int, detail: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={"schemas": [ERROR], "detail": detail, "status": str(status)},
        headers={"content-type": "application/scim+json"},
    )


async def test_get_user_goes_to_the_scim2_base_with_the_same_token_and_a_light_slot() -> None:
    zoom = FakeZoom(lambda request: httpx.Response(200, json={**USER, "groups": {"value": "Devs"}}))
    async with make_client(zoom) as client:
        await client.list_groups()
        found = await client.get_scim2_user("u1")
        assert client.stats.calls[Category.LIGHT] == 1
    assert found.primary_group == "Devs"
    assert found.user_name == "ann@acme.example"
    assert [str(r.url) for r in zoom.api_requests][1] == "https://api.zoom.test/scim2/Users/u1"
    assert zoom.api_requests[1].headers["accept"] == "application/scim+json"
    assert len(zoom.token_requests) == 1
    assert zoom.tokens_used[0] == zoom.tokens_used[1]


def test_a_list_marks_the_primary_group_and_get_user_gives_it_alone() -> None:
    listed = parse_user(
        {
            **USER,
            "groups": [
                {"value": "Support", "display": "Support", "primary": False},
                {"value": "Devs", "display": "Devs", "primary": True},
            ],
        }
    )
    assert listed.primary_group == "Devs"
    assert parse_user(USER).primary_group is None
    unmarked = [{"value": "Support"}, {"value": "Devs"}]  # Zoom lists the primary group first
    assert parse_user({**USER, "groups": unmarked}).primary_group == "Support"
    assert parse_user({**USER, "groups": {"value": "Sales", "type": "direct"}}).primary_group == (
        "Sales"
    )


async def test_scim_error_bodies_become_the_same_clear_errors() -> None:
    zoom = FakeZoom(lambda request: scim_error(404, "User does not exist."))
    async with make_client(zoom) as client:
        with pytest.raises(NotFound) as missing:
            await client.get_scim2_user("nobody")
    assert str(missing.value) == (
        "GET /scim2/Users/nobody: HTTP 404 code 404: User does not exist."
    )


@pytest.mark.parametrize(
    "answer",
    [
        scim_error(403, "Forbidden"),
        scim_error(400, "Invalid access token, does not contain scopes:[scim2, scim2:admin]."),
        httpx.Response(
            400,
            json={
                "code": 4711,
                "message": "Invalid access token, does not contain scopes:[scim2, scim2:admin].",
            },
        ),
    ],
    ids=["scim-403", "scim-400-message", "zoom-4711"],
)
async def test_a_missing_scope_is_named(answer: httpx.Response) -> None:
    zoom = FakeZoom(lambda request: answer)
    async with make_client(zoom) as client:
        with pytest.raises(ZoomAPIError) as refused:
            await client.get_scim2_user("u1")
    assert is_missing_scope(refused.value)
    text = str(Scim2ScopeMissing("policy.primary_groups: verify", refused.value))
    assert "scim2 (granular: scim2:admin)" in text
    assert "policy.primary_groups: verify" in text
