"""Every account has exactly one owner, whom an admin cannot deactivate, delete or downgrade."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.sandbox import SandboxOptions, SeedError, ServerInfo, create_app
from reconciler.sandbox.owner import DEFAULT_OWNER_EMAIL
from tests.sandbox.support import http_client


@pytest.fixture
def zoom(sandbox_server: ServerInfo) -> Iterator[httpx.Client]:
    with closing(http_client(sandbox_server)) as client:
        yield client


def _owners(zoom: httpx.Client) -> list[str]:
    listed = zoom.get("/v2/users", params={"role_id": "0"}).json()["users"]
    return [u["email"] for u in listed]


def test_a_bare_sandbox_has_its_owner(zoom: httpx.Client) -> None:
    assert _owners(zoom) == [DEFAULT_OWNER_EMAIL]
    owner = zoom.get(f"/v2/users/{DEFAULT_OWNER_EMAIL}").json()
    assert (owner["role_name"], owner["role_id"], owner["status"], owner["type"]) == (
        "Owner",
        "0",
        "active",
        2,
    )


def test_a_seed_that_names_its_owner_gets_no_second_one(
    zoom: httpx.Client, sandbox_server: ServerInfo
) -> None:
    seed = {"version": 1, "users": [{"email": "boss@acme.example", "role": "owner"}]}
    loaded = httpx.post(f"{sandbox_server.root_url}/_sandbox/seed", json=seed, timeout=10)
    assert loaded.json()["users"] == 1
    assert _owners(zoom) == ["boss@acme.example"]
    # a seed that names none gets the sandbox's own
    seed = {"version": 1, "users": [{"email": "ann@acme.example"}]}
    httpx.post(f"{sandbox_server.root_url}/_sandbox/seed", json=seed, timeout=10)
    assert _owners(zoom) == [DEFAULT_OWNER_EMAIL]
    generated = {"generate": {"users": 5, "groups": 1, "divisions": 0, "contact_groups": 0}}
    httpx.post(f"{sandbox_server.root_url}/_sandbox/seed", json=generated, timeout=10)
    assert _owners(zoom) == ["user000000@example.com"]  # the generator makes its first the owner


def test_a_configuration_seed_names_its_owner_by_protecting_it(
    zoom: httpx.Client, sandbox_server: ServerInfo
) -> None:
    """The configuration cannot say `role: owner`; its protected users are where it names one."""
    seed: dict[str, Any] = {
        "version": 1,
        "policy": {
            "protected_users": ["Ghost@acme.example", "gone@acme.example", "Boss@acme.example"]
        },
        "users": [
            {"email": "ann@acme.example"},
            {"email": "gone@acme.example", "status": "inactive"},
            {"email": "boss@acme.example", "type": "licensed"},
        ],
    }
    loaded = httpx.post(f"{sandbox_server.root_url}/_sandbox/seed", json=seed, timeout=10)
    assert loaded.status_code == 200, loaded.text
    # the first protected user the seed declares active: not an undeclared or inactive one
    assert _owners(zoom) == ["boss@acme.example"]
    assert len(zoom.get("/v2/users").json()["users"]) == 2  # no invented owner beside them
    # `role: owner` says it outright, and wins
    seed["users"][0]["role"] = "owner"
    httpx.post(f"{sandbox_server.root_url}/_sandbox/seed", json=seed, timeout=10)
    assert _owners(zoom) == ["ann@acme.example"]
    # protecting nobody the seed declares names no owner: the sandbox adds its own
    seed = {"version": 1, "policy": {"protected_users": ["ghost@acme.example"]}, "users": []}
    httpx.post(f"{sandbox_server.root_url}/_sandbox/seed", json=seed, timeout=10)
    assert _owners(zoom) == [DEFAULT_OWNER_EMAIL]


def test_a_seed_with_two_owners_is_refused(sandbox_server: ServerInfo) -> None:
    seed = {
        "version": 1,
        "users": [
            {"email": "a@acme.example", "role": "owner"},
            {"email": "b@acme.example", "role": "owner"},
        ],
    }
    refused = httpx.post(f"{sandbox_server.root_url}/_sandbox/seed", json=seed, timeout=10)
    assert refused.status_code == 400
    assert "exactly one owner" in refused.json()["error"]
    assert "a@acme.example, b@acme.example" in refused.json()["error"]


def test_a_seed_file_with_two_owners_is_refused_at_start(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "version: 1\nusers:\n"
        "  - {email: a@acme.example, role: owner}\n  - {email: b@acme.example, role: owner}\n"
    )
    with pytest.raises(SeedError, match="exactly one owner"):
        create_app(SandboxOptions(seed_path=path))


def test_an_admin_cannot_deactivate_delete_or_downgrade_the_owner(zoom: httpx.Client) -> None:
    owner = DEFAULT_OWNER_EMAIL
    for action in ("deactivate", "activate"):
        refused = zoom.put(f"/v2/users/{owner}/status", json={"action": action})
        assert (refused.status_code, refused.json()) == (
            400,
            {
                "code": 200,
                "message": "Zoom Room and Admin users' status cannot be activated or deactivated.",
            },
        )
    for action in ("delete", "disassociate"):
        refused = zoom.delete(f"/v2/users/{owner}", params={"action": action})
        assert (refused.status_code, refused.json()["code"]) == (400, 1117)
    for lower in (1, 4):
        refused = zoom.patch(f"/v2/users/{owner}", json={"type": lower, "first_name": "Nope"})
        assert (refused.status_code, refused.json()) == (
            400,
            {
                "code": 1108,
                "message": "Permission requirements to change the user type of this user were "
                "not met.",
            },
        )
    assert zoom.patch(f"/v2/users/{owner}", json={"type": 2, "dept": "IT"}).status_code == 204
    detail = zoom.get(f"/v2/users/{owner}").json()
    assert (detail["status"], detail["type"], detail["first_name"], detail["dept"]) == (
        "active",
        2,
        "Sandbox",
        "IT",
    )
    # and through SCIM2
    scim = zoom.patch(
        f"/scim2/Users/{detail['id']}",
        json={"Operations": [{"op": "replace", "value": {"active": False}}]},
    )
    assert scim.status_code == 400
    downgrade = zoom.put(f"/scim2/Users/{detail['id']}", json={"userType": "Basic"})
    assert (downgrade.status_code, downgrade.json()["status"]) == (400, 400)
    assert zoom.get(f"/v2/users/{owner}").json()["type"] == 2


def test_an_in_process_sandbox_has_its_owner_too() -> None:
    app = create_app(SandboxOptions(rate_limits=False))
    owners = [u.email for u in app.sandbox.store.users.values() if u.role.value == "0"]
    assert owners == [DEFAULT_OWNER_EMAIL]
    app.sandbox.reset()
    assert [u.email for u in app.sandbox.store.users.values()] == [DEFAULT_OWNER_EMAIL]
