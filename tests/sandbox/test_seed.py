"""Seeding from the configuration format, from a state dump, and from the generator."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from ruamel.yaml import YAML

from reconciler.sandbox import (
    SandboxOptions,
    SeedError,
    ServerInfo,
    create_app,
    dump_state,
    generate_account,
)
from reconciler.sandbox.clock import Clock
from reconciler.sandbox.owner import DEFAULT_OWNER_EMAIL
from reconciler.sandbox.seed import load_seed_file, load_seed_text
from reconciler.sandbox.settings import Document
from reconciler.sandbox.store import Store
from reconciler.schema import (
    check_settings,
    merge_settings_responses,
    settings_options,
    settings_schema,
)
from reconciler.schema.documents import GROUP_DOCUMENTS
from tests.sandbox.support import in_process_client

SEED = """\
version: 1
divisions:
  - name: Engineering
    description: Product engineering
    id: div-eng
  - name: Field
    id: div-field
    members: [ann@acme.example]
groups:
  - name: Developers
    id: grp-dev
    members: [ann@acme.example]
    admins: [lead@acme.example]
    settings:
      in_meeting: {chat: true}
    lock_settings:
      in_meeting: {chat: true}
  - name: Ops
users:
  - email: owner@acme.example
    role: owner
    type: licensed
  - email: lead@acme.example
    first_name: Lee
    last_name: Lead
    type: 2
    groups: [Ops, Developers]
    division: Engineering
  - email: ann@acme.example
    status: inactive
  - email: newbie@acme.example
    status: pending
contact_groups:
  - name: Office A
    privacy: members_only
    members:
      users: [ann@acme.example]
      groups: [Developers]
"""


def _store() -> Store:
    return Store(account_id="a", clock=Clock(), seed=5)


def test_yaml_seed_builds_the_described_account(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(SEED)
    store = _store()
    load_seed_file(store, path)
    lead = store.user("lead@acme.example")
    ops = next(g for g in store.groups.values() if g.name == "Ops")
    assert lead.group_ids == [ops.id, "grp-dev"]  # the first group is the primary group
    assert lead.division_id == "div-eng"
    assert store.user("ann@acme.example").division_id == "div-field"
    assert list(store.divisions["div-field"].members) == [store.user("ann@acme.example").id]
    assert lead.display_name == "Lee Lead"
    assert list(store.group("grp-dev").members) == [lead.id, store.user("ann@acme.example").id]
    assert list(store.group("grp-dev").admins) == [lead.id]
    assert store.group("grp-dev").settings == {
        "settings": {"in_meeting": {"chat": True}},
        "lock_settings": {"in_meeting": {"chat": True}},
    }
    assert store.user("newbie@acme.example").status.value == "pending"
    assert store.user("owner@acme.example").role.value == "0"
    contact = next(iter(store.contact_groups.values()))
    assert contact.privacy.value == 3
    assert len(contact.members) == 2


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("users: [{email: a@x.example, groups: [Nope]}]", "unknown group 'Nope'"),
        ("users: [{email: a@x.example, division: Nope}]", "unknown division 'Nope'"),
        ("groups: [{name: G, settings: {in_meeting: {chatty: true}}}]", "in_meeting.chatty"),
        ("users: [{email: a@x.example}, {email: A@x.example}]", "already been used"),
        ("user: [{email: a@x.example}]", "unknown top-level keys: user"),
        ("users: [{first_name: Ann}]", r"users\[0\]: `email` is required"),
        ("[1, 2]", "a seed is a mapping"),
        ("users: {a: 1}", "users: must be a list"),
        ("groups: [Sales]", r"groups\[0\]: must be a mapping"),
        (
            "users: [{email: a@x.example, groups: Sales}]",
            r"users\[0\] \(a@x.example\) groups: must be a list of names",
        ),
        (
            "contact_groups: [{name: Desk, members: [a@x.example]}]",
            r"contact_groups\[0\] \(Desk\) members: must be a mapping of `users` and `groups`",
        ),
        (
            "groups: [{name: G, members: [a@x.example], admins: 3}]",
            r"groups\[0\] \(G\) admins: must be a list of names",
        ),
        ("groups: [{name: G, members: [nobody@x.example]}]", "group 'G' members: unknown user"),
        ("divisions: [{name: D, members: [nobody@x.example]}]", "division 'D' members: unknown"),
        (
            "contact_groups: [{name: Desk, members: {users: [nobody@x.example]}}]",
            "contact group 'Desk': unknown user 'nobody@x.example'",
        ),
    ],
)
def test_impossible_seeds_are_refused(text: str, complaint: str) -> None:
    with pytest.raises(SeedError, match=complaint):
        load_seed_text(_store(), text)


def test_state_dump_round_trips(tmp_path: Path) -> None:
    first = _store()
    load_seed_text(first, SEED)
    first.patch_settings(
        first.group("grp-dev"),
        Document.MEETING_SECURITY,
        {"meeting_security": {"waiting_room": True}},
    )
    dumped = dump_state(first)
    path = tmp_path / "state.json"
    path.write_text(json.dumps(dumped))
    second = _store()
    load_seed_file(second, path)
    assert dump_state(second) == dumped


def test_generator_builds_a_large_consistent_account() -> None:
    store = _store()
    generate_account(store, users=2_000, groups=10, divisions=3, seed=1)
    assert len(store.users) == 2_000
    assert len(store.groups) == 10
    assert len(store.divisions) == 4
    statuses = {u.status.value for u in store.users.values()}
    assert statuses == {"active", "inactive", "pending"}
    for group in store.groups.values():
        assert all(group.id in store.users[m].group_ids for m in group.members)
    assert sum(len(d.members) for d in store.divisions.values()) == 2_000


def test_seed_and_reset_through_control_endpoints(sandbox_server: ServerInfo) -> None:
    root = sandbox_server.root_url
    loaded = httpx.post(
        f"{root}/_sandbox/seed", content=SEED, headers={"content-type": "application/yaml"}
    )
    assert loaded.json() == {"users": 4, "groups": 2, "divisions": 3, "contact_groups": 1}
    generated = httpx.post(
        f"{root}/_sandbox/seed", json={"generate": {"users": 50, "groups": 2, "divisions": 1}}
    )
    assert generated.json()["users"] == 50
    refused = httpx.post(f"{root}/_sandbox/seed", content="users: [{email: a, groups: [X]}]")
    assert refused.status_code == 400
    assert "unknown group" in refused.json()["error"]
    assert httpx.post(f"{root}/_sandbox/reset").status_code == 204
    # back to the bare account, which has its owner and no one else
    users = httpx.get(f"{root}/_sandbox/state").json()["users"]
    assert [(u["email"], u["role"]) for u in users] == [(DEFAULT_OWNER_EMAIL, "owner")]


def test_start_seed_is_what_reset_returns_to(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(SEED)
    app = create_app(SandboxOptions(seed_path=path, random_seed=2))
    original = dump_state(app.sandbox.store)
    app.sandbox.store.delete_group(app.sandbox.store.group("grp-dev"))
    app.sandbox.reset()

    def groups(state: dict[str, Any]) -> list[tuple[object, ...]]:
        return [(g["id"], g["name"], g["admins"], g["settings"]) for g in state["groups"]]

    assert groups(dump_state(app.sandbox.store)) == groups(original)
    assert [u["id"] for u in dump_state(app.sandbox.store)["users"]] == [
        u["id"] for u in original["users"]
    ]


EVERY_SETTINGS_FORM = """\
version: 1
groups:
  - name: Developers
    settings:
      in_meeting: {chat: true, allow_participants_chat_with: 3}
      recording: {auto_recording: cloud}
      general_setting: {auto_zoom_room_proximity_connect: true}
      mail_calendar: {email_management: true}
      meeting_security: {waiting_room: true, meeting_password: true}
      meeting_authentication: {meeting_authentication: true}
      recording_authentication:
        recording_authentication: true
        authentication_option: {action: hide, id: recording_authentication_internally}
    lock_settings:
      in_meeting: {chat: true}
      meeting_security: {waiting_room: true}
