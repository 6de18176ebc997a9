"""Which live settings an export writes: the writable ones that differ from Zoom's defaults."""

from __future__ import annotations

from typing import Any

import pytest

from reconciler.export import default_value, non_default
from reconciler.schema import SettingsDocument


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "boolean"}, False),
        ({"type": "boolean", "default": True}, True),
        ({"type": "integer", "enum": [3, 1, 2]}, 3),
        ({"type": "integer", "minimum": 5}, 5),
        ({"type": "integer"}, 0),
        ({"type": "string"}, ""),
        ({"type": ["string", "null"], "enum": ["host", "all"]}, "host"),
        ({"type": "array", "items": {"type": "string"}}, []),
        ({"oneOf": [{"type": "boolean"}, {"type": "string"}]}, False),
    ],
)
def test_the_default_is_the_declared_one_or_the_types_empty_value(
    schema: dict[str, Any], expected: Any
) -> None:
    assert default_value(schema) == expected


def test_only_leaves_that_differ_from_the_default_are_kept() -> None:
    live = {
        "in_meeting": {"chat": True, "breakout_room": False, "allow_participants_chat_with": 3},
        "schedule_meeting": {"host_video": False},
        "meeting_security": {"waiting_room": True},
    }
    written = non_default(SettingsDocument.SETTINGS, live)
    assert written.values == {
        "in_meeting": {"chat": True, "allow_participants_chat_with": 3},
        "meeting_security": {"waiting_room": True},
    }
    assert written.refused == []


def test_keys_zoom_reports_but_does_not_accept_are_left_out() -> None:
    live = {
        "meeting_authentication": {
            "meeting_authentication": True,
            "authentication_options": [{"id": "a", "type": "enforce_login"}],
        },
        "not_a_section": {"x": 1},
    }
    written = non_default(SettingsDocument.SETTINGS, live)
    assert written.values == {"meeting_authentication": {"meeting_authentication": True}}


def test_empty_strings_and_nulls_are_unset_values_not_choices() -> None:
    live = {"in_meeting": {"entry_exit_chime": "", "chat": None}}
    assert non_default(SettingsDocument.SETTINGS, live).values == {}


def test_a_value_the_schema_refuses_is_reported_instead_of_written() -> None:
    live = {"in_meeting": {"entry_exit_chime": "sometimes", "chat": True}}
    written = non_default(SettingsDocument.SETTINGS, live)
    assert written.values == {"in_meeting": {"chat": True}}
    ((path, value, why),) = written.refused
    assert path == ("in_meeting", "entry_exit_chime")
    assert value == "sometimes"
    assert "entry_exit_chime" in why


def test_lock_settings_use_their_own_schema() -> None:
    live = {"in_meeting": {"chat": True, "breakout_room": False}, "profile": {"x": True}}
    written = non_default(SettingsDocument.LOCK_SETTINGS, live)
    assert written.values == {"in_meeting": {"chat": True}}
