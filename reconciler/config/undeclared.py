"""Warnings for memberships of users that the configuration does not declare.

Users are matched by email, and a user the configuration does not declare is simply not
managed: it may still be a group's member or admin, a division's member or a contact group's
member, as long as it exists in the account (the plan notes any that does not, and adds
nothing for it). Since a misspelt email looks exactly like such a user, `validate` points each
one out, as a warning, so that a reviewer can tell the two apart.
"""

from __future__ import annotations

from collections.abc import Iterator

from reconciler.config.protected import WARNING
from reconciler.config.sources import ConfigPath, SourceMap
from reconciler.diagnostics import Diagnostic
from reconciler.model import Config


def undeclared_user_warnings(config: Config, sources: SourceMap) -> list[Diagnostic]:
    """One warning per membership of a user that `users:` does not declare."""
    declared = {user.key for user in config.users}
    protected = {email.lower() for email in config.policy.protected_users}
    found = []
    for path, email, where in _memberships(config):
        if email.lower() in declared or email.lower() in protected:
            continue
        location = sources.locate(path)
        found.append(
            Diagnostic(
                location.file,
                location.line,
                location.col,
                f"{WARNING}user '{email}' ({where}) is not declared in users: it is not managed "
                "here and must already exist in the account",
            )
        )
    return sorted(found)


def _memberships(config: Config) -> Iterator[tuple[ConfigPath, str, str]]:
    for index, group in enumerate(config.groups):
        for attribute in ("members", "admins"):
            for position, email in enumerate(getattr(group, attribute) or []):
                yield ("groups", index, attribute, position), email, f"{attribute} of {group.name}"
    for index, division in enumerate(config.divisions):
        for position, email in enumerate(division.members or []):
            yield ("divisions", index, "members", position), email, f"division {division.name}"
    for index, contact_group in enumerate(config.contact_groups):
        members = contact_group.members.users if contact_group.members else None
        for position, email in enumerate(members or []):
            yield (
                ("contact_groups", index, "members", "users", position),
                email,
                f"contact group {contact_group.name}",
            )
