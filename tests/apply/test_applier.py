"""The applier against the in-process sandbox with the real client: order, batching, skipping,
read-back of ambiguous writes. Changes are built by hand: the differ has tests of its own."""

from __future__ import annotations

import asyncio

import pytest

from reconciler.apply import Applier, ChangeResult, Outcome
from reconciler.apply.applier import IN_FLIGHT, INTERRUPTED, NOT_STARTED
from reconciler.model.enums import CreateAction
from reconciler.model.live import ContactMemberType
from reconciler.plan.changes import (
    ContactGroupCreate,
    ContactGroupMemberAdd,
    ContactGroupMemberRemove,
    DeleteMode,
    DivisionCreate,
    DivisionMemberAdd,
    FieldChange,
    GroupAdminAdd,
    GroupCreate,
    GroupDelete,
    GroupMemberAdd,
    GroupMemberRemove,
    GroupSettingsUpdate,
    SettingChange,
    UserCreate,
    UserDelete,
    UserUpdate,
)
from reconciler.sandbox import SandboxApp, SandboxOptions, create_app
from reconciler.sandbox import Tier as SandboxTier
from reconciler.sandbox.entities import ContactMemberType as StoreMemberType
from reconciler.sandbox.entities import UserStatus
from reconciler.sandbox.ratelimit import USER_CREATE_DAILY, Category
from tests.apply.support import AppliedThenFailed, Unavailable, requests, seed, zoom_client

pytestmark = pytest.mark.anyio

OWNER = """
version: 1
users:
  - {email: owner@acme.example, role: owner, first_name: Olive, last_name: Owner}
"""


async def test_bootstraps_objects_in_dependency_order(sandbox_app: SandboxApp) -> None:
    store = seed(sandbox_app, OWNER)
    changes = [
        ContactGroupMemberAdd(
            contact_group="Office", member_type=ContactMemberType.GROUP, member="Devs"
        ),
        ContactGroupMemberAdd(
            contact_group="Office", member_type=ContactMemberType.USER, member="ann@acme.example"
        ),
        ContactGroupCreate(name="Office", privacy=2, description="Office A"),
        GroupSettingsUpdate(
            group="Devs",
            changes=(
                SettingChange(path=("in_meeting", "chat"), old=None, new=False, old_present=False),
            ),
        ),
        DivisionMemberAdd(division="Eng", email="ann@acme.example"),
        GroupAdminAdd(group="Devs", email="ann@acme.example"),
        GroupMemberAdd(group="Devs", email="ann@acme.example", primary=True),
        UserCreate(
            email="Ann@acme.example",
            create_action="custCreate",
            type=2,
            profile={"first_name": "Ann", "last_name": "Lee", "job_title": "Developer"},
        ),
        GroupCreate(name="Devs"),
        DivisionCreate(name="Eng", description="Engineering"),
    ]
    async with zoom_client(sandbox_app) as zoom:
        report = await Applier(zoom).apply(changes)

    assert [r.outcome for r in report.results] == [Outcome.DONE] * len(changes), report.results
    ann = store.user("ann@acme.example")
    devs = next(g for g in store.groups.values() if g.name == "Devs")
    eng = next(d for d in store.divisions.values() if d.name == "Eng")
    office = next(c for c in store.contact_groups.values() if c.name == "Office")
    assert (ann.first_name, ann.job_title, int(ann.type)) == ("Ann", "Developer", 2)
    assert ann.group_ids == [devs.id]
    assert ann.id in devs.admins
    assert ann.division_id == eng.id
    assert eng.description == "Engineering"
    assert devs.settings["settings"]["in_meeting"]["chat"] is False
    assert set(office.members) == {(StoreMemberType.USER, ann.id), (StoreMemberType.GROUP, devs.id)}
    # The members travelled with the create: no separate request added them.
    assert requests(sandbox_app, "POST", "/contacts/groups") == 1
    assert report.calls == requests(sandbox_app, "", "/v2/")


async def test_member_adds_travel_thirty_to_a_request(sandbox_app: SandboxApp) -> None:
    users = "\n".join(f"  - {{email: u{i}@acme.example}}" for i in range(65))
    store = seed(sandbox_app, f"version: 1\ngroups:\n  - {{name: Big}}\nusers:\n{users}\n")
    big = next(iter(store.groups.values()))
    changes = [
        GroupMemberAdd(
            group="Big",
            group_id=big.id,
            email=f"u{i}@acme.example",
            user_id=store.user(f"u{i}@acme.example").id,
        )
        for i in range(65)
    ]
    async with zoom_client(sandbox_app) as zoom:
        report = await Applier(zoom).apply(changes)
    assert report.ok
    assert len(big.members) == 65
    assert requests(sandbox_app, "POST", f"/groups/{big.id}/members") == 3


