"""Splitting one settings mapping into per-option PATCH bodies, and merging GET answers back."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator

from reconciler.schema import (
    SettingsDocument,
    check_settings,
    merge_settings_responses,
    option_request_schema,
    settings_options,
    settings_schema,
    split_settings_by_option,
)

from .strategies import from_schema

SETTINGS = SettingsDocument.SETTINGS
LOCKS = SettingsDocument.LOCK_SETTINGS


def test_split_sends_each_option_section_as_its_own_body() -> None:
    settings = {
        "in_meeting": {"chat": True},
        "mail_calendar": {"email_management": True},
        "meeting_security": {"waiting_room": True},
        "meeting_authentication": {"meeting_authentication": True},
        "recording_authentication": {"recording_authentication": False},
    }
    assert split_settings_by_option(SETTINGS, settings) == {
        None: {"in_meeting": {"chat": True}, "mail_calendar": {"email_management": True}},
        "meeting_authentication": {"meeting_authentication": True},
        "recording_authentication": {"recording_authentication": False},
        "meeting_security": {"meeting_security": {"waiting_room": True}},
    }


def test_split_leaves_out_requests_with_nothing_to_send() -> None:
    assert split_settings_by_option(LOCKS, {"meeting_security": {"waiting_room": True}}) == {
        "meeting_security": {"meeting_security": {"waiting_room": True}}
    }
    assert split_settings_by_option(LOCKS, {}) == {}


def test_split_copies_rather_than_shares_the_configuration() -> None:
    settings = {"in_meeting": {"chat": True}}
    bodies = split_settings_by_option(SETTINGS, settings)
    bodies[None]["in_meeting"]["chat"] = False
    assert settings == {"in_meeting": {"chat": True}}


def test_merge_places_each_get_answer_in_its_section() -> None:
    responses: dict[str | None, dict[str, Any]] = {
        None: {"in_meeting": {"chat": True}, "recording": {"cloud_recording": False}},
        "meeting_security": {"meeting_security": {"waiting_room": True}},
        "meeting_authentication": {
            "meeting_authentication": True,
            "allow_authentication_exception": False,
            "authentication_options": [{"id": "a1", "type": "enforce_login", "visible": True}],
        },
    }
    assert merge_settings_responses(SETTINGS, responses) == {
        "in_meeting": {"chat": True},
        "recording": {"cloud_recording": False},
        "meeting_security": {"waiting_room": True},
        "meeting_authentication": {
            "meeting_authentication": True,
            "allow_authentication_exception": False,
            "authentication_options": [{"id": "a1", "type": "enforce_login", "visible": True}],
        },
    }


def test_merge_refuses_an_option_the_document_does_not_have() -> None:
    with pytest.raises(ValueError, match="lock_settings has no option meeting_authentication"):
        merge_settings_responses(LOCKS, {"meeting_authentication": {}})


def _round_trip(document: SettingsDocument, settings: dict[str, Any]) -> None:
    assert check_settings(document, settings) == []
    bodies = split_settings_by_option(document, settings)
    for option, body in bodies.items():
        spec_body = option_request_schema(document, option)
        if option is None:
            # The seed-only sections are ours, not the spec's: check them apart.
            body = {k: v for k, v in body.items() if k not in ("general_setting", "mail_calendar")}
        errors = [e.message for e in Draft202012Validator(spec_body).iter_errors(body)]
        assert errors == [], (option, errors)
    assert merge_settings_responses(document, bodies) == settings


_SETTINGS_VALUES = from_schema(settings_schema(SETTINGS))
_LOCK_VALUES = from_schema(settings_schema(LOCKS))
_PROFILE = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_PROFILE
@given(_SETTINGS_VALUES)
def test_any_valid_settings_split_into_spec_valid_bodies_and_merge_back(
    settings_value: dict[str, Any],
) -> None:
    _round_trip(SETTINGS, settings_value)


@_PROFILE
@given(_LOCK_VALUES)
def test_any_valid_lock_settings_split_into_spec_valid_bodies_and_merge_back(
    lock_value: dict[str, Any],
) -> None:
    _round_trip(LOCKS, lock_value)


def test_split_refuses_an_authentication_section_that_is_not_a_mapping() -> None:
    with pytest.raises(TypeError, match="'meeting_authentication' must be a mapping"):
        split_settings_by_option(SETTINGS, {"meeting_authentication": True})


def test_settings_options_list_every_get_needed_for_the_whole_mapping() -> None:
    assert settings_options(SETTINGS) == (
        None,
        "meeting_authentication",
        "recording_authentication",
        "meeting_security",
    )
    assert settings_options(LOCKS) == (None, "meeting_security")
