"""The shapes of Zoom's requests and answers, as the Users API documents them.

TypedDicts rather than models: listings of thousands of users pass through untouched, and
Zoom adds fields over time, so keys beyond these may be present. Choices Zoom takes as fixed
strings or numbers are enums.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any, NotRequired, TypedDict

# The same closed sets as the configuration language: one definition, re-exported here.
from reconciler.model.enums import ContactGroupPrivacy as ContactGroupPrivacy
from reconciler.model.enums import CreateAction as CreateAction
from reconciler.model.live import ZoomUserStatus

UserStatus = ZoomUserStatus
"""`GET /users?status=`: one value per listing; a full inventory needs all three."""


class DeleteAction(StrEnum):
    """`disassociate` unlinks the user, who keeps a free account; `delete` is permanent."""

    DISASSOCIATE = "disassociate"
    DELETE = "delete"


class StatusAction(StrEnum):
    ACTIVATE = "activate"
    DEACTIVATE = "deactivate"


class MemberAction(StrEnum):
    """`PATCH /groups/{id}/members/{id}`: move to another group, or make this group primary."""

    MOVE = "move"
    SET_PRIMARY = "set_primary"


class SettingsOption(StrEnum):
    """`?option=` on group settings: selects which part of the settings the body holds."""

    MEETING_AUTHENTICATION = "meeting_authentication"
    RECORDING_AUTHENTICATION = "recording_authentication"
    MEETING_SECURITY = "meeting_security"


class ContactMemberType(IntEnum):
    USER = 1
    GROUP = 2


class User(TypedDict):
    email: str
    type: int
    id: NotRequired[str]  # absent for pending users: key them by email
    first_name: NotRequired[str]
    last_name: NotRequired[str]
    display_name: NotRequired[str]
    status: NotRequired[str]
    dept: NotRequired[str]
    job_title: NotRequired[str]
    timezone: NotRequired[str]
    role_id: NotRequired[str]
    group_ids: NotRequired[list[str]]
    im_group_ids: NotRequired[list[str]]
    division_ids: NotRequired[list[str]]


class NewUserInfo(TypedDict):
    email: str
    type: int
    first_name: NotRequired[str]
    last_name: NotRequired[str]
    display_name: NotRequired[str]
    password: NotRequired[str]
    division_ids: NotRequired[list[str]]


class CreatedUser(TypedDict):
    id: str
    email: str
    type: NotRequired[int]
    first_name: NotRequired[str]
    last_name: NotRequired[str]


class UserUpdate(TypedDict, total=False):
    """`PATCH /users/{id}`: only the keys present change."""

    first_name: str
    last_name: str
    display_name: str
    type: int
    dept: str
    job_title: str
    timezone: str
    group_id: str  # only places a pending user into a group
    division_ids: list[str]
    language: str
    location: str
    company: str
    manager: str
    cost_center: str
    pronouns: str
    pronouns_option: int
    vanity_name: str
    about_me: str
    linkedin_url: str
    custom_attributes: list[dict[str, str]]
    phone_numbers: list[dict[str, str]]


class Group(TypedDict):
    id: str
    name: str
    total_members: NotRequired[int]


class GroupMember(TypedDict):
    id: str
    email: str
    first_name: NotRequired[str]
    last_name: NotRequired[str]
    type: NotRequired[int]


class GroupAdmin(TypedDict):
    email: str
    name: NotRequired[str]


class MemberRef(TypedDict, total=False):
    """Names a user in a batch add: by id or by email (Zoom prefers the id)."""

    id: str
    email: str


class Assistant(TypedDict, total=False):
    """A scheduling assistant: by id or email (either names the user in an add)."""

    id: str
    email: str
    can_manage_host_private_event: bool


class AddedIds(TypedDict):
    """Batch adds answer with the ids that were added, comma-joined."""

    added_at: NotRequired[str]
    ids: NotRequired[str]


class FeatureFailure(TypedDict):
    """One reason POST /users/features gives for users it did not update."""

    reason: str
    user_ids: list[str]


class FeaturesUpdated(TypedDict, total=False):
    """POST /users/features answers 201 with who was updated and why the others were not."""

    success_user_ids: list[str]
    fail_details: list[FeatureFailure]


class Division(TypedDict):
    division_id: str
    division_name: str
    division_description: NotRequired[str]
    is_main_division: NotRequired[bool]
    total_members: NotRequired[int]


class DivisionUser(TypedDict):
    user_id: str
    user_email: NotRequired[str]
    user_display_name: NotRequired[str]


class DivisionUserRef(TypedDict, total=False):
    user_id: str
    user_email: str


class ContactGroup(TypedDict):
    group_id: str
    group_name: str
    group_privacy: NotRequired[int]
    description: NotRequired[str]
    total_members: NotRequired[int]


class ContactGroupMember(TypedDict):
    id: str
    type: int
    name: NotRequired[str]


class ContactMemberRef(TypedDict):
    id: str
    type: ContactMemberType


class AddedContactMembers(TypedDict):
    member_ids: NotRequired[list[str]]


# Group settings and lock settings are deep documents whose keys the validator checks against
# Zoom's own schemas; the client passes them through as JSON objects.
Settings = dict[str, Any]
