"""The Users API v2 route table under `/v2`, and the handlers for users themselves.

Handlers are thin: the store keeps Zoom's rules, `views` shapes Zoom's answers and `listing`
pages them. Groups and settings live in v2_groups.py, divisions and contact groups in
v2_directory.py.
"""

from __future__ import annotations

from typing import Any

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
from reconciler.sandbox.entities import CreateAction, UserStatus
from reconciler.sandbox.errors import FieldError, SandboxError
from reconciler.sandbox.listing import PageKeys, listing
from reconciler.sandbox.ratelimit import USER_CREATE_DAILY, Category
from reconciler.sandbox.v2_directory import (
    add_contact_members,
    assign_division,
    create_contact_group,
    create_division,
    delete_contact_group,
    delete_division,
    get_contact_group,
    get_division,
    list_contact_groups,
    list_contact_members,
    list_division_users,
    list_divisions,
    remove_contact_members,
    update_contact_group,
    update_division,
)
from reconciler.sandbox.v2_groups import (
    add_admins,
    add_members,
    create_group,
    delete_group,
    get_account_lock_settings,
    get_group,
    get_lock_settings,
    get_settings,
    list_admins,
    list_groups,
    list_members,
    patch_account_lock_settings,
    patch_lock_settings,
    patch_settings,
    remove_admin,
    remove_member,
    update_group,
    update_member,
)

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
    return listing(call, scope, collect, "users", view, PageKeys.NUMBERED)


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
