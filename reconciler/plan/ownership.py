"""Ownership is a filter: who owns what is decided here, once, before the differ compares.

With an identity provider (`identity_provider` in the configuration), its users are provisioned
elsewhere. This pure function over the desired and the live state hands the differ a desired
state in which:

- no IdP user has a field the identity provider owns (validate already refuses them; the
  filter makes the rule hold for any desired state, a scoped one included);
- the identity provider's groups have no managed membership, and no user names them;
- IdP users who are not in the account yet are *waiting for the identity provider*: they and
  every membership, division placement and role naming them are left out, so nothing is
  created for them and nothing is counted;
- the IdP users in the account are never pruned (`unpruned_users`);
- an IdP user's `id` pin is dropped: their email is the identity provider's to change, so it
  never becomes an email change here.

The differ itself never asks whether something is the identity provider's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from reconciler.model.identity_provider import IdentityField, IdentityProvider
from reconciler.model.live import LiveState
from reconciler.plan.desired import (
    Desired,
    DesiredContactGroup,
    DesiredDivision,
    DesiredGroup,
    DesiredUser,
)


@dataclass(frozen=True)
class Owned:
    """The desired state the differ may act on, and the users waiting for the identity provider."""

    desired: Desired
    waiting: tuple[str, ...] = ()
    """Lower-cased emails of declared IdP users not in the account yet, sorted."""


def waiting_for_identity_provider(desired: Desired, live: LiveState) -> tuple[str, ...]:
    """Declared users that the identity provider has not created yet."""
    provider = desired.identity_provider
    if provider is None:
        return ()
    return tuple(
        sorted(
            user.email.lower()
            for user in desired.users
            if provider.owns_user(user.email) and live.user(user.email) is None
        )
    )


def apply_ownership(desired: Desired, live: LiveState) -> Owned:
    """The part of `desired` that is the configuration's to apply against `live`."""
    provider = desired.identity_provider
    if provider is None:
        return Owned(desired)
    waiting = waiting_for_identity_provider(desired, live)
    gone = frozenset(waiting)
    users = tuple(
        replace(_configuration_part(provider, user), assistants=_without(user.assistants, gone))
        for user in desired.users
        if user.email not in gone
    )
    filtered = replace(
        desired,
        users=users,
        groups=tuple(_group(provider, group, gone) for group in desired.groups),
        divisions=tuple(_division(division, gone) for division in desired.divisions),
        contact_groups=tuple(_contact_group(c, gone) for c in desired.contact_groups),
        unpruned_users=desired.unpruned_users
        | frozenset(user.key for user in live.users if provider.owns_user(user.key)),
    )
    return Owned(filtered, waiting)


def _configuration_part(provider: IdentityProvider, user: DesiredUser) -> DesiredUser:
    if not provider.owns_user(user.email):
        return user
    owned = provider.owned_fields
    groups = user.groups
    if groups is not None:
        groups = tuple(name for name in groups if not provider.owns_group(name))
    return replace(
        user,
        profile={name: value for name, value in user.profile.items() if name not in owned},
        type=None if IdentityField.TYPE in owned else user.type,
        status=None if IdentityField.STATUS in owned else user.status,
        groups=groups,
        id=None,
    )


def _without(emails: tuple[str, ...] | None, gone: frozenset[str]) -> tuple[str, ...] | None:
    if emails is None or not gone:
        return emails
    return tuple(email for email in emails if email.lower() not in gone)


def _group(provider: IdentityProvider, group: DesiredGroup, gone: frozenset[str]) -> DesiredGroup:
    members = None if provider.owns_group(group.name) else _without(group.members, gone)
    return replace(group, members=members, admins=_without(group.admins, gone))


def _division(division: DesiredDivision, gone: frozenset[str]) -> DesiredDivision:
    return replace(division, members=_without(division.members, gone))


def _contact_group(contact: DesiredContactGroup, gone: frozenset[str]) -> DesiredContactGroup:
    return replace(contact, member_users=_without(contact.member_users, gone))
