"""The reader against the sandbox over real HTTP: what it reads, what it skips, paging edges."""

from __future__ import annotations

import httpx
import pytest

from reconciler.live import GroupSelection, LiveReader, ReadKind, ReadProgress, ReadRequest, pages
from reconciler.model.live import ContactMemberType, LiveContactMember, LiveState, ZoomUserStatus
from reconciler.sandbox import SandboxApp, ServerInfo
from reconciler.sandbox.owner import DEFAULT_OWNER_EMAIL
from reconciler.sandbox.settings import Document, read
from reconciler.zoom import Category, RetryPolicy, ServerError, ZoomAPIError
from reconciler.zoom.types import SettingsOption
from tests.live.support import (
    http_client,
    in_process_client,
    read_in_process,
    seed_app,
    seed_server,
)
from tests.zoom.fakes import FakeZoom, make_client, zoom_error

pytestmark = pytest.mark.anyio

SEED = """
version: 1
divisions:
  - {name: Engineering, description: Builders}
groups:
  - name: Developers
    admins: [ann@acme.example]
    settings:
      in_meeting: {chat: true}
    lock_settings:
      in_meeting: {chat: true}
  - name: Sales
users:
  - {email: owner@acme.example, role: owner}
  - {email: Ann@Acme.example, first_name: Ann, last_name: Lee, type: licensed,
     groups: [Developers, Sales], division: Engineering, dept: R&D, job_title: Lead}
  - {email: bob@acme.example, first_name: Bob, status: inactive, groups: [Sales]}
  - {email: pat@acme.example, first_name: Pat, status: pending, groups: [Developers]}
contact_groups:
  - name: Office A
    privacy: members_only
    members: {users: [Ann@Acme.example], groups: [Developers]}
"""


async def _read(
    server: ServerInfo, request: ReadRequest, events: list[ReadProgress] | None = None
) -> tuple[LiveState, LiveReader, dict[Category, int]]:
    async with http_client(server) as client:
        reader = LiveReader(client, events.append if events is not None else None)
        state = await reader.read(request)
        return state, reader, dict(client.stats.calls)


async def test_users_of_every_status_with_memberships_from_their_own_lists(
    sandbox_server: ServerInfo,
) -> None:
    seed_server(sandbox_server, SEED)
    state, _, _ = await _read(sandbox_server, ReadRequest())
    statuses = {user.key: user.status for user in state.users}
    assert statuses == {
        "owner@acme.example": ZoomUserStatus.ACTIVE,
        "ann@acme.example": ZoomUserStatus.ACTIVE,
        "bob@acme.example": ZoomUserStatus.INACTIVE,
        "pat@acme.example": ZoomUserStatus.PENDING,
    }
    pat = state.user("pat@acme.example")
    assert pat is not None
    assert pat.id is None
    assert pat.is_pending
    owner = state.user("OWNER@acme.example")
    assert owner is not None
    assert owner.is_owner
    developers = state.group_named("Developers")
    sales = state.group_named("Sales")
    assert developers is not None
    assert sales is not None
    assert {u.key for u in state.members_of(developers.id)} == {
        "ann@acme.example",
        "pat@acme.example",
    }
    assert {u.key for u in state.members_of(sales.id)} == {"ann@acme.example", "bob@acme.example"}
    engineering = state.division_named("Engineering")
    assert engineering is not None
    assert engineering.description == "Builders"
    assert state.main_division is not None
    assert [u.key for u in state.users_in_division(engineering.id)] == ["ann@acme.example"]
    ann = state.user("ann@acme.example")
    assert ann is not None
    assert ann.profile["first_name"] == "Ann"
    assert ann.profile["dept"] == "R&D"
    assert "job_title" not in ann.profile  # not listed by GET /users; read only on request
    # Nothing beyond the listings was asked for, so nothing else was read.
    assert developers.settings is None
    assert developers.lock_settings is None
    assert developers.admins is None
    assert state.contact_groups is None


