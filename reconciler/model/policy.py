"""What the tool may do to live objects the configuration does not mention, and its safety rails."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from reconciler.model.base import ConfigModel
from reconciler.model.enums import UserPrune
from reconciler.model.fields import Email, UserPruneInput, enum_field


class PrimaryGroups(StrEnum):
    """How the plan learns each user's primary group, which the v2 API does not report."""

    TRUST = "trust"
    """Assume it is as the configuration last set it: no extra reads."""
    VERIFY = "verify"
    """Read it through SCIM2 for users in two or more managed groups (needs the scim2 scope)."""


_primary_groups = enum_field(PrimaryGroups, "policy.primary_groups")
PrimaryGroupsInput = Annotated[PrimaryGroups, _primary_groups[0], _primary_groups[1]]


class Prune(ConfigModel):
    """Per kind: whether live objects missing from the configuration are removed."""

    users: UserPruneInput = Field(
        default=UserPrune.NONE,
        description="Live users the configuration does not declare: none (leave them), deactivate, or delete.",
    )
    groups: bool = Field(
        default=False, description="Delete live groups the configuration does not declare."
    )
    divisions: bool = Field(
        default=False,
        description="Delete live divisions the configuration does not declare (only empty ones).",
    )
    contact_groups: bool = Field(
        default=False, description="Delete live contact groups the configuration does not declare."
    )
    group_members: bool = Field(
        default=True,
        description="Declared groups keep exactly their declared members; members added by hand are removed.",
    )


class Safety(ConfigModel):
    """Limits that make `apply` refuse a plan that removes too much (`apply --force` overrides)."""

    max_deletes: int = Field(
        default=10,
        ge=0,
        description="Refuse a plan that deletes, deactivates or removes more than this many objects.",
    )
    max_change_percent: float = Field(
        default=30,
        ge=0,
        le=100,
        description="Refuse a plan that changes more than this share (percent) of a kind with at least 10 live objects.",
    )


class Policy(ConfigModel):
    """Account-wide rules; given at most once across all files."""

    prune: Prune = Field(
        default_factory=Prune, description="What happens to live objects the configuration omits."
    )
    protected_users: list[Email] = Field(
        default_factory=list,
        description="Users (by email) that are never changed, deactivated or deleted, e.g. the account owner.",
    )
    safety: Safety = Field(
        default_factory=Safety, description="Limits on how much one apply may remove."
    )
    primary_groups: PrimaryGroupsInput = Field(
        default=PrimaryGroups.TRUST,
        description=(
            "trust (no extra reads) or verify: read the primary group of each managed user in two "
            "or more managed groups through SCIM2 (scope scim2 or scim2:admin), so a wrong one is planned."
        ),
    )
    managed_domains: list[str] | None = Field(
        default=None,
        description=(
            "The account's managed domains; when given, `plan` refuses an email change (a user "
            "pinned by `id` whose live email differs) to an email outside them, as Zoom would."
        ),
    )

    def is_protected(self, email: str) -> bool:
        return email.lower() in {protected.lower() for protected in self.protected_users}

    def managed_domain_set(self) -> frozenset[str] | None:
        """`managed_domains` as compared with an email's domain: lower case, no leading `@`."""
        if self.managed_domains is None:
            return None
        return frozenset(domain.lower().lstrip("@") for domain in self.managed_domains)
