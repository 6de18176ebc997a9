"""The Users API v2 route table under `/v2`: thin handlers over the store, shaped like Zoom's answers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, TypeVar

from starlette.routing import Route

from reconciler.sandbox import errors, user_settings, views
from reconciler.sandbox.endpoint import (
    Call,
    Handler,
    OffSpec,
    Reply,
    api_route,
    divisions_token_error,
)
from reconciler.sandbox.entities import ContactMemberType, CreateAction, UserStatus
from reconciler.sandbox.errors import FieldError, SandboxError
from reconciler.sandbox.ratelimit import GROUP_CREATE_DAILY, USER_CREATE_DAILY, Category
from reconciler.sandbox.settings import Document, only_fields, read
from reconciler.sandbox.spec import OperationKey, parameter_schemas
from reconciler.sandbox.store import MAX_DIVISION_USERS_PER_CALL, MAX_GROUP_MEMBERS_PER_CALL
from reconciler.sandbox.views import iso

T = TypeVar("T")


def _page(
    call: Call,
    template: str,
    scope: str,
    collect: Callable[[], Sequence[T]],
) -> tuple[Any, int]:
    """One page of a listing, with the page size's default and maximum from the spec."""
    schema = parameter_schemas(OperationKey("users-api", "get", template), "query").get(
        "page_size", {}
    )
    size = int(call.query.get("page_size", schema.get("default", 30)))
    if size < 1:
        raise errors.validation_failed([FieldError("page_size")])
    page = call.sandbox.pager.page(scope, collect, size, call.query.get("next_page_token"))
    return page, size


class PageKeys(Enum):
    """Which paging keys a listing answers with, besides `next_page_token` (Zoom's spec varies)."""

    NUMBERED = ("page_count", "page_number", "page_size", "total_records")
    SIZED = ("page_size", "total_records")
    COUNTED = ("total_records",)
    BARE = ("page_size",)


def _listing(
    call: Call,
    template: str,
    scope: str,
    collect: Callable[[], Sequence[T]],
    items_key: str,
    view: Callable[[T], Any],
    keys: PageKeys,
) -> Reply:
    """One page of a listing, as the answer Zoom's spec describes for that endpoint."""
    page, size = _page(call, template, scope, collect)
    values = {
        "page_count": page.page_count,
        "page_number": page.page_number,
        "page_size": size,
        "total_records": page.total_records,
    }
    body: dict[str, Any] = {key: values[key] for key in keys.value}
    body["next_page_token"] = page.next_page_token
    body[items_key] = [view(item) for item in page.items]
    return Reply(body=body)


def _added(ids: list[str], call: Call) -> Reply:
    return Reply(201, {"added_at": iso(call.sandbox.clock()), "ids": ",".join(ids)})


# ---- users -------------------------------------------------------------------------------


def list_users(call: Call) -> Reply:
    status = UserStatus(call.query.get("status", "active"))
    role = call.query.get("role_id")

    def collect() -> list[Any]:
        users = call.store.users_with_status(status)
        return [u for u in users if u.role.value == role] if role else users

    scope = f"users:{status.value}:{role}"
    view = views.user_list_item
    if call.query.get("include_fields") == "custom_attributes":
        view = views.user_list_item_with_custom_attributes
    return _listing(call, "/users", scope, collect, "users", view, PageKeys.NUMBERED)


def create_user(call: Call) -> Reply:
    action = CreateAction(call.body["action"])
    info = call.body.get("user_info") or {}
    if "email" not in info or "type" not in info:
        missing = [f"user_info.{name}" for name in ("email", "type") if name not in info]
        raise errors.validation_failed([FieldError(name) for name in missing])
    if call.store.has_email(str(info["email"])):
        raise errors.email_in_use(str(info["email"]))  # before any of the day's quota is spent
    if action is CreateAction.CREATE:
        limiter = call.sandbox.limiter
        limiter.charge_cap("user-create", USER_CREATE_DAILY[limiter.tier], Category.LIGHT)
    user = call.store.create_user(action, info)
    return Reply(
        201,
        {
            "id": user.id,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "type": int(user.type),
        },
    )