async def test_a_request_for_nothing_more_makes_only_the_listing_calls(
    sandbox_server: ServerInfo,
) -> None:
    seed_server(sandbox_server, SEED)
    _, reader, calls = await _read(sandbox_server, ReadRequest())
    assert dict(reader.report.calls) == {
        ReadKind.USERS: 3,
        ReadKind.GROUPS: 1,
        ReadKind.DIVISIONS: 1,
    }
    assert calls == {Category.MEDIUM: 4, Category.LIGHT: 1}


async def test_everything_reads_settings_admins_and_contact_members(
    sandbox_server: ServerInfo,
) -> None:
    seed_server(sandbox_server, SEED)
    async with http_client(sandbox_server) as client:
        developers_id = next(
            g["id"] for g in await client.list_groups() if g["name"] == "Developers"
        )
        await client.update_group_settings(
            developers_id,
            {"meeting_security": {"waiting_room": True}},
            SettingsOption.MEETING_SECURITY,
        )
        await client.update_group_lock_settings(
            developers_id,
            {"meeting_security": {"waiting_room": True}},
            SettingsOption.MEETING_SECURITY,
        )
    state, reader, _ = await _read(sandbox_server, ReadRequest.everything())
    developers = state.group_named("Developers")
    sales = state.group_named("Sales")
    assert developers is not None
    assert sales is not None
    assert developers.admins == frozenset({"ann@acme.example"})
    assert sales.admins == frozenset()
    assert developers.settings is not None
    assert developers.lock_settings is not None
    assert developers.settings["in_meeting"]["chat"] is True
    assert developers.settings["meeting_security"]["waiting_room"] is True
    assert developers.lock_settings["meeting_security"]["waiting_room"] is True
    assert set(developers.settings) >= {"in_meeting", "meeting_authentication", "recording"}
    assert sales.settings is not None
    assert sales.settings["in_meeting"]["chat"] is False
    assert state.contact_groups is not None
    (office,) = state.contact_groups
    ann = state.user("ann@acme.example")
    assert ann is not None
    assert ann.id is not None
    assert office.name == "Office A"
    assert office.privacy == 3
    assert office.members == frozenset(
        {
            LiveContactMember(ContactMemberType.USER, ann.id),
            LiveContactMember(ContactMemberType.GROUP, developers.id),
        }
    )
    # Two groups: four settings requests and two lock-settings requests each, one admin listing.
    assert reader.report.calls[ReadKind.GROUP_SETTINGS] == 8
    assert reader.report.calls[ReadKind.GROUP_LOCK_SETTINGS] == 4
    assert reader.report.calls[ReadKind.GROUP_ADMINS] == 2
    assert reader.report.calls[ReadKind.CONTACT_GROUP_MEMBERS] == 1


async def test_custom_attributes_come_with_the_listing_without_a_read_per_user(
    sandbox_server: ServerInfo,
) -> None:
    seed_server(sandbox_server, SEED)
    attributes = [{"key": "cbf_cost", "value": "ENG-1"}]
    async with http_client(sandbox_server) as client:
        await client.update_user("ann@acme.example", {"custom_attributes": attributes})
    state, reader, _ = await _read(sandbox_server, ReadRequest())
    ann = state.user("ann@acme.example")
    bob = state.user("bob@acme.example")
    assert ann is not None
    assert bob is not None
    assert ann.profile["custom_attributes"] == [{**attributes[0], "name": "cbf_cost"}]
    assert "custom_attributes" not in bob.profile
    assert reader.report.calls[ReadKind.USER_DETAILS] == 0


async def test_user_details_are_read_for_the_requested_users_only(
    sandbox_server: ServerInfo,
) -> None:
    seed_server(sandbox_server, SEED)
    async with http_client(sandbox_server) as client:
        await client.update_user("ann@acme.example", {"company": "Acme", "location": "Lyon"})
    request = ReadRequest(user_details=frozenset({"ann@acme.example", "gone@acme.example"}))
    state, reader, _ = await _read(sandbox_server, request)
    ann = state.user("ann@acme.example")
    assert ann is not None
    assert ann.profile["job_title"] == "Lead"
    assert ann.profile["company"] == "Acme"
    assert ann.profile["location"] == "Lyon"
    assert ann.profile["first_name"] == "Ann"
    bob = state.user("bob@acme.example")
    assert bob is not None
    assert "job_title" not in bob.profile
    assert reader.report.calls[ReadKind.USER_DETAILS] == 1


