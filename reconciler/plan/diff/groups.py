"""Groups: create, rename and prune them, then their members and their admins."""

from __future__ import annotations

from reconciler.model.live import LiveGroup, LiveState
from reconciler.plan.changes import (
    GroupAdminAdd,
    GroupAdminRemove,
    GroupCreate,
    GroupDelete,
    GroupMemberAdd,
    GroupMemberRemove,
    GroupUpdate,
)
from reconciler.plan.desired import DesiredGroup
from reconciler.plan.diff.joining import groups_to_split
from reconciler.plan.diff.state import (
    DiffState,
    LiveStateIncomplete,
    group_target,
    lowercase,
    match_live,
    name_is_free,
)


def diff_groups(state: DiffState) -> None:
    """Create, rename and prune groups first, so every later step knows each group's id."""
    live = state.live
    for group in state.desired.groups:
        found: LiveGroup | None = match_live(group.id, group.name, live.group, live.group_named)
        if found is None:
            state.changes.append(GroupCreate(name=group.name))
            state.group_ids[group.name] = None
            continue
        state.group_ids[group.name] = found.id
        holder = live.group_named(group.name)
        if found.name != group.name and name_is_free(state, "group", found, holder, group.name):
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


def diff_group_members(state: DiffState) -> None:
    """Add wanted members; remove others only from declared groups whose members are managed.

    A user with no group yet joins their primary group first (Zoom makes the first group
    primary) and their other groups after it; see `GroupMemberAdd`.
    """
    live = state.live
    wanted, managed, primary = state.desired.memberships()
    prune = state.desired.policy.prune_group_members
    adds: list[tuple[str, str | None, str]] = []
    for name in sorted(wanted):
        known, group_id = group_target(state, name)
        if not known:
            state.notes.append(f"group {name} does not exist; its members are not added")
            continue
        have = {u.key for u in live.members_of(group_id)} if group_id is not None else set()
        for email in sorted(wanted[name] - have - state.protected - state.deleted_users):
            if state.user_exists(email):
                adds.append((name, group_id, email))
            else:
                state.notes.append(f"group {name}: user {email} does not exist; not added")
        if not (prune and name in managed and name in state.group_ids):
            continue
        for email in sorted(have - wanted[name] - state.protected - state.deleted_users):
            member = live.user(email)
            assert member is not None
            state.changes.append(
                GroupMemberRemove(group=name, group_id=group_id, email=email, user_id=member.id)
            )
    joins_primary = {email for name, _, email in adds if primary.get(email) == name}

    def joins_first(email: str) -> bool:
        """A user with no group yet, who joins the primary group in this plan."""
        live_user = live.user(email)
        return (live_user is None or not live_user.group_ids) and email in joins_primary

    split = groups_to_split(
        (primary[email], name)
        for name, _, email in adds
        if joins_first(email) and primary[email] != name
    )
    for name, group_id, email in adds:
        live_user = live.user(email)
        is_primary = primary.get(email) == name
        first = joins_first(email)
        state.changes.append(
            GroupMemberAdd(
                group=name,
                group_id=group_id,
                email=email,
                user_id=live_user.id if live_user is not None else None,
                primary=is_primary,
                user_pending=state.user_is_pending(email),
                first_group=first and is_primary,
                early=first and is_primary and name in split,
                joins_after=primary[email] if first and not is_primary else None,
            )
        )


def diff_group_admins(state: DiffState) -> None:
    """Managed only for groups that write `admins`; pending users cannot be admins yet."""
    for group in state.desired.groups:
        if group.admins is None:
            continue
        group_id = state.group_ids[group.name]
        have = _live_admins(state.live, group, group_id)
        wanted = lowercase(group.admins)
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
