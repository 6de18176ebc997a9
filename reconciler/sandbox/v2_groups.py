"""v2 handlers for groups, their members, admins and settings, and the account's lock settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.sandbox import errors, views
from reconciler.sandbox.endpoint import Call, Handler, Reply
from reconciler.sandbox.errors import FieldError, SandboxError
from reconciler.sandbox.listing import PageKeys, added, listing
from reconciler.sandbox.ratelimit import GROUP_CREATE_DAILY, Category
from reconciler.sandbox.settings import Document, only_fields, read
from reconciler.sandbox.store import MAX_GROUP_MEMBERS_PER_CALL

# ---- groups ------------------------------------------------------------------------------


def list_groups(call: Call) -> Reply:
    groups = call.store.groups
    return listing(
        call, "groups", lambda: list(groups.values()), "groups", views.group_item, PageKeys.COUNTED
    )


def create_group(call: Call) -> Reply:
    name = str(call.body.get("name", ""))
    call.store.check_group_name(name)  # a taken name is a 409 whatever the day's count
    call.sandbox.limiter.charge_cap("group-create", GROUP_CREATE_DAILY, Category.LIGHT)
    return Reply(201, views.group_item(call.store.create_group(name)))


def get_group(call: Call) -> Reply:
    return Reply(body=views.group_item(call.store.group(call.params["groupId"])))


def update_group(call: Call) -> Reply:
    group = call.store.group(call.params["groupId"])
    if "name" in call.body:
        call.store.rename_group(group, str(call.body["name"]))
    return Reply(204)


def delete_group(call: Call) -> Reply:
    call.store.delete_group(call.store.group(call.params["groupId"]))
    return Reply(204)


# ---- members and admins ------------------------------------------------------------------


def list_members(call: Call) -> Reply:
    group = call.store.group(call.params["groupId"])
    users = call.store.users
    return listing(
        call,
        f"members:{group.id}",
        lambda: [users[i] for i in group.members],
        "members",
        views.group_member,
        PageKeys.NUMBERED,
    )


def add_members(call: Call) -> Reply:
    group = call.store.group(call.params["groupId"])
    members = call.body.get("members", [])
    if len(members) > MAX_GROUP_MEMBERS_PER_CALL:
        raise errors.validation_failed([FieldError("members", "Up to 30 members per request.")])
    users = call.store.resolve_users(members, "id", "email")
    return added(call.store.add_members(group, users), call)


def remove_member(call: Call) -> Reply:
    call.store.remove_member(call.store.group(call.params["groupId"]), call.params["memberId"])
    return Reply(204)


def update_member(call: Call) -> Reply:
    group = call.store.group(call.params["groupId"])
    target = call.body.get("target_group_id")
    if call.body["action"] == "move":
        call.store.move_member(group, call.params["memberId"], target)
    else:
        call.store.set_primary(group, call.params["memberId"], target)
    return Reply(204)


def list_admins(call: Call) -> Reply:
    group = call.store.group(call.params["groupId"], errors.GROUP_NOT_FOUND_ADMINS)
    users = call.store.users
    return listing(
        call,
        f"admins:{group.id}",
        lambda: [users[i] for i in group.admins],
        "admins",
        views.group_admin,
        PageKeys.SIZED,
    )


def add_admins(call: Call) -> Reply:
    group = call.store.group(call.params["groupId"], errors.GROUP_NOT_FOUND_ADMINS)
    users = call.store.resolve_users(call.body.get("admins", []), "id", "email")
    return added(call.store.add_admins(group, users), call)


def remove_admin(call: Call) -> Reply:
    group = call.store.group(call.params["groupId"], errors.GROUP_NOT_FOUND_ADMINS)
    call.store.remove_admin(group, call.params["userId"])
    return Reply(204)


# ---- settings: a group's, and the account's own lock settings (Zoom's Accounts API) -------


def _settings_reply(call: Call, kind: str, held: Mapping[str, dict[str, Any]]) -> Reply:
    """A settings document as GET answers it: defaults, overrides, `custom_query_fields`."""
    document = Document.find(kind, call.query.get("option"))
    body = read(document, held.get(document.state_key))
    fields = call.query.get("custom_query_fields")
    if fields:
        body = only_fields(body, {f.strip() for f in str(fields).split(",")})
    return Reply(body=body)


def _settings_handlers(kind: str, get_words: str, patch_words: str) -> tuple[Handler, Handler]:
    def get(call: Call) -> Reply:
        group = call.store.group(call.params["groupId"], get_words)
        return _settings_reply(call, kind, group.settings)

    def patch(call: Call) -> Reply:
        group = call.store.group(call.params["groupId"], patch_words)
        document = Document.find(kind, call.query.get("option"))
        call.store.patch_settings(group, document, call.body)
        return Reply(204)

    return get, patch


get_settings, patch_settings = _settings_handlers(
    "settings", errors.GROUP_NOT_FOUND_SETTINGS, errors.GROUP_NOT_FOUND_SETTINGS
)
get_lock_settings, patch_lock_settings = _settings_handlers(
    "lock_settings", errors.GROUP_NOT_FOUND_LOCKS_GET, errors.GROUP_NOT_FOUND_LOCKS_PATCH
)


def _own_account(call: Call) -> None:
    """Only the app's own account: `me` or its id (a sub account would be another account)."""
    account_id = call.params["accountId"]
    if account_id not in ("me", call.store.account_id):
        raise SandboxError(404, 2001, f"Account does not exist: {account_id}.")


def get_account_lock_settings(call: Call) -> Reply:
    _own_account(call)
    return _settings_reply(call, "lock_settings", call.store.account_settings)


def patch_account_lock_settings(call: Call) -> Reply:
    _own_account(call)
    document = Document.find("lock_settings", call.query.get("option"))
    call.store.patch_account_settings(document, call.body)
    return Reply(204)
