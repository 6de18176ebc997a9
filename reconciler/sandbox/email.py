"""Email changes: PUT /users/{userId}/email, with the rules seed 001 documents for it.

"Change a user's email address on a Zoom account that has managed domain set up": the account's
managed domains are `Store.managed_domains` (seedable: `account: {managed_domains: [...]}`).
The codes Zoom documents are used as documented; the others are choices in docs/sandbox.md.
"""

from __future__ import annotations

from starlette.routing import Route

from reconciler.sandbox import errors
from reconciler.sandbox.endpoint import Call, Reply, api_route
from reconciler.sandbox.entities import Role, User
from reconciler.sandbox.errors import SandboxError
from reconciler.sandbox.store import Store

CHANGES_PER_DAY = 3
""""A user's email address can be changed up to 3 times in any 24 hour period." (S001)"""
DAY_SECONDS = 24 * 60 * 60


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].lower()


def change_email(store: Store, user: User, email: str) -> None:
    """Every rule is checked before anything changes."""
    if not store.managed_domains:
        raise SandboxError(400, 300, "Managed domain must be enabled in the account.")
    if user.role in (Role.OWNER, Role.ADMIN):
        raise SandboxError(400, 1000, "Admin can not change other admins email.")
    if domain_of(email) not in store.managed_domains:
        raise SandboxError(
            400, 300, "The email to be updated must match one of the account's managed domains."
        )
    if store.has_email(email):
        raise errors.email_in_use(email)
    now = store.clock()
    recent = [t for t in store.email_changes.get(user.id, []) if now - t < DAY_SECONDS]
    if len(recent) >= CHANGES_PER_DAY:
        raise SandboxError(
            400, 300, "A user's email address can be changed up to 3 times in any 24 hour period."
        )
    store.change_email(user, email)
    store.email_changes[user.id] = [*recent, now]


def put_email(call: Call) -> Reply:
    user = call.store.usable_user(call.params["userId"])
    change_email(call.store, user, str(call.body["email"]))
    return Reply(204)


def routes() -> list[Route]:
    return [api_route("users-api", "PUT", "/users/{userId}/email", put_email, prefix="/v2")]
