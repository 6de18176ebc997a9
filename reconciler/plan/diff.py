"""The differ: (desired, live) -> typed changes and notes. Pure: no client, no I/O, no clock.

Rules it keeps (see docs/plan.md):
- unwritten means unmanaged; settings are compared only along the paths written;
- protected users (and the account owner, when pruning) never appear in any change;
- pending users have no id: their profile and type can change and they can be placed in and
  removed from groups (by email) and divisions, but they cannot be activated, deactivated,
  made admins or added to contact groups until they accept their invitation; a note says so;
- objects this plan deletes take their memberships with them, so no removal is planned for them;
- a division is deleted only if it is empty once this plan's own moves are done, and a contact
  group keeps at least one member (Zoom refuses to remove the last).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.model.enums import CreateAction, UserPrune, UserStatus
from reconciler.model.live import (
    ContactMemberType,
    LiveContactGroup,
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
    DeleteMode,
    DivisionCreate,
    DivisionDelete,
    DivisionMemberAdd,
    DivisionUpdate,
    FieldChange,
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
from reconciler.plan.desired import (
    Desired,
    DesiredContactGroup,
    DesiredGroup,
    DesiredUser,
)
from reconciler.plan.plan import Plan, make_plan
from reconciler.plan.profile import same_value
from reconciler.plan.settings import settings_changes


class LiveStateIncomplete(ValueError):
    """The reader did not read something the configuration manages (a bug, not a user error)."""


@dataclass
class _Diff:
    """Working state of one diff run: the changes so far and what later steps need from them."""

    desired: Desired
    live: LiveState
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    protected: frozenset[str] = frozenset()
    group_ids: dict[str, str | None] = field(default_factory=dict)
    """Declared group name -> live id (`None`: created by this plan)."""
    division_ids: dict[str, str | None] = field(default_factory=dict)
    created_users: dict[str, DesiredUser] = field(default_factory=dict)
    deleted_users: set[str] = field(default_factory=set)
    deleted_groups: set[str] = field(default_factory=set)
    """Live ids of groups this plan deletes."""
    moved_out: dict[str, set[str]] = field(default_factory=dict)
    """Live division id -> emails this plan moves to another division."""

    # users -------------------------------------------------------------------------------

    def user_exists(self, email: str) -> bool:
        """Exists after this plan: live and not deleted by it, or created by it."""
        if email in self.deleted_users:
            return False
        return email in self.created_users or self.live.user(email) is not None

    def user_is_pending(self, email: str) -> bool:
        """Pending now, or created by invitation (`create_action: create`) in this plan."""
        created = self.created_users.get(email)
        if created is not None:
            return created.create_action is CreateAction.CREATE
        live = self.live.user(email)
        return live is not None and live.is_pending


def _lower(emails: Iterable[str]) -> set[str]:
    return {e.lower() for e in emails}


def diff(desired: Desired, live: LiveState) -> tuple[list[Change], list[str]]:
    """Every change that brings `live` to `desired`, and notes on what is deliberately left."""
    state = _Diff(
        desired=desired, live=live, protected=frozenset(_lower(desired.policy.protected_users))
    )
    _diff_divisions(state)
    _diff_groups(state)
    _diff_users(state)
    _prune_users(state)
    _diff_division_members(state)
    _prune_divisions(state)
    _diff_group_members(state)
    _diff_group_admins(state)
    _diff_settings(state)
    _diff_contact_groups(state)
    return state.changes, state.notes


def build_plan(desired: Desired, live: LiveState) -> Plan:
    """The ordered, fingerprinted Plan from `desired` to `live`."""
    changes, notes = diff(desired, live)
    return make_plan(changes, live, notes)


# matching ----------------------------------------------------------------------------------


def _match(pinned: str | None, name: str, by_id: Any, by_name: Any) -> Any:
    """A pinned `id` wins (so a changed name is a rename); otherwise match by name."""
    if pinned is not None:
        found = by_id(pinned)
        if found is not None:
            return found
    return by_name(name)


def _free(state: _Diff, label: str, found: Any, holder: Any, name: str) -> bool:
    """Whether a pinned object can take `name`: not if another live object holds it."""
    if holder is None or holder.id == found.id:
        return True
    state.notes.append(
        f"{label} {found.name} is not renamed to {name}: another {label} has that name; "
        "rename or delete that one first"
    )
    return False


# divisions ---------------------------------------------------------------------------------


def _diff_divisions(state: _Diff) -> None:
    live = state.live
    for division in state.desired.divisions:
        found: LiveDivision | None = _match(
            division.id, division.name, live.division, live.division_named
        )
        if found is None:
            state.changes.append(
                DivisionCreate(name=division.name, description=division.description)
            )
            state.division_ids[division.name] = None
            continue
        state.division_ids[division.name] = found.id
        changes = []
        holder = live.division_named(division.name)
        if found.name != division.name and _free(state, "division", found, holder, division.name):
            changes.append(FieldChange(field="name", old=found.name, new=division.name))
        if division.description is not None and division.description != found.description:
            changes.append(
                FieldChange(field="description", old=found.description, new=division.description)
            )
        if changes:
            state.changes.append(
                DivisionUpdate(division_id=found.id, name=division.name, changes=tuple(changes))
            )


def _division_target(state: _Diff, name: str) -> tuple[bool, str | None]:
    """(known, live id) of a division named by a user: declared, or at least live."""
    if name in state.division_ids:
        return True, state.division_ids[name]
    found = state.live.division_named(name)
    return (found is not None), (found.id if found else None)


def _diff_division_members(state: _Diff) -> None:
    live = state.live
    for email, division in state.desired.division_of().items():
        if email in state.protected:
            continue
        known, division_id = _division_target(state, division)
        current = live.user(email)
        if current is not None and division_id is not None and division_id in current.division_ids:
            continue  # already there: the common case, checked first
        if not known:
            state.notes.append(f"user {email}: division {division} does not exist; not assigned")
            continue
        if not state.user_exists(email):
            state.notes.append(f"division {division}: user {email} does not exist; not assigned")
            continue
        current_ids = current.division_ids if current is not None else ()
        previous = next((d.name for i in current_ids if (d := live.division(i)) is not None), None)
        for old_id in current_ids:
            state.moved_out.setdefault(old_id, set()).add(email)
        state.changes.append(
            DivisionMemberAdd(
                division=division,
                division_id=division_id,
                email=email,
                user_id=current.id if current is not None else None,
                previous=previous,
            )
        )


def _prune_divisions(state: _Diff) -> None:
    if not state.desired.policy.prune_divisions:
        return
    kept = {i for i in state.division_ids.values() if i is not None}
    for division in state.live.divisions:
        if division.id in kept or division.is_main:
            continue
        leaving = state.moved_out.get(division.id, set()) | state.deleted_users
        staying = [u for u in state.live.users_in_division(division.id) if u.key not in leaving]
        if staying:
            state.notes.append(
                f"division {division.name} is not declared but still has {len(staying)} user(s); not deleted"
            )
            continue
        state.changes.append(DivisionDelete(division_id=division.id, name=division.name))


# groups ------------------------------------------------------------------------------------


def _diff_groups(state: _Diff) -> None:
    live = state.live
    for group in state.desired.groups:
        found: LiveGroup | None = _match(group.id, group.name, live.group, live.group_named)
        if found is None:
            state.changes.append(GroupCreate(name=group.name))
            state.group_ids[group.name] = None
            continue
        state.group_ids[group.name] = found.id
        holder = live.group_named(group.name)
        if found.name != group.name and _free(state, "group", found, holder, group.name):
            state.changes.append(
                GroupUpdate(group_id=found.id, old_name=found.name, name=group.name)
            )
    if not state.desired.policy.prune_groups:
        return
    kept = {i for i in state.group_ids.values() if i is not None}
    for live_group in live.groups:
        if live_group.id not in kept:
            state.deleted_groups.add(live_group.id)
            state.changes.append(
                GroupDelete(
                    group_id=live_group.id,
                    name=live_group.name,
                    total_members=live_group.total_members,
                )
            )


def _group_target(state: _Diff, name: str) -> tuple[bool, str | None]:
    if name in state.group_ids:
        return True, state.group_ids[name]
    found = state.live.group_named(name)
    if found is None or found.id in state.deleted_groups:
        return False, None
    return True, found.id


def _diff_group_members(state: _Diff) -> None:
    live = state.live
    wanted, managed, primary = state.desired.memberships()
    prune = state.desired.policy.prune_group_members
    for name in sorted(wanted):
        known, group_id = _group_target(state, name)
        if not known:
            state.notes.append(f"group {name} does not exist; its members are not added")
            continue
        have = {u.key for u in live.members_of(group_id)} if group_id is not None else set()
        for email in sorted(wanted[name] - have - state.protected - state.deleted_users):
            _add_member(state, name, group_id, email, primary.get(email) == name)
        if not (prune and name in managed and name in state.group_ids):
            continue
        for email in sorted(have - wanted[name] - state.protected - state.deleted_users):
            member = live.user(email)
            assert member is not None
            state.changes.append(
                GroupMemberRemove(group=name, group_id=group_id, email=email, user_id=member.id)
            )


def _add_member(state: _Diff, group: str, group_id: str | None, email: str, primary: bool) -> None:
    if not state.user_exists(email):
        state.notes.append(f"group {group}: user {email} does not exist; not added")
        return
    live_user = state.live.user(email)
    state.changes.append(
        GroupMemberAdd(
            group=group,
            group_id=group_id,
            email=email,
            user_id=live_user.id if live_user is not None else None,
            primary=primary,
            user_pending=state.user_is_pending(email),
        )
    )


def _diff_group_admins(state: _Diff) -> None:
    for group in state.desired.groups:
        if group.admins is None:
            continue
        group_id = state.group_ids[group.name]
        have = _live_admins(state.live, group, group_id)
        wanted = _lower(group.admins)
        for email in sorted(wanted - have - state.protected):
            if not state.user_exists(email):
                state.notes.append(f"group {group.name}: admin {email} does not exist; not added")
            elif state.user_is_pending(email):
                state.notes.append(
                    f"group {group.name}: {email} is pending; it can become an admin once it accepts"
                )
            else:
                live_user = state.live.user(email)
                state.changes.append(
                    GroupAdminAdd(
                        group=group.name,
                        group_id=group_id,
                        email=email,
                        user_id=live_user.id if live_user else None,
                    )
                )
        for email in sorted(have - wanted - state.protected - state.deleted_users):
            live_user = state.live.user(email)
            state.changes.append(
                GroupAdminRemove(
                    group=group.name,
                    group_id=group_id,
                    email=email,
                    user_id=live_user.id if live_user else None,
                )
            )


def _live_admins(live: LiveState, group: DesiredGroup, group_id: str | None) -> set[str]:
    if group_id is None:
        return set()
    found = live.group(group_id)
    assert found is not None
    if found.admins is None:
        raise LiveStateIncomplete(f"the admins of group {group.name} were not read")
    return set(found.admins)


# settings ----------------------------------------------------------------------------------


def _diff_settings(state: _Diff) -> None:
    for group in state.desired.groups:
        group_id = state.group_ids[group.name]
        found = state.live.group(group_id) if group_id is not None else None
        if group.settings is not None:
            live_settings = _read(found, "settings", group.name)
            changes = settings_changes(
                group.settings, live_settings, state.live.account_lock_settings
            )
            if changes:
                state.changes.append(
                    GroupSettingsUpdate(group=group.name, group_id=group_id, changes=changes)
                )
        if group.lock_settings is not None:
            live_locks = _read(found, "lock_settings", group.name)
            changes = settings_changes(group.lock_settings, live_locks)
            if changes:
                state.changes.append(
                    GroupLockSettingsUpdate(group=group.name, group_id=group_id, changes=changes)
                )


def _read(found: LiveGroup | None, attribute: str, name: str) -> Mapping[str, Any]:
    if found is None:
        return {}
    value: Mapping[str, Any] | None = getattr(found, attribute)
    if value is None:
        raise LiveStateIncomplete(f"the {attribute} of group {name} were not read")
    return value


# users -------------------------------------------------------------------------------------


def _diff_users(state: _Diff) -> None:
    for user in state.desired.users:
        email = user.email.lower()
        if email in state.protected:
            continue
        found = state.live.user(email)
        if found is None:
            _create_user(state, email, user)
        else:
            _update_user(state, email, user, found)


BASIC_TYPE = 1
"""Zoom's type code for a basic user: the only type an inactive user keeps."""


