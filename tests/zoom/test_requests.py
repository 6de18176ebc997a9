"""Each typed method sends what Zoom documents: method, path, query and body."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from reconciler.zoom import Category, ZoomClient
from reconciler.zoom.types import (
    ContactGroupPrivacy,
    ContactMemberRef,
    ContactMemberType,
    CreateAction,
    DeleteAction,
    MemberAction,
    SettingsOption,
    StatusAction,
)
from tests.zoom.fakes import FakeZoom, json_of, make_client

pytestmark = pytest.mark.anyio

Call = Callable[[ZoomClient], Awaitable[object]]

CASES: list[tuple[str, Call, str, dict[str, str], Any]] = [
    (
        "account lock settings",
        lambda c: c.get_account_lock_settings(),
        "GET /v2/accounts/me/lock_settings",
        {},
        None,
    ),
    (
        "create user",
        lambda c: c.create_user(
            CreateAction.SSO_CREATE, {"email": "jill@acme.example", "type": 2, "first_name": "Jill"}
        ),
        "POST /v2/users",
        {},
        {
            "action": "ssoCreate",
            "user_info": {"email": "jill@acme.example", "type": 2, "first_name": "Jill"},
        },
    ),
    (
        "update user",
        lambda c: c.update_user("jill@acme.example", {"dept": "Eng", "job_title": "Dev"}),
        "PATCH /v2/users/jill@acme.example",
        {},
        {"dept": "Eng", "job_title": "Dev"},
    ),
    (
        "disassociate user",
        lambda c: c.delete_user("u1"),
        "DELETE /v2/users/u1",
        {"action": "disassociate"},
        None,
    ),
    (
        "delete user",
        lambda c: c.delete_user("u1", DeleteAction.DELETE),
        "DELETE /v2/users/u1",
        {"action": "delete"},
        None,
    ),
    (
        "deactivate",
        lambda c: c.set_user_status("u1", StatusAction.DEACTIVATE),
        "PUT /v2/users/u1/status",
        {},
        {"action": "deactivate"},
    ),
    ("create group", lambda c: c.create_group("Dev"), "POST /v2/groups", {}, {"name": "Dev"}),
    (
        "rename group",
        lambda c: c.update_group("g1", name="Devs"),
        "PATCH /v2/groups/g1",
        {},
        {"name": "Devs"},
    ),
    ("delete group", lambda c: c.delete_group("g1"), "DELETE /v2/groups/g1", {}, None),
    (
        "add members",
        lambda c: c.add_group_members("g1", [{"id": "u1"}, {"email": "b@acme.example"}]),
        "POST /v2/groups/g1/members",
        {},
        {"members": [{"id": "u1"}, {"email": "b@acme.example"}]},
    ),
    (
        "remove member",
        lambda c: c.remove_group_member("g1", "u1"),
        "DELETE /v2/groups/g1/members/u1",
        {},
        None,
    ),
    (
        "set primary",
        lambda c: c.update_group_member("g1", "u1", MemberAction.SET_PRIMARY),
        "PATCH /v2/groups/g1/members/u1",
        {},
        {"action": "set_primary"},
    ),
    (
        "move member",
        lambda c: c.update_group_member("g1", "u1", MemberAction.MOVE, target_group_id="g2"),
        "PATCH /v2/groups/g1/members/u1",
        {},
        {"action": "move", "target_group_id": "g2"},
    ),
    (
        "add admins",
        lambda c: c.add_group_admins("g1", [{"email": "lead@acme.example"}]),
        "POST /v2/groups/g1/admins",
        {},
        {"admins": [{"email": "lead@acme.example"}]},
    ),
    (
        "remove admin",
        lambda c: c.remove_group_admin("g1", "u1"),
        "DELETE /v2/groups/g1/admins/u1",
        {},
        None,
    ),
    (
        "settings",
        lambda c: c.update_group_settings("g1", {"in_meeting": {"chat": True}}),
        "PATCH /v2/groups/g1/settings",
        {},
        {"in_meeting": {"chat": True}},
    ),
    (
        "security settings",
        lambda c: c.update_group_settings(
            "g1", {"meeting_security": {"waiting_room": True}}, SettingsOption.MEETING_SECURITY
        ),
        "PATCH /v2/groups/g1/settings",
        {"option": "meeting_security"},
        {"meeting_security": {"waiting_room": True}},
    ),
    (
        "lock settings",
        lambda c: c.update_group_lock_settings("g1", {"in_meeting": {"chat": True}}),
        "PATCH /v2/groups/g1/lock_settings",
        {},
        {"in_meeting": {"chat": True}},
    ),
    (
        "create division",
        lambda c: c.create_division("Eng", "Engineering"),
        "POST /v2/divisions",
        {},
        {"division_name": "Eng", "division_description": "Engineering"},
    ),
    (
        "update division",
        lambda c: c.update_division("d1", description="Product"),
        "PATCH /v2/divisions/d1",
        {},
        {"division_description": "Product"},
    ),
    ("delete division", lambda c: c.delete_division("d1"), "DELETE /v2/divisions/d1", {}, None),
    (
        "assign division",
        lambda c: c.assign_division_users("d1", [{"user_id": "u1"}, {"user_email": "b@x"}]),
        "POST /v2/divisions/d1/users",
        {},
        {"users": [{"user_id": "u1"}, {"user_email": "b@x"}]},
    ),
    (
        "create contact group",
        lambda c: c.create_contact_group(
            "Office A",
            ContactGroupPrivacy.MEMBERS_ONLY,
            description="A",
            members=[{"id": "u1", "type": ContactMemberType.USER}],
        ),
        "POST /v2/contacts/groups",
        {},
        {
            "group_name": "Office A",
            "group_privacy": 3,
            "description": "A",
            "group_members": [{"id": "u1", "type": 1}],
        },
    ),
    (
        "update contact group",
        lambda c: c.update_contact_group(
            "c1", name="Office B", privacy=ContactGroupPrivacy.VISIBLE_TO_ANYONE
        ),
        "PATCH /v2/contacts/groups/c1",
        {},
        {"name": "Office B", "privacy": 1},
    ),
    (
        "add contact members",
        lambda c: c.add_contact_group_members(
            "c1", [{"id": "g1", "type": ContactMemberType.GROUP}]
        ),
        "POST /v2/contacts/groups/c1/members",
        {},
        {"group_members": [{"id": "g1", "type": 2}]},
    ),
    (
        "remove contact members",
        lambda c: c.remove_contact_group_members("c1", ["u1", "u2", "g1"]),
        "DELETE /v2/contacts/groups/c1/members",
        {"member_ids": "u1,u2,g1"},
        None,
    ),
    (
        "delete contact group",
        lambda c: c.delete_contact_group("c1"),
        "DELETE /v2/contacts/groups/c1",
        {},
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "request_line", "query", "body"), CASES, ids=[c[0] for c in CASES]
)
async def test_method_sends_the_documented_request(
    name: str, call: Call, request_line: str, query: dict[str, str], body: Any
) -> None:
    zoom = FakeZoom(lambda request: httpx.Response(204))
    async with make_client(zoom) as client:
        await call(client)
    assert zoom.paths() == [request_line]
    sent = zoom.api_requests[0]
    assert dict(sent.url.params) == query
    if body is None:
        assert sent.content == b""
    else:
        assert json_of(sent) == body


async def test_reads_return_zoom_data_untouched() -> None:
    settings = {"in_meeting": {"chat": True, "breakout_room": False}, "recording": {}}
    zoom = FakeZoom(lambda request: httpx.Response(200, json=settings))
    async with make_client(zoom) as client:
        assert await client.get_group_settings("g1") == settings
        assert (
            await client.get_group_lock_settings("g1", SettingsOption.MEETING_SECURITY) == settings
        )
    assert zoom.api_requests[1].url.params["option"] == "meeting_security"


async def test_calls_are_counted_per_category() -> None:
    zoom = FakeZoom(lambda request: httpx.Response(200, json={}))
    async with make_client(zoom) as client:
        await client.get_group("g1")
        await client.get_group_settings("g1")
        await client.delete_contact_group("c1")
        await client.get_user("u1")
        stats = client.stats
    assert stats.calls == {Category.LIGHT: 2, Category.MEDIUM: 1, Category.HEAVY: 1}
    assert stats.total_calls == 4
    assert stats.token_fetches == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_group_members("g", [{"id": str(i)} for i in range(31)]),
        lambda c: c.add_group_admins("g", [{"id": str(i)} for i in range(11)]),
        lambda c: c.assign_division_users("d", [{"user_id": str(i)} for i in range(31)]),
        lambda c: c.add_contact_group_members("c", [{"id": str(i), "type": 1} for i in range(51)]),
        lambda c: c.add_contact_group_members("c", [{"id": str(i), "type": 2} for i in range(4)]),
        lambda c: c.remove_contact_group_members("c", [str(i) for i in range(21)]),
        lambda c: c.update_group_member("g", "u", MemberAction.MOVE),
    ],
    ids=[
        "members",
        "admins",
        "division",
        "contact-users",
        "contact-groups",
        "contact-remove",
        "move",
    ],
)
async def test_requests_zoom_would_refuse_are_not_sent(call: Call) -> None:
    zoom = FakeZoom()
    async with make_client(zoom) as client:
        with pytest.raises(ValueError, match=r"at most|needs"):
            await call(client)
    assert zoom.api_requests == []


async def test_full_batches_are_accepted() -> None:
    zoom = FakeZoom(lambda request: httpx.Response(201, json={"ids": "a,b"}))
    async with make_client(zoom) as client:
        added = await client.add_group_members("g", [{"id": str(i)} for i in range(30)])
        users: list[ContactMemberRef] = [
            {"id": str(i), "type": ContactMemberType.USER} for i in range(50)
        ]
        groups: list[ContactMemberRef] = [
            {"id": f"g{i}", "type": ContactMemberType.GROUP} for i in range(3)
        ]
        await client.add_contact_group_members("c", users + groups)
    assert added["ids"] == "a,b"
    assert len(zoom.api_requests) == 2
