"""Split one settings mapping into Zoom's per-`option` requests, and merge responses back.

The configuration writes a group's settings as one mapping; Zoom reads and writes them with
one request per `option` value. Both functions are pure and each other's inverse, so the
applier can build PATCH calls and the live reader can build the mapping the differ compares.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .documents import SettingsDocument, option_sections

Option = str | None
"""An `option` query value; None for the request sent without one."""


def settings_options(document: SettingsDocument) -> tuple[Option, ...]:
    """Every `option` a document is read with (None first): one GET each gives the whole."""
    return (None, *option_sections(document))


def split_settings_by_option(
    document: SettingsDocument, settings: Mapping[str, Any]
) -> dict[Option, dict[str, Any]]:
    """The request body per `option` (None first) for a settings or lock-settings mapping.

    Only options with a section in `settings` appear; a mapping without default sections has
    no None entry. Keys that are not option sections go to the default body unchanged.
    """
    sections = option_sections(document)
    default = {k: copy.deepcopy(v) for k, v in settings.items() if k not in sections}
    bodies: dict[Option, dict[str, Any]] = {None: default} if default else {}
    for option, section in sections.items():
        if option in settings:
            bodies[option] = section.body_from_section(copy.deepcopy(settings[option]))
    return bodies


def merge_settings_responses(
    document: SettingsDocument, responses: Mapping[Option, Mapping[str, Any]]
) -> dict[str, Any]:
    """One settings mapping, in the configuration's shape, from the GET response per `option`.

    `responses[None]` is the answer without `option`; each other key is an option value.
    """
    sections = option_sections(document)
    unknown = sorted(
        str(option) for option in responses if option is not None and option not in sections
    )
    if unknown:
        raise ValueError(f"{document.value} has no option {', '.join(unknown)}")
    merged: dict[str, Any] = copy.deepcopy(dict(responses.get(None, {})))
    for option, section in sections.items():
        if option in responses:
            merged[option] = section.section_from_body(copy.deepcopy(responses[option]))
    return merged