def _create_user(state: _Diff, email: str, user: DesiredUser) -> None:
    state.created_users[email] = user
    inactive = user.status is UserStatus.INACTIVE
    invited = user.create_action is CreateAction.CREATE
    user_type = user.type if user.type is not None else BASIC_TYPE
    if inactive and not invited and user_type != BASIC_TYPE:
        user_type = BASIC_TYPE
        state.notes.append(
            f"user {email} is created inactive, and Zoom takes inactive users' licences: "
            "it is created basic; its type is set when it is activated"
        )
    state.changes.append(
        UserCreate(
            email=email,
            create_action=user.create_action,
            type=user_type,
            profile=dict(user.profile),
            password_set=user.password_set,
            deactivate=inactive and not invited,
        )
    )
    if inactive and invited:
        state.notes.append(
            f"user {email} is invited (pending); it can be deactivated once it accepts"
        )


def _update_user(state: _Diff, email: str, user: DesiredUser, found: LiveUser) -> None:
    if (
        user.type in (None, found.type)
        and user.status in (None, found.status.value)
        and user.profile.items() <= found.profile.items()
    ):
        return  # the common case at scale: nothing written differs
    profile = tuple(
        FieldChange(field=name, old=found.profile.get(name), new=value)
        for name, value in sorted(user.profile.items())
        if not same_value(value, found.profile.get(name))
    )
    type_change = None
    if user.type is not None and user.type != found.type:
        stays = found.is_pending or found.is_account_admin  # Zoom will not change its status
        ends = found.status if stays or user.status is None else ZoomUserStatus(user.status)
        if ends is ZoomUserStatus.INACTIVE and user.type != BASIC_TYPE:
            state.notes.append(
                f"user {email} stays inactive, and Zoom takes inactive users' licences: "
                "its type is left as it is until it is activated"
            )
        else:
            type_change = FieldChange(field="type", old=found.type, new=user.type)
    status = None
    if user.status is not None and user.status.value != found.status.value:
        if found.is_pending:
            if user.status.value == "inactive":
                state.notes.append(
                    f"user {email} is pending; it cannot be deactivated until it accepts"
                )
        elif found.is_account_admin:
            state.notes.append(
                f"user {email} is an account {_role(found)}; Zoom does not change the status of "
                f"owners and admins, so it stays {found.status.value} (change its role first)"
            )
        else:
            status = FieldChange(field="status", old=found.status.value, new=user.status.value)
    if profile or type_change or status:
        state.changes.append(
            UserUpdate(
                email=email,
                user_id=found.id,
                pending=found.is_pending,
                profile=profile,
                type=type_change,
                status=status,
            )
        )


