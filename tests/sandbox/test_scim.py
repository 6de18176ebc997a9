"""SCIM2 over the same account as the v2 API, with bodies checked against Zoom's SCIM2 spec."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import httpx
import pytest

from reconciler.sandbox import ServerInfo
from tests.sandbox.support import Contract, http_client


@pytest.fixture
def zoom(sandbox_server: ServerInfo) -> Iterator[Contract]:
    with closing(http_client(sandbox_server)) as client:
        yield Contract(client)


def test_v2_user_is_visible_through_scim_and_back(zoom: Contract) -> None:
    v2 = zoom(
        "POST",
        "/users",
        json={
            "action": "custCreate",
            "user_info": {"email": "ann@acme.example", "type": 2, "first_name": "Ann"},
        },
        expect=201,
    ).json()
    found = zoom("GET", "/scim2/Users", params={"filter": 'userName eq "ANN@acme.example"'}).json()
    assert found["totalResults"] == 1
    assert found["Resources"][0]["id"] == v2["id"]
    assert found["Resources"][0]["userType"] == "Licensed"
    by_external = zoom(
        "GET", "/scim2/Users", params={"filter": f'externalId eq "{v2["id"]}"'}
    ).json()
    assert by_external["Resources"][0]["userName"] == "ann@acme.example"

    scim = zoom(
        "POST",
        "/scim2/Users",
        json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "bob@acme.example",
            "name": {"givenName": "Bob", "familyName": "B"},
            "userType": "Basic",
        },
        expect=201,
    ).json()
    detail = zoom("GET", "/users/{userId}", path={"userId": scim["id"]}).json()
    assert (detail["email"], detail["first_name"], detail["status"]) == (
        "bob@acme.example",
        "Bob",
        "active",
    )

    zoom(
        "PATCH",
        "/scim2/Users/{userId}",
        path={"userId": scim["id"]},
        json={
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"active": False}}],
        },
    )
    assert (
        zoom("GET", "/users/{userId}", path={"userId": scim["id"]}).json()["status"] == "inactive"
    )
    zoom(
        "PUT",
        "/scim2/Users/{userId}",
        path={"userId": scim["id"]},
        json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "active": True,
            "displayName": "Bobby",
        },
    )
    detail = zoom("GET", "/users/{userId}", path={"userId": scim["id"]}).json()
    assert (detail["status"], detail["display_name"]) == ("active", "Bobby")
    zoom("DELETE", "/scim2/Users/{userId}", path={"userId": scim["id"]}, expect=204)
    zoom("GET", "/users/{userId}", path={"userId": scim["id"]}, expect=404)


def test_scim_groups_are_v2_groups(zoom: Contract) -> None:
    user = zoom(
        "POST",
        "/users",
        json={"action": "custCreate", "user_info": {"email": "m@acme.example", "type": 1}},
        expect=201,
    ).json()
    group = zoom(
        "POST",
        "/scim2/Groups",
        json={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Sales"},
        expect=201,
    ).json()
    assert zoom("GET", "/groups/{groupId}", path={"groupId": group["id"]}).json()["name"] == "Sales"
    zoom("POST", "/scim2/Groups", json={"displayName": "sales"}, expect=409)
    zoom(
        "PATCH",
        "/scim2/Groups/{groupId}",
        path={"groupId": group["id"]},
        json={
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": user["id"]}]}],
        },
        expect=204,
    )
    members = zoom("GET", "/groups/{groupId}/members", path={"groupId": group["id"]}).json()[
        "members"
    ]
    assert [m["id"] for m in members] == [user["id"]]
    scim_user = zoom("GET", "/scim2/Users/{userId}", path={"userId": user["id"]}).json()
    assert scim_user["groups"]["value"] == "Sales"
    zoom(
        "PATCH",
        "/scim2/Groups/{groupId}",
        path={"groupId": group["id"]},
        json={
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "remove", "path": f'members[value eq "{user["id"]}"]'}],
        },
        expect=204,
    )
    assert (
        zoom("GET", "/groups/{groupId}/members", path={"groupId": group["id"]}).json()["members"]
        == []
    )
    listed = zoom("GET", "/scim2/Groups", params={"filter": 'displayName eq "Sales"'}).json()
    assert [g["id"] for g in listed["Resources"]] == [group["id"]]
    zoom("DELETE", "/scim2/Groups/{groupId}", path={"groupId": group["id"]}, expect=204)
    zoom("GET", "/groups/{groupId}", path={"groupId": group["id"]}, expect=404)


def test_scim_paging_and_unsupported_filters(zoom: Contract, sandbox_server: ServerInfo) -> None:
    for i in range(5):
        zoom(
            "POST",
            "/users",
            json={"action": "custCreate", "user_info": {"email": f"p{i}@acme.example", "type": 1}},
            expect=201,
        )
    one = zoom("GET", "/scim2/Users").json()
    assert (one["totalResults"], one["itemsPerPage"], one["startIndex"]) == (
        5,
        1,
        1,
    )  # count defaults to 1
    page = zoom("GET", "/scim2/Users", params={"startIndex": 3, "count": 2}).json()
    assert [r["userName"] for r in page["Resources"]] == ["p2@acme.example", "p3@acme.example"]
    refused = zoom(
        "GET", "/scim2/Users", params={"filter": 'displayName co "p"'}, expect=400
    ).json()
    assert refused == {
        "code": 400,
        "message": 'The current filter is not supported, the filter name: displayName co "p"',
    }
    zoom("GET", "/scim2/Users/{userId}", path={"userId": "nobody"}, expect=404)
    with closing(httpx.Client(base_url=sandbox_server.root_url)) as anonymous:
        assert anonymous.get("/scim2/Users").status_code == 401
