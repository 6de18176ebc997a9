"""The account's objects as plain slotted records; the rules that tie them together live in store.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Any


class UserStatus(Enum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    PENDING = "pending"


class UserType(IntEnum):
    BASIC = 1
    LICENSED = 2
    NO_MEETINGS_LICENSE = 4
    NONE = 99


class CreateAction(Enum):
    CREATE = "create"
    AUTO_CREATE = "autoCreate"
    CUST_CREATE = "custCreate"
    SSO_CREATE = "ssoCreate"


class Role(Enum):
    """Account roles as Zoom numbers them in `role_id`; owners and admins are protected."""

    OWNER = "0"
    ADMIN = "1"
    MEMBER = "2"

    @property
    def title(self) -> str:
        return self.name.capitalize()


class ContactMemberType(IntEnum):
    USER = 1
    GROUP = 2


class ContactPrivacy(IntEnum):
    VISIBLE_TO_ANYONE = 1
    MEMBERS_ONLY_SEARCHABLE_BY_ANYONE = 2
    MEMBERS_ONLY = 3


# Profile fields a PATCH may set besides the ones with their own slot; kept sparse per user.
EXTRA_PROFILE_FIELDS = (
    "company",
    "cost_center",
    "location",
    "manager",
    "phone_country",
    "phone_number",
    "pronouns",
    "pronouns_option",
    "cms_user_id",
    "vanity_name",
    "about_me",
    "linkedin_url",
    "use_pmi",
    "host_key",
    "custom_attributes",
    "phone_numbers",
    "plan_united_type",
    "zoom_one_type",
)


@dataclass(slots=True, eq=False)
class User:
    id: str
    email: str
    first_name: str
    last_name: str
    display_name: str
    type: UserType
    status: UserStatus
    created_at: float
    pmi: int
    role: Role = Role.MEMBER
    create_action: CreateAction = CreateAction.CREATE
    dept: str = ""
    job_title: str = ""
    timezone: str = ""
    language: str = "en-US"
    # Ordered: the first group is the primary group (Zoom: "the first group that user is added to").
    group_ids: list[str] = field(default_factory=list)
    division_id: str = ""
    extra: dict[str, Any] | None = None
    # A pending user whose invitation ran out: Zoom answers 1120 for it (see store.usable_user).
    invitation_expired: bool = False
    # The user's own settings overrides by document, licences included (see user_settings.py).
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class Group:
    id: str
    name: str
    created_at: float
    # Insertion-ordered sets of user ids (dicts keep join order; values unused).
    members: dict[str, None] = field(default_factory=dict)
    admins: dict[str, None] = field(default_factory=dict)
    # Settings overrides by document (see settings.Document.state_key); defaults are implied.
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class Division:
    id: str
    name: str
    description: str = ""
    is_main: bool = False
    members: dict[str, None] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class ContactGroup:
    id: str
    name: str
    privacy: ContactPrivacy = ContactPrivacy.VISIBLE_TO_ANYONE
    description: str = ""
    # (member type, id) in the order they were added.
    members: dict[tuple[ContactMemberType, str], None] = field(default_factory=dict)