async def test_only_the_settings_options_asked_for_are_read(sandbox_server: ServerInfo) -> None:
    seed_server(sandbox_server, SEED)
    request = ReadRequest(
        settings=ReadRequest.everything().settings,
        settings_parts=frozenset({"meeting_security"}),
    )
    state, reader, _ = await _read(sandbox_server, request)
    developers = state.group_named("Developers")
    assert developers is not None
    assert developers.settings is not None
    assert set(developers.settings) == {"meeting_security"}
    assert developers.lock_settings is None
    assert reader.report.calls[ReadKind.GROUP_SETTINGS] == 2


def _users_seed(count: int, status: str = "active") -> dict[str, object]:
    users: list[dict[str, str]] = [
        {"email": f"u{i:05d}@acme.example", "status": status} for i in range(count)
    ]
    return {"version": 1, "users": users}


# Every account has its owner, so the smallest listing of active users has one.
@pytest.mark.parametrize("count", [1, 299, 300, 301, 600, 601])
async def test_listing_pages_end_exactly_where_the_users_do(
    sandbox_server: ServerInfo, count: int
) -> None:
    seed = _users_seed(count)
    seed["users"][0]["role"] = "owner"  # type: ignore[index]
    seed_server(sandbox_server, seed)
    state, reader, _ = await _read(sandbox_server, ReadRequest())
    assert len(state.users) == count
    assert len({u.key for u in state.users}) == count
    # One listing per status; only the active one has users.
    assert reader.report.calls[ReadKind.USERS] == pages(ReadKind.USERS, count) + 2


async def test_pending_users_page_too_and_are_keyed_by_email(sandbox_server: ServerInfo) -> None:
    seed_server(sandbox_server, _users_seed(301, "pending"))
    state, reader, _ = await _read(sandbox_server, ReadRequest())
    pending = [u for u in state.users if u.is_pending]
    assert len(pending) == 301
    assert all(u.id is None for u in pending)
    assert [u.key for u in state.users if not u.is_pending] == [DEFAULT_OWNER_EMAIL]
    assert state.user("u00300@acme.example") is not None
    assert reader.report.calls[ReadKind.USERS] == 1 + 2 + 1


async def test_contact_groups_page_at_fifty(sandbox_server: ServerInfo) -> None:
    groups = [
        {"name": f"Office {i:03d}", "members": {"users": ["u00000@acme.example"]}}
        for i in range(51)
    ]
    seed_server(sandbox_server, {**_users_seed(1), "contact_groups": groups})
    state, reader, _ = await _read(sandbox_server, ReadRequest(contact_groups=True))
    assert state.contact_groups is not None
    assert len(state.contact_groups) == 51
    assert reader.report.calls[ReadKind.CONTACT_GROUPS] == 2
    assert all(c.members is not None and len(c.members) == 1 for c in state.contact_groups)


async def test_progress_reports_every_call_and_finishes_each_kind(
    sandbox_server: ServerInfo,
) -> None:
    seed_server(sandbox_server, SEED)
    events: list[ReadProgress] = []
    _, reader, _ = await _read(sandbox_server, ReadRequest.everything(), events)
    last = {event.kind: event for event in events}
    assert set(last) >= set(reader.report.calls)
    for kind, calls in reader.report.calls.items():
        assert last[kind].finished
        assert last[kind].calls == calls
    users = last[ReadKind.USERS]
    assert users.items == 4
    assert users.total == 3
    settings_totals = {e.total for e in events if e.kind is ReadKind.GROUP_SETTINGS}
    assert settings_totals == {8}
    listing_totals = {e.total for e in events if e.kind is ReadKind.USERS and not e.finished}
    assert None in listing_totals


