"""The user endpoints beyond the profile, over real HTTP, with each request and response body
checked against Zoom's official OpenAPI schemas: a user's own settings and licences, scheduling
assistants, email changes, and the SCIM2 read; and a user's life from creation to deletion. `test_contract.py` runs these scenarios too, to
prove that together they check every operation the reconciler uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import pytest

from reconciler.openapi import load_spec
from reconciler.sandbox import ServerInfo
from reconciler.sandbox.owner import DEFAULT_OWNER_EMAIL
from reconciler.sandbox.store import ACCOUNT_TIMEZONE
from tests.sandbox.support import Contract, http_client

USER_SETTINGS_OPTIONS = (
    None,
    "meeting_security",
    "meeting_authentication",
    "recording_authentication",
)


@pytest.fixture
def zoom(sandbox_server: ServerInfo) -> Iterator[Contract]:
    with closing(http_client(sandbox_server)) as client:
        yield Contract(client)


def test_users_lifecycle(zoom: Contract) -> None:
    created = zoom(
        "POST",
        "/users",
        json={
            "action": "custCreate",
            "user_info": {
                "email": "jill@acme.example",
                "type": 2,
                "first_name": "Jill",
                "last_name": "Chill",
            },
        },
        expect=201,
    ).json()
    assert created["email"] == "jill@acme.example"
    assert created["type"] == 2
    invited = zoom(
        "POST",
        "/users",
        json={"action": "create", "user_info": {"email": "new@acme.example", "type": 1}},
        expect=201,
    ).json()

    active = zoom("GET", "/users", params={"page_size": 300}).json()
    assert [u["email"] for u in active["users"]] == [DEFAULT_OWNER_EMAIL, "jill@acme.example"]
    # No field the listing does not document: a client must not come to rely on one.
    assert all(set(user) <= _listed_user_fields() for user in active["users"])
    assert active["next_page_token"] == ""
    pending = zoom("GET", "/users", params={"status": "pending"}).json()["users"]
    assert [u["email"] for u in pending] == ["new@acme.example"]
    assert "id" not in pending[0]

    by_email = zoom("GET", "/users/{userId}", path={"userId": "JILL@acme.example"}).json()
    assert by_email["id"] == created["id"]
    assert by_email["display_name"] == "Jill Chill"
    # Zoom gives a new user the account's time zone and a language before any update does.
    assert (by_email["timezone"], by_email["language"]) == (ACCOUNT_TIMEZONE, "en-US")
    assert by_email["pmi"] > 0
    zoom(
        "PATCH",
        "/users/{userId}",
        path={"userId": created["id"]},
        json={"dept": "Engineering", "job_title": "Developer", "timezone": "America/Chicago"},
        expect=204,
    )
    detail = zoom("GET", "/users/{userId}", path={"userId": created["id"]}).json()
    assert (detail["dept"], detail["job_title"], detail["timezone"]) == (
        "Engineering",
        "Developer",
        "America/Chicago",
    )

    zoom(
        "PUT",
        "/users/{userId}/status",
        path={"userId": created["id"]},
        json={"action": "deactivate"},
    )
    inactive = zoom("GET", "/users", params={"status": "inactive"}).json()["users"]
    assert [u["id"] for u in inactive] == [created["id"]]
    assert inactive[0]["type"] == 1  # deactivating removes the licence
    zoom(
        "PUT", "/users/{userId}/status", path={"userId": created["id"]}, json={"action": "activate"}
    )

    zoom(
        "PATCH",
        "/users/{userId}",
        path={"userId": created["id"]},
        json={"custom_attributes": [{"key": "cbf_cost", "value": "ENG-1"}]},
        expect=204,
    )
    plain = {u["email"]: u for u in zoom("GET", "/users").json()["users"]}
    assert "custom_attributes" not in plain["jill@acme.example"]  # only when asked for
    asked = {
        u["email"]: u
        for u in zoom("GET", "/users", params={"include_fields": "custom_attributes"}).json()[
            "users"
        ]
    }
    assert asked["jill@acme.example"]["custom_attributes"] == [
        {"key": "cbf_cost", "name": "cbf_cost", "value": "ENG-1"}
    ]
    assert "custom_attributes" not in asked[DEFAULT_OWNER_EMAIL]  # none, not an empty list
    assert (
        "custom_attributes"
        not in zoom(
            "GET", "/users", params={"status": "pending", "include_fields": "custom_attributes"}
        ).json()["users"][0]
    )  # a user without attributes gets none, not an empty list

    zoom("DELETE", "/users/{userId}", path={"userId": invited["id"]}, expect=204)
    zoom(
        "DELETE",
        "/users/{userId}",
        path={"userId": created["id"]},
        params={"action": "delete"},
        expect=204,
    )
    zoom("GET", "/users/{userId}", path={"userId": created["id"]}, expect=404)
    assert zoom.checked == 10  # every answer that has a documented body was validated


def _listed_user_fields() -> set[str]:
    schema = load_spec("users-api")["paths"]["/users"]["get"]["responses"]["200"]["content"]
    listing = schema["application/json"]["schema"]
    parts = listing.get("allOf", [listing])
    users = next(p["properties"]["users"] for p in parts if "users" in p.get("properties", {}))
    return set(users["items"]["properties"])


def _licensed_user(zoom: Contract, email: str) -> str:
    body = {"action": "custCreate", "user_info": {"email": email, "type": 2}}
    created: str = zoom("POST", "/users", json=body, expect=201).json()["id"]
    return created


@pytest.mark.parametrize("option", USER_SETTINGS_OPTIONS)
def test_user_settings_documents(zoom: Contract, option: str | None) -> None:
    user = _licensed_user(zoom, "ann@acme.example")
    params = {"option": option} if option else {}
    path = {"userId": user}
    before = zoom("GET", "/users/{userId}/settings", path=path, params=params).json()
    patch: dict[str, object]
    if option is None:
        patch = {
            "in_meeting": {"chat": True},
            "feature": {"webinar": True, "webinar_capacity": 500},
        }
    elif option == "meeting_security":
        patch = {"meeting_security": {"waiting_room": True}}
    else:
        first = before["authentication_options"][0]["id"]
        patch = {option: True, "authentication_option": {"action": "hide", "id": first}}
    zoom("PATCH", "/users/{userId}/settings", path=path, params=params, json=patch, expect=204)
    after = zoom("GET", "/users/{userId}/settings", path=path, params=params).json()
    if option is None:
        assert after["in_meeting"]["chat"] is True
        assert after["feature"]["webinar"] is True
        assert after["feature"]["webinar_capacity"] == 500
    elif option == "meeting_security":
        assert after["meeting_security"]["waiting_room"] is True
    else:
        assert after[option] is True


def test_bulk_features(zoom: Contract) -> None:
    user = _licensed_user(zoom, "bob@acme.example")
    answer = zoom(
        "POST",
        "/users/features",
        json={
            "feature_type": "large_meeting",
            "feature_value": "256",
            "users": [{"id": user}, {"email": "nobody@acme.example"}],
        },
        expect=201,
    ).json()
    assert answer["success_user_ids"] == [user]
    assert answer["fail_details"] == [
        {"user_ids": ["nobody@acme.example"], "reason": "Users not found"}
    ]
    feature = zoom("GET", "/users/{userId}/settings", path={"userId": user}).json()["feature"]
    assert feature["large_meeting_capacity"] == 1000


ASSISTANT_SEED = """
version: 1
account: {managed_domains: [acme.example, acme.io]}
users:
  - {email: boss@acme.example, type: licensed}
  - {email: amy@acme.example, type: licensed}
  - {email: ben@acme.example, type: licensed}
