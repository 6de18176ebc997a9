"""check_settings: real keys pass; typos, wrong types, bad values fail with path and advice."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from reconciler.schema import SettingsDocument, SettingsProblem, check_settings

SETTINGS = SettingsDocument.SETTINGS
LOCKS = SettingsDocument.LOCK_SETTINGS


def test_real_settings_pass() -> None:
    settings = {
        "in_meeting": {
            "chat": True,
            "breakout_room": True,
            "allow_participants_chat_with": 3,
            "who_can_share_screen": "host",
            "auto_generated_translation": {"enable": True},
        },
        "schedule_meeting": {"host_video": False, "require_password_for_pmi_meetings": "jbh_only"},
        "recording": {"cloud_recording": True, "auto_recording": "cloud"},
        "audio_conferencing": {
            "toll_call": {"enable": True, "numbers": [{"number": "+1 555 0100"}]}
        },
        "email_notification": {"jbh_reminder": True},
        "chat": {"share_files": {"enable": True, "share_option": "account"}},
    }
    assert check_settings(SETTINGS, settings) == []


def test_real_lock_settings_pass() -> None:
    locks = {"in_meeting": {"chat": True}, "recording": {"cloud_recording": True}}
    assert check_settings(LOCKS, locks) == []


def test_empty_and_partial_mappings_pass() -> None:
    assert check_settings(SETTINGS, {}) == []
    assert check_settings(SETTINGS, {"in_meeting": {}}) == []
    assert check_settings(LOCKS, {}) == []


@pytest.mark.parametrize(
    ("section", "body"),
    [
        ("meeting_security", {"waiting_room": True, "block_user_domain_list": ["example.com"]}),
        (
            "meeting_authentication",
            {
                "meeting_authentication": True,
                "authentication_option": {"action": "update", "type": "enforce_login"},
            },
        ),
        (
            "recording_authentication",
            {
                "recording_authentication": True,
                "authentication_option": {"action": "show", "type": "internally"},
            },
        ),
    ],
)
def test_each_option_section_is_accepted_in_settings(section: str, body: dict[str, object]) -> None:
    assert check_settings(SETTINGS, {section: body}) == []


def test_meeting_security_is_the_only_option_section_of_lock_settings() -> None:
    assert check_settings(LOCKS, {"meeting_security": {"waiting_room": True}}) == []
    problems = check_settings(LOCKS, {"meeting_authentication": {}})
    assert [p.path for p in problems] == [("meeting_authentication",)]
    assert "unknown lock_settings section 'meeting_authentication'" in problems[0].message


def test_seed_sections_are_accepted_in_settings_only() -> None:
    sections = {
        "general_setting": {"auto_zoom_room_proximity_connect": True},
        "mail_calendar": {"email_management": False, "zoom_email_provider": True},
    }
    assert check_settings(SETTINGS, sections) == []
    problems = check_settings(LOCKS, sections)
    assert [p.path for p in problems] == [("general_setting",), ("mail_calendar",)]


def test_typo_names_the_section_and_suggests_the_key() -> None:
    assert check_settings(SETTINGS, {"in_meeting": {"chatt": True}}) == [
        SettingsProblem(
            ("in_meeting", "chatt"), "unknown key 'chatt' in in_meeting; did you mean 'chat'?"
        )
    ]


def test_typo_in_a_section_name_suggests_the_section() -> None:
    assert check_settings(SETTINGS, {"in_meting": {"chat": True}}) == [
        SettingsProblem(
            ("in_meting",), "unknown settings section 'in_meting'; did you mean 'in_meeting'?"
        )
    ]


def test_key_in_the_wrong_section_points_to_the_right_one() -> None:
    (problem,) = check_settings(SETTINGS, {"in_meeting": {"host_video": True}})
    assert problem.path == ("in_meeting", "host_video")
    assert problem.message.endswith("did you mean schedule_meeting.host_video?")


def test_unlockable_setting_is_explained() -> None:
    (problem,) = check_settings(LOCKS, {"in_meeting": {"allow_participants_chat_with": True}})
    assert problem.path == ("in_meeting", "allow_participants_chat_with")
    assert "does not let a group lock" in problem.message


def test_unknown_key_without_a_close_match_says_only_that() -> None:
    (problem,) = check_settings(SETTINGS, {"telephony": {"zzzzqqq": 1}})
    assert problem.message == "unknown key 'zzzzqqq' in telephony"


def test_wrong_type_names_the_path_expected_type_and_value() -> None:
    assert check_settings(SETTINGS, {"in_meeting": {"chat": "yes"}}) == [
        SettingsProblem(
            ("in_meeting", "chat"), "in_meeting.chat must be a boolean (true or false), got 'yes'"
        )
    ]


def test_value_outside_an_enum_is_one_problem_not_two() -> None:
    (problem,) = check_settings(SETTINGS, {"in_meeting": {"allow_users_save_chats": True}})
    assert problem.message == (
        "in_meeting.allow_users_save_chats must be one of"
        " 1 (Not allow), 2 (Host and co-hosts), 3 (Everyone); got true"
    )


def test_section_that_is_not_a_mapping() -> None:
    (problem,) = check_settings(SETTINGS, {"in_meeting": True})
    assert problem == SettingsProblem(("in_meeting",), "in_meeting must be a mapping, got true")


def test_whole_block_that_is_not_a_mapping() -> None:
    assert check_settings(LOCKS, ["chat"]) == [
        SettingsProblem((), "lock_settings must be a mapping, got a list")
    ]


def test_bad_enum_value_lists_the_allowed_values() -> None:
    (problem,) = check_settings(
        SETTINGS, {"schedule_meeting": {"require_password_for_pmi_meetings": "x"}}
    )
    assert problem.path == ("schedule_meeting", "require_password_for_pmi_meetings")
    assert problem.message == (
        "schedule_meeting.require_password_for_pmi_meetings must be one of"
        " 'all', 'jbh_only', 'none'; got 'x'"
    )


def test_bad_integer_enum_shows_what_each_value_means() -> None:
    (problem,) = check_settings(SETTINGS, {"in_meeting": {"allow_participants_chat_with": 5}})
    assert "1 (No one), 2 (Host and co-hosts)" in problem.message
    assert problem.message.endswith("got 5")


def test_out_of_range_lengths_and_counts() -> None:
    problems = check_settings(
        SETTINGS,
        {
            "meeting_security": {"block_user_domain_list": ["a.io", *["example.com"] * 20]},
            "audio_conferencing": {"toll_call": {"numbers": [{"number": "1" * 31}]}},
        },
    )
    assert [(p.path, p.message) for p in problems] == [
        (
            ("meeting_security", "block_user_domain_list"),
            "meeting_security.block_user_domain_list must be a list of at most 20 items, got 21",
        ),
        (
            ("meeting_security", "block_user_domain_list", 0),
            "meeting_security.block_user_domain_list[0] must be at least 5 characters long, got 4",
        ),
        (
            ("audio_conferencing", "toll_call", "numbers", 0, "number"),
            "audio_conferencing.toll_call.numbers[0].number must be at most 30 characters long, got 31",
        ),
    ]


def test_every_problem_is_reported_in_the_order_written() -> None:
    settings = {
        "recording": {"cloud_recordin": True},
        "in_meeting": {"chat": 1, "breakout_rooms": True, "annotation": "no"},
        "bogus": {},
    }
    problems = check_settings(SETTINGS, settings)
    assert [p.path for p in problems] == [
        ("recording", "cloud_recordin"),
        ("in_meeting", "chat"),
        ("in_meeting", "breakout_rooms"),
        ("in_meeting", "annotation"),
        ("bogus",),
    ]
    assert "did you mean 'cloud_recording'?" in problems[0].message
    assert "did you mean 'breakout_room'?" in problems[2].message


def test_lock_settings_take_the_lock_schema() -> None:
    # `in_meeting.chat` is lockable; a lock value is a boolean.
    (problem,) = check_settings(LOCKS, {"in_meeting": {"chat": "locked"}})
    assert problem.message == "in_meeting.chat must be a boolean (true or false), got 'locked'"


def test_values_loaded_by_the_round_trip_yaml_loader_are_understood() -> None:
    text = """
in_meeting:
  chat: &on true
  annotation: *on
  allow_participants_chat_with: 3
  breakout_rooms: *on
"""
    loaded = YAML().load(text)
    assert check_settings(SETTINGS, loaded) == [
        SettingsProblem(
            ("in_meeting", "breakout_rooms"),
            "unknown key 'breakout_rooms' in in_meeting; did you mean 'breakout_room'?",
        )
    ]