def _role(user: LiveUser) -> str:
    return "owner" if user.is_owner else "admin"


def _prune_users(state: _Diff) -> None:
    prune = state.desired.policy.prune_users
    if prune is UserPrune.NONE:
        return
    declared = {u.email.lower() for u in state.desired.users}
    for user in state.live.users:
        if user.key in declared or user.key in state.protected:
            continue
        if user.is_owner:
            state.notes.append(f"user {user.key} is the account owner; never pruned")
        elif user.is_account_admin:
            state.notes.append(
                f"user {user.key} is an account admin; Zoom neither deactivates nor deletes "
                "admins, so it is not pruned (change its role first)"
            )
        elif prune is UserPrune.DELETE:
            mode = DeleteMode.DISASSOCIATE if user.is_pending else DeleteMode.DELETE
            state.deleted_users.add(user.key)
            state.changes.append(
                UserDelete(
                    email=user.key,
                    user_id=user.id,
                    mode=mode,
                    status=user.status.value,
                    type=user.type,
                )
            )
        elif user.status is ZoomUserStatus.ACTIVE:
            state.changes.append(
                UserUpdate(
                    email=user.key,
                    user_id=user.id,
                    status=FieldChange(field="status", old="active", new="inactive"),
                )
            )
        elif user.is_pending:
            state.notes.append(
                f"user {user.key} is pending; it cannot be deactivated until it accepts"
            )


