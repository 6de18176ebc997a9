"""Contact groups' rules, kept apart from the rest of the account's (store.py) by concern.

`ContactGroupRules` is mixed into `Store`: it works on the store's users, groups and contact
groups, and raises Zoom's errors for contact groups (S001:45-245).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.sandbox import errors
from reconciler.sandbox.entities import (
    ContactGroup,
    ContactMemberType,
    ContactPrivacy,
    Group,
    User,
)
from reconciler.sandbox.errors import FieldError, SandboxError

MAX_CONTACT_USERS_PER_CALL = 50
MAX_CONTACT_GROUPS_PER_CALL = 3
MAX_CONTACT_REMOVALS_PER_CALL = 20


class ContactGroupRules:
    """Contact groups and their members: users (type 1) and groups (type 2), by id."""

    users: dict[str, User]
    groups: dict[str, Group]
    contact_groups: dict[str, ContactGroup]

    def new_id(self) -> str:
        raise NotImplementedError

    def contact_group(self, group_id: str) -> ContactGroup:
        found = self.contact_groups.get(group_id)
        if found is None:
            raise errors.contact_group_not_found(group_id)
        return found

    def _contact_members(
        self, refs: Iterable[Mapping[str, Any]]
    ) -> list[tuple[ContactMemberType, str]]:
        members = [(ContactMemberType(int(r.get("type", 1))), str(r.get("id", ""))) for r in refs]
        kinds = [kind for kind, _ in members]
        if kinds.count(ContactMemberType.USER) > MAX_CONTACT_USERS_PER_CALL:
            raise SandboxError(400, 300, "The maximum number of user member per request is 50.")
        if kinds.count(ContactMemberType.GROUP) > MAX_CONTACT_GROUPS_PER_CALL:
            raise SandboxError(400, 300, "The maximum number of group member per request is 3.")
        for kind, member_id in members:
            known = self.users if kind is ContactMemberType.USER else self.groups
            if member_id not in known:
                raise errors.contact_member_not_found(member_id)
        return members

    def create_contact_group(
        self,
        name: str,
        privacy: int,
        description: str,
        members: Iterable[Mapping[str, Any]],
    ) -> ContactGroup:
        if not name.strip():
            raise errors.validation_failed([FieldError("group_name")])
        checked = self._contact_members(members)
        group = ContactGroup(self.new_id(), name.strip(), ContactPrivacy(privacy), description)
        group.members = dict.fromkeys(checked)
        self.contact_groups[group.id] = group
        return group

    def add_contact_group_record(self, group: ContactGroup) -> ContactGroup:
        self.contact_groups[group.id] = group
        return group

    def update_contact_group(self, group: ContactGroup, patch: Mapping[str, Any]) -> None:
        """PATCH takes `name`/`privacy` where POST takes `group_name`/`group_privacy` (S001:49-245)."""
        if "name" in patch:
            if not str(patch["name"]).strip():
                raise errors.validation_failed([FieldError("name")])
            group.name = str(patch["name"]).strip()
        if "privacy" in patch:
            group.privacy = ContactPrivacy(int(patch["privacy"]))
        if "description" in patch:
            group.description = str(patch["description"])

    def delete_contact_group(self, group: ContactGroup) -> None:
        del self.contact_groups[group.id]

    def add_contact_members(
        self, group: ContactGroup, refs: Iterable[Mapping[str, Any]]
    ) -> list[str]:
        checked = self._contact_members(refs)
        for member in checked:
            group.members[member] = None
        return [member_id for _, member_id in checked]

    def remove_contact_members(self, group: ContactGroup, member_ids: list[str]) -> None:
        """Remove up to 20 members by id; the last member cannot be removed."""
        if len(member_ids) > MAX_CONTACT_REMOVALS_PER_CALL:
            raise SandboxError(400, 300, "The maximum number of memberId is 20.")
        by_id = {member_id: (kind, member_id) for kind, member_id in group.members}
        doomed = []
        for member_id in member_ids:
            if member_id not in by_id:
                raise errors.contact_member_not_found(member_id)
            doomed.append(by_id[member_id])
        if len(set(doomed)) >= len(group.members):
            raise SandboxError(400, 300, "A group must have at least one member.")
        for member in doomed:
            group.members.pop(member, None)

    def contact_member_name(self, kind: ContactMemberType, member_id: str) -> str:
        if kind is ContactMemberType.USER:
            return self.users[member_id].display_name
        return self.groups[member_id].name
