"""Contact groups and their members, users and groups as the other sections leave them."""

from __future__ import annotations

from reconciler.model.live import ContactMemberType, LiveContactGroup
from reconciler.plan.changes import (
    ContactGroupCreate,
    ContactGroupDelete,
    ContactGroupMemberAdd,
    ContactGroupMemberRemove,
    ContactGroupUpdate,
    FieldChange,
)
from reconciler.plan.desired import DesiredContactGroup
from reconciler.plan.diff.state import (
    DiffState,
    LiveStateIncomplete,
    group_target,
    match_live,
    name_is_free,
)


def diff_contact_groups(state: DiffState) -> None:
    """Contact groups and their members, last: they name users and groups settled before."""
    desired = state.desired
    if not desired.contact_groups and not desired.policy.prune_contact_groups:
        return
    contacts = state.live.contact_groups
    if contacts is None:
        raise LiveStateIncomplete("contact groups were not read")
    declared: set[str] = set()
    for group in desired.contact_groups:
        found: LiveContactGroup | None = match_live(
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
    state: DiffState, group: DesiredContactGroup, found: LiveContactGroup
) -> None:
    changes = []
    holder = state.live.contact_group_named(group.name)
    if found.name != group.name and name_is_free(state, "contact group", found, holder, group.name):
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


def _live_contact_members(state: DiffState, found: LiveContactGroup) -> dict[_Member, str]:
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
    state: DiffState, group: DesiredContactGroup, found: LiveContactGroup | None
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
    deleted = {m for m in everyone if _deleted_by_plan(state, m, gone)}
    removable = [
        m for m in sorted(have.keys() - wanted) if not _is_protected(state, m) and m not in deleted
    ]
    # Members whose user or group this plan deletes leave too (Zoom drops them with it), and
    # those deletions may run before the removals: count them out, or the last removal fails.
    remaining = len(everyone) - len(removable) - len(deleted) + added
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


def _deleted_by_plan(state: DiffState, member: _Member, gone: set[str]) -> bool:
    member_type, key = member
    if member_type is ContactMemberType.USER:
        return key in state.deleted_users
    return key in gone


def _is_protected(state: DiffState, member: _Member) -> bool:
    return member[0] is ContactMemberType.USER and member[1] in state.protected


def _add_contact_member(state: DiffState, name: str, group_id: str | None, member: _Member) -> bool:
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
        known, member_id = group_target(state, key)
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
