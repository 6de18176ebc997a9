"""Warnings for what the configuration says about protected users but will never happen.

A protected user (`policy.protected_users`) is outside every plan: never created, changed,
moved, deactivated or deleted, and never added to or removed from a group, a division or a
contact group. Declaring one is allowed (so that it can be named as a `manager`, or to keep
a record of the account owner), but any field or membership written for it is inert, and a
configuration that reads as if it were managed would mislead its reviewers. These are
warnings, not errors, so that protecting someone for a while does not mean editing every
line that mentions them. Deactivating a protected user is the one contradiction that is an
error (see `validate.py`): it is the very thing protection exists to prevent.
"""

from __future__ import annotations

from collections.abc import Iterator

from reconciler.config.sources import ConfigPath, SourceMap
from reconciler.diagnostics import Diagnostic
from reconciler.model import Config

WARNING = "warning: "


def protected_user_warnings(config: Config, sources: SourceMap) -> list[Diagnostic]:
    """One warning per place that asks for something a protected user will never get."""
    protected = {email.lower() for email in config.policy.protected_users}
    if not protected:
        return []
    found = []
    for path, message in _inert_entries(config, protected):
        where = sources.locate(path)
        found.append(Diagnostic(where.file, where.line, where.col, WARNING + message))
    return sorted(found)


def _inert_entries(config: Config, protected: set[str]) -> Iterator[tuple[ConfigPath, str]]:
    for index, user in enumerate(config.users):
        if user.key not in protected:
            continue
        inert = sorted(user.written() - {"email"})
        if inert:
            yield (
                ("users", index, "email"),
                f"user '{user.email}' is protected (policy.protected_users), so "
                f"{', '.join(inert)} {'is' if len(inert) == 1 else 'are'} never applied",
            )
    for index, group in enumerate(config.groups):
        for attribute in ("members", "admins"):
            for position, email in enumerate(getattr(group, attribute) or []):
                if email.lower() in protected:
                    yield (
                        ("groups", index, attribute, position),
                        _never_placed(email, f"{attribute} of group '{group.name}'"),
                    )
    for index, division in enumerate(config.divisions):
        for position, email in enumerate(division.members or []):
            if email.lower() in protected:
                yield (
                    ("divisions", index, "members", position),
                    _never_placed(email, f"division '{division.name}'"),
                )
    for index, contact_group in enumerate(config.contact_groups):
        members = contact_group.members.users if contact_group.members else None
        for position, email in enumerate(members or []):
            if email.lower() in protected:
                yield (
                    ("contact_groups", index, "members", "users", position),
                    _never_placed(email, f"contact group '{contact_group.name}'"),
                )


def _never_placed(email: str, where: str) -> str:
    return (
        f"user '{email}' is protected (policy.protected_users): never added to or removed "
        f"from the {where}, so this entry has no effect"
    )