async def test_reads_survive_server_errors_dropped_connections_and_429s(
    sandbox_server: ServerInfo,
) -> None:
    seed_server(sandbox_server, SEED)
    clean, _, _ = await _read(sandbox_server, ReadRequest.everything())
    # The reader's requests race, so which one meets a fault is not fixed: seven faults for the
    # client's eight attempts, so that none can exhaust a call's retries, whichever it hits.
    script = {"1": 0, "2": 503, "3": 429, "6": 500, "9": 0, "12": 429, "14": 502}
    assert len(script) < RetryPolicy().attempts
    response = httpx.post(
        f"{sandbox_server.root_url}/_sandbox/config",
        json={"faults": {"script": script}},
        timeout=10,
    )
    assert response.status_code == 200
    httpx.delete(f"{sandbox_server.root_url}/_sandbox/journal", timeout=10)
    async with http_client(sandbox_server) as client:
        reader = LiveReader(client)
        faulty = await reader.read(ReadRequest.everything())
        retries = client.stats.retries
    journal = httpx.get(f"{sandbox_server.root_url}/_sandbox/journal", timeout=10).json()
    failed = sorted(e["status"] for e in journal["entries"] if e["status"] != 200)
    assert faulty == clean
    assert failed == [0, 0, 429, 429, 500, 502, 503]
    assert retries == len(script)


async def test_a_failed_read_raises_the_zoom_error_itself_and_stops_the_rest(
    sandbox_server: ServerInfo,
) -> None:
    seed_server(sandbox_server, SEED)
    response = httpx.post(
        f"{sandbox_server.root_url}/_sandbox/config",
        json={"faults": {"fault_rate": 1.0, "drop_share": 0.0}},
        timeout=10,
    )
    assert response.status_code == 200
    async with http_client(sandbox_server, RetryPolicy(attempts=1)) as client:
        with pytest.raises(ServerError) as failed:
            await LiveReader(client).read(ReadRequest.everything())
        assert failed.value.status >= 500


def _free_plan(server: ServerInfo) -> None:
    response = httpx.post(
        f"{server.root_url}/_sandbox/config", json={"paid_account": False}, timeout=10
    )
    assert response.status_code == 200


async def test_an_export_reads_every_users_own_record(sandbox_server: ServerInfo) -> None:
    seed_server(sandbox_server, SEED)
    state, reader, calls = await _read(sandbox_server, ReadRequest.for_export())
    assert reader.report.calls[ReadKind.USER_DETAILS] == 4  # pending pat too, by email
    ann = state.user("ann@acme.example")
    assert ann is not None
    assert ann.profile["job_title"] == "Lead"
    assert ann.group_ids  # the listing's memberships survive the merge
    assert calls[Category.LIGHT] >= 4


async def test_a_plan_without_groups_reads_on_when_zoom_refuses_them(
    sandbox_server: ServerInfo,
) -> None:
    """A free account answers 400 code 200 to groups and contact groups."""
    seed_server(sandbox_server, {"version": 1, "users": [{"email": "a@acme.example"}]})
    _free_plan(sandbox_server)
    state, reader, _ = await _read(sandbox_server, ReadRequest.for_export())
    assert state.groups == ()
    assert state.contact_groups is None
    assert [u.key for u in state.users] == ["a@acme.example", DEFAULT_OWNER_EMAIL]
    refused = reader.report.unavailable
    assert set(refused) == {ReadKind.GROUPS, ReadKind.CONTACT_GROUPS}
    assert all(reason.startswith("Only available for paid account") for reason in refused.values())


@pytest.mark.parametrize(
    "request_",
    [ReadRequest.everything(), ReadRequest(contact_groups=True, groups_optional=True)],
)
async def test_a_read_that_needs_what_zoom_refuses_fails_with_zooms_answer(
    sandbox_server: ServerInfo, request_: ReadRequest
) -> None:
    _free_plan(sandbox_server)
    with pytest.raises(ZoomAPIError) as refused:
        await _read(sandbox_server, request_)
    assert (refused.value.status, refused.value.code) == (400, 200)


async def test_a_user_deleted_between_listing_and_record_keeps_the_listing(
    sandbox_app: SandboxApp,
) -> None:
    seed_app(sandbox_app, SEED)
    store = sandbox_app.sandbox.store

    def delete_bob_before_the_records(event: ReadProgress) -> None:
        if event.kind is ReadKind.USER_DETAILS and event.calls == 0:
            store.delete_user(store.user("bob@acme.example"), "delete")

    async with in_process_client(sandbox_app) as client:
        reader = LiveReader(client, delete_bob_before_the_records)
        state = await reader.read(ReadRequest.for_export())
    bob = state.user("bob@acme.example")
    assert bob is not None
    assert bob.profile["first_name"] == "Bob"
    ann = state.user("ann@acme.example")
    assert ann is not None
    assert ann.profile["job_title"] == "Lead"
    assert reader.report.calls[ReadKind.USER_DETAILS] == 4


