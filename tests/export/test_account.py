"""The account as configuration text: what is written, and what becomes a comment instead."""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml import YAML

from reconciler.export import render_export
from reconciler.live import ReadKind
from reconciler.model.live import (
    ContactMemberType,
    LiveContactGroup,
    LiveContactMember,
    LiveDivision,
    LiveGroup,
    LiveState,
    LiveUser,
    ZoomUserStatus,
)
from reconciler.model.user import User

ACTIVE, INACTIVE, PENDING = ZoomUserStatus.ACTIVE, ZoomUserStatus.INACTIVE, ZoomUserStatus.PENDING

STATE = LiveState(
    users=(
        LiveUser("Boss@acme.example", ACTIVE, 2, id="u0", role_id="0", group_ids=("g2",)),
        LiveUser(
            "ann@acme.example",
            ACTIVE,
            2,
            id="u1",
            profile={
                "first_name": "Ann",
                "last_name": "Lee",
                "display_name": "Ann Lee",
                "dept": "",
            },
            group_ids=("g2", "g1"),
            division_ids=("d1",),
        ),
        LiveUser(
            "bob@acme.example",
            INACTIVE,
            1,
            id="u2",
            profile={"first_name": "Bob", "display_name": "Bobby", "timezone": "Europe/Paris"},
            division_ids=("d0",),
        ),
        LiveUser("odd@acme.example", ACTIVE, 99, id="u3"),
        LiveUser("pat@acme.example", PENDING, 1, group_ids=("g1",)),
    ),
    groups=(
        LiveGroup(
            "g1",
            "Sales",
            admins=frozenset({"ann@acme.example", "boss@acme.example"}),
            settings={"in_meeting": {"chat": True, "breakout_room": False}},
            lock_settings={"in_meeting": {"chat": False}},
        ),
        LiveGroup("g2", "Developers", admins=frozenset({"gone@acme.example"})),
    ),
    divisions=(
        LiveDivision("d0", "Main Division", is_main=True),
        LiveDivision("d1", "Engineering", description="Builders"),
    ),
    contact_groups=(
        LiveContactGroup(
            "c1",
            "Office",
            privacy=2,
            members=frozenset(
                {
                    LiveContactMember(ContactMemberType.USER, "u1"),
                    LiveContactMember(ContactMemberType.USER, "u0"),
                    LiveContactMember(ContactMemberType.GROUP, "g1"),
                }
            ),
        ),
        LiveContactGroup(
            "c2",
            "Mystery",
            members=frozenset({LiveContactMember(ContactMemberType.USER, "someone-else")}),
        ),
        LiveContactGroup("c3", "Office", description="a second one"),
    ),
)


def _load(text: str) -> Any:
    return YAML(typ="safe").load(text)


def test_each_file_starts_with_the_schema_line_and_the_version() -> None:
    files = render_export(STATE, "https://example.test/config.schema.json")
    assert set(files) == {
        "policy.yaml",
        "divisions.yaml",
        "groups.yaml",
        "users.yaml",
        "contact-groups.yaml",
    }
    for text in files.values():
        first = text.splitlines()[0]
        assert first == "# yaml-language-server: $schema=https://example.test/config.schema.json"
        assert _load(text)["version"] == 1


def test_the_owner_is_protected_and_noted_not_written() -> None:
    files = render_export(STATE)
    assert _load(files["policy.yaml"])["policy"] == {"protected_users": ["boss@acme.example"]}
    users = _load(files["users.yaml"])["users"]
    assert "boss@acme.example" not in [u["email"] for u in users]
    assert "# boss@acme.example is the account owner" in files["users.yaml"]


