"""Each of Zoom's error answers the sandbox simulates, with Zoom's status, code and message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest

from reconciler.sandbox import SandboxApp, SandboxOptions, Tier, create_app
from reconciler.sandbox.entities import Role
from tests.sandbox.support import SyncASGITransport, in_process_client


@pytest.fixture
def zoom(sandbox_app: SandboxApp) -> Iterator[httpx.Client]:
    with closing(in_process_client(sandbox_app)) as client:
        yield client


def _error(
    response: httpx.Response, status: int, code: int | None, message: str | None = None
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body.get("code") == code, body
    if message is not None:
        assert body["message"] == message
    return body


def _user(zoom: httpx.Client, email: str, action: str = "custCreate") -> str:
    response = zoom.post(
        "/v2/users", json={"action": action, "user_info": {"email": email, "type": 1}}
    )
    assert response.status_code == 201, response.text
    user_id: str = response.json()["id"]
    return user_id


def _group(zoom: httpx.Client, name: str) -> str:
    response = zoom.post("/v2/groups", json={"name": name})
    assert response.status_code == 201, response.text
    group_id: str = response.json()["id"]
    return group_id


def test_tokens_missing_invalid_and_expired(sandbox_app: SandboxApp) -> None:
    with closing(
        httpx.Client(transport=SyncASGITransport(sandbox_app), base_url="http://sandbox")
    ) as bare:
        _error(bare.get("/v2/users"), 401, 124, "Invalid access token.")
        _error(
            bare.get("/v2/users", headers={"Authorization": "Bearer nonsense"}),
            401,
            124,
            "Invalid access token.",
        )
        _error(bare.get("/v2/divisions"), 401, 30031002, "Missing token")
        _error(bare.get("/v2/divisions", headers={"Authorization": "Bearer x"}), 401, 30031004)
    with closing(in_process_client(sandbox_app)) as zoom:
        assert zoom.get("/v2/users").status_code == 200
        sandbox_app.sandbox.clock.advance(3600)
        _error(zoom.get("/v2/users"), 401, 124, "Access token is expired.")
        _error(zoom.get("/v2/divisions"), 401, 30031004, "Invalid or expired token")


def test_user_errors(zoom: httpx.Client) -> None:
    _user(zoom, "ann@acme.example")
    _error(
        zoom.post(
            "/v2/users",
            json={"action": "create", "user_info": {"email": "ANN@acme.example", "type": 1}},
        ),
        409,
        1005,
        'Email "ANN@acme.example" has already been used.',
    )
    _error(
        zoom.get("/v2/users/nobody@acme.example"),
        404,
        1001,
        "User does not exist: nobody@acme.example.",
    )
    _error(zoom.patch("/v2/users/missing", json={"dept": "x"}), 404, 1001)
    _error(zoom.delete("/v2/users/missing"), 404, 1001)
    _error(zoom.put("/v2/users/missing/status", json={"action": "activate"}), 404, 1001)
    _error(
        zoom.patch("/v2/users/ann@acme.example", json={"type": 2, "zoom_one_type": 16}), 400, 300
    )
    _error(
        zoom.post(
            "/v2/users",
            json={"action": "autoCreate", "user_info": {"email": "b@acme.example", "type": 1}},
        ),
        400,
        300,
        "Invalid parameter: password.",
    )


def test_admins_are_protected(sandbox_app: SandboxApp, zoom: httpx.Client) -> None:
    owner_id = _user(zoom, "owner@acme.example")
    sandbox_app.sandbox.store.user(owner_id).role = Role.OWNER
    _error(
        zoom.delete(f"/v2/users/{owner_id}"), 400, 1117, "You can not disassociate an Admin user."
    )
    _error(
        zoom.put(f"/v2/users/{owner_id}/status", json={"action": "deactivate"}),
        400,
        200,
        "Zoom Room and Admin users' status cannot be activated or deactivated.",
    )


def test_group_errors(zoom: httpx.Client) -> None:
    dev = _group(zoom, "Developers")
    ops = _group(zoom, "Ops")
    _error(
        zoom.post("/v2/groups", json={"name": "developers"}),
        409,
        4132,
        'The group name "developers" is already in use.',
    )
    _error(zoom.patch(f"/v2/groups/{ops}", json={"name": "Developers"}), 409, 4132)
    _error(zoom.post("/v2/groups", json={"name": " "}), 400, 300, "Invalid parameter: name.")
    for response in (
        zoom.get("/v2/groups/nope"),
        zoom.patch("/v2/groups/nope", json={"name": "x"}),
        zoom.delete("/v2/groups/nope"),
        zoom.get("/v2/groups/nope/members"),
        zoom.post("/v2/groups/nope/members", json={"members": [{"email": "u@acme.example"}]}),
    ):
        _error(response, 404, 4130, "A group with this nope does not exist.")
    # each of these endpoints words code 4130 its own way (S001:653-709, 1009, 1272, 2397, 3266)
    for response, words in (
        (zoom.get("/v2/groups/nope/admins"), 'A group with the "nope" ID does not exist.'),
        (
            zoom.post("/v2/groups/nope/admins", json={"admins": [{"email": "u@acme.example"}]}),
            'A group with the "nope" ID does not exist.',
        ),
        (zoom.delete("/v2/groups/nope/admins/x"), 'A group with the "nope" ID does not exist.'),
        (zoom.get("/v2/groups/nope/settings"), "Group does not exist: nope."),
        (zoom.patch("/v2/groups/nope/settings", json={}), "Group does not exist: nope."),
        (zoom.get("/v2/groups/nope/lock_settings"), "Group does not exist: nope"),
        (zoom.patch("/v2/groups/nope/lock_settings", json={}), "This group does not exist."),
    ):
        _error(response, 404, 4130, words)
    user = _user(zoom, "u@acme.example")
    _error(
        zoom.delete(f"/v2/groups/{dev}/members/{user}"), 404, 4131, "Group member does not exist."
    )
    _error(
        zoom.patch(
            f"/v2/groups/{dev}/members/{user}", json={"action": "move", "target_group_id": ops}
        ),
        404,
        4131,
    )
    zoom.post(f"/v2/groups/{dev}/members", json={"members": [{"id": user}]})
    _error(
        zoom.patch(f"/v2/groups/{dev}/members/{user}", json={"action": "move"}),
        400,
        300,
        "The target_group_id can not be empty.",
    )
    _error(
        zoom.delete(f"/v2/groups/{dev}/admins/{user}"),
        400,
        4138,
        f'That user is not an administrator for the group: "{dev}".',
    )
    too_many = [{"email": f"x{i}@acme.example"} for i in range(31)]
    body = _error(
        zoom.post(f"/v2/groups/{dev}/members", json={"members": too_many}),
        400,
        300,
        "Validation Failed.",
    )
    assert body["errors"][0]["field"] == "members"
    eleven = [{"email": f"x{i}@acme.example"} for i in range(11)]
    _error(
        zoom.post(f"/v2/groups/{dev}/admins", json={"admins": eleven}),
        400,
        300,
        "Validation Failed.",
    )
    _error(zoom.patch(f"/v2/groups/{dev}/settings", json={"in_meeting": {"chatt": True}}), 400, 300)
    _error(zoom.get(f"/v2/groups/{dev}/settings", params={"option": "nonsense"}), 400, 300)


def test_readding_a_member_is_accepted_and_changes_nothing(zoom: httpx.Client) -> None:
    dev = _group(zoom, "Developers")
    user = _user(zoom, "u@acme.example")
    for _ in range(2):
        assert (
            zoom.post(f"/v2/groups/{dev}/members", json={"members": [{"id": user}]}).status_code
            == 201
        )
    assert zoom.get(f"/v2/users/{user}").json()["group_ids"] == [dev]
    assert zoom.get(f"/v2/groups/{dev}").json()["total_members"] == 1


def test_division_errors(zoom: httpx.Client) -> None:
    divisions = zoom.get("/v2/divisions").json()["divisions"]
    main = divisions[0]["division_id"]
    _error(zoom.delete(f"/v2/divisions/{main}"), 400, 42011, "Main division can't be deleted.")
    eng = zoom.post("/v2/divisions", json={"division_name": "Engineering"}).json()["division_id"]
    _error(
        zoom.post("/v2/divisions", json={"division_name": "engineering"}),
        409,
        None,
        "This name is already in use. Please try another.",
    )
    _error(zoom.post("/v2/divisions", json={"division_name": ""}), 400, 40005, "Invalid field.")
    user = _user(zoom, "d@acme.example")
    assert (
        zoom.post(f"/v2/divisions/{eng}/users", json={"users": [{"user_id": user}]}).status_code
        == 201
    )
    _error(
        zoom.delete(f"/v2/divisions/{eng}"),
        400,
        42012,
        "Please remove all users from this division before deleting.",
    )
    _error(zoom.get("/v2/divisions/nope"), 404, None, "Division not found.")
    _error(zoom.post("/v2/divisions/nope/users", json={"users": [{"user_id": user}]}), 404, 40406)
    thirty_one = [{"user_id": user}] * 31
    _error(
        zoom.post(f"/v2/divisions/{eng}/users", json={"users": thirty_one}),
        400,
        None,
        "Invalid parameters.",
    )


def test_division_cap(sandbox_app: SandboxApp, zoom: httpx.Client) -> None:
    store = sandbox_app.sandbox.store
    for i in range(499):
        store.create_division(f"D{i}")
    _error(zoom.post("/v2/divisions", json={"division_name": "One too many"}), 400, 42006)


def test_contact_group_errors(zoom: httpx.Client) -> None:
    for response in (
        zoom.get("/v2/contacts/groups/nope"),
        zoom.patch("/v2/contacts/groups/nope", json={"name": "x"}),
        zoom.delete("/v2/contacts/groups/nope"),
        zoom.get("/v2/contacts/groups/nope/members"),
    ):
        _error(response, 400, 300, "A group with this groupId: nope does not exist.")
    users = [_user(zoom, f"c{i}@acme.example") for i in range(51)]
    groups = [_group(zoom, f"G{i}") for i in range(4)]
    fifty_one = [{"type": 1, "id": u} for u in users]
    _error(
        zoom.post("/v2/contacts/groups", json={"group_name": "A", "group_members": fifty_one}),
        400,
        300,
        "The maximum number of user member per request is 50.",
    )
    four = [{"type": 2, "id": g} for g in groups]
    _error(
        zoom.post("/v2/contacts/groups", json={"group_name": "A", "group_members": four}),
        400,
        300,
        "The maximum number of group member per request is 3.",
    )
    created = zoom.post(
        "/v2/contacts/groups", json={"group_name": "A", "group_members": fifty_one[:21]}
    )
    cid = created.json()["group_id"]
    ids = ",".join(users[:21])
    _error(
        zoom.delete(f"/v2/contacts/groups/{cid}/members", params={"member_ids": ids}),
        400,
        300,
        "The maximum number of memberId is 20.",
    )
    _error(
        zoom.delete(f"/v2/contacts/groups/{cid}/members", params={"member_ids": "ghost"}),
        400,
        300,
        "A member with this memberId: ghost does not exist.",
    )
    assert (
        zoom.delete(
            f"/v2/contacts/groups/{cid}/members", params={"member_ids": ",".join(users[:20])}
        ).status_code
        == 204
    )
    _error(
        zoom.delete(f"/v2/contacts/groups/{cid}/members", params={"member_ids": users[20]}),
        400,
        300,
        "A group must have at least one member.",
    )


def test_unknown_endpoint(zoom: httpx.Client) -> None:
    _error(zoom.get("/v2/webinars"), 404, 2300, "This API endpoint is not recognized.")


def test_invalid_json_body(zoom: httpx.Client) -> None:
    _error(
        zoom.post("/v2/groups", content=b"{not json", headers={"content-type": "application/json"}),
        400,
        300,
    )


def test_create_without_user_info_names_the_missing_fields(zoom: httpx.Client) -> None:
    body = _error(zoom.post("/v2/users", json={"action": "create"}), 400, 300, "Validation Failed.")
    assert [e["field"] for e in body["errors"]] == ["user_info.email", "user_info.type"]


PAID_ONLY_CALLS = [
    ("GET", "/v2/groups", None),
    ("POST", "/v2/groups", {"name": "G"}),
    ("GET", "/v2/groups/g1/members", None),
    ("POST", "/v2/groups/g1/admins", {"admins": [{"email": "a@acme.example"}]}),
    ("PATCH", "/v2/groups/g1/settings", {"in_meeting": {"chat": True}}),
    ("GET", "/v2/groups/g1/lock_settings", None),
    ("GET", "/v2/contacts/groups", None),
    ("POST", "/v2/contacts/groups", {"group_name": "A"}),
    ("DELETE", "/v2/contacts/groups/c1/members", None),
]


@pytest.mark.parametrize(("method", "path", "body"), PAID_ONLY_CALLS)
def test_a_free_account_has_no_groups_nor_contact_groups(
    method: str, path: str, body: dict[str, Any] | None
) -> None:
    app = create_app(SandboxOptions(tier=Tier.FREE, rate_limits=False, random_seed=1))
    account = app.sandbox.credentials.account_id
    with closing(in_process_client(app)) as zoom:
        refused = zoom.request(method, path, json=body)
        _error(refused, 400, 200, f"Only available for paid account: {account}")
        assert zoom.get("/v2/users").status_code == 200  # users and divisions stay available
        assert zoom.get("/v2/divisions").status_code == 200
        configured = zoom.post("/_sandbox/config", json={"paid_account": True})
        assert configured.json()["paid_account"] is True
        assert zoom.request(method, path, json=body).json().get("code") != 200


def test_paid_account_follows_the_tier_unless_set(sandbox_app: SandboxApp) -> None:
    with closing(in_process_client(sandbox_app)) as zoom:
        assert zoom.get("/v2/groups").status_code == 200
        assert zoom.post("/_sandbox/config", json={"tier": "free"}).json()["paid_account"] is False
        _error(zoom.get("/v2/groups"), 400, 200)
        assert zoom.post("/_sandbox/config", json={"paid_account": "yes"}).status_code == 400
        zoom.post("/_sandbox/reset")
        assert zoom.get("/v2/groups").status_code == 200


INVITATION_GONE = "A valid invitation to join the Zoom account was not found for this user."


def test_an_expired_invitation_answers_1120_until_the_user_is_disassociated(
    zoom: httpx.Client,
) -> None:
    late = _user(zoom, "late@acme.example", action="create")
    _user(zoom, "keen@acme.example", action="create")
    expired = zoom.post("/_sandbox/invitations/expire", json={"email": "late@acme.example"})
    assert expired.json() == {"expired": ["late@acme.example"]}
    for response in (
        zoom.get(f"/v2/users/{late}"),
        zoom.get("/v2/users/LATE@acme.example"),
        zoom.patch(f"/v2/users/{late}", json={"dept": "Sales"}),
        zoom.put(f"/v2/users/{late}/status", json={"action": "activate"}),
        zoom.delete(f"/v2/users/{late}", params={"action": "delete"}),
    ):
        _error(response, 400, 1120, INVITATION_GONE)
    pending = zoom.get("/v2/users", params={"status": "pending"}).json()["users"]
    assert [u["email"] for u in pending] == ["late@acme.example", "keen@acme.example"]
    accepted = zoom.post("/_sandbox/invitations/accept", json={"all": True}).json()
    assert accepted == {"accepted": ["keen@acme.example"]}  # an expired link cannot be used
    assert zoom.get("/v2/users/keen@acme.example").json()["status"] == "active"
    assert zoom.delete(f"/v2/users/{late}").status_code == 204  # disassociate removes it
    _error(zoom.get(f"/v2/users/{late}"), 404, 1001)
    assert (
        zoom.post("/_sandbox/invitations/expire", json={"email": "x@y.example"}).status_code == 400
    )
