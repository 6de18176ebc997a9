"""Export, then plan: the files describe the account exactly, so the plan has no changes.

The account lives in a sandbox (in process, or over real HTTP for the property) and is read
with the real client; the files are loaded with the real configuration loader and compared
with the real differ.
"""

from __future__ import annotations

import string
import tempfile
from pathlib import Path
from typing import Any, cast

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconciler.config import load_config
from reconciler.export import write_export
from reconciler.live import ReadRequest, read_live_state
from reconciler.model.enums import PhoneLabel, PronounsOption
from reconciler.plan import desired_from_config, diff
from reconciler.plan.changes import UserUpdate
from reconciler.sandbox import SandboxOptions, ServerInfo, create_app, generate_account
from reconciler.sandbox.app import SandboxApp
from reconciler.schema import SettingsDocument, split_settings_by_option
from reconciler.zoom import ZoomAPIError, ZoomClient
from reconciler.zoom.types import SettingsOption, StatusAction
from reconciler.zoom.types import UserUpdate as UserPatch
from tests.export.support import export_then_plan, export_then_plan_with
from tests.live.support import http_client, in_process_client, seed_app, seed_server

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
    admins: [owner@acme.example]
users:
  - {email: owner@acme.example, role: owner, groups: [Sales]}
  - {email: Ann@Acme.example, first_name: Ann, last_name: Lee, type: licensed,
     groups: [Developers, Sales], division: Engineering, dept: R&D}
  - {email: bob@acme.example, first_name: Bob, display_name: Bobby, status: inactive}
  - {email: pat@acme.example, first_name: Pat, status: pending, groups: [Developers]}
contact_groups:
  - name: Office A
    privacy: members_only
    members: {users: [Ann@Acme.example, owner@acme.example], groups: [Developers]}
"""


def _app() -> SandboxApp:
    return create_app(SandboxOptions(rate_limits=False, random_seed=1))


async def _patch_settings(
    app: SandboxApp, group: str, document: SettingsDocument, values: dict[str, Any]
) -> None:
    async with in_process_client(app) as client:
        await _patch_settings_with(client, group, document, values)


async def _patch_settings_with(
    client: ZoomClient, group: str, document: SettingsDocument, values: dict[str, Any]
) -> None:
    """Change a group's settings through the API, one request per `option`, as Zoom takes them."""
    group_id = next(g["id"] for g in await client.list_groups() if g["name"] == group)
    for option, body in split_settings_by_option(document, values).items():
        chosen = SettingsOption(option) if option is not None else None
        if document is SettingsDocument.SETTINGS:
            await client.update_group_settings(group_id, body, chosen)
        else:
            await client.update_group_lock_settings(group_id, body, chosen)


async def test_a_mixed_account_plans_clean(tmp_path: Path) -> None:
    app = _app()
    seed_app(app, SEED)
    await _patch_settings(
        app,
        "Developers",
        SettingsDocument.SETTINGS,
        {
            "meeting_security": {"waiting_room": True},
            "meeting_authentication": {"meeting_authentication": True},
            "recording": {"auto_recording": "cloud"},
        },
    )
    await _patch_settings(
        app, "Sales", SettingsDocument.LOCK_SETTINGS, {"meeting_security": {"waiting_room": True}}
    )
    changes, notes = await export_then_plan(app, tmp_path)
    assert changes == []
    groups = (tmp_path / "groups.yaml").read_text(encoding="utf-8")
    assert "auto_recording: cloud" in groups
    assert "waiting_room: true" in groups
    assert notes == []
    users = (tmp_path / "users.yaml").read_text(encoding="utf-8")
    assert "  # pending: invited, has not accepted yet." in users


async def test_a_generated_account_plans_clean(tmp_path: Path) -> None:
    app = _app()
    seed_app(app, lambda store: generate_account(store, users=400, groups=12, divisions=4, seed=3))
    changes, _ = await export_then_plan(app, tmp_path)
    assert changes == []


