"""Memberships of users that the configuration does not declare: warnings, then errors.

Users are matched by email, and a user the configuration does not declare is simply not
managed: it may still be a group's member or admin, a division's member or a contact group's
member, as long as it exists in the account. Since a misspelt email looks exactly like such a
user, `validate` (offline) points each one out as a warning; `plan` and `apply`, which know the
account, refuse one that the account does not have either, since adding nothing for it would
drop a reviewed line in silence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from reconciler.config.protected import WARNING
from reconciler.config.sources import ConfigPath, SourceMap
from reconciler.diagnostics import Diagnostic
from reconciler.model import Config


def undeclared_user_warnings(config: Config, sources: SourceMap) -> list[Diagnostic]:
    """One warning per membership of a user that `users:` does not declare."""
    return _report(
        config,
        sources,
        lambda _: False,
        f"{WARNING}user '{{email}}' ({{where}}) is not declared in users: it is not managed "
        "here and must already exist in the account",
    )


def missing_member_errors(
    config: Config, sources: SourceMap, in_account: Callable[[str], bool]
) -> list[Diagnostic]:
    """One error per membership of a user neither declared nor in the account (`in_account`)."""
    return _report(
        config,
        sources,
        in_account,
        "user '{email}' ({where}) is neither declared in users nor in the account",
    )


def _report(
    config: Config, sources: SourceMap, known: Callable[[str], bool], message: str
) -> list[Diagnostic]:
    """`message` at each membership of a user neither declared, protected nor `known`."""
    declared = {user.key for user in config.users}
    protected = {email.lower() for email in config.policy.protected_users}
    found = []
    for path, email, where in _memberships(config):
        key = email.lower()
        if key in declared or key in protected or known(key):
            continue
        location = sources.locate(path)
        found.append(
            Diagnostic(
                location.file,
                location.line,
                location.col,
                message.format(email=email, where=where),
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