async def test_a_failure_skips_only_its_dependants(sandbox_app: SandboxApp) -> None:
    store = seed(sandbox_app, OWNER)
    changes = [
        # Zoom refuses type 99 unless the user is created with ssoCreate.
        UserCreate(email="bad@acme.example", create_action="custCreate", type=99),
        UserCreate(email="good@acme.example", create_action="custCreate", type=1),
        GroupCreate(name="Team"),
        GroupMemberAdd(group="Team", email="bad@acme.example"),
        GroupMemberAdd(group="Team", email="good@acme.example"),
    ]
    async with zoom_client(sandbox_app) as zoom:
        report = await Applier(zoom).apply(changes)
    outcome = {(r.change.kind.value, r.change.key): r for r in report.results}
    assert outcome[("user", "bad@acme.example")].outcome is Outcome.FAILED
    assert "type 99" in outcome[("user", "bad@acme.example")].message
    skipped = outcome[("group_member", "Team/bad@acme.example")]
    assert skipped.outcome is Outcome.SKIPPED
    assert "user create bad@acme.example" in skipped.message
    assert outcome[("group_member", "Team/good@acme.example")].outcome is Outcome.DONE
    assert not report.ok
    team = next(iter(store.groups.values()))
    assert [store.users[i].email for i in team.members] == ["good@acme.example"]


async def test_a_refused_batch_is_split_so_only_the_culprit_fails(sandbox_app: SandboxApp) -> None:
    store = seed(
        sandbox_app,
        "version: 1\ngroups: [{name: G}]\nusers: [{email: a@acme.example}, {email: b@acme.example}]\n",
    )
    group = next(iter(store.groups.values()))
    changes = [
        GroupMemberAdd(group="G", group_id=group.id, email=email)
        for email in ("a@acme.example", "ghost@acme.example", "b@acme.example")
    ]
    async with zoom_client(sandbox_app) as zoom:
        report = await Applier(zoom).apply(changes)
    by_key = {r.change.key: r.outcome for r in report.results}
    assert by_key == {
        "G/a@acme.example": Outcome.DONE,
        "G/ghost@acme.example": Outcome.FAILED,
        "G/b@acme.example": Outcome.DONE,
    }
    assert {store.users[i].email for i in group.members} == {"a@acme.example", "b@acme.example"}


async def test_destructive_changes_run_after_adds_and_before_what_they_lean_on(
    sandbox_app: SandboxApp,
) -> None:
    store = seed(
        sandbox_app,
        """
version: 1
groups: [{name: Old}]
users:
  - {email: gone@acme.example, groups: [Old]}
  - {email: new@acme.example}
contact_groups:
  - {name: Desk, members: {users: [gone@acme.example]}}
""",
    )
    old = next(iter(store.groups.values()))
    desk = next(iter(store.contact_groups.values()))
    gone = store.user("gone@acme.example")
    new = store.user("new@acme.example")
    changes = [
        UserDelete(
            email="gone@acme.example",
            user_id=gone.id,
            mode=DeleteMode.DELETE,
            status="active",
            type=1,
        ),
        GroupMemberRemove(group="Old", group_id=old.id, email="gone@acme.example", user_id=gone.id),
        GroupDelete(group_id=old.id, name="Old", total_members=1),
        # Removing Desk's only member works only once the new member is in.
        ContactGroupMemberRemove(
            contact_group="Desk",
            contact_group_id=desk.id,
            member_type=ContactMemberType.USER,
            member="gone@acme.example",
            member_id=gone.id,
        ),
        ContactGroupMemberAdd(
            contact_group="Desk",
            contact_group_id=desk.id,
            member_type=ContactMemberType.USER,
            member="new@acme.example",
            member_id=new.id,
        ),
    ]
    async with zoom_client(sandbox_app) as zoom:
        report = await Applier(zoom).apply(changes)
    assert report.ok, report.results
    assert not store.has_email("gone@acme.example")
    assert not store.groups
    assert set(desk.members) == {(StoreMemberType.USER, new.id)}


