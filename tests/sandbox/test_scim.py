"""SCIM2 Users over the same account as the v2 API, with bodies checked against Zoom's SCIM2 spec."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest

from reconciler.sandbox import ServerInfo
from tests.sandbox.scim_support import (
    ENTERPRISE,
    INVALID_OPERATIONS,
    PATCH_OP,
    USER,
    put_user,
    refused,
    seed_account,
    set_active,
    v2_user,
)
from tests.sandbox.support import Contract, http_client


@pytest.fixture
def zoom(sandbox_server: ServerInfo) -> Iterator[Contract]:
    with closing(http_client(sandbox_server)) as client:
        yield Contract(client)


@pytest.fixture
def seeded(sandbox_server: ServerInfo) -> dict[str, str]:
    return seed_account(sandbox_server)


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
        6,
        1,
        1,
    )  # the five and the account's owner; count defaults to 1
    page = zoom("GET", "/scim2/Users", params={"startIndex": 3, "count": 2}).json()
    assert [r["userName"] for r in page["Resources"]] == ["p1@acme.example", "p2@acme.example"]
    refused(
        zoom("GET", "/scim2/Users", params={"filter": 'displayName co "p"'}, expect=400),
        400,
        'The current filter is not supported, the filter name: displayName co "p"',
    )
    refused(
        zoom("GET", "/scim2/Users/{userId}", path={"userId": "nobody"}, expect=404),
        404,
        "User does not exist.",
    )
    with closing(httpx.Client(base_url=sandbox_server.root_url)) as anonymous:
        refused(anonymous.get("/scim2/Users"), 401, "Invalid access token.")


def test_create_user_refuses_a_missing_or_used_user_name(
    zoom: Contract, seeded: dict[str, str]
) -> None:
    before = zoom("GET", "/scim2/Users").json()["totalResults"]
    refused(
        zoom(
            "POST", "/scim2/Users", json={"schemas": [USER], "name": {"givenName": "X"}}, expect=400
        ),
        400,
        'The "userName" of the request is invalid.',
    )
    refused(
        zoom(
            "POST",
            "/scim2/Users",
            json={"schemas": [USER], "userName": "ANN@acme.example"},
            expect=400,
        ),
        400,
        'The email "ANN@acme.example" is already in use.',
    )
    refused(zoom.client.post("/scim2/Users", json={}), 400, "The request JSON must not be empty.")
    assert zoom("GET", "/scim2/Users").json()["totalResults"] == before
    assert v2_user(zoom, "ann@acme.example")["first_name"] == "Ann"


def test_create_user_refuses_a_user_name_that_is_no_email(zoom: Contract) -> None:
    refused(
        zoom.client.post("/scim2/Users", json={"schemas": [USER], "userName": "not-an-email"}),
        400,
        'The "userName" of the request is invalid.',
    )


def test_put_changes_the_email_unless_it_is_in_use(zoom: Contract, seeded: dict[str, str]) -> None:
    ann = seeded["ann@acme.example"]
    changed = put_user(
        zoom, ann, {"emails": [{"type": "work", "value": "ann.new@acme.example", "primary": True}]}
    ).json()
    assert changed["userName"] == "ann.new@acme.example"
    assert v2_user(zoom, "ann.new@acme.example")["id"] == ann
    zoom("GET", "/users/{userId}", path={"userId": "ann@acme.example"}, expect=404)

    refused(
        put_user(
            zoom,
            ann,
            {"emails": [{"value": "BOB@acme.example"}], "displayName": "Taken"},
            expect=409,
        ),
        409,
        "Email ''BOB@acme.example'' has already been used.",
    )
    detail = v2_user(zoom, ann)
    assert (detail["email"], detail["display_name"]) == ("ann.new@acme.example", "Ann")
    # the same address in another case is no change and no conflict
    put_user(zoom, ann, {"emails": [{"value": "ANN.NEW@acme.example"}]})
    assert v2_user(zoom, ann)["email"] == "ann.new@acme.example"


def test_put_updates_only_the_fields_sent(zoom: Contract, seeded: dict[str, str]) -> None:
    cat = seeded["cat@acme.example"]
    updated = put_user(
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
    detail = v2_user(zoom, cat)
    assert (detail["first_name"], detail["last_name"], detail["type"], detail["dept"]) == (
        "Catherine",
        "Cole",
        2,
        "Finance",
    )
    # "Zoom does not update the display name if you update the first name or last name" (S000)
    assert detail["display_name"] == "Cat"

    put_user(zoom, cat, {"displayName": "C. Cole", "name": {"familyName": "Coleman"}})
    detail = v2_user(zoom, cat)
    assert (detail["display_name"], detail["first_name"], detail["last_name"]) == (
        "C. Cole",
        "Catherine",
        "Coleman",
    )
    put_user(zoom, cat, {"userType": "Basic"})
    detail = v2_user(zoom, cat)
    assert (detail["type"], detail["dept"], detail["status"]) == (1, "Finance", "active")


def test_owner_and_admin_cannot_be_activated_deactivated_or_re_addressed(
    zoom: Contract, seeded: dict[str, str]
) -> None:
    for email in ("owner@acme.example", "admin@acme.example"):
        user_id = seeded[email]
        refusal = "Cannot activate or deactivate Zoom Room and Admin users."
        refused(set_active(zoom, user_id, False, expect=400), 400, refusal)
        refused(
            put_user(zoom, user_id, {"active": False, "displayName": "Nope"}, expect=400),
            400,
            refusal,
        )
        refused(
            put_user(
                zoom,
                user_id,
                {"emails": [{"value": f"x.{email}"}], "name": {"givenName": "Nope"}},
                expect=400,
            ),
            400,
            "Cannot change the email of Admin user.",
        )
        detail = v2_user(zoom, user_id)  # a refused request changes nothing
        assert (detail["status"], detail["email"], detail["type"]) == ("active", email, 2)
        assert "Nope" not in (detail["display_name"], detail["first_name"])
    # the rest of a PUT still works for them
    put_user(zoom, seeded["admin@acme.example"], {"displayName": "The Admin"})
    assert v2_user(zoom, seeded["admin@acme.example"])["display_name"] == "The Admin"


def test_a_pending_user_cannot_be_activated(zoom: Contract, seeded: dict[str, str]) -> None:
    newbie = seeded["newbie@acme.example"]
    refused(set_active(zoom, newbie, True, expect=400), 400, "User is inactive or locked.")
    refused(
        put_user(zoom, newbie, {"active": True, "name": {"givenName": "Nope"}}, expect=400),
        400,
        "User is inactive or locked.",
    )
    pending = zoom("GET", "/users", params={"status": "pending"}).json()["users"]
    assert [(u["email"], u["first_name"]) for u in pending] == [("newbie@acme.example", "New")]
    assert zoom("GET", "/scim2/Users/{userId}", path={"userId": newbie}).json()["active"] is False


def test_patch_user_refuses_invalid_operations(zoom: Contract, seeded: dict[str, str]) -> None:
    ann = seeded["ann@acme.example"]
    # `Operations` misspelt: Zoom's developer forum reports this answer (status 400)
    misspelt: list[dict[str, Any]] = [
        {"schemas": [PATCH_OP]},
        {"schemas": [PATCH_OP], "operations": [{"op": "replace", "value": {"active": False}}]},
    ]
    for body in misspelt:
        refused(
            zoom.client.patch(f"/scim2/Users/{ann}", json=body),
            400,
            "The request json did not contains valid active field.",
        )
    invalid: list[dict[str, Any]] = [
        {"schemas": [PATCH_OP], "Operations": []},
        # a valid first operation is not applied when a later one is invalid
        {"Operations": [{"op": "replace", "value": {"active": False}}, {"op": "replace"}]},
        {"Operations": [{"op": "replace", "value": {"active": False}}, {"value": {}}]},
        # an op the spec does not allow on users: refused by the spec check, in SCIM's words
        {"schemas": [PATCH_OP], "Operations": [{"op": "add", "value": {"active": False}}]},
    ]
    for body in invalid:
        refused(zoom.client.patch(f"/scim2/Users/{ann}", json=body), 400, INVALID_OPERATIONS)
    refused(
        zoom.client.patch(f"/scim2/Users/{ann}", json={}),
        400,
        "The request JSON must not be empty.",
    )
    assert v2_user(zoom, ann)["status"] == "active"


def test_admins_cannot_be_deleted(zoom: Contract, seeded: dict[str, str]) -> None:
    for email in ("owner@acme.example", "admin@acme.example"):
        refused(
            zoom("DELETE", "/scim2/Users/{userId}", path={"userId": seeded[email]}, expect=400),
            400,
            "Cannot delete Admin user.",
        )
        assert v2_user(zoom, seeded[email])["email"] == email
    zoom("DELETE", "/scim2/Users/{userId}", path={"userId": seeded["cat@acme.example"]}, expect=204)
    zoom("GET", "/users/{userId}", path={"userId": seeded["cat@acme.example"]}, expect=404)


def test_user_resources_carry_their_groups(zoom: Contract, seeded: dict[str, str]) -> None:
    bob = seeded["bob@acme.example"]
    listed = zoom(
        "GET", "/scim2/Users", params={"filter": 'userName eq "bob@acme.example"'}
    ).json()["Resources"][0]
    ops_sales = [
        {"type": "direct", "value": "Ops", "display": "Ops", "primary": True},
        {"type": "direct", "value": "Sales", "display": "Sales", "primary": False},
    ]
    assert listed["groups"] == ops_sales  # every group, the primary first and marked
    # Get User too, though Zoom's spec shows one object there (S000:1183; docs/sandbox.md)
    single = zoom("GET", "/scim2/Users/{userId}", path={"userId": bob}).json()
    assert single["groups"] == ops_sales
    assert set_active(zoom, bob, False).json()["groups"] == ops_sales
    assert put_user(zoom, bob, {"active": True}).json()["groups"] == ops_sales

    # v2's set_primary moves the mark (S001:1397; S000:851)
    zoom(
        "PATCH",
        "/groups/{groupId}/members/{memberId}",
        path={"groupId": seeded["Ops"], "memberId": bob},
        json={"action": "set_primary", "target_group_id": seeded["Sales"]},
        expect=204,
    )
    sales_ops = [
        {"type": "direct", "value": "Sales", "display": "Sales", "primary": True},
        {"type": "direct", "value": "Ops", "display": "Ops", "primary": False},
    ]
    assert zoom("GET", "/scim2/Users/{userId}", path={"userId": bob}).json()["groups"] == sales_ops

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
    assert single["groups"] == [
        {"type": "direct", "value": "DevOps", "display": "DevOps", "primary": True}
    ]
    cat = zoom("GET", "/scim2/Users/{userId}", path={"userId": seeded["cat@acme.example"]}).json()
    assert "groups" not in cat
    assert zoom.checked == 7  # every success body above was checked against the SCIM2 spec


def test_title_is_the_v2_job_title_both_ways(zoom: Contract, seeded: dict[str, str]) -> None:
    # Seed 000 documents `title` as "The user's job title": v2 calls it job_title
    cat = seeded["cat@acme.example"]
    assert "title" not in zoom("GET", "/scim2/Users/{userId}", path={"userId": cat}).json()
    assert put_user(zoom, cat, {"title": "Developer"}).json()["title"] == "Developer"
    assert v2_user(zoom, cat)["job_title"] == "Developer"
    zoom("PATCH", "/users/{userId}", path={"userId": cat}, json={"job_title": "Lead"}, expect=204)
    assert zoom("GET", "/scim2/Users/{userId}", path={"userId": cat}).json()["title"] == "Lead"
    listed = zoom("GET", "/scim2/Users", params={"filter": 'userName eq "cat@acme.example"'})
    assert listed.json()["Resources"][0]["title"] == "Lead"
    created = zoom(
        "POST",
        "/scim2/Users",
        json={"schemas": [USER], "userName": "dev@acme.example", "title": "Tester"},
        expect=201,
    ).json()
    assert created["title"] == "Tester"
    assert v2_user(zoom, created["id"])["job_title"] == "Tester"


def test_user_filters_take_the_value_quoted_or_not(zoom: Contract, seeded: dict[str, str]) -> None:
    # Zoom's spec writes them `userName eq {userEmail}`, `externalId eq ABCD1345`
    for query in ("userName eq bob@acme.example", 'userName eq "bob@acme.example"'):
        found = zoom("GET", "/scim2/Users", params={"filter": query}).json()["Resources"]
        assert [u["id"] for u in found] == [seeded["bob@acme.example"]]
    by_id = zoom(
        "GET", "/scim2/Users", params={"filter": f"externalId eq {seeded['ann@acme.example']}"}
    )
    assert [u["userName"] for u in by_id.json()["Resources"]] == ["ann@acme.example"]


def test_a_filter_on_a_pending_user_is_refused_as_zoom_refuses_it(
    zoom: Contract, seeded: dict[str, str]
) -> None:
    # Zoom's developer forum (devforum.zoom.us/t/7646): an invited user is not a user yet
    refused(
        zoom(
            "GET", "/scim2/Users", params={"filter": "userName eq newbie@acme.example"}, expect=400
        ),
        400,
        "User newbie@acme.example not exist or not belong to this account.",
    )
    unknown = zoom("GET", "/scim2/Users", params={"filter": "userName eq nobody@acme.example"})
    assert unknown.json()["Resources"] == []  # one nobody invited is simply not found
