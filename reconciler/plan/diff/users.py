"""Users: create, update and prune them, within what Zoom allows for pending users and admins."""

from __future__ import annotations

from reconciler.model.enums import CreateAction, UserPrune, UserStatus, UserType
from reconciler.model.live import LiveUser, ZoomUserStatus
from reconciler.plan.changes import DeleteMode, FieldChange, UserCreate, UserDelete, UserUpdate
from reconciler.plan.desired import DesiredUser
from reconciler.plan.diff.state import DiffState
from reconciler.plan.profile import same_value


def diff_users(state: DiffState) -> None:
    """Create missing users, update what is written for the rest; protected ones are skipped."""
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


def _create_user(state: DiffState, email: str, user: DesiredUser) -> None:
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


def _update_user(state: DiffState, email: str, user: DesiredUser, found: LiveUser) -> None:
    renamed_from = state.renamed.get(email)
    if renamed_from is not None and found.is_account_admin:
        state.notes.append(
            f"user {renamed_from} is an account {_role(found)}; Zoom refuses to change an "
            f"admin's email (code 1000), so apply refuses this plan (change its role first)"
        )
    if (
        renamed_from is None
        and user.type in (None, found.type)
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
    if user.type is not None and user.type != found.type and _lowers_the_owner(found, user.type):
        state.notes.append(
            f"user {email} is the account owner; Zoom does not let an admin lower the owner's "
            "licence (code 1108), so its type stays as it is"
        )
    elif user.type is not None and user.type != found.type:
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
    if profile or type_change or status or renamed_from:
        state.changes.append(
            UserUpdate(
                email=email,
                user_id=found.id,
                pending=found.is_pending,
                profile=profile,
                type=type_change,
                status=status,
                renamed_from=renamed_from,
            )
        )


def _lowers_the_owner(found: LiveUser, wanted_type: int) -> bool:
    """Zoom refuses any type but Licensed for the account owner (S001:4132, code 1108)."""
    return found.is_owner and wanted_type != UserType.LICENSED


def _role(user: LiveUser) -> str:
    return "owner" if user.is_owner else "admin"


def prune_users(state: DiffState) -> None:
    """Deactivate or delete undeclared users per policy; owners and admins stay, with a note."""
    prune = state.desired.policy.prune_users
    if prune is UserPrune.NONE:
        return
    declared = {u.email.lower() for u in state.desired.users}
    for user in state.live.users:
        if user.key in declared or user.key in state.protected:
            continue
        if user.key in state.desired.unpruned_users:
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