"""


def _contains(whole: Any, part: Any) -> bool:
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(
            key in whole and _contains(whole[key], value) for key, value in part.items()
        )
    return bool(whole == part)


def test_a_seed_accepts_every_settings_section_the_configuration_accepts() -> None:
    for document in GROUP_DOCUMENTS:
        sections = settings_schema(document)["properties"]
        every_section: dict[str, Any] = {name: {} for name in sections}
        assert check_settings(document, every_section) == []
        load_seed_text(_store(), f"groups: [{{name: G, {document.value}: {every_section}}}]")


def test_seeded_settings_read_back_through_every_option() -> None:
    """What a seed says is what the reconciler's own reader finds, option by option."""
    seed = YAML(typ="safe").load(EVERY_SETTINGS_FORM)
    written = seed["groups"][0]
    for document in GROUP_DOCUMENTS:
        assert check_settings(document, written[document.value]) == []
    app = create_app(SandboxOptions(rate_limits=False, random_seed=4))
    load_seed_text(app.sandbox.store, EVERY_SETTINGS_FORM)
    group_id = next(iter(app.sandbox.store.groups))
    with closing(in_process_client(app)) as zoom:
        for document in GROUP_DOCUMENTS:
            answers = {
                option: zoom.get(
                    f"/v2/groups/{group_id}/{document.value}",
                    params={"option": option} if option else {},
                ).json()
                for option in settings_options(document)
            }
            read_back = merge_settings_responses(document, answers)
            expected = dict(written[document.value])
            expected.get("recording_authentication", {}).pop("authentication_option", None)
            assert _contains(read_back, expected), (document, read_back)
        profiles = zoom.get(
            f"/v2/groups/{group_id}/settings", params={"option": "recording_authentication"}
        ).json()["authentication_options"]
    hidden = next(p for p in profiles if p["id"] == "recording_authentication_internally")
    assert hidden["visible"] is False


@pytest.mark.parametrize(
    ("section", "complaint"),
    [
        ("meeting_security: {waiting_rooom: true}", r"option meeting_security.*waiting_rooom"),
        ("meeting_authentication: {meeting_authentication: 3}", "meeting_authentication"),
        ("general_setting: {nonsense: true}", "general_setting.nonsense"),
    ],
)
def test_option_sections_are_checked_like_their_patch(section: str, complaint: str) -> None:
    with pytest.raises(SeedError, match=complaint):
        load_seed_text(_store(), f"groups: [{{name: G, settings: {{{section}}}}}]")


REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "path",
    [
        REPOSITORY / "examples" / "acme",
        REPOSITORY / "examples" / "sandbox-seed.yaml",
        *sorted((REPOSITORY / "tests" / "config" / "valid").glob("*.yaml")),
    ],
    ids=lambda path: path.name,
)
def test_every_example_configuration_is_a_seed(path: Path) -> None:
    store = _store()
    load_seed_file(store, path)
    assert store.users or store.groups