async def test_user_update_sends_type_alone_and_deactivates_last(sandbox_app: SandboxApp) -> None:
    store = seed(sandbox_app, "version: 1\nusers: [{email: u@acme.example, type: licensed}]\n")
    change = UserUpdate(
        email="u@acme.example",
        profile=(FieldChange(field="dept", old="", new="Sales"),),
        type=FieldChange(field="type", old=2, new=1),
        status=FieldChange(field="status", old="active", new="inactive"),
    )
    async with zoom_client(sandbox_app) as zoom:
        report = await Applier(zoom).apply([change])
    assert report.ok
    user = store.user("u@acme.example")
    assert (user.dept, int(user.type), user.status) == ("Sales", 1, UserStatus.INACTIVE)
    assert requests(sandbox_app, "PATCH", "/users/") == 2


async def test_an_applied_then_failed_create_is_read_back_not_repeated(
    sandbox_app: SandboxApp,
) -> None:
    store = seed(sandbox_app, OWNER)
    flaky = AppliedThenFailed(
        sandbox_app, lambda method, path: method == "POST" and path == "/v2/users"
    )
    changes = [
        UserCreate(email="once@acme.example", create_action="custCreate", type=1),
        GroupCreate(name="Crew"),
        GroupMemberAdd(group="Crew", email="once@acme.example"),
    ]
    async with zoom_client(sandbox_app, flaky) as zoom:
        report = await Applier(zoom).apply(changes)
    assert report.ok, report.results
    assert flaky.left == 0
    assert requests(sandbox_app, "POST", "/v2/users") == 1
    assert requests(sandbox_app, "GET", "/v2/users/once@acme.example") == 1
    crew = next(iter(store.groups.values()))
    assert [store.users[i].email for i in crew.members] == ["once@acme.example"]


async def test_an_unclear_create_that_cannot_be_read_back_fails_and_is_never_resent(
    sandbox_app: SandboxApp,
) -> None:
    """Zoom may hold the group: with no way to look, sending it again could make two."""
    store = seed(sandbox_app, OWNER)
    applied = AppliedThenFailed(
        sandbox_app, lambda method, path: method == "POST" and path == "/v2/groups"
    )
    blind = Unavailable(applied, lambda method, path: method == "GET" and path == "/v2/groups")
    changes = [
        GroupCreate(name="Crew"),
        GroupMemberAdd(group="Crew", email="owner@acme.example"),
        DivisionCreate(name="Elsewhere"),
    ]
    async with zoom_client(sandbox_app, blind) as zoom:
        report = await Applier(zoom).apply(changes)
    create, add, division = report.results
    assert create.outcome is Outcome.FAILED
    assert "POST /groups may or may not have been applied" in create.message
    assert "reading it back failed" in create.message
    assert add.outcome is Outcome.SKIPPED
    assert division.outcome is Outcome.DONE  # independent work still runs
    assert requests(sandbox_app, "POST", "/v2/groups") == 1
    assert [g.name for g in store.groups.values()] == ["Crew"]  # applied once, as Zoom did


async def test_an_applied_then_failed_member_add_adds_only_the_missing(
    sandbox_app: SandboxApp,
) -> None:
    store = seed(
        sandbox_app,
        "version: 1\ngroups: [{name: G}]\nusers: [{email: a@acme.example}, {email: b@acme.example}]\n",
    )
    group = next(iter(store.groups.values()))
    flaky = AppliedThenFailed(
        sandbox_app, lambda method, path: method == "POST" and path.endswith("/members")
    )
    changes = [
        GroupMemberAdd(group="G", group_id=group.id, email="a@acme.example"),
        GroupMemberAdd(group="G", group_id=group.id, email="b@acme.example"),
    ]
    async with zoom_client(sandbox_app, flaky) as zoom:
        report = await Applier(zoom).apply(changes)
    assert report.ok
    assert (
        requests(sandbox_app, "POST", "/members") == 1
    )  # read back, found both, sent nothing more
    assert requests(sandbox_app, "GET", "/members") == 1
    assert len(group.members) == 2


async def test_settings_in_an_option_section_go_in_their_own_request(
    sandbox_app: SandboxApp,
) -> None:
    store = seed(sandbox_app, "version: 1\ngroups: [{name: G}]\n")
    group = next(iter(store.groups.values()))
    change = GroupSettingsUpdate(
        group="G",
        group_id=group.id,
        changes=(
            SettingChange(path=("in_meeting", "chat"), old=True, new=False),
            SettingChange(path=("meeting_security", "waiting_room"), old=False, new=True),
        ),
    )
    async with zoom_client(sandbox_app) as zoom:
        report = await Applier(zoom).apply([change])
        settings = await zoom.get_group_settings(group.id)
    assert report.ok, report.results
    assert requests(sandbox_app, "PATCH", "/settings") == 2
    assert settings["in_meeting"]["chat"] is False


