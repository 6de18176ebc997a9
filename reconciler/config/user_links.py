"""Checks on what ties a user to others: the `id` pin and scheduling assistants.

Kept apart from `validate.py` so each module stays small; `_Checker.run` calls `check_user_links`.
What only the account can tell (a pin it does not have, an email change it would refuse) is
found by the plan and placed at its line here (`pin_errors`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from reconciler.config.sources import SourceMap
from reconciler.diagnostics import Diagnostic
from reconciler.model import Config, UserType

if TYPE_CHECKING:
    from reconciler.config.validate import _Checker

ASSISTANT_TYPES = frozenset({UserType.LICENSED})
"""Seed 001, POST /users/{userId}/assistants: "The user as well as the assistant must have
Licensed or an On-prem license" (on-prem is not a type the configuration writes)."""


def check_user_links(checker: _Checker) -> None:
    _check_user_pins(checker)
    _check_managed_domains(checker)
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


DOMAIN = re.compile(r"@?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")
"""A domain name as Zoom's managed domains are written (`acme.example`; a leading `@` is allowed)."""


def _check_managed_domains(checker: _Checker) -> None:
    """What validate can know offline: that each managed domain is a domain, listed once.

    Whether an email changes is known only against the account, so `plan` checks the new
    emails against these (`pin_errors`).
    """
    domains = checker.config.policy.managed_domains
    seen: set[str] = set()
    for position, domain in enumerate(domains or []):
        where = checker.sources.locate(("policy", "managed_domains", position))
        folded = domain.lower().lstrip("@")
        if not DOMAIN.fullmatch(domain.lower()):
            checker.report(where, f"'{domain}' is not a domain name (such as acme.example)")
        elif folded in seen:
            checker.report(where, f"'{domain}' is listed twice in managed_domains")
        seen.add(folded)


class PinFault(Protocol):
    """An email change the account would refuse (the plan's `PinProblem`)."""

    @property
    def email(self) -> str: ...
    @property
    def message(self) -> str: ...


def pin_errors(config: Config, sources: SourceMap, faults: Iterable[PinFault]) -> list[Diagnostic]:
    """Each email change the account would refuse, at the user's `email` as written."""
    index = {user.key: position for position, user in enumerate(config.users)}
    found = []
    for fault in faults:
        location = sources.locate(("users", index[fault.email], "email"))
        found.append(Diagnostic(location.file, location.line, location.col, fault.message))
    return sorted(found)


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