def test_users_carry_their_profile_type_status_groups_and_division() -> None:
    users = {u["email"]: u for u in _load(render_export(STATE)["users.yaml"])["users"]}
    assert users["ann@acme.example"] == {
        "email": "ann@acme.example",
        "id": "u1",  # pinned: a later email change is then a rename, not a new user
        "first_name": "Ann",
        "last_name": "Lee",
        "type": "licensed",
        "status": "active",
        "groups": ["Developers", "Sales"],  # Zoom's order: the first is the primary group
        "division": "Engineering",
    }
    # A display name of its own is kept; a user of the main division names no division.
    assert users["bob@acme.example"] == {
        "email": "bob@acme.example",
        "id": "u2",
        "first_name": "Bob",
        "display_name": "Bobby",
        "timezone": "Europe/Paris",
        "type": "basic",
        "status": "inactive",
    }


def test_what_the_format_cannot_say_becomes_a_comment() -> None:
    users_text = render_export(STATE)["users.yaml"]
    users = {u["email"]: u for u in _load(users_text)["users"]}
    # A pending invitation is declared, so its groups are kept, but its status is a comment.
    assert users["pat@acme.example"] == {
        "email": "pat@acme.example",
        "type": "basic",
        "groups": ["Sales"],
    }
    assert "# pending: invited, has not accepted yet." in users_text
    assert "# type 99 is not one the configuration can set" in users_text
    assert "type" not in users["odd@acme.example"]


def test_groups_write_admins_and_only_non_default_settings() -> None:
    text = render_export(STATE)["groups.yaml"]
    groups = {g["name"]: g for g in _load(text)["groups"]}
    # The owner is protected, so the admin list leaves it out; defaults are not written.
    assert groups["Sales"] == {
        "name": "Sales",
        "admins": ["ann@acme.example"],
        "settings": {"in_meeting": {"chat": True}},
    }
    # An admin missing from the user listings cannot be declared: the admins stay unmanaged.
    assert groups["Developers"] == {"name": "Developers"}
    assert "admins not managed: gone@acme.example" in text


def test_divisions_leave_out_the_main_division_with_a_note() -> None:
    text = render_export(STATE)["divisions.yaml"]
    assert _load(text)["divisions"] == [{"name": "Engineering", "description": "Builders"}]
    assert "# 'Main Division' is the main division" in text


def test_contact_groups_name_their_members_or_leave_them_unmanaged() -> None:
    text = render_export(STATE)["contact-groups.yaml"]
    groups = _load(text)["contact_groups"]
    assert groups == [
        {"name": "Mystery", "privacy": "visible_to_anyone"},
        {
            "name": "Office",
            "privacy": "members_only_searchable_by_anyone",
            "members": {"users": ["ann@acme.example"], "groups": ["Sales"]},
        },
    ]
    assert "members not managed" in text
    assert "someone-else" in text
    assert "another contact group named 'Office' (id c3) is not written" in text


def test_the_same_account_gives_the_same_bytes() -> None:
    reordered = LiveState(
        users=tuple(reversed(STATE.users)),
        groups=tuple(reversed(STATE.groups)),
        divisions=tuple(reversed(STATE.divisions)),
        contact_groups=tuple(reversed(STATE.contact_groups or ())),
    )
    assert render_export(reordered) == render_export(STATE)


def test_names_that_yaml_would_misread_are_quoted() -> None:
    state = LiveState(
        users=(LiveUser("a@acme.example", ACTIVE, 1, id="u1", group_ids=("g1", "g2", "g3")),),
        groups=(LiveGroup("g1", "yes"), LiveGroup("g2", "123"), LiveGroup("g3", "a: b, #c")),
    )
    users = _load(render_export(state)["users.yaml"])["users"]
    assert users[0]["groups"] == ["yes", "123", "a: b, #c"]


def test_contact_groups_not_read_write_no_file() -> None:
    state = LiveState(users=STATE.users, groups=STATE.groups, divisions=STATE.divisions)
    assert "contact-groups.yaml" not in render_export(state)


def _one_user(profile: dict[str, Any]) -> tuple[dict[str, Any], str]:
    state = LiveState(users=(LiveUser("ann@acme.example", ACTIVE, 1, id="u1", profile=profile),))
    text = render_export(state)["users.yaml"]
    (user,) = _load(text)["users"]
    return user, text


