"""Validate's side of the identity-provider boundary: what the configuration may not write.

With `identity_provider`, the identity provider's users are created and described elsewhere, so
a field it owns, `create_action` or `password` written on one of them is an error, and so is
any membership written for one of its groups. The boundary itself is the model's
(`IdentityProvider`); this module only reports where the configuration crosses it.
"""

from __future__ import annotations

from collections.abc import Callable

from reconciler.config.sources import Location
from reconciler.model import Config
from reconciler.model.identity_provider import PROVISIONING_FIELDS

Where = Callable[..., Location]
Report = Callable[[Location, str], None]


def check_identity_provider(config: Config, where: Where, report: Report) -> None:
    """Reports every user key and membership the identity provider owns, all of them."""
    provider = config.identity_provider
    if provider is None:
        return
    for index, user in enumerate(config.users):
        owned = provider.owned_keys(user.email)
        if not owned:
            continue
        for key in sorted(user.written() & owned):
            location = where("users", index, key, key=True)
            if key in PROVISIONING_FIELDS:
                report(
                    location,
                    f"{key}: user '{user.email}' is created by the identity provider "
                    "(identity_provider.domains), not by this tool; remove it",
                )
            else:
                report(
                    location,
                    f"{key}: the identity provider owns this field of user '{user.email}' "
                    "(identity_provider.fields); remove it, or set it in the identity provider",
                )
    for index, user in enumerate(config.users):
        for position, name in enumerate(user.groups or ()):
            if provider.owns_group(name):
                report(
                    where("users", index, "groups", position),
                    f"group '{name}': the identity provider owns its membership "
                    "(identity_provider.groups); assign the user to it in the identity provider",
                )
    for index, group in enumerate(config.groups):
        if group.members is not None and provider.owns_group(group.name):
            report(
                where("groups", index, "members", key=True),
                f"members: the identity provider owns the membership of group '{group.name}' "
                "(identity_provider.groups); remove members",
            )
