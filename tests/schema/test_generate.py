"""The generated schemas carry over Zoom's spec faithfully, closed and all-optional."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from reconciler.openapi import load_spec
from reconciler.schema import SettingsDocument, option_request_schema, settings_schema
from reconciler.schema.convert import SpecShapeError, closed_schema, leaf_paths

SETTINGS = SettingsDocument.SETTINGS
LOCKS = SettingsDocument.LOCK_SETTINGS

# Leaves of the PATCH bodies per section, as counted from the official spec (RS columns of
# the "Leaf counts" table in the project's Zoom API notes). A leaf is a scalar or an array.
SETTINGS_LEAVES = {
    "audio_conferencing": 14,
    "email_notification": 7,
    "in_meeting": 111,
    "other_options": 5,
    "profile": 2,
    "recording": 36,
    "schedule_meeting": 21,
    "telephony": 2,
    "chat": 29,
    "meeting_security": 27,
}
LOCK_LEAVES = {
    "audio_conferencing": 5,
    "email_notification": 5,
    "in_meeting": 55,
    "other_options": 1,
    "recording": 11,
    "schedule_meeting": 15,
    "telephony": 2,
    "meeting_security": 12,
}


def _leaves(document: SettingsDocument) -> dict[str, int]:
    sections = settings_schema(document)["properties"]
    return {name: len(leaf_paths(section)) for name, section in sections.items()}


def test_settings_leaf_counts_match_the_spec() -> None:
    leaves = _leaves(SETTINGS)
    assert {k: leaves[k] for k in SETTINGS_LEAVES} == SETTINGS_LEAVES
    assert sum(leaves[k] for k in SETTINGS_LEAVES if k != "meeting_security") == 227


def test_lock_settings_leaf_counts_match_the_spec() -> None:
    leaves = _leaves(LOCKS)
    assert leaves == LOCK_LEAVES
    assert sum(leaves.values()) - leaves["meeting_security"] == 94


def test_settings_sections_are_the_default_body_plus_options_plus_seed_sections() -> None:
    names = set(settings_schema(SETTINGS)["properties"])
    assert names == set(SETTINGS_LEAVES) | {
        "meeting_authentication",
        "recording_authentication",
        "general_setting",
        "mail_calendar",
    }


def test_authentication_sections_hold_the_flag_and_the_option_object() -> None:
    sections = settings_schema(SETTINGS)["properties"]
    meeting = sections["meeting_authentication"]["properties"]
    recording = sections["recording_authentication"]["properties"]
    assert set(meeting) == {"meeting_authentication", "authentication_option"}
    assert set(recording) == {"recording_authentication", "authentication_option"}
    # The two options differ in the authentication types Zoom allows.
    assert (
        "enforce_login_with_same_account"
        in meeting["authentication_option"]["properties"]["type"]["enum"]
    )
    assert "internally" in recording["authentication_option"]["properties"]["type"]["enum"]


def test_seed_sections_carry_the_documented_keys() -> None:
    sections = settings_schema(SETTINGS)["properties"]
    assert set(sections["general_setting"]["properties"]) == {"auto_zoom_room_proximity_connect"}
    assert set(sections["mail_calendar"]["properties"]) == {
        "email_calendar_management",
        "email_management",
        "zoom_email_provider",
    }


def _objects(schema: Mapping[str, Any], path: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    if "properties" in schema:
        yield path, schema
        for name, sub in schema["properties"].items():
            yield from _objects(sub, f"{path}.{name}")
    if "items" in schema:
        yield from _objects(schema["items"], f"{path}[]")


@pytest.mark.parametrize("document", list(SettingsDocument))
def test_every_object_is_closed_and_nothing_is_required(document: SettingsDocument) -> None:
    objects = list(_objects(settings_schema(document)))
    assert len(objects) >= 10
    for path, schema in objects:
        assert schema.get("additionalProperties") is False, path
        assert "required" not in schema, path


@pytest.mark.parametrize("document", list(SettingsDocument))
def test_generated_schema_is_valid_draft_2020_12(document: SettingsDocument) -> None:
    schema = settings_schema(document)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_types_enums_bounds_and_descriptions_are_kept() -> None:
    sections = settings_schema(SETTINGS)["properties"]
    chat_with = sections["in_meeting"]["properties"]["allow_participants_chat_with"]
    assert chat_with["type"] == "integer"
    assert chat_with["enum"] == [1, 2, 3, 4]
    assert chat_with["enumDescriptions"][0] == "No one"
    assert "chat" in chat_with["description"]
    domains = sections["meeting_security"]["properties"]["block_user_domain_list"]
    assert domains["maxItems"] == 20
    assert domains["items"] == {
        "type": "string",
        "minLength": 5,
        "maxLength": 30,
        **{k: v for k, v in domains["items"].items() if k in ("examples", "description")},
    }
    assert "option=meeting_security" in sections["meeting_security"]["description"]


def test_option_request_schema_is_the_spec_body_for_that_option() -> None:
    body = option_request_schema(SETTINGS, "meeting_security")
    assert set(body["properties"]) == {"meeting_security"}
    default = option_request_schema(LOCKS, None)
    assert "general_setting" not in default["properties"]
    assert set(default["properties"]) == set(LOCK_LEAVES) - {"meeting_security"}
    Draft202012Validator.check_schema(body)


def test_generation_does_not_share_state_between_callers() -> None:
    first = settings_schema(SETTINGS)
    first["properties"].clear()
    assert settings_schema(SETTINGS)["properties"]


def test_closed_schema_resolves_references_and_nullable() -> None:
    spec = {"components": {"schemas": {"Flag": {"type": "boolean", "nullable": True}}}}
    node = {"type": "object", "properties": {"on": {"$ref": "#/components/schemas/Flag"}}}
    assert closed_schema(node, spec) == {
        "type": "object",
        "properties": {"on": {"type": ["boolean", "null"]}},
        "additionalProperties": False,
    }


def test_closed_schema_refuses_what_it_cannot_carry_over() -> None:
    with pytest.raises(SpecShapeError, match="recursive"):
        closed_schema({"$ref": "#/a"}, {"a": {"$ref": "#/a"}})
    with pytest.raises(SpecShapeError, match="unsupported keyword"):
        closed_schema({"type": "string", "patternProperties": {}}, {})


def test_spec_option_values_match_the_known_sections() -> None:
    operation = load_spec("users-api")["paths"]["/groups/{groupId}/settings"]["patch"]
    option = next(p for p in operation["parameters"] if p["name"] == "option")
    assert set(option["schema"]["enum"]) == {
        "meeting_authentication",
        "recording_authentication",
        "meeting_security",
    }
