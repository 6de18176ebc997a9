"""The two settings documents of a Zoom group and how their `option` variants map to sections.

Zoom splits a group's settings over several requests: `PATCH /groups/{groupId}/settings`
takes a different body for each value of its `option` query parameter. The configuration
keeps one mapping per document, so each option gets a top-level section of its own; this
table says which sections are options and how a section becomes a request body.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class SettingsDocument(enum.Enum):
    """A group's settings, the locks that stop members changing them, or a user's own settings."""

    SETTINGS = "settings"
    LOCK_SETTINGS = "lock_settings"
    USER_SETTINGS = "user_settings"

    @property
    def api_path(self) -> str:
        """The operation path in Zoom's Users API."""
        if self is SettingsDocument.USER_SETTINGS:
            return "/users/{userId}/settings"
        return f"/groups/{{groupId}}/{self.value}"

    @property
    def attribute(self) -> str:
        """The key the configuration writes the mapping under (a group's or a user's)."""
        return "settings" if self is SettingsDocument.USER_SETTINGS else self.value


GROUP_DOCUMENTS = (SettingsDocument.SETTINGS, SettingsDocument.LOCK_SETTINGS)
"""The two documents a group has."""

USER_SETTINGS_EXCLUDED = frozenset({"feature"})
"""Sections of a user's settings the configuration writes elsewhere: licences are `features`."""


class BodyShape(enum.Enum):
    """How an option's section relates to the request body Zoom expects for it."""

    # The body is `{"<option>": {...}}`: the section holds the inner object.
    WRAPPED = "wrapped"
    # The body is a flat object of its own: the section holds the body as it is.
    BARE = "bare"


@dataclass(frozen=True)
class OptionSection:
    """One `option` query value, written in the configuration as a section of the same name."""

    option: str
    shape: BodyShape

    def body_from_section(self, section: Any) -> dict[str, Any]:
        """The request body for this option, built from the configuration's section."""
        if self.shape is BodyShape.WRAPPED:
            return {self.option: section}
        if not isinstance(section, Mapping):
            raise TypeError(f"settings section {self.option!r} must be a mapping")
        return dict(section)

    def section_from_body(self, body: Mapping[str, Any]) -> Any:
        """The configuration's section for this option, read back from a body or GET response."""
        if self.shape is BodyShape.WRAPPED:
            return body.get(self.option, {})
        return dict(body)


OPTION_SECTIONS: dict[SettingsDocument, tuple[OptionSection, ...]] = {
    SettingsDocument.SETTINGS: (
        OptionSection("meeting_authentication", BodyShape.BARE),
        OptionSection("recording_authentication", BodyShape.BARE),
        OptionSection("meeting_security", BodyShape.WRAPPED),
    ),
    SettingsDocument.LOCK_SETTINGS: (OptionSection("meeting_security", BodyShape.WRAPPED),),
    SettingsDocument.USER_SETTINGS: (
        OptionSection("meeting_authentication", BodyShape.BARE),
        OptionSection("recording_authentication", BodyShape.BARE),
        OptionSection("meeting_security", BodyShape.WRAPPED),
    ),
}


def option_sections(document: SettingsDocument) -> dict[str, OptionSection]:
    """The option sections of a document, by option name."""
    return {section.option: section for section in OPTION_SECTIONS[document]}
