"""Every Zoom account has exactly one owner: a bare sandbox gets one, a seed may name its own.

The owner is what owner-only refusals, protected users and the admin floor are exercised
against, so an account without one is an account Zoom never has. A seed names its owner with
`role: owner`, or by protecting it (seed.py); when none does, the sandbox adds
`DEFAULT_OWNER_EMAIL`, active and Licensed.
"""

from __future__ import annotations

from reconciler.sandbox.entities import CreateAction, Role, User, UserStatus, UserType
from reconciler.sandbox.errors import SeedError
from reconciler.sandbox.store import Store

DEFAULT_OWNER_EMAIL = "owner@sandbox.example"


def ensure_owner(store: Store) -> User:
    """The account's owner, added if the account has none; a seed with more than one is refused."""
    owners = [u for u in store.users.values() if u.role is Role.OWNER]
    if len(owners) > 1:
        emails = ", ".join(u.email for u in owners)
        raise SeedError(f"an account has exactly one owner, this one has {len(owners)}: {emails}")
    if owners:
        return owners[0]
    return store.add_user_record(
        User(
            id=store.new_id(),
            email=DEFAULT_OWNER_EMAIL,
            first_name="Sandbox",
            last_name="Owner",
            display_name="Sandbox Owner",
            type=UserType.LICENSED,
            status=UserStatus.ACTIVE,
            created_at=store.clock(),
            pmi=store.new_pmi(),
            role=Role.OWNER,
            create_action=CreateAction.CUST_CREATE,
        )
    )
