"""User groups: membership, group admins, and the settings and locks members inherit."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from reconciler.model.base import ConfigModel
from reconciler.model.fields import Email, Name, ZoomId

SettingsBlock = dict[str, Any]


class Group(ConfigModel):
    """One group, matched by name, or by `id` when pinned (then a new name is a rename)."""

    name: Name = Field(
        description="The group's name: unique in the account and under 128 characters."
    )
    id: ZoomId | None = Field(
        default=None, description="Zoom's id of an existing group, to rename it safely."
    )
    members: list[Email] | None = Field(
        default=None,
        description="Users (by email) in this group, in addition to users that list it in their own `groups:`.",
    )
    admins: list[Email] | None = Field(
        default=None, description="Group admins (by email); when given, exactly this set."
    )
    settings: SettingsBlock | None = Field(
        default=None,
        description=(
            "Partial group settings, by section (in_meeting, recording, schedule_meeting, ...); only the keys "
            "written are managed. Keys are checked against Zoom's PATCH /groups/{groupId}/settings schema."
        ),
    )
    lock_settings: SettingsBlock | None = Field(
        default=None,
        description=(
            "Partial lock settings (true = members cannot change the setting); only the keys written are "
            "managed. Keys are checked against Zoom's PATCH /groups/{groupId}/lock_settings schema."
        ),
    )