def get_user(call: Call) -> Reply:
    user = call.store.usable_user(call.params["userId"])
    return Reply(body=views.user_detail(call.store, user))


def update_user(call: Call) -> Reply:
    call.store.update_user(call.store.usable_user(call.params["userId"]), call.body)
    return Reply(204)


def delete_user(call: Call) -> Reply:
    user = call.store.user(call.params["userId"])
    call.store.delete_user(user, str(call.query.get("action", "disassociate")))
    return Reply(204)


def set_user_status(call: Call) -> Reply:
    call.store.set_status(call.store.usable_user(call.params["userId"]), call.body["action"])
    return Reply(200)


def check_email(call: Call) -> Reply:
    email = call.query.get("email")
    if not email:
        raise SandboxError(400, 300, "Email is required.")
    return Reply(body={"existed_email": call.store.has_email(str(email))})


# ---- groups ------------------------------------------------------------------------------


def list_groups(call: Call) -> Reply:
    groups = call.store.groups
    return _listing(
        call,
        "/groups",
        "groups",
        lambda: list(groups.values()),
        "groups",
        views.group_item,
        PageKeys.COUNTED,
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


def list_members(call: Call) -> Reply:
    group = call.store.group(call.params["groupId"])
    users = call.store.users
    return _listing(
        call,
        "/groups/{groupId}/members",
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
    return _added(call.store.add_members(group, users), call)


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
    group = call.store.group(call.params["groupId"])
    users = call.store.users
    return _listing(
        call,
        "/groups/{groupId}/admins",
        f"admins:{group.id}",
        lambda: [users[i] for i in group.admins],
        "admins",
        views.group_admin,
        PageKeys.SIZED,
    )


def add_admins(call: Call) -> Reply:
    group = call.store.group(call.params["groupId"])
    users = call.store.resolve_users(call.body.get("admins", []), "id", "email")
    return _added(call.store.add_admins(group, users), call)


def remove_admin(call: Call) -> Reply:
    call.store.remove_admin(call.store.group(call.params["groupId"]), call.params["userId"])
    return Reply(204)


def _settings_handlers(kind: str) -> tuple[Handler, Handler]:
    def get(call: Call) -> Reply:
        group = call.store.group(call.params["groupId"])
        document = Document.find(kind, call.query.get("option"))
        body = read(document, group.settings.get(document.state_key))
        fields = call.query.get("custom_query_fields")
        if fields:
            body = only_fields(body, {f.strip() for f in str(fields).split(",")})
        return Reply(body=body)

    def patch(call: Call) -> Reply:
        group = call.store.group(call.params["groupId"])
        document = Document.find(kind, call.query.get("option"))
        call.store.patch_settings(group, document, call.body)
        return Reply(204)

    return get, patch


get_settings, patch_settings = _settings_handlers("settings")
get_lock_settings, patch_lock_settings = _settings_handlers("lock_settings")


# ---- the account (Zoom's Accounts API) ---------------------------------------------------


def _own_account(call: Call) -> None:
    """Only the app's own account: `me` or its id (a sub account would be another account)."""
    account_id = call.params["accountId"]
    if account_id not in ("me", call.store.account_id):
        raise SandboxError(404, 2001, f"Account does not exist: {account_id}.")


def get_account_lock_settings(call: Call) -> Reply:
    _own_account(call)
    document = Document.find("lock_settings", call.query.get("option"))
    body = read(document, call.store.account_settings.get(document.state_key))
    fields = call.query.get("custom_query_fields")
    if fields:
        body = only_fields(body, {f.strip() for f in str(fields).split(",")})
    return Reply(body=body)


def patch_account_lock_settings(call: Call) -> Reply:
    _own_account(call)
    document = Document.find("lock_settings", call.query.get("option"))
    call.store.patch_account_settings(document, call.body)
    return Reply(204)


# ---- divisions ---------------------------------------------------------------------------


def list_divisions(call: Call) -> Reply:
    divisions = call.store.divisions
    return _listing(
        call,
        "/divisions",
        "divisions",
        lambda: list(divisions.values()),
        "divisions",
        views.division_item,
        PageKeys.SIZED,
    )


def create_division(call: Call) -> Reply:
    division = call.store.create_division(
        str(call.body["division_name"]), str(call.body.get("division_description", ""))
    )
    item = views.division_item(division)
    return Reply(
        201, {k: item[k] for k in ("division_id", "division_name", "division_description")}
    )


def get_division(call: Call) -> Reply:
    item = views.division_item(call.store.division(call.params["divisionId"]))
    del item["total_members"]
    return Reply(body=item)


def update_division(call: Call) -> Reply:
    division = call.store.division(call.params["divisionId"])
    name = call.body.get("division_name")
    description = call.body.get("division_description")
    call.store.update_division(
        division,
        None if name is None else str(name),
        None if description is None else str(description),
    )
    return Reply(204)


def delete_division(call: Call) -> Reply:
    call.store.delete_division(call.store.division(call.params["divisionId"]))
    return Reply(204)


def list_division_users(call: Call) -> Reply:
    division = call.store.division(call.params["divisionId"])
    users = call.store.users
    return _listing(
        call,
        "/divisions/{divisionId}/users",
        f"division-users:{division.id}",
        lambda: [users[i] for i in division.members],
        "users",
        views.division_user,
        PageKeys.SIZED,
    )


def assign_division(call: Call) -> Reply:
    division = call.store.division(call.params["divisionId"], on_assign=True)
    refs = call.body.get("users", [])
    if len(refs) > MAX_DIVISION_USERS_PER_CALL:
        raise SandboxError(400, None, "Invalid parameters.")
    users = call.store.resolve_users(refs, "user_id", "user_email")
    return _added(call.store.assign_division(division, users), call)


# ---- contact groups ----------------------------------------------------------------------


def list_contact_groups(call: Call) -> Reply:
    contact_groups = call.store.contact_groups
    return _listing(
        call,
        "/contacts/groups",
        "contact-groups",
        lambda: list(contact_groups.values()),
        "groups",
        lambda group: views.contact_group(group, with_total=False),
        PageKeys.BARE,
    )


def create_contact_group(call: Call) -> Reply:
    body = call.body
    group = call.store.create_contact_group(
        str(body.get("group_name", "")),
        int(body.get("group_privacy", 1)),
        str(body.get("description", "")),
        body.get("group_members", []),
    )
    return Reply(201, views.contact_group(group))


def get_contact_group(call: Call) -> Reply:
    return Reply(body=views.contact_group(call.store.contact_group(call.params["groupId"])))


def update_contact_group(call: Call) -> Reply:
    call.store.update_contact_group(call.store.contact_group(call.params["groupId"]), call.body)
    return Reply(204)


def delete_contact_group(call: Call) -> Reply:
    call.store.delete_contact_group(call.store.contact_group(call.params["groupId"]))
    return Reply(204)


def list_contact_members(call: Call) -> Reply:
    group = call.store.contact_group(call.params["groupId"])
    store = call.store

    def view(member: tuple[ContactMemberType, str]) -> dict[str, Any]:
        kind, member_id = member
        return {"type": int(kind), "id": member_id, "name": store.contact_member_name(*member)}

    return _listing(
        call,
        "/contacts/groups/{groupId}/members",
        f"contact-members:{group.id}",
        lambda: list(group.members),
        "group_members",
        view,
        PageKeys.BARE,
    )


def add_contact_members(call: Call) -> Reply:
    group = call.store.contact_group(call.params["groupId"])
    added = call.store.add_contact_members(group, call.body.get("group_members", []))
    return Reply(201, {"member_ids": added})


def remove_contact_members(call: Call) -> Reply:
    group = call.store.contact_group(call.params["groupId"])
    raw = str(call.query.get("member_ids", ""))
    call.store.remove_contact_members(group, [m for m in raw.split(",") if m])
    return Reply(204)


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/users", list_users),
    ("POST", "/users", create_user),
    ("GET", "/users/email", check_email),
    ("GET", "/users/{userId}", get_user),
    ("PATCH", "/users/{userId}", update_user),
    ("DELETE", "/users/{userId}", delete_user),
    ("PUT", "/users/{userId}/status", set_user_status),
    ("GET", "/groups", list_groups),
    ("POST", "/groups", create_group),
    ("GET", "/groups/{groupId}", get_group),
    ("PATCH", "/groups/{groupId}", update_group),
    ("DELETE", "/groups/{groupId}", delete_group),
    ("GET", "/groups/{groupId}/members", list_members),
    ("POST", "/groups/{groupId}/members", add_members),
    ("DELETE", "/groups/{groupId}/members/{memberId}", remove_member),
    ("PATCH", "/groups/{groupId}/members/{memberId}", update_member),
    ("GET", "/groups/{groupId}/admins", list_admins),
    ("POST", "/groups/{groupId}/admins", add_admins),
    ("DELETE", "/groups/{groupId}/admins/{userId}", remove_admin),
    ("GET", "/groups/{groupId}/settings", get_settings),
    ("PATCH", "/groups/{groupId}/settings", patch_settings),
    ("GET", "/groups/{groupId}/lock_settings", get_lock_settings),
    ("PATCH", "/groups/{groupId}/lock_settings", patch_lock_settings),
    ("GET", "/divisions", list_divisions),
    ("POST", "/divisions", create_division),
    ("GET", "/divisions/{divisionId}", get_division),
    ("PATCH", "/divisions/{divisionId}", update_division),
    ("DELETE", "/divisions/{divisionId}", delete_division),
    ("GET", "/divisions/{divisionId}/users", list_division_users),
    ("POST", "/divisions/{divisionId}/users", assign_division),
    ("GET", "/contacts/groups", list_contact_groups),
    ("POST", "/contacts/groups", create_contact_group),
    ("GET", "/contacts/groups/{groupId}", get_contact_group),
    ("PATCH", "/contacts/groups/{groupId}", update_contact_group),
    ("DELETE", "/contacts/groups/{groupId}", delete_contact_group),
    ("GET", "/contacts/groups/{groupId}/members", list_contact_members),
    ("POST", "/contacts/groups/{groupId}/members", add_contact_members),
    ("DELETE", "/contacts/groups/{groupId}/members", remove_contact_members),
    *user_settings.ROUTES,
]


# Groups and contact groups need a Pro or higher account (S001:45-245, 553, 652, 1271, 1359).
PAID_ONLY_PREFIXES = ("/groups", "/contacts/groups")


ACCOUNT_LOCK_SETTINGS = "/accounts/{accountId}/lock_settings"
ACCOUNT_LOCK_SETTINGS_OPERATIONS = {
    # Zoom's Accounts API labels both Medium; the sections match the group lock settings'.
    "GET": (
        get_account_lock_settings,
        OffSpec(
            "/groups/{groupId}/lock_settings",
            Category.MEDIUM,
            ("account:read:lock_settings:admin", "account:read:admin"),
        ),
    ),
    "PATCH": (
        patch_account_lock_settings,
        OffSpec(
            "/groups/{groupId}/lock_settings",
            Category.MEDIUM,
            ("account:update:lock_settings:admin", "account:write:admin"),
        ),
    ),
}


def routes() -> list[Route]:
    account = [
        api_route("users-api", method, ACCOUNT_LOCK_SETTINGS, handler, prefix="/v2", off_spec=off)
        for method, (handler, off) in ACCOUNT_LOCK_SETTINGS_OPERATIONS.items()
    ]
    return account + [
        api_route(
            "users-api",
            method,
            template,
            handler,
            prefix="/v2",
            token_errors=divisions_token_error if template.startswith("/divisions") else None,
            paid_only=template.startswith(PAID_ONLY_PREFIXES),
        )
        for method, template, handler in ROUTES
    ]
