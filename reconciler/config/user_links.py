"""Checks on what ties a user to others: the `id` pin and scheduling assistants.

Kept apart from `validate.py` so each module stays small; `_Checker.run` calls `check_user_links`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reconciler.model import UserType

if TYPE_CHECKING:
    from reconciler.config.validate import _Checker

ASSISTANT_TYPES = frozenset({UserType.LICENSED})
"""Seed 001, POST /users/{userId}/assistants: "The user as well as the assistant must have
Licensed or an On-prem license" (on-prem is not a type the configuration writes)."""


def check_user_links(checker: _Checker) -> None:
    _check_user_pins(checker)
    _check_pinned_domains(checker)
    _check_assistants(checker)


def _check_user_pins(checker: _Checker) -> None:
    """One Zoom user per pin: two users sharing an `id` would both be that one user."""
    owners: dict[str, int] = {}
    for index, user in enumerate(checker.config.users):
        if user.id is None:
            continue
        if user.id in owners:
            first = owners[user.id]
            earlier = checker.where("users", first, "id")
            other = checker.config.users[first].email
            checker.report(
                checker.where("users", index, "id"),
                f"id '{user.id}' is pinned by both '{other}' (at {earlier.format()}) and '{user.email}'",
            )
        else:
            owners[user.id] = index


def _check_pinned_domains(checker: _Checker) -> None:
    """A pinned user's email may be an email change, which Zoom makes only within the account's
    managed domains (PUT /users/{userId}/email)."""
    domains = checker.config.policy.managed_domains
    if domains is None:
        return
    managed = {domain.lower().lstrip("@") for domain in domains}
    for index, user in enumerate(checker.config.users):
        if user.id is None:
            continue
        domain = user.key.rpartition("@")[2]
        if domain not in managed:
            checker.report(
                checker.where("users", index, "email"),
                f"user '{user.email}' is pinned by id, but '{domain}' is not one of "
                f"policy.managed_domains ({', '.join(sorted(managed))}); Zoom changes an email "
                "only within the account's managed domains",
            )


def _check_assistants(checker: _Checker) -> None:
    users = checker.config.users_by_email
    for index, user in enumerate(checker.config.users):
        if user.assistants is None:
            continue
        if user.assistants and user.type is not None and user.type not in ASSISTANT_TYPES:
            checker.report(
                checker.where("users", index, "type"),
                f"user '{user.email}' has scheduling assistants, so it must be licensed "
                "(Zoom: the user as well as the assistant must have a Licensed license)",
            )
        for position, email in checker._listed_twice(
            "users", index, "assistants", list(user.assistants), fold=True
        ):
            where = checker.where("users", index, "assistants", position)
            if email.lower() == user.key:
                checker.report(where, "a user cannot be their own scheduling assistant")
                continue
            declared = users.get(email.lower())
            if (
                declared is not None
                and declared.type is not None
                and declared.type not in ASSISTANT_TYPES
            ):
                checker.report(
                    where,
                    f"assistant '{email}' is declared with type {declared.type.name.lower()}; "
                    "a scheduling assistant must be licensed",
                )