# contact groups ----------------------------------------------------------------------------


def _diff_contact_groups(state: _Diff) -> None:
    desired = state.desired
    if not desired.contact_groups and not desired.policy.prune_contact_groups:
        return
    contacts = state.live.contact_groups
    if contacts is None:
        raise LiveStateIncomplete("contact groups were not read")
    declared: set[str] = set()
    for group in desired.contact_groups:
        found: LiveContactGroup | None = _match(
            group.id, group.name, state.live.contact_group, state.live.contact_group_named
        )
        if found is None:
            state.changes.append(
                ContactGroupCreate(
                    name=group.name, privacy=group.privacy or 1, description=group.description
                )
            )
        else:
            declared.add(found.id)
            _update_contact_group(state, group, found)
        _diff_contact_members(state, group, found)
    if desired.policy.prune_contact_groups:
        for live_group in contacts:
            if live_group.id not in declared:
                state.changes.append(
                    ContactGroupDelete(contact_group_id=live_group.id, name=live_group.name)
                )


def _update_contact_group(
    state: _Diff, group: DesiredContactGroup, found: LiveContactGroup
) -> None:
    changes = []
    holder = state.live.contact_group_named(group.name)
    if found.name != group.name and _free(state, "contact group", found, holder, group.name):
        changes.append(FieldChange(field="name", old=found.name, new=group.name))
    if group.privacy is not None and group.privacy != found.privacy:
        changes.append(FieldChange(field="privacy", old=found.privacy, new=group.privacy))
    if group.description is not None and group.description != found.description:
        changes.append(
            FieldChange(field="description", old=found.description, new=group.description)
        )
    if changes:
        state.changes.append(
            ContactGroupUpdate(contact_group_id=found.id, name=group.name, changes=tuple(changes))
        )


