"""Email changes: users pinned by `id` whose live email differs from the configured one.

The differ then works on a *renamed view* of the live account, in which those users already
carry their new email (in the user list, in group admin lists, in assistant lists): every other
section compares by the new email, so memberships, divisions, assistants and prune all agree,
and the email change itself (a `user` update with `renamed_from`) runs before any change that
names the user by it (they depend on the user's change).

An email change the account would refuse is a `PinProblem`, found before anything is compared:
`plan` reports each at the configuration's line, and `diff` refuses to go on with any.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from reconciler.errors import PlanConflictError
from reconciler.model.live import LiveState, LiveUser
from reconciler.plan.desired import Desired, DesiredUser


@dataclass(frozen=True)
class PinProblem:
    """Why the user pinned as `email` (lower case) cannot change to it; `plan` reports it at
    the user's `email` line."""

    email: str
    message: str


@dataclass(frozen=True)
class Pins:
    renames: dict[str, str]
    """Live email -> configured email, for pinned users whose email changes."""
    problems: tuple[PinProblem, ...]
    unknown: tuple[str, ...]
    """Configured emails of pinned users whose id the account does not have."""
    protected: frozenset[str] = frozenset()
    """Configured emails pinned to a protected user's id: that user, so never changed either."""

    def notes(self) -> list[str]:
        if not self.unknown:
            return []
        shown = ", ".join(self.unknown[:UNKNOWN_SHOWN])
        more = len(self.unknown) - UNKNOWN_SHOWN
        return [
            f"{len(self.unknown)} pinned user(s) are not in the account under their id "
            f"({shown}{f', and {more} more' if more > 0 else ''}): they are matched by email "
            "instead, and created if missing; correct or remove the id"
        ]


UNKNOWN_SHOWN = 5
"""How many users with an unknown pin one note names: a configuration exported from another
account has a pin on every user."""


def read_pins(desired: Desired, live: LiveState) -> Pins:
    """Match pinned users to the account by id; what changes email, and what cannot.

    A protected user is never changed, so a pin on one (under either email) changes nothing:
    the configured email joins the protected ones.
    A pin the account does not have falls back to the email, with a note: a configuration
    exported from one account then plans (creates) in another, as it would without pins.
    """
    protected = {email.lower() for email in desired.policy.protected_users}
    domains = desired.policy.managed_domains
    renames: dict[str, str] = {}
    problems: list[PinProblem] = []
    unknown: list[str] = []
    also_protected: set[str] = set()
    for user in desired.users:
        new = user.email.lower()
        if user.id is None or new in protected:
            continue
        found = live.user_by_id(user.id)
        if found is None:
            unknown.append(new)
            continue
        if found.key in protected:
            also_protected.add(new)
            continue
        if found.key == new:
            continue
        holder = live.user(new)
        domain = new.rpartition("@")[2]
        if holder is not None and holder.id != found.id:
            problems.append(_problem(user, _HELD.format(old=found.key)))
        elif domains is not None and domain not in domains:
            listed = ", ".join(sorted(domains))
            problems.append(_problem(user, _OUTSIDE.format(old=found.key, listed=listed)))
        else:
            renames[found.key] = new
    return Pins(renames, tuple(problems), tuple(unknown), frozenset(also_protected))


_HELD = (
    "cannot be the new email of {old}: another user of the account has it; change or remove "
    "that user first"
)
_OUTSIDE = (
    "cannot be the new email of {old}: its domain is not one of policy.managed_domains "
    "({listed}), and Zoom changes an email only within the account's managed domains"
)


def _problem(user: DesiredUser, reason: str) -> PinProblem:
    return PinProblem(user.email.lower(), f"user '{user.email}' {reason}")


def find_renames(desired: Desired, live: LiveState) -> Pins:
    """The pins, once none stops the plan (`PlanConflictError` names every one that does)."""
    pins = read_pins(desired, live)
    if pins.problems:
        raise PlanConflictError("; ".join(p.message for p in pins.problems))
    return pins


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