def test_fields_of_a_users_own_record_are_written_in_a_fixed_order() -> None:
    user, _ = _one_user(
        {
            "pronouns": "she/her",
            "job_title": "Lead",
            "first_name": "Ann",
            "vanity_name": "ann.lee",
            "company": "Acme",
            "cost_center": "",
            "location": "Lyon",
            "manager": "boss@acme.example",
            "pronouns_option": 2,
            "language": "en-US",
        }
    )
    assert list(user) == [
        "email",
        "id",
        "first_name",
        "job_title",
        "company",
        "location",
        "manager",
        "pronouns",
        "pronouns_option",
        "vanity_name",
        "type",
        "status",
    ]
    assert user["pronouns_option"] == "always"


def test_pronouns_option_without_pronouns_is_zooms_default_not_a_choice() -> None:
    user, _ = _one_user({"pronouns_option": 1, "job_title": "Lead"})
    assert "pronouns_option" not in user


def test_lists_zoom_decorates_are_written_without_zooms_own_keys() -> None:
    phones = [
        {"country": "FR", "code": "+33", "number": "1", "label": "Mobile", "verified": True},
        {"country": "US", "code": "+1", "number": "2", "label": "", "verified": False},
    ]
    attributes = [{"key": "cbf_1", "name": "Cost centre", "value": "42"}]
    user, text = _one_user({"phone_numbers": phones, "custom_attributes": attributes})
    assert user["phone_numbers"] == [
        {"country": "FR", "code": "+33", "number": "1", "label": "Mobile"},
        {"country": "US", "code": "+1", "number": "2"},
    ]
    assert user["custom_attributes"] == attributes
    assert "not exported" not in text
    config = User.model_validate(user)
    assert [p.number for p in config.phone_numbers or []] == ["1", "2"]


@pytest.mark.parametrize(
    ("name", "held", "what"),
    [
        ("phone_numbers", [{"country": "FR", "code": "+33"}], "1 phone number"),
        (
            "phone_numbers",
            [{"country": "FR", "code": "+33", "number": "1", "label": "Pager"}] * 2,
            "2 phone numbers",
        ),
        ("custom_attributes", [{"key": "k"}], "1 custom attribute"),
        ("custom_attributes", [{"key": "k", "value": 3}], "1 custom attribute"),
    ],
)
def test_list_items_the_configuration_cannot_write_are_named_in_a_comment(
    name: str, held: list[dict[str, Any]], what: str
) -> None:
    user, text = _one_user({name: held})
    assert name not in user
    assert f"# {name} not exported: Zoom holds {what} the configuration cannot write" in text


def test_kinds_the_accounts_plan_lacks_are_files_that_say_so() -> None:
    state = LiveState(users=STATE.users, divisions=STATE.divisions)
    reason = "Only available for paid account: abc"
    files = render_export(state, refused={ReadKind.GROUPS: reason, ReadKind.CONTACT_GROUPS: reason})
    for name, what in (("groups.yaml", "Groups"), ("contact-groups.yaml", "Contact groups")):
        assert _load(files[name]) == {"version": 1}
        assert f"# {what} were not exported: Zoom answered '{reason}'" in files[name]
    users = _load(files["users.yaml"])["users"]
    assert all("groups" not in user for user in users)


def test_contact_groups_simply_not_read_write_no_file_even_with_groups_refused() -> None:
    state = LiveState(users=STATE.users)
    files = render_export(state, refused={ReadKind.GROUPS: "Only available for paid account"})
    assert "contact-groups.yaml" not in files


def test_assistants_are_written_only_for_users_that_have_some() -> None:
    state = LiveState(
        users=(
            LiveUser("ann@acme.example", ACTIVE, 2, id="u1", assistants={"bob@acme.example": "u2"}),
            LiveUser("bob@acme.example", ACTIVE, 2, id="u2", assistants={}),
        )
    )
    users = {u["email"]: u for u in _load(render_export(state)["users.yaml"])["users"]}
    assert users["ann@acme.example"]["assistants"] == ["bob@acme.example"]
    assert "assistants" not in users["bob@acme.example"]
