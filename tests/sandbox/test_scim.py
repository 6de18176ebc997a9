"""SCIM2 over the same account as the v2 API, with bodies checked against Zoom's SCIM2 spec."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import Any

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


PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
INVALID_OPERATIONS = 'The "Operations" of the request is invalid.'
SEED = {
    "version": 1,
    "groups": [{"name": "Sales"}, {"name": "Ops"}],
    "users": [
        {"email": "owner@acme.example", "role": "owner", "type": 2},
        {"email": "admin@acme.example", "role": "admin", "type": 2, "first_name": "Ad"},
        {"email": "ann@acme.example", "first_name": "Ann", "groups": ["Sales"]},
        {"email": "bob@acme.example", "first_name": "Bob", "groups": ["Ops", "Sales"]},
        {"email": "cat@acme.example", "first_name": "Cat"},
        {"email": "newbie@acme.example", "status": "pending", "first_name": "New"},
    ],
}


@pytest.fixture
def seeded(sandbox_server: ServerInfo) -> dict[str, str]:
    """The account of SEED; answers email (and group name) -> id."""
    loaded = httpx.post(f"{sandbox_server.root_url}/_sandbox/seed", json=SEED, timeout=10)
    assert loaded.status_code == 200, loaded.text
    state = httpx.get(f"{sandbox_server.root_url}/_sandbox/state", timeout=10).json()
    ids = {u["email"]: u["id"] for u in state["users"]}
    ids.update({g["name"]: g["id"] for g in state["groups"]})
    return ids


def _refused(response: httpx.Response, status: int, message: str) -> None:
    """A SCIM error: the HTTP status is the code (S000)."""
    assert (response.status_code, response.json()) == (
        status,
        {"code": status, "message": message},
    ), response.text


def _v2_user(zoom: Contract, user_id: str) -> dict[str, Any]:
    body: dict[str, Any] = zoom("GET", "/users/{userId}", path={"userId": user_id}).json()
    return body


def _v2_members(zoom: Contract, group_id: str) -> list[str]:
    members = zoom(
        "GET", "/groups/{groupId}/members", path={"groupId": group_id}, params={"page_size": 300}
    ).json()["members"]
    return [m["id"] for m in members]


def _patch_group(
    zoom: Contract, group_id: str, operations: list[dict[str, Any]], expect: int = 204
) -> httpx.Response:
    return zoom(
        "PATCH",
        "/scim2/Groups/{groupId}",
        path={"groupId": group_id},
        json={"schemas": [PATCH_OP], "Operations": operations},
        expect=expect,
    )


def _put_user(
    zoom: Contract, user_id: str, body: dict[str, Any], expect: int = 200
) -> httpx.Response:
    return zoom(
        "PUT",
        "/scim2/Users/{userId}",
        path={"userId": user_id},
        json={"schemas": [USER], **body},
        expect=expect,
    )


def _set_active(zoom: Contract, user_id: str, active: bool, expect: int = 200) -> httpx.Response:
    return zoom(
        "PATCH",
        "/scim2/Users/{userId}",
        path={"userId": user_id},
        json={
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "value": {"active": active}}],
        },
        expect=expect,
    )


def test_get_group_and_unknown_groups(zoom: Contract, seeded: dict[str, str]) -> None:
    group = zoom("GET", "/scim2/Groups/{groupId}", path={"groupId": seeded["Sales"]}).json()
    assert (group["id"], group["displayName"], group["schemas"]) == (
        seeded["Sales"],
        "Sales",
        [GROUP],
    )
    assert group["meta"]["location"].endswith(f"/scim2/Groups/{seeded['Sales']}")
    assert zoom.checked == 1  # the body was checked against the spec's Get a group schema
    for method, body in (("GET", None), ("DELETE", None), ("PATCH", {"Operations": []})):
        _refused(
            zoom(
                method, "/scim2/Groups/{groupId}", path={"groupId": "nope"}, json=body, expect=404
            ),
            404,
            "Group does not exist.",
        )


def test_create_user_refuses_a_missing_or_used_user_name(
    zoom: Contract, seeded: dict[str, str]
) -> None:
    before = zoom("GET", "/scim2/Users").json()["totalResults"]
    _refused(
        zoom(
            "POST", "/scim2/Users", json={"schemas": [USER], "name": {"givenName": "X"}}, expect=400
        ),
        400,
        'The "userName" of the request is invalid.',
    )
    _refused(
        zoom(
            "POST",
            "/scim2/Users",
            json={"schemas": [USER], "userName": "ANN@acme.example"},
            expect=400,
        ),
        400,
        'The email "ANN@acme.example" is already in use.',
    )
    _refused(zoom.client.post("/scim2/Users", json={}), 400, "The request JSON must not be empty.")
    assert zoom("GET", "/scim2/Users").json()["totalResults"] == before
    assert _v2_user(zoom, "ann@acme.example")["first_name"] == "Ann"


def test_create_user_refuses_a_user_name_that_is_no_email(zoom: Contract) -> None:
    _refused(
        zoom.client.post("/scim2/Users", json={"schemas": [USER], "userName": "not-an-email"}),
        400,
        'The "userName" of the request is invalid.',
    )


def test_put_changes_the_email_unless_it_is_in_use(zoom: Contract, seeded: dict[str, str]) -> None:
    ann = seeded["ann@acme.example"]
    changed = _put_user(
        zoom, ann, {"emails": [{"type": "work", "value": "ann.new@acme.example", "primary": True}]}
    ).json()
    assert changed["userName"] == "ann.new@acme.example"
    assert _v2_user(zoom, "ann.new@acme.example")["id"] == ann
    zoom("GET", "/users/{userId}", path={"userId": "ann@acme.example"}, expect=404)

    _refused(
        _put_user(
            zoom,
            ann,
            {"emails": [{"value": "BOB@acme.example"}], "displayName": "Taken"},
            expect=409,
        ),
        409,
        "Email ''BOB@acme.example'' has already been used.",
    )
    detail = _v2_user(zoom, ann)
    assert (detail["email"], detail["display_name"]) == ("ann.new@acme.example", "Ann")
    # the same address in another case is no change and no conflict
    _put_user(zoom, ann, {"emails": [{"value": "ANN.NEW@acme.example"}]})
    assert _v2_user(zoom, ann)["email"] == "ann.new@acme.example"


def test_put_updates_only_the_fields_sent(zoom: Contract, seeded: dict[str, str]) -> None:
    cat = seeded["cat@acme.example"]
    updated = _put_user(
        zoom,
        cat,
        {
            "name": {"givenName": "Catherine", "familyName": "Cole"},
            "userType": "Licensed",
            ENTERPRISE: {"department": "Finance"},
        },
    ).json()
    assert (updated["name"], updated["userType"], updated[ENTERPRISE]["department"]) == (
        {"givenName": "Catherine", "familyName": "Cole"},
        "Licensed",
        "Finance",
    )
    detail = _v2_user(zoom, cat)
    assert (detail["first_name"], detail["last_name"], detail["type"], detail["dept"]) == (
        "Catherine",
        "Cole",
        2,
        "Finance",
    )
    # "Zoom does not update the display name if you update the first name or last name" (S000)
    assert detail["display_name"] == "Cat"

    _put_user(zoom, cat, {"displayName": "C. Cole", "name": {"familyName": "Coleman"}})
    detail = _v2_user(zoom, cat)
    assert (detail["display_name"], detail["first_name"], detail["last_name"]) == (
        "C. Cole",
        "Catherine",
        "Coleman",
    )
    _put_user(zoom, cat, {"userType": "Basic"})
    detail = _v2_user(zoom, cat)
    assert (detail["type"], detail["dept"], detail["status"]) == (1, "Finance", "active")


def test_owner_and_admin_cannot_be_activated_deactivated_or_re_addressed(
    zoom: Contract, seeded: dict[str, str]
) -> None:
    for email in ("owner@acme.example", "admin@acme.example"):
        user_id = seeded[email]
        refusal = "Cannot activate or deactivate Zoom Room and Admin users."
        _refused(_set_active(zoom, user_id, False, expect=400), 400, refusal)
        _refused(
            _put_user(zoom, user_id, {"active": False, "displayName": "Nope"}, expect=400),
            400,
            refusal,
        )
        _refused(
            _put_user(
                zoom,
                user_id,
                {"emails": [{"value": f"x.{email}"}], "name": {"givenName": "Nope"}},
                expect=400,
            ),
            400,
            "Cannot change the email of Admin user.",
        )
        detail = _v2_user(zoom, user_id)  # a refused request changes nothing
        assert (detail["status"], detail["email"], detail["type"]) == ("active", email, 2)
        assert "Nope" not in (detail["display_name"], detail["first_name"])
    # the rest of a PUT still works for them
    _put_user(zoom, seeded["admin@acme.example"], {"displayName": "The Admin"})
    assert _v2_user(zoom, seeded["admin@acme.example"])["display_name"] == "The Admin"


def test_a_pending_user_cannot_be_activated(zoom: Contract, seeded: dict[str, str]) -> None:
    newbie = seeded["newbie@acme.example"]
    _refused(_set_active(zoom, newbie, True, expect=400), 400, "User is inactive or locked.")
    _refused(
        _put_user(zoom, newbie, {"active": True, "name": {"givenName": "Nope"}}, expect=400),
        400,
        "User is inactive or locked.",
    )
    pending = zoom("GET", "/users", params={"status": "pending"}).json()["users"]
    assert [(u["email"], u["first_name"]) for u in pending] == [("newbie@acme.example", "New")]
    assert zoom("GET", "/scim2/Users/{userId}", path={"userId": newbie}).json()["active"] is False


def test_patch_user_refuses_invalid_operations(zoom: Contract, seeded: dict[str, str]) -> None:
    ann = seeded["ann@acme.example"]
    for body in (
        {"schemas": [PATCH_OP]},
        {"schemas": [PATCH_OP], "Operations": []},
        # a valid first operation is not applied when a later one is invalid
        {"Operations": [{"op": "replace", "value": {"active": False}}, {"op": "replace"}]},
        {"Operations": [{"op": "replace", "value": {"active": False}}, {"value": {}}]},
        # an op the spec does not allow on users: refused by the spec check, in SCIM's words
        {"schemas": [PATCH_OP], "Operations": [{"op": "add", "value": {"active": False}}]},
    ):
        _refused(zoom.client.patch(f"/scim2/Users/{ann}", json=body), 400, INVALID_OPERATIONS)
    _refused(
        zoom.client.patch(f"/scim2/Users/{ann}", json={}),
        400,
        "The request JSON must not be empty.",
    )
    assert _v2_user(zoom, ann)["status"] == "active"


def test_admins_cannot_be_deleted(zoom: Contract, seeded: dict[str, str]) -> None:
    for email in ("owner@acme.example", "admin@acme.example"):
        _refused(
            zoom("DELETE", "/scim2/Users/{userId}", path={"userId": seeded[email]}, expect=400),
            400,
            "Cannot delete Admin user.",
        )
        assert _v2_user(zoom, seeded[email])["email"] == email
    zoom("DELETE", "/scim2/Users/{userId}", path={"userId": seeded["cat@acme.example"]}, expect=204)
    zoom("GET", "/users/{userId}", path={"userId": seeded["cat@acme.example"]}, expect=404)


def test_create_group_refuses_invalid_and_existing_names(
    zoom: Contract, seeded: dict[str, str]
) -> None:
    for body in ({"schemas": [GROUP]}, {"schemas": [GROUP], "displayName": "   "}):
        _refused(
            zoom("POST", "/scim2/Groups", json=body, expect=400),
            400,
            'The "DisplayName" of the request is invalid.',
        )
    _refused(
        zoom("POST", "/scim2/Groups", json={"schemas": [GROUP], "displayName": "ops"}, expect=409),
        409,
        "Group ops exists.",
    )
    _refused(zoom.client.post("/scim2/Groups", json={}), 400, "The request JSON must not be empty.")
    groups = zoom("GET", "/groups").json()["groups"]
    assert sorted(g["name"] for g in groups) == ["Ops", "Sales"]


def test_group_patch_replaces_members(zoom: Contract, seeded: dict[str, str]) -> None:
    sales, ops = seeded["Sales"], seeded["Ops"]
    ann, bob, cat = (seeded[f"{n}@acme.example"] for n in ("ann", "bob", "cat"))
    assert _v2_members(zoom, sales) == [ann, bob]
    _patch_group(
        zoom,
        sales,
        [{"op": "replace", "path": "members", "value": [{"value": bob}, {"value": cat}]}],
    )
    assert _v2_members(zoom, sales) == [bob, cat]
    assert _v2_user(zoom, ann).get("group_ids", []) == []
    assert _v2_user(zoom, bob)["group_ids"] == [ops, sales]  # a member who stays keeps its place
    assert _v2_user(zoom, cat)["group_ids"] == [sales]
    _patch_group(zoom, sales, [{"op": "replace", "path": "members", "value": []}])
    assert _v2_members(zoom, sales) == []
    assert _v2_user(zoom, bob)["group_ids"] == [ops]


def test_group_patch_renames(zoom: Contract, seeded: dict[str, str]) -> None:
    sales = seeded["Sales"]
    _patch_group(zoom, sales, [{"op": "replace", "value": {"displayName": "Field Sales"}}])
    assert zoom("GET", "/groups/{groupId}", path={"groupId": sales}).json()["name"] == "Field Sales"
    _patch_group(zoom, sales, [{"op": "replace", "path": "displayName", "value": "Sales EU"}])
    assert (
        zoom("GET", "/scim2/Groups/{groupId}", path={"groupId": sales}).json()["displayName"]
        == "Sales EU"
    )
    # Zoom documents no 409 for this operation (so Contract cannot check it); the sandbox
    # answers as Create a group does (S000:199), a decision in docs/sandbox.md.
    _refused(
        zoom.client.patch(
            f"/scim2/Groups/{sales}",
            json={"Operations": [{"op": "replace", "value": {"displayName": "OPS"}}]},
        ),
        409,
        "Group OPS exists.",
    )
    assert zoom("GET", "/groups/{groupId}", path={"groupId": sales}).json()["name"] == "Sales EU"
    _refused(
        _patch_group(zoom, sales, [{"op": "replace", "path": "displayName", "value": " "}], 400),
        400,
        INVALID_OPERATIONS,
    )
    # the emailAlias variant of the spec is accepted and renames nothing
    _patch_group(
        zoom,
        sales,
        [
            {
                "op": "replace",
                "value": {
                    "urn:ietf:params:scim:schemas:extension:zoom:2.0:Group:emailAlias": "s@x.y"
                },
            }
        ],
    )
    assert zoom("GET", "/groups/{groupId}", path={"groupId": sales}).json()["name"] == "Sales EU"
    _patch_group(zoom, sales, [{"op": "replace", "value": {"displayName": "sales eu"}}])  # itself
    assert zoom("GET", "/groups/{groupId}", path={"groupId": sales}).json()["name"] == "sales eu"


def test_group_patch_refuses_invalid_operations_and_changes_nothing(
    zoom: Contract, seeded: dict[str, str]
) -> None:
    sales = seeded["Sales"]
    ann, bob, cat = (seeded[f"{n}@acme.example"] for n in ("ann", "bob", "cat"))
    invalid: list[list[dict[str, Any]]] = [
        [{"op": "bogus", "path": "members", "value": [{"value": cat}]}],
        [{"op": "add", "path": "owners", "value": [{"value": cat}]}],
        [{"op": "remove", "path": "members"}],
        # a valid first operation is not applied when a later one is invalid
        [
            {"op": "add", "path": "members", "value": [{"value": cat}]},
            {"op": "replace", "value": {"displayName": "Renamed"}},
            {"op": "bogus"},
        ],
    ]
    for operations in invalid:
        _refused(_patch_group(zoom, sales, operations, 400), 400, INVALID_OPERATIONS)
    for body in ({"schemas": [PATCH_OP]}, {"schemas": [PATCH_OP], "Operations": []}):
        _refused(zoom.client.patch(f"/scim2/Groups/{sales}", json=body), 400, INVALID_OPERATIONS)
    _refused(
        zoom.client.patch(f"/scim2/Groups/{sales}", json={}),
        400,
        "The request JSON must not be empty.",
    )
    assert _v2_members(zoom, sales) == [ann, bob]
    assert zoom("GET", "/groups/{groupId}", path={"groupId": sales}).json()["name"] == "Sales"


def test_group_patch_with_a_user_that_does_not_exist_changes_nothing(
    zoom: Contract, seeded: dict[str, str]
) -> None:
    sales = seeded["Sales"]
    ann, bob, cat = (seeded[f"{n}@acme.example"] for n in ("ann", "bob", "cat"))
    for operations in (
        [{"op": "add", "path": "members", "value": [{"value": cat}, {"value": "nobody"}]}],
        [{"op": "replace", "path": "members", "value": [{"value": cat}, {"value": "nobody"}]}],
        [{"op": "remove", "path": 'members[value eq "nobody"]'}],
        [{"op": "remove", "path": f'members[value eq "{cat}"]'}],  # a user, but no member
    ):
        _refused(_patch_group(zoom, sales, operations, 400), 400, INVALID_OPERATIONS)
        assert _v2_members(zoom, sales) == [ann, bob]
        assert _v2_user(zoom, cat).get("group_ids", []) == []
        assert sales in _v2_user(zoom, ann)["group_ids"]


def test_user_resources_carry_their_groups(zoom: Contract, seeded: dict[str, str]) -> None:
    bob = seeded["bob@acme.example"]
    listed = zoom(
        "GET", "/scim2/Users", params={"filter": 'userName eq "bob@acme.example"'}
    ).json()["Resources"][0]
    ops_sales = [
        {"type": "direct", "value": "Ops", "display": "Ops"},
        {"type": "direct", "value": "Sales", "display": "Sales"},
    ]
    assert listed["groups"] == ops_sales  # every group, the primary first
    # Get User documents `groups` as one object: the primary group (S000:1183)
    single = zoom("GET", "/scim2/Users/{userId}", path={"userId": bob}).json()
    assert single["groups"] == ops_sales[0]
    assert _set_active(zoom, bob, False).json()["groups"] == ops_sales
    assert _put_user(zoom, bob, {"active": True}).json()["groups"] == ops_sales

    zoom(
        "PATCH",
        "/groups/{groupId}",
        path={"groupId": seeded["Ops"]},
        json={"name": "DevOps"},
        expect=204,
    )
    zoom(
        "DELETE",
        "/groups/{groupId}/members/{memberId}",
        path={"groupId": seeded["Sales"], "memberId": bob},
        expect=204,
    )
    single = zoom("GET", "/scim2/Users/{userId}", path={"userId": bob}).json()
    assert single["groups"] == {"type": "direct", "value": "DevOps", "display": "DevOps"}
    cat = zoom("GET", "/scim2/Users/{userId}", path={"userId": seeded["cat@acme.example"]}).json()
    assert "groups" not in cat
    assert zoom.checked == 6  # every success body above was checked against the SCIM2 spec


def test_group_filter_refusal_is_worded_as_zoom_words_it(zoom: Contract) -> None:
    # S000:98 (groups) words it differently from S000:530 (users)
    _refused(
        zoom("GET", "/scim2/Groups", params={"filter": 'id eq "x"'}, expect=400),
        400,
        'The current filter does not support the filter name: id eq "x"',
    )
