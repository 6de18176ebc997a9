"""The whole desired configuration, and the derived views the differ needs.

Membership can be written from either side (`groups[].members` and `users[].groups`; likewise
`divisions[].members` and `users[].division`); the derived views join both so no later phase
re-derives them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from pydantic import Field
from pydantic.json_schema import DEFAULT_REF_TEMPLATE, GenerateJsonSchema, JsonSchemaMode

from reconciler.model.base import ConfigJsonSchema, ConfigModel
from reconciler.model.contact_group import ContactGroup
from reconciler.model.division import Division
from reconciler.model.group import Group
from reconciler.model.identity_provider import IdentityProvider
from reconciler.model.policy import Policy
from reconciler.model.user import User

CONFIG_VERSION = 1


@dataclass(frozen=True)
class Memberships:
    """Group membership as the configuration wants it; emails in lower case.

    `members` has every declared group; `managed` names the groups whose member list the
    configuration controls (it wrote `members:`, or some user lists the group); `primary`
    maps a user to the first group of their own `groups:`.
    """

    members: Mapping[str, frozenset[str]]
    managed: frozenset[str]
    primary: Mapping[str, str]

    def groups_of(self, email: str) -> frozenset[str]:
        key = email.lower()
        return frozenset(name for name, emails in self.members.items() if key in emails)


@dataclass(frozen=True)
class DivisionAssignments:
    """Division membership as the configuration wants it; emails in lower case."""

    members: Mapping[str, frozenset[str]]
    division_of: Mapping[str, str]


class Config(ConfigModel):
    """Version 1 of the configuration: policy, divisions, groups, users and contact groups."""

    version: Literal[1] = Field(description="The format version; 1.")
    policy: Policy = Field(
        default_factory=Policy, description="Pruning, protected users and safety limits."
    )
    divisions: list[Division] = Field(
        default_factory=list, description="Divisions, matched by name or id."
    )
    groups: list[Group] = Field(
        default_factory=list, description="User groups, matched by name or id."
    )
    identity_provider: IdentityProvider | None = Field(
        default=None,
        description="What an identity provider provisions through SCIM2: its users, their fields, its groups.",
    )
    users: list[User] = Field(default_factory=list, description="Users, matched by email.")
    contact_groups: list[ContactGroup] = Field(
        default_factory=list, description="Contact groups, matched by name or id."
    )

    @classmethod
    def model_json_schema(
        cls,
        by_alias: bool | None = None,
        ref_template: str = DEFAULT_REF_TEMPLATE,
        schema_generator: type[GenerateJsonSchema] = ConfigJsonSchema,
        mode: JsonSchemaMode = "validation",
        *,
        union_format: Literal["any_of", "primitive_type_array"] = "any_of",
    ) -> dict[str, Any]:
        """The editor schema; optional keys are left out rather than written as null."""
        if union_format != "any_of":  # a newer pydantic's option; older ones lack the parameter
            return super().model_json_schema(
                by_alias=by_alias,
                ref_template=ref_template,
                schema_generator=schema_generator,
                mode=mode,
                union_format=union_format,
            )
        return super().model_json_schema(
            by_alias=by_alias,
            ref_template=ref_template,
            schema_generator=schema_generator,
            mode=mode,
        )

    def summary(self) -> str:
        """A one-line count, e.g. "3 divisions, 12 groups, 48 users, 2 contact groups"."""
        counts = (
            (len(self.divisions), "division", "divisions"),
            (len(self.groups), "group", "groups"),
            (len(self.users), "user", "users"),
            (len(self.contact_groups), "contact group", "contact groups"),
        )
        return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts)

    @cached_property
    def users_by_email(self) -> Mapping[str, User]:
        """Users keyed by lower-case email."""
        return {user.key: user for user in self.users}

    @cached_property
    def memberships(self) -> Memberships:
        members: dict[str, set[str]] = {group.name: set() for group in self.groups}
        managed = {group.name for group in self.groups if group.members is not None}
        for group in self.groups:
            members[group.name].update(email.lower() for email in group.members or ())
        primary: dict[str, str] = {}
        for user in self.users:
            if not user.groups:
                continue
            primary[user.key] = user.groups[0]
            for name in user.groups:
                members.setdefault(name, set()).add(user.key)
                managed.add(name)
        return Memberships(
            members={name: frozenset(emails) for name, emails in members.items()},
            managed=frozenset(managed),
            primary=primary,
        )

    @cached_property
    def division_assignments(self) -> DivisionAssignments:
        members: dict[str, set[str]] = {division.name: set() for division in self.divisions}
        division_of: dict[str, str] = {}
        for division in self.divisions:
            for email in division.members or ():
                members[division.name].add(email.lower())
                division_of[email.lower()] = division.name
        for user in self.users:
            if user.division is not None:
                members.setdefault(user.division, set()).add(user.key)
                division_of[user.key] = user.division
        return DivisionAssignments(
            members={name: frozenset(emails) for name, emails in members.items()},
            division_of=division_of,
        )