_Member = tuple[ContactMemberType, str]


def _live_contact_members(state: _Diff, found: LiveContactGroup) -> dict[_Member, str]:
    """(type, email or group name) -> live member id; unknown ids stand for themselves.

    A group is named as the configuration names it, so a group renamed by this plan still matches.
    """
    if found.members is None:
        raise LiveStateIncomplete(f"the members of contact group {found.name} were not read")
    declared_names = {i: name for name, i in state.group_ids.items() if i is not None}
    members: dict[_Member, str] = {}
    for member in found.members:
        if member.type is ContactMemberType.USER:
            user = state.live.user_by_id(member.id)
            members[(member.type, user.key if user else member.id)] = member.id
        else:
            group = state.live.group(member.id)
            name = declared_names.get(member.id, group.name if group else member.id)
            members[(member.type, name)] = member.id
    return members


def _diff_contact_members(
    state: _Diff, group: DesiredContactGroup, found: LiveContactGroup | None
) -> None:
    managed = set()
    if group.member_users is not None:
        managed.add(ContactMemberType.USER)
    if group.member_groups is not None:
        managed.add(ContactMemberType.GROUP)
    if not managed:
        return
    wanted: set[_Member] = {(ContactMemberType.USER, e.lower()) for e in group.member_users or ()}
    wanted |= {(ContactMemberType.GROUP, n) for n in group.member_groups or ()}
    wanted = {m for m in wanted if not _is_protected(state, m)}
    everyone = _live_contact_members(state, found) if found is not None else {}
    have = {m: i for m, i in everyone.items() if m[0] in managed}
    found_id = found.id if found is not None else None
    added = 0
    for member in sorted(wanted - have.keys()):
        if _add_contact_member(state, group.name, found_id, member):
            added += 1
    gone = {g.name for g in state.live.groups if g.id in state.deleted_groups}
    removable = [
        m
        for m in sorted(have.keys() - wanted)
        if not _is_protected(state, m)
        and not (m[0] is ContactMemberType.USER and m[1] in state.deleted_users)
        and not (m[0] is ContactMemberType.GROUP and m[1] in gone)
    ]
    remaining = len(everyone) - len(removable) + added
    if removable and remaining <= 0:
        kept = removable.pop(0)
        state.notes.append(
            f"contact group {group.name} keeps {kept[1]}: Zoom refuses to remove a group's last member"
        )
    for member_type, key in removable:
        state.changes.append(
            ContactGroupMemberRemove(
                contact_group=group.name,
                contact_group_id=found_id,
                member_type=member_type,
                member=key,
                member_id=have[(member_type, key)],
            )
        )


def _is_protected(state: _Diff, member: _Member) -> bool:
    return member[0] is ContactMemberType.USER and member[1] in state.protected


def _add_contact_member(state: _Diff, name: str, group_id: str | None, member: _Member) -> bool:
    member_type, key = member
    if member_type is ContactMemberType.USER:
        if not state.user_exists(key):
            state.notes.append(f"contact group {name}: user {key} does not exist; not added")
            return False
        if state.user_is_pending(key):
            state.notes.append(
                f"contact group {name}: {key} is pending; it can be added once it accepts"
            )
            return False
        live_user = state.live.user(key)
        member_id = live_user.id if live_user else None
    else:
        known, member_id = _group_target(state, key)
        if not known:
            state.notes.append(f"contact group {name}: group {key} does not exist; not added")
            return False
    state.changes.append(
        ContactGroupMemberAdd(
            contact_group=name,
            contact_group_id=group_id,
            member_type=member_type,
            member=key,
            member_id=member_id,
        )
    )
    return True