async def test_profile_fields_only_a_users_own_record_holds_are_exported(tmp_path: Path) -> None:
    app = _app()
    seed_app(app, SEED)
    async with in_process_client(app) as client:
        await client.update_user(
            "ann@acme.example",
            {
                "job_title": "Lead",
                "company": "Acme",
                "location": "Lyon",
                "manager": "owner@acme.example",
                "cost_center": "CC-7",
                "pronouns": "she/her",
                "pronouns_option": 2,
                "vanity_name": "ann.lee",
                "phone_numbers": [
                    {"country": "FR", "code": "+33", "number": "612345678", "label": "Mobile"},
                    {"country": "US", "code": "+1", "number": "5550100"},
                ],
                "custom_attributes": [{"key": "cbf_cost", "value": "CC-9"}],
            },
        )
        await client.update_user("bob@acme.example", {"job_title": "Sales rep"})
    changes, _ = await export_then_plan(app, tmp_path)
    assert changes == []
    users = load_config(tmp_path).users
    ann = next(u for u in users if u.key == "ann@acme.example")
    assert (ann.job_title, ann.company, ann.location) == ("Lead", "Acme", "Lyon")
    assert (ann.manager, ann.cost_center, ann.vanity_name) == (
        "owner@acme.example",
        "CC-7",
        "ann.lee",
    )
    assert (ann.pronouns, ann.pronouns_option) == ("she/her", PronounsOption.ALWAYS)
    assert [(p.number, p.label) for p in ann.phone_numbers or []] == [
        ("612345678", PhoneLabel.MOBILE),
        ("5550100", None),
    ]
    assert [(a.key, a.value) for a in ann.custom_attributes or []] == [("cbf_cost", "CC-9")]
    bob = next(u for u in users if u.key == "bob@acme.example")
    assert (bob.job_title, bob.company, bob.pronouns_option) == ("Sales rep", None, None)
    text = (tmp_path / "users.yaml").read_text(encoding="utf-8")
    assert "verified" not in text  # Zoom's own key stays out of the configuration


async def test_a_change_to_an_exported_job_title_shows_in_the_plan(tmp_path: Path) -> None:
    app = _app()
    seed_app(app, SEED)
    async with in_process_client(app) as client:
        await client.update_user("ann@acme.example", {"job_title": "Lead"})
        state, report = await read_live_state(client, ReadRequest.for_export())
        write_export(state, tmp_path, "x", refused=report.unavailable)
        await client.update_user("ann@acme.example", {"job_title": "Head of R&D"})
        desired = desired_from_config(load_config(tmp_path))
        live, _ = await read_live_state(client, ReadRequest.for_desired(desired))
    changes, _ = diff(desired, live)
    (change,) = changes
    assert isinstance(change, UserUpdate)
    assert [(f.field, f.old, f.new) for f in change.profile] == [
        ("job_title", "Head of R&D", "Lead")
    ]


FREE_SEED = """
version: 1
divisions:
  - {name: Engineering}
users:
  - {email: owner@acme.example, role: owner}
  - {email: ann@acme.example, first_name: Ann, division: Engineering, job_title: Lead}
  - {email: pat@acme.example, status: pending}
"""


def _free_account() -> SandboxApp:
    app = _app()
    seed_app(app, FREE_SEED)
    app.sandbox.configure({"paid_account": False})
    return app


async def test_an_account_without_groups_or_contact_groups_exports_the_rest(
    tmp_path: Path,
) -> None:
    """A free plan refuses groups and contact groups (400, code 200): export says so and goes on."""
    changes, _ = await export_then_plan(_free_account(), tmp_path)
    assert changes == []
    for name, what in (("groups.yaml", "Groups"), ("contact-groups.yaml", "Contact groups")):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert f"# {what} were not exported: Zoom answered 'Only available for paid account" in text
        assert "version: 1" in text
    config = load_config(tmp_path)
    assert (config.groups, config.contact_groups) == ([], [])
    assert [u.key for u in config.users] == ["ann@acme.example", "pat@acme.example"]
    assert config.users[0].job_title == "Lead"


