"""Every endpoint the reconciler uses, over real HTTP, with each request and response body
checked against Zoom's official OpenAPI schemas."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import closing
from functools import partial

import httpx
import pytest

from reconciler.catalog import ENDPOINTS, OUTSIDE_USERS_API, Api, Endpoint, Operation
from reconciler.openapi import load_spec
from reconciler.sandbox import SandboxOptions, ServerInfo, create_app
from reconciler.sandbox.spec import (
    OperationKey,
    SpecName,
    field_errors,
    request_validator,
    response_validator,
)
from tests.sandbox import test_contract_users as users
from tests.sandbox.support import Contract, http_client, in_process_client

SETTINGS_OPTIONS = (None, "meeting_security", "meeting_authentication", "recording_authentication")
LOCK_SETTINGS_OPTIONS = (None, "meeting_security")


@pytest.fixture
def zoom(sandbox_server: ServerInfo) -> Iterator[Contract]:
    with closing(http_client(sandbox_server)) as client:
        yield Contract(client)


def test_groups_members_admins(zoom: Contract) -> None:
    ids = [
        zoom(
            "POST",
            "/users",
            json={"action": "custCreate", "user_info": {"email": f"u{i}@acme.example", "type": 1}},
            expect=201,
        ).json()["id"]
        for i in range(3)
    ]
    dev = zoom("POST", "/groups", json={"name": "Developers"}, expect=201).json()
    ops = zoom("POST", "/groups", json={"name": "Ops"}, expect=201).json()
    assert dev["total_members"] == 0
    added = zoom(
        "POST",
        "/groups/{groupId}/members",
        path={"groupId": dev["id"]},
        json={"members": [{"id": ids[0]}, {"email": "u1@acme.example"}]},
        expect=201,
    ).json()
    assert added["ids"] == f"{ids[0]},{ids[1]}"
    members = zoom("GET", "/groups/{groupId}/members", path={"groupId": dev["id"]}).json()
    assert [m["id"] for m in members["members"]] == ids[:2]
    assert members["total_records"] == 2

    zoom(
        "PATCH",
        "/groups/{groupId}/members/{memberId}",
        path={"groupId": dev["id"], "memberId": ids[0]},
        json={"action": "move", "target_group_id": ops["id"]},
        expect=204,
    )
    user = zoom("GET", "/users/{userId}", path={"userId": ids[0]}).json()
    assert user["group_ids"] == [ops["id"]]
    zoom(
        "POST",
        "/groups/{groupId}/members",
        path={"groupId": dev["id"]},
        json={"members": [{"id": ids[0]}]},
        expect=201,
    )
    zoom(
        "PATCH",
        "/groups/{groupId}/members/{memberId}",
        path={"groupId": ops["id"], "memberId": ids[0]},
        json={"action": "set_primary", "target_group_id": dev["id"]},
        expect=204,
    )
    assert zoom("GET", "/users/{userId}", path={"userId": ids[0]}).json()["group_ids"] == [
        dev["id"],
        ops["id"],
    ]
    zoom(
        "DELETE",
        "/groups/{groupId}/members/{memberId}",
        path={"groupId": dev["id"], "memberId": ids[1]},
        expect=204,
    )

    zoom(
        "POST",
        "/groups/{groupId}/admins",
        path={"groupId": dev["id"]},
        json={"admins": [{"email": "u2@acme.example"}]},
        expect=201,
    )
    admins = zoom("GET", "/groups/{groupId}/admins", path={"groupId": dev["id"]}).json()
    assert [a["email"] for a in admins["admins"]] == ["u2@acme.example"]
    zoom(
        "DELETE",
        "/groups/{groupId}/admins/{userId}",
        path={"groupId": dev["id"], "userId": ids[2]},
        expect=204,
    )

    zoom(
        "PATCH",
        "/groups/{groupId}",
        path={"groupId": ops["id"]},
        json={"name": "Operations"},
        expect=204,
    )
    assert (
        zoom("GET", "/groups/{groupId}", path={"groupId": ops["id"]}).json()["name"] == "Operations"
    )
    listed = zoom("GET", "/groups").json()
    assert {g["name"] for g in listed["groups"]} == {"Developers", "Operations"}
    zoom("DELETE", "/groups/{groupId}", path={"groupId": ops["id"]}, expect=204)
    assert zoom("GET", "/users/{userId}", path={"userId": ids[0]}).json()["group_ids"] == [
        dev["id"]
    ]


@pytest.mark.parametrize("option", SETTINGS_OPTIONS)
def test_settings_documents(zoom: Contract, option: str | None) -> None:
    group = zoom("POST", "/groups", json={"name": "G"}, expect=201).json()
    params = {"option": option} if option else {}
    before = zoom(
        "GET", "/groups/{groupId}/settings", path={"groupId": group["id"]}, params=params
    ).json()
    patch: dict[str, object]
    if option is None:
        patch = {"in_meeting": {"chat": True, "breakout_room": True}}
    elif option == "meeting_security":
        patch = {"meeting_security": {"waiting_room": True}}
    else:
        first = before["authentication_options"][0]["id"]
        patch = {option: True, "authentication_option": {"action": "hide", "id": first}}
    zoom(
        "PATCH",
        "/groups/{groupId}/settings",
        path={"groupId": group["id"]},
        params=params,
        json=patch,
        expect=204,
    )
    after = zoom(
        "GET", "/groups/{groupId}/settings", path={"groupId": group["id"]}, params=params
    ).json()
    if option is None:
        assert after["in_meeting"]["chat"] is True
        assert after["in_meeting"]["breakout_room"] is True
        # a partial PATCH leaves every other key as it was
        assert {
            k: v for k, v in after["in_meeting"].items() if k not in ("chat", "breakout_room")
        } == {k: v for k, v in before["in_meeting"].items() if k not in ("chat", "breakout_room")}
        assert after["recording"] == before["recording"]
    elif option == "meeting_security":
        assert after["meeting_security"]["waiting_room"] is True
    else:
        assert after[option] is True
        assert after["authentication_options"][0]["visible"] is False


@pytest.mark.parametrize("option", LOCK_SETTINGS_OPTIONS)
def test_lock_settings(zoom: Contract, option: str | None) -> None:
    group = zoom("POST", "/groups", json={"name": "Locked"}, expect=201).json()
    params = {"option": option} if option else {}
    patch = (
        {"in_meeting": {"chat": True}}
        if option is None
        else {"meeting_security": {"waiting_room": True}}
    )
    zoom(
        "PATCH",
        "/groups/{groupId}/lock_settings",
        path={"groupId": group["id"]},
        params=params,
        json=patch,
        expect=204,
    )
    doc = zoom(
        "GET", "/groups/{groupId}/lock_settings", path={"groupId": group["id"]}, params=params
    ).json()
    section, key = (
        ("in_meeting", "chat") if option is None else ("meeting_security", "waiting_room")
    )
    assert doc[section][key] is True


# The account's lock settings come from Zoom's Accounts API, outside the vendored spec: Zoom
# shapes them like a group's lock settings, so their bodies are checked with those schemas.
GROUP_LOCKS = "/groups/{groupId}/lock_settings"


@pytest.mark.parametrize("option", LOCK_SETTINGS_OPTIONS)
def test_account_lock_settings(zoom: Contract, option: str | None) -> None:
    params = {"option": option} if option else {}
    patch = (
        {"in_meeting": {"chat": True}}
        if option is None
        else {"meeting_security": {"waiting_room": True}}
    )
    body_check = request_validator(OperationKey("users-api", "patch", GROUP_LOCKS), option)
    assert body_check is not None
    assert field_errors(body_check, patch) == []
    url = "/v2/accounts/me/lock_settings"
    assert zoom.client.patch(url, params=params, json=patch).status_code == 204
    answer = zoom.client.get(url, params=params)
    assert answer.status_code == 200
    schema = response_validator(OperationKey("users-api", "get", GROUP_LOCKS), 200, option)
    assert schema is not None
    assert [e.message for e in schema.iter_errors(answer.json())] == []
    section, key = (
        ("in_meeting", "chat") if option is None else ("meeting_security", "waiting_room")
    )
    assert answer.json()[section][key] is True


def _account_lock_settings_every_option(zoom: Contract) -> None:
    for option in LOCK_SETTINGS_OPTIONS:
        test_account_lock_settings(zoom, option)


OFF_SPEC_SCENARIOS: dict[Operation, Callable[[Contract], None]] = {
    Operation.GET_ACCOUNT_LOCK_SETTINGS: _account_lock_settings_every_option,
}


def test_divisions(zoom: Contract) -> None:
    user = zoom(
        "POST",
        "/users",
        json={"action": "custCreate", "user_info": {"email": "d@acme.example", "type": 1}},
        expect=201,
    ).json()
    eng = zoom(
        "POST",
        "/divisions",
        json={"division_name": "Engineering", "division_description": "Eng"},
        expect=201,
    ).json()
    listed = zoom("GET", "/divisions").json()["divisions"]
    main = next(d for d in listed if d["is_main_division"])
    assert main["total_members"] == 2  # the user and the account's owner
    zoom(
        "POST",
        "/divisions/{divisionId}/users",
        path={"divisionId": eng["division_id"]},
        json={"users": [{"user_email": "d@acme.example"}]},
        expect=201,
    )
    members = zoom(
        "GET", "/divisions/{divisionId}/users", path={"divisionId": eng["division_id"]}
    ).json()
    assert [m["user_id"] for m in members["users"]] == [user["id"]]
    assert zoom("GET", "/users/{userId}", path={"userId": user["id"]}).json()["division_ids"] == [
        eng["division_id"]
    ]
    zoom(
        "PATCH",
        "/divisions/{divisionId}",
        path={"divisionId": eng["division_id"]},
        json={"division_name": "R&D"},
        expect=204,
    )
    assert (
        zoom("GET", "/divisions/{divisionId}", path={"divisionId": eng["division_id"]}).json()[
            "division_name"
        ]
        == "R&D"
    )
    zoom(
        "POST",
        "/divisions/{divisionId}/users",
        path={"divisionId": main["division_id"]},
        json={"users": [{"user_id": user["id"]}]},
        expect=201,
    )
    zoom("DELETE", "/divisions/{divisionId}", path={"divisionId": eng["division_id"]}, expect=204)


def test_contact_groups(zoom: Contract) -> None:
    user = zoom(
        "POST",
        "/users",
        json={"action": "custCreate", "user_info": {"email": "c@acme.example", "type": 1}},
        expect=201,
    ).json()
    other = zoom(
        "POST",
        "/users",
        json={"action": "custCreate", "user_info": {"email": "o@acme.example", "type": 1}},
        expect=201,
    ).json()
    group = zoom("POST", "/groups", json={"name": "Office"}, expect=201).json()
    created = zoom(
        "POST",
        "/contacts/groups",
        json={
            "group_name": "Office A",
            "group_privacy": 2,
            "description": "People in office A",
            "group_members": [{"type": 1, "id": user["id"]}, {"type": 2, "id": group["id"]}],
        },
        expect=201,
    ).json()
    assert created["total_members"] == 2
    assert created["group_privacy"] == 2
    cid = created["group_id"]
    zoom(
        "PATCH",
        "/contacts/groups/{groupId}",
        path={"groupId": cid},
        json={"name": "Office B", "privacy": 3},
        expect=204,
    )
    got = zoom("GET", "/contacts/groups/{groupId}", path={"groupId": cid}).json()
    assert (got["group_name"], got["group_privacy"]) == ("Office B", 3)
    added = zoom(
        "POST",
        "/contacts/groups/{groupId}/members",
        path={"groupId": cid},
        json={"group_members": [{"type": 1, "id": other["id"]}]},
        expect=201,
    ).json()
    assert added["member_ids"] == [other["id"]]
    members = zoom("GET", "/contacts/groups/{groupId}/members", path={"groupId": cid}).json()[
        "group_members"
    ]
    assert [(m["type"], m["id"]) for m in members] == [
        (1, user["id"]),
        (2, group["id"]),
        (1, other["id"]),
    ]
    zoom(
        "DELETE",
        "/contacts/groups/{groupId}/members",
        path={"groupId": cid},
        params={"member_ids": f"{user['id']},{other['id']}"},
        expect=204,
    )
    assert [g["group_name"] for g in zoom("GET", "/contacts/groups").json()["groups"]] == [
        "Office B"
    ]
    zoom("DELETE", "/contacts/groups/{groupId}", path={"groupId": cid}, expect=204)


def test_invalid_body_gets_zoom_validation_error(sandbox_server: ServerInfo) -> None:
    with closing(http_client(sandbox_server)) as client:
        response = client.post("/v2/users", json={"action": "hire", "user_info": {"type": 3}})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 300
    assert body["message"] == "Validation Failed."
    assert {e["field"] for e in body["errors"]} == {"action", "user_info.email", "user_info.type"}


def test_token_endpoint_answers_like_zoom(sandbox_server: ServerInfo) -> None:
    creds = sandbox_server.credentials
    with httpx.Client(base_url=sandbox_server.root_url) as client:
        good = client.post(
            "/oauth/token",
            params={"grant_type": "account_credentials", "account_id": creds.account_id},
            auth=(creds.client_id, creds.client_secret),
        )
        wrong_secret = client.post(
            "/oauth/token",
            data={"grant_type": "account_credentials", "account_id": creds.account_id},
            auth=(creds.client_id, "not-the-secret"),
        )
        wrong_grant = client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "account_id": creds.account_id},
            auth=(creds.client_id, creds.client_secret),
        )
        wrong_account = client.post(
            "/oauth/token",
            data={"grant_type": "account_credentials", "account_id": "someone-else"},
            auth=(creds.client_id, creds.client_secret),
        )
        no_credentials = client.post(
            "/oauth/token",
            data={"grant_type": "account_credentials", "account_id": creds.account_id},
        )
    assert good.status_code == 200
    body = good.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["scope"]
    assert wrong_secret.status_code == 400
    assert wrong_secret.json() == {
        "reason": "Invalid client_id or client_secret",
        "error": "invalid_client",
    }
    assert (wrong_grant.status_code, wrong_grant.json()) == (
        400,
        {"reason": "unsupported grant type", "error": "unsupported_grant_type"},
    )
    assert (wrong_account.status_code, wrong_account.json()) == (
        400,
        {"reason": "Invalid request : Account ID is invalid.", "error": "invalid_request"},
    )
    assert (no_credentials.status_code, no_credentials.json()) == (
        400,
        {"reason": "Invalid client_id or client_secret", "error": "invalid_client"},
    )
    assert creds.client_secret not in wrong_secret.text + repr(creds)


def _spec_operation(endpoint: Endpoint) -> OperationKey:
    """The spec's operation for one of the reconciler's endpoints (placeholders differ in name)."""
    spec: SpecName = "scim2-api" if endpoint.api is Api.SCIM2 else "users-api"
    prefix = "/scim2" if endpoint.api is Api.SCIM2 else ""
    wanted = re.sub(r"\{[^}]+\}", "{}", prefix + endpoint.path)
    method = endpoint.method.value.lower()
    for template, operations in load_spec(spec)["paths"].items():
        if re.sub(r"\{[^}]+\}", "{}", template) == wanted and method in operations:
            return OperationKey(spec, method, template)
    raise AssertionError(f"{endpoint.method} {endpoint.path} is not in Zoom's spec")


def test_the_contract_tests_check_every_operation_the_reconciler_uses() -> None:
    """Runs the scenarios above in process and proves that, together, they sent a checked body
    to every operation that takes one and checked the answer of every operation, for every
    `option` of the settings documents."""
    requests: set[tuple[OperationKey, str | None]] = set()
    responses: set[tuple[OperationKey, str | None]] = set()
    scenarios: list[Callable[[Contract], None]] = [
        users.test_users_lifecycle,
        test_groups_members_admins,
        test_divisions,
        test_contact_groups,
        users.test_assistants_and_email_changes,
        *(partial(test_settings_documents, option=o) for o in SETTINGS_OPTIONS),
        *(partial(test_lock_settings, option=o) for o in LOCK_SETTINGS_OPTIONS),
        *(
            partial(users.test_user_settings_documents, option=o)
            for o in users.USER_SETTINGS_OPTIONS
        ),
        users.test_bulk_features,
        *OFF_SPEC_SCENARIOS.values(),
        users.test_scim2_get_user,
    ]
    for scenario in scenarios:
        app = create_app(SandboxOptions(rate_limits=False, random_seed=1))
        with closing(in_process_client(app)) as client:
            contract = Contract(client)
            scenario(contract)
        requests |= contract.requests_checked
        responses |= contract.responses_checked

    options: dict[str, tuple[str | None, ...]] = {
        "/groups/{groupId}/settings": SETTINGS_OPTIONS,
        "/groups/{groupId}/lock_settings": LOCK_SETTINGS_OPTIONS,
        "/users/{userId}/settings": users.USER_SETTINGS_OPTIONS,
    }
    missing: list[str] = []
    for endpoint in ENDPOINTS.values():
        if endpoint.operation in OUTSIDE_USERS_API:
            if endpoint.operation not in OFF_SPEC_SCENARIOS:
                missing.append(f"{endpoint.operation.value}: no scenario outside the spec")
            continue
        key = _spec_operation(endpoint)
        takes_body = "requestBody" in key.definition()
        for option in options.get(key.template, (None,)):
            named = f"{endpoint.operation.value} (option {option})"
            if takes_body and (key, option) not in requests:
                missing.append(f"{named}: request body")
            if (key, option) not in responses:
                missing.append(f"{named}: answer")
    assert missing == []
    assert len(ENDPOINTS) == 47
