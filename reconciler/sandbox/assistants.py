"""Scheduling assistants: GET/POST/DELETE /users/{userId}/assistants, as seed 001 documents them.

Assistants live in `Store.assistants` (user id -> assistant id -> `can_manage_host_private_event`).
A deleted user drops out of every list when it is next read, so deleting a user needs no hook.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import Route

from reconciler.sandbox import errors
from reconciler.sandbox.endpoint import Call, Reply, api_route
from reconciler.sandbox.entities import User, UserStatus, UserType
from reconciler.sandbox.errors import SandboxError
from reconciler.sandbox.store import Store
from reconciler.sandbox.views import iso

LICENSED_TYPES = (UserType.LICENSED,)
""""The user as well as the assistant must have Licensed or an On-prem license" (S001)."""


def assistants_of(store: Store, user: User) -> dict[str, bool]:
    """The user's assistants that still exist, in the order they were added."""
    found = store.assistants.get(user.id) or {}
    gone = [assistant_id for assistant_id in found if assistant_id not in store.users]
    for assistant_id in gone:
        del found[assistant_id]
    return found


def _refused(message: str) -> SandboxError:
    return SandboxError(400, 200, message)


def _find(store: Store, item: dict[str, Any]) -> User:
    """The assistant an add names, by id or email; pending users cannot be found (a choice)."""
    wanted = str(item.get("id") or item.get("email") or "")
    try:
        found = store.user(wanted)
    except SandboxError:
        found = None
    if found is None or found.status is UserStatus.PENDING:
        raise _refused(f"Can't find user {item.get('email') or wanted}.")
    return found


def add_assistants(store: Store, user: User, items: list[dict[str, Any]]) -> list[str]:
    """All or nothing: every assistant is checked before any is added (Zoom's 400, code 200)."""
    if user.type not in LICENSED_TYPES:
        raise _refused(f"The user must either be a Licensed user or an On-prem user : {user.id}.")
    current = assistants_of(store, user)
    chosen: dict[str, bool] = {}
    for item in items:
        assistant = _find(store, item)
        if assistant.id == user.id:
            raise _refused("Can't assign scheduling privilege to yourself.")
        if assistant.id in current or assistant.id in chosen:
            raise _refused(f"User {assistant.email} has already granted scheduling privilege.")
        if assistant.type not in LICENSED_TYPES:
            raise _refused(
                f"The user must either be a Licensed user or an On-prem user : {assistant.email}."
            )
        chosen[assistant.id] = bool(item.get("can_manage_host_private_event", False))
    store.assistants.setdefault(user.id, {}).update(chosen)
    return list(chosen)


def list_assistants(call: Call) -> Reply:
    store = call.store
    user = store.usable_user(call.params["userId"])
    listed = [
        {
            "id": assistant_id,
            "email": store.users[assistant_id].email,
            "can_manage_host_private_event": manage,
        }
        for assistant_id, manage in assistants_of(store, user).items()
    ]
    return Reply(body={"assistants": listed})


def post_assistants(call: Call) -> Reply:
    user = call.store.usable_user(call.params["userId"])
    added = add_assistants(call.store, user, list(call.body.get("assistants") or []))
    return Reply(201, {"add_at": iso(call.sandbox.clock()), "ids": ",".join(added)})


def delete_assistants(call: Call) -> Reply:
    user = call.store.usable_user(call.params["userId"])
    call.store.assistants.pop(user.id, None)
    return Reply(204)


def delete_assistant(call: Call) -> Reply:
    store = call.store
    user = store.usable_user(call.params["userId"])
    wanted = call.params["assistantId"]
    current = assistants_of(store, user)
    # Zoom documents only 404 1001 for this call; an id that is not an assistant answers that.
    if wanted not in current:
        raise errors.user_not_found(wanted)
    del current[wanted]
    return Reply(204)


ROUTES = [
    ("GET", "/users/{userId}/assistants", list_assistants),
    ("POST", "/users/{userId}/assistants", post_assistants),
    ("DELETE", "/users/{userId}/assistants", delete_assistants),
    ("DELETE", "/users/{userId}/assistants/{assistantId}", delete_assistant),
]


def routes() -> list[Route]:
    return [
        api_route("users-api", method, template, handler, prefix="/v2")
        for method, template, handler in ROUTES
    ]