"""


def test_assistants_and_email_changes(zoom: Contract) -> None:
    seeded = zoom.client.post("/_sandbox/seed", content=ASSISTANT_SEED)
    assert seeded.status_code == 200, seeded.text
    boss = {"userId": "boss@acme.example"}
    zoom(
        "POST",
        "/users/{userId}/assistants",
        path=boss,
        json={"assistants": [{"email": "amy@acme.example"}, {"email": "ben@acme.example"}]},
        expect=201,
    )
    listed = zoom("GET", "/users/{userId}/assistants", path=boss).json()["assistants"]
    assert [a["email"] for a in listed] == ["amy@acme.example", "ben@acme.example"]
    amy = listed[0]["id"]
    zoom(
        "DELETE",
        "/users/{userId}/assistants/{assistantId}",
        path={**boss, "assistantId": amy},
        expect=204,
    )
    zoom("DELETE", "/users/{userId}/assistants", path=boss, expect=204)
    assert zoom("GET", "/users/{userId}/assistants", path=boss).json()["assistants"] == []
    zoom(
        "PUT",
        "/users/{userId}/email",
        path={"userId": amy},
        json={"email": "amy@acme.io"},
        expect=204,
    )
    assert zoom("GET", "/users/{userId}", path={"userId": amy}).json()["email"] == "amy@acme.io"


def test_scim2_get_user(zoom: Contract) -> None:
    """The SCIM2 read the reconciler makes (`policy.primary_groups: verify`)."""
    created = zoom(
        "POST",
        "/scim2/Users",
        json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "ann@acme.example",
            "name": {"givenName": "Ann", "familyName": "Archer"},
        },
        expect=201,
    ).json()
    found = zoom("GET", "/scim2/Users/{userId}", path={"userId": created["id"]}).json()
    assert found["userName"] == "ann@acme.example"
