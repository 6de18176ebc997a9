"""The whole account as JSON: what `GET /_sandbox/state` returns and what a state seed loads.

Membership lives on users (`group_ids`, primary first; `division_id`), admins on groups, and
settings as each group's overrides per document (`settings`, `lock_settings`,
`settings:meeting_security`, ...), never the full defaulted documents; the account's own lock
settings the same way under `account.settings` (`lock_settings`, `lock_settings:meeting_security`).
"""

from __future__ import annotations

from typing import Any

from reconciler.sandbox.entities import (
    ContactGroup,
    ContactMemberType,
    ContactPrivacy,
    CreateAction,
    Division,
    Group,
    Role,
    User,
    UserStatus,
    UserType,
)
from reconciler.sandbox.settings import Document
from reconciler.sandbox.store import Store

STATE_FORMAT = "zoom-sandbox-state"


def dump_state(store: Store) -> dict[str, Any]:
    return {
        "format": STATE_FORMAT,
        "version": 1,
        "account_id": store.account_id,
        "account": _account_json(store),
        "assistants": {user_id: dict(found) for user_id, found in store.assistants.items()},
        "email_changes": {user_id: list(times) for user_id, times in store.email_changes.items()},
        "divisions": [
            {"id": d.id, "name": d.name, "description": d.description, "is_main": d.is_main}
            for d in store.divisions.values()
        ],
        "groups": [
            {
                "id": g.id,
                "name": g.name,
                "created_at": g.created_at,
                "admins": list(g.admins),
                "settings": g.settings,
            }
            for g in store.groups.values()
        ],
        "users": [_user_json(u) for u in store.users.values()],
        "contact_groups": [
            {
                "id": c.id,
                "name": c.name,
                "privacy": int(c.privacy),
                "description": c.description,
                "members": [{"type": int(kind), "id": member_id} for kind, member_id in c.members],
            }
            for c in store.contact_groups.values()
        ],
    }


def _user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "type": int(user.type),
        "status": user.status.value,
        "role": user.role.name.lower(),
        "create_action": user.create_action.value,
        "dept": user.dept,
        "job_title": user.job_title,
        "timezone": user.timezone,
        "language": user.language,
        "pmi": user.pmi,
        "created_at": user.created_at,
        "group_ids": list(user.group_ids),
        "division_id": user.division_id,
        "extra": user.extra or {},
        "invitation_expired": user.invitation_expired,
        # A user's own settings and licences, only when something was patched.
        **({"settings": user.settings} if user.settings else {}),
    }


def _account_json(store: Store) -> dict[str, Any]:
    """The account's lock settings, and its managed domains and licence seats when it has any."""
    return {
        "settings": store.account_settings,
        **({"managed_domains": list(store.managed_domains)} if store.managed_domains else {}),
        **({"seats": store.seats} if store.seats else {}),
    }


def is_state(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == STATE_FORMAT


def set_main_division(store: Store, division_id: str, name: str, description: str = "") -> None:
    """Give a fresh store's main division a seed's id and name (only while it is empty)."""
    main = store.main_division
    if main.members:
        raise ValueError("the main division can only be renamed while it is empty")
    del store.divisions[main.id]
    main.id, main.name, main.description = division_id, name, description
    store.divisions[main.id] = main


def load_state(store: Store, data: dict[str, Any]) -> None:
    """Fill an empty store from a state dump."""
    for key, overrides in ((data.get("account") or {}).get("settings") or {}).items():
        if Document.from_state_key(key).value[0] != "lock_settings":
            raise ValueError(f"the account holds lock settings only, not {key!r}")
        store.account_settings[key] = overrides
    store.seats.update((data.get("account") or {}).get("seats") or {})
    for d in data.get("divisions", []):
        if d.get("is_main"):
            set_main_division(store, d["id"], d["name"], d.get("description", ""))
        else:
            store.add_division_record(Division(d["id"], d["name"], d.get("description", "")))
    for g in data.get("groups", []):
        group = Group(g["id"], g["name"], float(g.get("created_at", store.clock())))
        for key, overrides in (g.get("settings") or {}).items():
            Document.from_state_key(key)
            group.settings[key] = overrides
        store.add_group_record(group)
    for u in data.get("users", []):
        store.add_user_record(
            User(
                id=u["id"],
                email=u["email"],
                first_name=u.get("first_name", ""),
                last_name=u.get("last_name", ""),
                display_name=u.get("display_name", ""),
                type=UserType(u.get("type", 1)),
                status=UserStatus(u.get("status", "active")),
                created_at=float(u.get("created_at", store.clock())),
                pmi=int(u.get("pmi") or store.new_pmi()),
                role=Role[str(u.get("role", "member")).upper()],
                create_action=CreateAction(u.get("create_action", "create")),
                dept=u.get("dept", ""),
                job_title=u.get("job_title", ""),
                timezone=u.get("timezone", ""),
                language=u.get("language", "en-US"),
                group_ids=list(u.get("group_ids", [])),
                division_id=u.get("division_id", ""),
                extra=u.get("extra") or None,
                invitation_expired=bool(u.get("invitation_expired", False)),
                settings=dict(u.get("settings") or {}),
            )
        )
    store.managed_domains = list((data.get("account") or {}).get("managed_domains") or [])
    for user_id, found in (data.get("assistants") or {}).items():
        store.assistants[user_id] = {k: bool(v) for k, v in found.items()}
    for user_id, times in (data.get("email_changes") or {}).items():
        store.email_changes[user_id] = [float(t) for t in times]
    for g in data.get("groups", []):
        group = store.group(g["id"])
        store.add_admins(group, [store.user(a) for a in g.get("admins", [])])
    for c in data.get("contact_groups", []):
        contact = ContactGroup(
            c["id"], c["name"], ContactPrivacy(c.get("privacy", 1)), c.get("description", "")
        )
        contact.members = {
            (ContactMemberType(m["type"]), m["id"]): None for m in c.get("members", [])
        }
        store.add_contact_group_record(contact)