async def test_a_configuration_with_groups_on_an_account_without_them_fails_clearly(
    tmp_path: Path,
) -> None:
    app = _free_account()
    (tmp_path / "zoom.yaml").write_text("version: 1\ngroups: [{name: Developers}]\n")
    desired = desired_from_config(load_config(tmp_path / "zoom.yaml"))
    async with in_process_client(app) as client:
        with pytest.raises(ZoomAPIError) as refused:
            await read_live_state(client, ReadRequest.for_desired(desired))
    assert (refused.value.status, refused.value.code) == (400, 200)
    assert "/groups" in str(refused.value)


async def test_a_change_made_in_zoom_after_the_export_shows_in_the_plan(tmp_path: Path) -> None:
    app = _app()
    seed_app(app, SEED)
    async with in_process_client(app) as client:
        state, _ = await read_live_state(client, ReadRequest.everything())
        write_export(state, tmp_path, "x")
        ann = state.user("ann@acme.example")
        assert ann is not None
        assert ann.id is not None
        await client.set_user_status(ann.id, StatusAction.DEACTIVATE)
        desired = desired_from_config(load_config(tmp_path))
        live, _ = await read_live_state(client, ReadRequest.for_desired(desired))
    changes, _ = diff(desired, live)
    assert len(changes) == 1
    (change,) = changes
    assert isinstance(change, UserUpdate)
    assert change.email == "ann@acme.example"


# -- the property: any account survives export -> plan -------------------------------------

_TRICKY_NAMES = ["yes", "No", "null", "123", "a: b", "#hash", "x, y", "[brackets]", "Ünïcode"]
_NAMES = st.one_of(
    st.from_regex(r"[A-Z][a-z]{1,8}( [A-Z][a-z]{1,6})?", fullmatch=True),
    st.sampled_from(_TRICKY_NAMES),
)
_TEXT = st.text(alphabet=string.ascii_letters + " '-", max_size=10)
_SETTINGS_POOL: list[tuple[SettingsDocument, dict[str, Any]]] = [
    (SettingsDocument.SETTINGS, {"in_meeting": {"chat": True}}),
    (SettingsDocument.SETTINGS, {"in_meeting": {"allow_participants_chat_with": 3}}),
    (SettingsDocument.SETTINGS, {"schedule_meeting": {"host_video": True}}),
    (SettingsDocument.SETTINGS, {"recording": {"auto_recording": "cloud"}}),
    (SettingsDocument.SETTINGS, {"meeting_security": {"waiting_room": True}}),
    (SettingsDocument.SETTINGS, {"recording_authentication": {"recording_authentication": True}}),
    (SettingsDocument.LOCK_SETTINGS, {"in_meeting": {"chat": True}}),
    (SettingsDocument.LOCK_SETTINGS, {"meeting_security": {"waiting_room": True}}),
]