LOCKED_SEED = """
account:
  lock_settings:
    in_meeting: {chat: true}
groups:
  - name: Sales
    settings: {in_meeting: {chat: false}}
"""

SETTINGS_PLAN = ReadRequest(
    settings=GroupSelection(names=frozenset({"Sales"})),
    settings_parts=frozenset({None}),
    account_lock_settings=True,
)


async def test_the_account_locks_are_read_in_one_medium_call(sandbox_app: SandboxApp) -> None:
    seed_app(sandbox_app, LOCKED_SEED)
    state, report = await read_in_process(sandbox_app, SETTINGS_PLAN)
    assert report.calls[ReadKind.ACCOUNT_LOCK_SETTINGS] == 1
    assert state.account_lock_settings is not None
    assert (
        state.account_lock_settings["in_meeting"]
        == read(Document.LOCK_SETTINGS, {"in_meeting": {"chat": True}})["in_meeting"]
    )
    assert report.unavailable == {}
    journal = sandbox_app.sandbox.journal.as_json()["entries"]
    locks = [e for e in journal if e["path"] == "/v2/accounts/me/lock_settings"]
    assert [(e["method"], e["category"], e["status"]) for e in locks] == [("GET", "Medium", 200)]


async def test_without_the_scope_the_read_goes_on_without_account_locks(
    sandbox_app: SandboxApp,
) -> None:
    seed_app(sandbox_app, LOCKED_SEED)
    sandbox_app.sandbox.configure(
        {"withheld_scopes": ["account:read:lock_settings:admin", "account:read:admin"]}
    )
    events: list[ReadProgress] = []
    async with in_process_client(sandbox_app) as client:
        reader = LiveReader(client, events.append)
        state = await reader.read(SETTINGS_PLAN)
    assert state.account_lock_settings is None
    assert state.group_named("Sales") is not None
    refused = reader.report.unavailable
    assert list(refused) == [ReadKind.ACCOUNT_LOCK_SETTINGS]
    assert "does not contain scopes" in refused[ReadKind.ACCOUNT_LOCK_SETTINGS]
    told = [e for e in events if e.unavailable is not None]
    assert {e.kind for e in told} == {ReadKind.ACCOUNT_LOCK_SETTINGS}
    assert reader.report.calls[ReadKind.ACCOUNT_LOCK_SETTINGS] == 1


def _zoom_refusing_account_locks(answer: httpx.Response) -> FakeZoom:
    """Empty listings everywhere; the account's lock settings get `answer`."""

    def respond(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/accounts/me/lock_settings"):
            return answer
        return httpx.Response(200, json={"next_page_token": ""})

    return FakeZoom(respond)


@pytest.mark.parametrize(
    "answer",
    [
        zoom_error(
            400, 4711, "Invalid access token, does not contain scopes:[account:read:admin]."
        ),
        zoom_error(
            403, 4711, "Invalid access token, does not contain scopes:[account:read:admin]."
        ),
        zoom_error(404, 2001, "Account does not exist: me."),
    ],
)
async def test_every_refusal_of_the_account_locks_is_let_go(answer: httpx.Response) -> None:
    zoom = _zoom_refusing_account_locks(answer)
    async with make_client(zoom) as client:
        reader = LiveReader(client)
        state = await reader.read(ReadRequest(account_lock_settings=True))
    assert state.account_lock_settings is None
    assert set(reader.report.unavailable) == {ReadKind.ACCOUNT_LOCK_SETTINGS}


async def test_a_server_failure_on_the_account_locks_fails_the_read() -> None:
    """Only Zoom's refusals are let go; a broken server fails the read as any read would."""
    zoom = _zoom_refusing_account_locks(zoom_error(500, None, "Internal Server Error"))
    async with make_client(zoom) as client:
        with pytest.raises(ServerError):
            await LiveReader(client).read(ReadRequest(account_lock_settings=True))
