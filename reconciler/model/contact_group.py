"""Contact groups: directory groupings of users and user groups."""

from __future__ import annotations

from pydantic import Field

from reconciler.model.base import ConfigModel
from reconciler.model.fields import Email, Name, PrivacyInput, ZoomId


class ContactGroupMembers(ConfigModel):
    """The members of a contact group: users and whole user groups; each list, when given, is exact."""

    users: list[Email] | None = Field(default=None, description="Member users, by email.")
    groups: list[Name] | None = Field(default=None, description="Member user groups, by name.")


class ContactGroup(ConfigModel):
    """One contact group, matched by name, or by `id` when pinned."""

    name: Name = Field(description="The contact group's name.")
    id: ZoomId | None = Field(
        default=None, description="Zoom's id of an existing contact group, to rename it safely."
    )
    privacy: PrivacyInput | None = Field(
        default=None,
        description=(
            "Who sees and finds the group: visible_to_anyone (1), "
            "members_only_searchable_by_anyone (2) or members_only (3)."
        ),
    )
    description: str | None = Field(default=None, description="The contact group's description.")
    members: ContactGroupMembers | None = Field(
        default=None, description="Member users and user groups."
    )
