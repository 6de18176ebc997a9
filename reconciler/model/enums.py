"""The closed sets of the configuration language.

Each enum has one readable name per member (what people write in YAML) and, where Zoom's API
uses numbers, the number as its value, so the same member serves the file and the API.
Names come from the configuration contract; numbers from Zoom's Users API spec.
"""

from __future__ import annotations

from enum import Enum, IntEnum, StrEnum


class UserType(IntEnum):
    """A user's licence type (`user_info.type` / `type`); 99 "None" is deprecated and not offered."""

    BASIC = 1
    LICENSED = 2
    NO_MEETINGS_LICENSE = 4


class UserStatus(StrEnum):
    """Whether a user may sign in; `pending` is Zoom's own state while an invitation waits."""

    ACTIVE = "active"
    INACTIVE = "inactive"


class CreateAction(StrEnum):
    """How `POST /users` creates a missing user (Zoom spells these in camel case)."""

    CREATE = "create"
    AUTO_CREATE = "autoCreate"
    CUST_CREATE = "custCreate"
    SSO_CREATE = "ssoCreate"


class ContactGroupPrivacy(IntEnum):
    """Who sees and finds a contact group (`privacy` / `group_privacy`)."""

    VISIBLE_TO_ANYONE = 1
    MEMBERS_ONLY_SEARCHABLE_BY_ANYONE = 2
    MEMBERS_ONLY = 3


class PronounsOption(IntEnum):
    """When Zoom shows a user's pronouns in meetings and webinars (`pronouns_option`)."""

    ASK = 1
    ALWAYS = 2
    NEVER = 3


class PhoneLabel(StrEnum):
    """The label of one of a user's phone numbers (Zoom spells these capitalised)."""

    MOBILE = "Mobile"
    OFFICE = "Office"
    HOME = "Home"
    FAX = "Fax"


class UserPrune(StrEnum):
    """What happens to live users the configuration does not declare."""

    NONE = "none"
    DEACTIVATE = "deactivate"
    DELETE = "delete"


def readable_name(member: Enum) -> str:
    """The name written in YAML: the string value for string enums, the lower-case name otherwise."""
    if isinstance(member, StrEnum):
        return member.value
    return member.name.lower()


def readable_names(enum: type[Enum]) -> list[str]:
    return [readable_name(member) for member in enum]


def api_numbers(enum: type[IntEnum]) -> list[int]:
    return [int(member) for member in enum]