async def test_a_daily_limit_stops_the_run_and_nothing_more_is_sent() -> None:
    app = create_app(SandboxOptions(rate_limits=True, random_seed=1))
    store = seed(app, "version: 1\ngroups: [{name: Doomed}]\n")
    doomed = next(iter(store.groups.values()))
    for _ in range(USER_CREATE_DAILY[SandboxTier.PRO]):  # today's invitations are all used up
        app.sandbox.limiter.charge_cap(
            "user-create", USER_CREATE_DAILY[SandboxTier.PRO], Category.LIGHT
        )
    changes = [
        UserCreate(email="late@acme.example", create_action="create", type=1),
        GroupDelete(group_id=doomed.id, name="Doomed"),
    ]
    async with zoom_client(app) as zoom:
        report = await Applier(zoom).apply(changes)
    create, delete = report.results
    assert create.outcome is Outcome.FAILED
    assert "used up" in create.message
    assert report.stopped == create.message
    assert delete.outcome is Outcome.SKIPPED
    assert "the run stopped" in delete.message
    assert doomed.id in store.groups
    assert requests(app, "DELETE", "/groups/") == 0


async def test_applied_then_failed_admin_division_and_contact_group_creates_are_read_back(
    sandbox_app: SandboxApp,
) -> None:
    store = seed(sandbox_app, "version: 1\ngroups: [{name: G}]\nusers: [{email: a@acme.example}]\n")
    group = next(iter(store.groups.values()))
    user = store.user("a@acme.example")
    flaky = AppliedThenFailed(
        sandbox_app,
        lambda method, path: (
            method == "POST"
            and (path.endswith("/admins") or path in ("/v2/divisions", "/v2/contacts/groups"))
        ),
        times=3,
    )
    changes = [
        GroupAdminAdd(group="G", group_id=group.id, email="a@acme.example", user_id=user.id),
        DivisionCreate(name="North"),
        ContactGroupCreate(name="Desk"),
        ContactGroupMemberAdd(
            contact_group="Desk", member_type=ContactMemberType.USER, member="a@acme.example"
        ),
    ]
    async with zoom_client(sandbox_app, flaky) as zoom:
        report = await Applier(zoom).apply(changes)
    assert report.ok, report.results
    assert flaky.left == 0
    assert list(group.admins) == [user.id]
    assert [d.name for d in store.divisions.values()].count("North") == 1
    (desk,) = store.contact_groups.values()
    assert set(desk.members) == {(StoreMemberType.USER, user.id)}
    for path in ("/admins", "/v2/divisions", "/v2/contacts/groups"):
        assert requests(sandbox_app, "POST", path) == 1, path


async def test_an_interrupted_run_reports_what_was_done_and_what_was_left(
    sandbox_app: SandboxApp,
) -> None:
    """Ctrl-C cancels the run: the report still accounts for every change, nothing is lost."""
    store = seed(sandbox_app, OWNER)
    emails = [f"u{i:02}@acme.example" for i in range(20)]
    changes = [
        GroupCreate(name="Team"),
        *(UserCreate(email=e, create_action=CreateAction.CREATE, type=1) for e in emails),
        *(GroupMemberAdd(group="Team", email=e) for e in emails),
    ]
    settled: list[Outcome] = []
    enough = asyncio.Event()

    def seen(result: ChangeResult) -> None:
        settled.append(result.outcome)
        if len(settled) == 5:
            enough.set()

    async with zoom_client(sandbox_app) as zoom:
        run = asyncio.ensure_future(Applier(zoom, on_result=seen).apply(changes))
        await enough.wait()
        run.cancel()
        report = await run

    assert report.stopped == INTERRUPTED
    assert not report.ok
    assert len(report.results) == len(changes)  # every change is accounted for
    done = {r.change.key for r in report.results if r.outcome is Outcome.DONE}
    assert 5 <= len(done) < len(changes)
    left = [r for r in report.results if r.outcome is not Outcome.DONE]
    assert {r.message for r in left} <= {IN_FLIGHT, NOT_STARTED}
    # the members wait for every user (one batch), so none of them was sent
    not_started = {r.change.key for r in left if r.message == NOT_STARTED}
    assert not_started >= {f"Team/{e}" for e in emails}
    created = {u.email for u in store.users.values()}
    assert {key for key in done if "/" not in key} - {"Team"} <= created
    assert not any(g.members for g in store.groups.values() if g.name == "Team")
    assert "Stopped early: interrupted" in report.text()