@st.composite
def accounts(draw: st.DrawFn) -> tuple[dict[str, Any], list[tuple[str, int]]]:
    """A seed in the sandbox's format, and (group, settings pool index) pairs to apply."""
    group_names = draw(st.lists(_NAMES, max_size=4, unique=True))
    division_names = draw(
        st.lists(_NAMES.filter(lambda n: n != "Main Division"), max_size=3, unique=True)
    )
    count = draw(st.integers(1, 8))
    users = []
    for i in range(count):
        email = draw(st.sampled_from([f"user{i}@acme.example", f"User{i}@Acme.Example"]))
        user: dict[str, Any] = {
            "email": email,
            "first_name": draw(_TEXT),
            "last_name": draw(_TEXT),
            "type": draw(st.sampled_from([1, 2, 4])),
            "status": draw(st.sampled_from(["active", "active", "inactive", "pending"])),
            "dept": draw(_TEXT),
            "timezone": draw(st.sampled_from(["", "America/Chicago", "Europe/Paris"])),
            "groups": draw(st.lists(st.sampled_from(group_names), unique=True))
            if group_names
            else [],
        }
        if draw(st.booleans()):
            user["display_name"] = draw(_TEXT)
        in_division = draw(st.booleans())
        if division_names and in_division:
            user["division"] = draw(st.sampled_from(division_names))
        if i == 0 and draw(st.booleans()):
            user["role"] = "owner"
            user["status"] = "active"
        users.append(user)
    accepted = [u["email"] for u in users if u["status"] != "pending"]
    groups = [
        {
            "name": name,
            "admins": draw(st.lists(st.sampled_from(accepted), unique=True, max_size=2))
            if accepted
            else [],
        }
        for name in group_names
    ]
    contacts = []
    for name in draw(st.lists(_NAMES, max_size=2, unique=True)):
        member_users = draw(st.lists(st.sampled_from([u["email"] for u in users]), unique=True))
        member_groups = (
            draw(st.lists(st.sampled_from(group_names), unique=True, max_size=3))
            if group_names
            else []
        )
        if not member_users and not member_groups:
            member_users = [users[0]["email"]]
        contacts.append(
            {
                "name": name,
                "privacy": draw(st.sampled_from([1, 2, 3])),
                "description": draw(_TEXT),
                "members": {"users": member_users, "groups": member_groups},
            }
        )
    seed = {
        "version": 1,
        "divisions": [{"name": n, "description": draw(_TEXT)} for n in division_names],
        "groups": groups,
        "users": users,
        "contact_groups": contacts,
    }
    chosen = (
        draw(
            st.lists(
                st.tuples(st.sampled_from(group_names), st.integers(0, len(_SETTINGS_POOL) - 1)),
                max_size=4,
            )
        )
        if group_names
        else []
    )
    return seed, chosen


_PROFILE_PATCHES = st.fixed_dictionaries(
    {},
    optional={
        "company": _TEXT,
        "location": _TEXT,
        "cost_center": _TEXT,
        "pronouns": st.sampled_from(["she/her", "they/them"]),
        "pronouns_option": st.sampled_from([1, 2, 3]),
    },
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(account=accounts(), profile=_PROFILE_PATCHES, job_title=_TEXT)
def test_any_account_survives_export_then_plan_over_http(
    sandbox_server: ServerInfo,
    account: tuple[dict[str, Any], list[tuple[str, int]]],
    profile: dict[str, Any],
    job_title: str,
) -> None:
    """Random accounts, served over real HTTP: the export always plans with no changes."""
    seed, chosen = account
    first = seed["users"][0]
    first["job_title"] = job_title
    seed_server(sandbox_server, seed)

    async def run() -> None:
        async with http_client(sandbox_server) as client:
            for group, index in chosen:
                document, values = _SETTINGS_POOL[index]
                await _patch_settings_with(client, group, document, values)
            if profile and first["status"] != "pending":
                await client.update_user(first["email"], cast(UserPatch, profile))
            with tempfile.TemporaryDirectory() as directory:
                changes, _ = await export_then_plan_with(client, Path(directory))
        assert changes == []

    anyio.run(run)


LICENCES_SEED = """
version: 1
groups:
  - name: Support
users:
  - {email: ann@acme.example, type: licensed, groups: [Support],
     features: {webinar: 1000, large_meeting: 500, zoom_whiteboard: true, concurrent_meeting: plus},
     settings: {in_meeting: {chat: true}, recording: {auto_recording: cloud}}}
  - {email: bob@acme.example, type: licensed}
"""


async def test_licences_and_own_settings_export_and_plan_clean(tmp_path: Path) -> None:
    app = _app()
    seed_app(app, LICENCES_SEED)
    changes, _ = await export_then_plan(app, tmp_path)
    assert changes == []
    users = (tmp_path / "users.yaml").read_text(encoding="utf-8")
    assert "webinar: 1000" in users
    assert "concurrent_meeting: plus" in users
    assert "auto_recording: cloud" in users
    bob = users[users.index("bob@acme.example") :]
    assert "features" not in bob  # no licence, nothing written
    assert "settings" not in bob
