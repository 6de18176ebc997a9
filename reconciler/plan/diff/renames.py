"""Email changes: users pinned by `id` whose live email differs from the configured one.

The differ then works on a *renamed view* of the live account, in which those users already
carry their new email (in the user list, in group admin lists, in assistant lists): every other
section compares by the new email, so memberships, divisions, assistants and prune all agree,
and the email change itself (a `user` update with `renamed_from`) runs before any change that
names the user by it (they depend on the user's change).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from reconciler.errors import PlanConflictError
from reconciler.model.live import LiveState, LiveUser
from reconciler.plan.desired import Desired


def find_renames(desired: Desired, live: LiveState, protected: frozenset[str]) -> dict[str, str]:
    """Live email -> configured email, for pinned users whose email changes.

    A protected user is never changed, so a pin on one (under either email) renames nothing.
    """
    renames: dict[str, str] = {}
    for user in desired.users:
        if user.id is None:
            continue
        found = live.user_by_id(user.id)
        new = user.email.lower()
        if found is None or found.key == new or {found.key, new} & protected:
            continue
        holder = live.user(new)
        if holder is not None and holder.id != found.id:
            raise PlanConflictError(
                f"user {found.key} (id {user.id}) cannot change its email to {new}: another "
                "user of the account has that email; change or remove that user first"
            )
        renames[found.key] = new
    return renames


def renamed_view(live: LiveState, renames: Mapping[str, str]) -> LiveState:
    """The live account as it will be once the email changes are made."""
    if not renames:
        return live

    def emails(found: frozenset[str] | None) -> frozenset[str] | None:
        return None if found is None else frozenset(renames.get(e, e) for e in found)

    def user(found: LiveUser) -> LiveUser:
        email = renames.get(found.key, found.email)
        assistants = found.assistants
        if assistants is not None:
            assistants = {renames.get(e, e): i for e, i in assistants.items()}
        return replace(found, email=email, assistants=assistants)

    return replace(
        live,
        users=tuple(user(u) for u in live.users),
        groups=tuple(replace(g, admins=emails(g.admins)) for g in live.groups),
    )
