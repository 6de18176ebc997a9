"""Divisions: their own changes, then their members, then pruning what this plan empties."""

from __future__ import annotations

from reconciler.model.live import LiveDivision
from reconciler.plan.changes import (
    DivisionCreate,
    DivisionDelete,
    DivisionMemberAdd,
    DivisionUpdate,
    FieldChange,
)
from reconciler.plan.diff.state import DiffState, match_live, name_is_free


def diff_divisions(state: DiffState) -> None:
    """Create, rename and describe declared divisions; records their ids for the member step."""
    live = state.live
    for division in state.desired.divisions:
        found: LiveDivision | None = match_live(
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
        if found.name != division.name and name_is_free(
            state, "division", found, holder, division.name
        ):
            changes.append(FieldChange(field="name", old=found.name, new=division.name))
        if division.description is not None and division.description != found.description:
            changes.append(
                FieldChange(field="description", old=found.description, new=division.description)
            )
        if changes:
            state.changes.append(
                DivisionUpdate(division_id=found.id, name=division.name, changes=tuple(changes))
            )


def _division_target(state: DiffState, name: str) -> tuple[bool, str | None]:
    """(known, live id) of a division named by a user: declared, or at least live."""
    if name in state.division_ids:
        return True, state.division_ids[name]
    found = state.live.division_named(name)
    return (found is not None), (found.id if found else None)


def diff_division_members(state: DiffState) -> None:
    """Place users in their divisions; records who leaves which, for pruning."""
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


def prune_divisions(state: DiffState) -> None:
    """Delete undeclared divisions that this plan's own moves and deletions leave empty."""
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
