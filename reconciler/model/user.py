"""Users: identity by email, profile fields, licence type, status, groups and division.

Length limits are Zoom's, from the `POST /users` and `PATCH /users/{userId}` request bodies in
users-api.json (e.g. first_name maxLength 64, custom_attributes maxItems 5).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, SecretStr
from pydantic_core import PydanticCustomError

from reconciler.model.base import ConfigModel
from reconciler.model.fields import (
    CreateActionInput,
    Email,
    Name,
    PhoneLabelInput,
    PronounsOptionInput,
    UserStatusInput,
    UserTypeInput,
)


def _linkedin(value: str) -> str:
    # PATCH /users/{userId}, error 300: "The URL must contain `linkedin.com`."
    if value and "linkedin.com" not in value:
        raise PydanticCustomError("linkedin_url", "linkedin_url must contain 'linkedin.com'")
    return value


class CustomAttribute(ConfigModel):
    """One custom attribute value, addressed by the attribute's key (its id in Zoom)."""

    key: str = Field(min_length=1, description="The custom attribute's key.")
    value: str = Field(description="The value for this user.")
    name: str | None = Field(
        default=None, description="The attribute's name, for readers; not compared."
    )


class PhoneNumber(ConfigModel):
    """One of a user's phone numbers."""

    country: str = Field(description="Country id, e.g. US.")
    code: str = Field(description="Country calling code, e.g. +1.")
    number: str = Field(description="The phone number.")
    label: PhoneLabelInput | None = Field(default=None, description="Mobile, Office, Home or Fax.")


class User(ConfigModel):
    """One user, matched by email (case-insensitive). Every field but `email` is optional: unwritten is unmanaged."""

    email: Email = Field(description="The user's email: their identity, compared ignoring case.")
    first_name: str | None = Field(
        default=None, max_length=64, description="First name (at most 64 characters)."
    )
    last_name: str | None = Field(
        default=None, max_length=64, description="Last name (at most 64 characters)."
    )
    display_name: str | None = Field(
        default=None, max_length=128, description="Display name (at most 128 characters)."
    )
    type: UserTypeInput | None = Field(
        default=None,
        description="Licence type: basic (1), licensed (2) or no_meetings_license (4).",
    )
    status: UserStatusInput | None = Field(
        default=None, description="active or inactive (deactivated)."
    )
    create_action: CreateActionInput | None = Field(
        default=None,
        description="How a missing user is created: create (invitation email), autoCreate, custCreate, ssoCreate.",
    )
    password: SecretStr | None = Field(
        default=None,
        description=(
            "Initial password, only with create_action autoCreate; write ${ENV_VAR} to read it from the "
            "environment. 8 to 32 characters with a letter, a digit, upper and lower case."
        ),
    )
    dept: str | None = Field(default=None, description="Department.")
    job_title: str | None = Field(
        default=None, max_length=128, description="Job title (at most 128 characters)."
    )
    company: str | None = Field(
        default=None, max_length=255, description="Company (at most 255 characters)."
    )
    location: str | None = Field(
        default=None, max_length=256, description="Location (at most 256 characters)."
    )
    timezone: str | None = Field(default=None, description="Time zone id, e.g. America/Chicago.")
    language: str | None = Field(default=None, description="Language, e.g. en-US.")
    manager: str | None = Field(
        default=None, description="The manager's email or display name in the same account."
    )
    cost_center: str | None = Field(default=None, description="Cost center.")
    pronouns: str | None = Field(default=None, description="Pronouns, e.g. they/them.")
    pronouns_option: PronounsOptionInput | None = Field(
        default=None,
        description="When pronouns are shown in meetings and webinars: ask (1), always (2) or never (3).",
    )
    about_me: str | None = Field(
        default=None,
        max_length=150,
        description="Self-introduction (at most 150 characters, no links).",
    )
    linkedin_url: Annotated[str, AfterValidator(_linkedin)] | None = Field(
        default=None, description="LinkedIn profile URL (must contain linkedin.com)."
    )
    vanity_name: str | None = Field(default=None, description="Personal meeting room name.")
    phone_numbers: list[PhoneNumber] | None = Field(
        default=None, max_length=3, description="Phone numbers (at most 3)."
    )
    custom_attributes: list[CustomAttribute] | None = Field(
        default=None, max_length=5, description="Custom attribute values (at most 5)."
    )
    groups: list[Name] | None = Field(
        default=None,
        description="Groups this user belongs to, by name; the first one is the primary group.",
    )
    division: Name | None = Field(
        default=None, description="The division this user belongs to, by name."
    )
    features: dict[str, Any] | None = Field(
        default=None,
        description=(
            "Licences and add-ons (webinar, large_meeting, zoom_events: a capacity or false;"
            " zoom_whiteboard, zoom_clips_plus, ...: true or false; concurrent_meeting: basic,"
            " plus or none); only the licences written are managed."
        ),
    )
    settings: dict[str, Any] | None = Field(
        default=None,
        description=(
            "Partial per-user settings, by section (in_meeting, recording, schedule_meeting, ...);"
            " only the keys written are managed. Keys are checked against Zoom's"
            " PATCH /users/{userId}/settings schema; licences go in `features`."
        ),
    )
    id: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "The user's Zoom id: pins the user, so that a changed `email` is an email change "
            "(PUT /users/{userId}/email), not a new user."
        ),
    )
    assistants: list[Email] | None = Field(
        default=None,
        description=(
            "Scheduling assistants, by email, exactly (declared users or other licensed users "
            "of the account or its organization)."
        ),
    )

    @property
    def key(self) -> str:
        """The identity used for matching: the email in lower case."""
        return self.email.lower()
