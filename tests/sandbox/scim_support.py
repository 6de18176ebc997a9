"""What the SCIM2 tests share: the schemas' names, a seeded account, and callers that speak
SCIM2 through the contract-checking client."""

from __future__ import annotations

from typing import Any

import httpx

from reconciler.sandbox import ServerInfo
from tests.sandbox.support import Contract

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
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


def seed_account(sandbox_server: ServerInfo) -> dict[str, str]:
    """Load SEED; answers email (and group name) -> id."""
    loaded = httpx.post(f"{sandbox_server.root_url}/_sandbox/seed", json=SEED, timeout=10)
    assert loaded.status_code == 200, loaded.text
    state = httpx.get(f"{sandbox_server.root_url}/_sandbox/state", timeout=10).json()
    ids = {u["email"]: u["id"] for u in state["users"]}
    ids.update({g["name"]: g["id"] for g in state["groups"]})
    return ids


def refused(response: httpx.Response, status: int, message: str) -> None:
    """A SCIM error, in SCIM's error schema with the status a number (RFC 7644 §3.12; Zoom's
    developer forum shows it for SCIM2's 400s)."""
    assert response.headers["content-type"] == "application/scim+json"
    assert (response.status_code, response.json()) == (
        status,
        {"schemas": [ERROR], "detail": message, "status": status},
    ), response.text


def v2_user(zoom: Contract, user_id: str) -> dict[str, Any]:
    body: dict[str, Any] = zoom("GET", "/users/{userId}", path={"userId": user_id}).json()
    return body


def v2_members(zoom: Contract, group_id: str) -> list[str]:
    members = zoom(
        "GET", "/groups/{groupId}/members", path={"groupId": group_id}, params={"page_size": 300}
    ).json()["members"]
    return [m["id"] for m in members]


def patch_group(
    zoom: Contract, group_id: str, operations: list[dict[str, Any]], expect: int = 204
) -> httpx.Response:
    return zoom(
        "PATCH",
        "/scim2/Groups/{groupId}",
        path={"groupId": group_id},
        json={"schemas": [PATCH_OP], "Operations": operations},
        expect=expect,
    )


def put_user(
    zoom: Contract, user_id: str, body: dict[str, Any], expect: int = 200
) -> httpx.Response:
    return zoom(
        "PUT",
        "/scim2/Users/{userId}",
        path={"userId": user_id},
        json={"schemas": [USER], **body},
        expect=expect,
    )


def set_active(zoom: Contract, user_id: str, active: bool, expect: int = 200) -> httpx.Response:
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
