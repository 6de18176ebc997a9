"""The boundary with an identity provider (Okta, Entra ID, ...) that provisions users through SCIM2.

One fact in one place: which users, which user fields and which groups the identity provider
owns. Validate (an owned field written is an error), the plan's ownership filter (owned parts
are left alone) and export (owned parts are left out) all ask this model.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from reconciler.model.base import ConfigModel
from reconciler.model.fields import Name, enum_field


class IdentityField(StrEnum):
    """User fields an identity provider can provision through SCIM2 (seed 000: name,
    displayName, userType, active, the enterprise extension's department, costCenter and
    manager, phoneNumbers, title)."""

    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    DISPLAY_NAME = "display_name"
    DEPT = "dept"
    JOB_TITLE = "job_title"
    TYPE = "type"
    STATUS = "status"
    COST_CENTER = "cost_center"
    MANAGER = "manager"
    PHONE_NUMBERS = "phone_numbers"


DEFAULT_FIELDS = (
    IdentityField.FIRST_NAME,
    IdentityField.LAST_NAME,
    IdentityField.DISPLAY_NAME,
    IdentityField.DEPT,
    IdentityField.JOB_TITLE,
    IdentityField.TYPE,
    IdentityField.STATUS,
)

PROVISIONING_FIELDS = frozenset({"create_action", "password"})
"""User keys that only mean something when this tool creates the user: never for an IdP user."""

_field = enum_field(IdentityField, "identity_provider.fields")
IdentityFieldInput = Annotated[IdentityField, _field[0], _field[1]]

Domain = Annotated[str, Field(min_length=1, max_length=253, pattern=r"^[A-Za-z0-9.-]+$")]


class IdentityProvider(ConfigModel):
    """What the identity provider owns; everything else about its users stays the configuration's."""

    domains: list[Domain] | None = Field(
        default=None,
        description="Its users: emails in these domains (subdomains excluded). Omitted: every user.",
    )
    fields: list[IdentityFieldInput] = Field(
        default_factory=lambda: list(DEFAULT_FIELDS),
        description="The user fields it provisions, which the configuration may not write.",
    )
    groups: list[Name] = Field(
        default_factory=list,
        description="Groups whose membership it pushes, which the configuration may not write.",
    )

    def owns_user(self, email: str) -> bool:
        """Whether the user with this email is provisioned by the identity provider."""
        if self.domains is None:
            return True
        domain = email.rpartition("@")[2].lower()
        return domain in {d.lower() for d in self.domains}

    def owns_group(self, name: str) -> bool:
        """Whether the identity provider pushes this group's membership."""
        return name in self.groups

    @property
    def owned_fields(self) -> frozenset[str]:
        """The user fields (configuration names) it owns."""
        return frozenset(field.value for field in self.fields)

    def owned_keys(self, email: str) -> frozenset[str]:
        """The user keys the configuration may not write for this user."""
        if not self.owns_user(email):
            return frozenset()
        return self.owned_fields | PROVISIONING_FIELDS
