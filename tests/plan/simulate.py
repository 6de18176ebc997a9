"""A pure stand-in for applying a plan: what Zoom's state looks like after each change succeeds.

It follows Zoom's rules as far as the differ relies on them (an invited user is pending and has
no id; a user belongs to one division; deleting a user or group takes its memberships along)
and resolves objects created earlier in the plan by name, so running changes out of dependency
order fails here as it would against Zoom.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field, replace
from typing import Any

from reconciler.model.enums import CreateAction
from reconciler.model.live import (
    ContactMemberType,
    LiveContactGroup,
    LiveContactMember,
    LiveDivision,
    LiveGroup,
    LiveState,
    LiveUser,
    ZoomUserStatus,
)
from reconciler.plan.changes import (
    Change,
    ContactGroupCreate,
    ContactGroupDelete,
    ContactGroupMemberAdd,
    ContactGroupMemberRemove,
    ContactGroupUpdate,
    DivisionCreate,
    DivisionDelete,
    DivisionMemberAdd,
    DivisionUpdate,
    GroupAdminAdd,
    GroupAdminRemove,
    GroupCreate,
    GroupDelete,
    GroupLockSettingsUpdate,
    GroupMemberAdd,
    GroupMemberRemove,
    GroupSettingsUpdate,
    GroupUpdate,
    UserCreate,
    UserDelete,
    UserUpdate,
)


class SimulationError(AssertionError):
    """A change that Zoom would refuse in the state reached so far."""


@dataclass
class _Account:
    users: dict[str, LiveUser]
    groups: dict[str, LiveGroup]
    divisions: dict[str, LiveDivision]
    contacts: dict[str, LiveContactGroup] | None
    locks: Any
    ids: itertools.count[int] = field(default_factory=itertools.count)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}-new-{next(self.ids)}"

    def group_id(self, group_id: str | None, name: str) -> str:
        if group_id is not None and group_id in self.groups:
            return group_id
        for group in self.groups.values():
            if group.name == name:
                return group.id
        raise SimulationError(f"group {name} does not exist (yet)")

    def division_id(self, division_id: str | None, name: str) -> str:
        if division_id is not None and division_id in self.divisions:
            return division_id
        for division in self.divisions.values():
            if division.name == name:
                return division.id
        raise SimulationError(f"division {name} does not exist (yet)")

    def contact_id(self, contact_id: str | None, name: str) -> str:
        assert self.contacts is not None
        if contact_id is not None and contact_id in self.contacts:
            return contact_id
        for contact in self.contacts.values():
            if contact.name == name:
                return contact.id
        raise SimulationError(f"contact group {name} does not exist (yet)")

    def user(self, email: str) -> LiveUser:
        try:
            return self.users[email.lower()]
        except KeyError:
            raise SimulationError(f"user {email} does not exist (yet)") from None

    def forget_user(self, user: LiveUser) -> None:
        del self.users[user.key]
        for group in list(self.groups.values()):
            if group.admins is not None and user.key in group.admins:
                self.groups[group.id] = replace(group, admins=group.admins - {user.key})
        self._drop_contact_member(ContactMemberType.USER, user.id)

    def _drop_contact_member(self, member_type: ContactMemberType, member_id: str | None) -> None:
        if self.contacts is None or member_id is None:
            return
        gone = LiveContactMember(member_type, member_id)
        for contact in list(self.contacts.values()):
            if contact.members is not None and gone in contact.members:
                self.contacts[contact.id] = replace(contact, members=contact.members - {gone})

    def forget_group(self, group_id: str) -> None:
        del self.groups[group_id]
        for user in list(self.users.values()):
            if group_id in user.group_ids:
                ids = tuple(i for i in user.group_ids if i != group_id)
                self.users[user.key] = replace(user, group_ids=ids)
        self._drop_contact_member(ContactMemberType.GROUP, group_id)


def _set_leaves(tree: dict[str, Any], changes: Any) -> dict[str, Any]:
    result = copy.deepcopy(tree)
    for change in changes:
        node = result
        for part in change.path[:-1]:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[change.path[-1]] = copy.deepcopy(change.new)
    return result


def simulate(changes: tuple[Change, ...], live: LiveState) -> LiveState:
    """The live state after every change ran, in the given order."""
    account = _Account(
        users={u.key: u for u in live.users},
        groups={g.id: g for g in live.groups},
        divisions={d.id: d for d in live.divisions},
        contacts=None if live.contact_groups is None else {c.id: c for c in live.contact_groups},
        locks=live.account_lock_settings,
    )
    for change in changes:
        _apply(account, change)
    return LiveState(
        users=tuple(account.users.values()),
        groups=tuple(account.groups.values()),
        divisions=tuple(account.divisions.values()),
        contact_groups=None if account.contacts is None else tuple(account.contacts.values()),
        account_lock_settings=account.locks,
    )


def _apply(account: _Account, change: Change) -> None:
    if isinstance(change, DivisionCreate):
        new = LiveDivision(account.new_id("d"), change.name, change.description)
        account.divisions[new.id] = new
    elif isinstance(change, DivisionUpdate):
        division = account.divisions[change.division_id]
        values = {f.field: f.new for f in change.changes}
        account.divisions[division.id] = replace(division, **values)
    elif isinstance(change, DivisionDelete):
        if any(change.division_id in u.division_ids for u in account.users.values()):
            raise SimulationError(f"division {change.name} is not empty")
        del account.divisions[change.division_id]
    elif isinstance(change, GroupCreate):
        new_group = LiveGroup(
            account.new_id("g"), change.name, settings={}, lock_settings={}, admins=frozenset()
        )
        account.groups[new_group.id] = new_group
    elif isinstance(change, GroupUpdate):
        account.groups[change.group_id] = replace(account.groups[change.group_id], name=change.name)
    elif isinstance(change, GroupDelete):
        account.forget_group(change.group_id)
    elif isinstance(change, UserCreate):
        invited = change.create_action is CreateAction.CREATE
        status = ZoomUserStatus.PENDING if invited else ZoomUserStatus.ACTIVE
        if change.deactivate:
            status = ZoomUserStatus.INACTIVE
        if change.key in account.users:
            raise SimulationError(f"user {change.email} already exists")
        account.users[change.key] = LiveUser(
            email=change.email,
            status=status,
            type=change.type,
            id=None if invited else account.new_id("u"),
            role_id="2",
            profile=dict(change.profile),
        )
    elif isinstance(change, UserUpdate):
        user = account.user(change.email)
        profile = dict(user.profile) | {f.field: f.new for f in change.profile}
        user = replace(user, profile=profile)
        if change.type is not None:
            user = replace(user, type=change.type.new)
        if change.status is not None:
            if user.is_pending:
                raise SimulationError(f"user {change.email} is pending")
            user = replace(user, status=ZoomUserStatus(change.status.new))
        account.users[user.key] = user
    elif isinstance(change, UserDelete):
        account.forget_user(account.user(change.email))
    elif isinstance(change, GroupMemberAdd):
        group_id = account.group_id(change.group_id, change.group)
        user = account.user(change.email)
        if group_id not in user.group_ids:
            account.users[user.key] = replace(user, group_ids=(*user.group_ids, group_id))
    elif isinstance(change, GroupMemberRemove):
        user = account.user(change.email)
        if change.group_id not in user.group_ids:
            raise SimulationError(f"{change.email} is not a member of {change.group}")
        ids = tuple(i for i in user.group_ids if i != change.group_id)
        account.users[user.key] = replace(user, group_ids=ids)
    elif isinstance(change, GroupAdminAdd | GroupAdminRemove):
        group = account.groups[account.group_id(change.group_id, change.group)]
        user = account.user(change.email)
        if user.is_pending:
            raise SimulationError(f"pending user {change.email} cannot be an admin")
        assert group.admins is not None
        admins = (
            group.admins | {user.key}
            if isinstance(change, GroupAdminAdd)
            else group.admins - {user.key}
        )
        account.groups[group.id] = replace(group, admins=admins)
    elif isinstance(change, GroupSettingsUpdate):
        group = account.groups[account.group_id(change.group_id, change.group)]
        assert group.settings is not None
        settings = _set_leaves(dict(group.settings), change.changes)
        account.groups[group.id] = replace(group, settings=settings)
    elif isinstance(change, GroupLockSettingsUpdate):
        group = account.groups[account.group_id(change.group_id, change.group)]
        assert group.lock_settings is not None
        locks = _set_leaves(dict(group.lock_settings), change.changes)
        account.groups[group.id] = replace(group, lock_settings=locks)
    elif isinstance(change, DivisionMemberAdd):
        division_id = account.division_id(change.division_id, change.division)
        user = account.user(change.email)
        account.users[user.key] = replace(user, division_ids=(division_id,))
    else:
        _apply_contact(account, change)


def _apply_contact(account: _Account, change: Change) -> None:
    assert account.contacts is not None
    if isinstance(change, ContactGroupCreate):
        new = LiveContactGroup(
            account.new_id("c"), change.name, change.privacy, change.description, frozenset()
        )
        account.contacts[new.id] = new
    elif isinstance(change, ContactGroupUpdate):
        contact = account.contacts[change.contact_group_id]
        values = {f.field: f.new for f in change.changes}
        account.contacts[contact.id] = replace(contact, **values)
    elif isinstance(change, ContactGroupDelete):
        del account.contacts[change.contact_group_id]
    elif isinstance(change, ContactGroupMemberAdd | ContactGroupMemberRemove):
        contact = account.contacts[
            account.contact_id(change.contact_group_id, change.contact_group)
        ]
        assert contact.members is not None
        if isinstance(change, ContactGroupMemberRemove) and change.member_id is not None:
            member = LiveContactMember(change.member_type, change.member_id)
        elif change.member_type is ContactMemberType.USER:
            user = account.user(change.member)
            if user.id is None:
                raise SimulationError(f"pending user {change.member} cannot join a contact group")
            member = LiveContactMember(ContactMemberType.USER, user.id)
        else:
            group_id = account.group_id(change.member_id, change.member)
            member = LiveContactMember(ContactMemberType.GROUP, group_id)
        if isinstance(change, ContactGroupMemberAdd):
            members = contact.members | {member}
        else:
            if len(contact.members) <= 1:
                raise SimulationError(f"contact group {contact.name} would lose its last member")
            members = contact.members - {member}
        account.contacts[contact.id] = replace(contact, members=members)
    else:
        raise AssertionError(f"unhandled change {change!r}")
