"""Zoom's group settings and lock settings, as JSON Schemas generated from the official spec.

`check_settings` validates a configuration's `settings`/`lock_settings` mapping;
`split_settings_by_option` and `merge_settings_responses` translate between that one mapping
and Zoom's per-`option` requests. `python -m reconciler.schema` writes the schema files.
"""

from __future__ import annotations

from .check import SettingsProblem, check_settings
from .documents import SettingsDocument
from .generate import option_request_schema, settings_schema
from .options import (
    Option,
    merge_settings_responses,
    settings_options,
    split_settings_by_option,
)

__all__ = [
    "Option",
    "SettingsDocument",
    "SettingsProblem",
    "check_settings",
    "merge_settings_responses",
    "option_request_schema",
    "settings_options",
    "settings_schema",
    "split_settings_by_option",
]
