"""SCIM2 under `/scim2`: Users and Groups over the same store as the v2 API (S000; RSC).

SCIM Groups are the v2 groups and SCIM Users the v2 users, so a change made through either API
is visible through the other. Filters are the three Zoom documents (`userName eq`,
`externalId eq`, `displayName eq`); anything else is refused as Zoom refuses it. Paging is
`startIndex` (1-based) and `count` (default 1, at most 100). Errors carry the HTTP status as
their code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from starlette.routing import Route

from reconciler.sandbox.endpoint import Call, Handler, Reply, api_route
from reconciler.sandbox.entities import CreateAction, Group, Role, User, UserStatus, UserType
from reconciler.sandbox.errors import SandboxError, scim_error
from reconciler.sandbox.views import iso

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SCIM_JSON = "application/scim+json"
USER_TYPES = {
    UserType.BASIC: "Basic",
    UserType.LICENSED: "Licensed",
    UserType.NO_MEETINGS_LICENSE: "Collaboration",
    UserType.NONE: "Basic",
}
TYPES_BY_NAME = {
    "Basic": UserType.BASIC,
    "Licensed": UserType.LICENSED,
    "Collaboration": UserType.NO_MEETINGS_LICENSE,
}
FILTER = re.compile(r'^\s*(\w+)\s+eq\s+"([^"]*)"\s*$')
T = TypeVar("T")
MEMBER_FILTER = re.compile(r'^members\[value eq "([^"]*)"\]$')


def _user_resource(call: Call, user: User, *, single: bool = False) -> dict[str, Any]:
    groups = [
        {"type": "direct", "value": call.store.groups[g].name, "display": call.store.groups[g].name}
        for g in user.group_ids
    ]
    resource: dict[str, Any] = {
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "id": user.id,
        "userName": user.email,
        "name": {"givenName": user.first_name, "familyName": user.last_name},
        "displayName": user.display_name,
        "emails": [{"type": "work", "value": user.email, "primary": True}],
        "active": user.status is UserStatus.ACTIVE,
        "userType": USER_TYPES[user.type],
        ENTERPRISE: {"department": user.dept},
        "meta": {
            "resourceType": "User",
            "location": f"{call.base_url}/scim2/Users/{user.id}",
            "version": "1.0.0",
            "created": iso(user.created_at),
            "lastModified": iso(user.created_at),
        },
    }
    if single:
        # Get User documents `groups` as one object (RSC, S000:1183): the primary group.
        if groups:
            resource["groups"] = groups[0]
    elif groups:
        resource["groups"] = groups
    return resource


def _group_resource(call: Call, group: Group) -> dict[str, Any]:
    return {
        "schemas": [GROUP_SCHEMA],
        "id": group.id,
        "displayName": group.name,
        "meta": {
            "resourceType": "Group",
            "location": f"{call.base_url}/scim2/Groups/{group.id}",
            "version": "1.0.0",
            "created": iso(group.created_at),
            "lastModified": iso(group.created_at),
        },
    }


def _filter(call: Call, allowed: dict[str, str]) -> tuple[str, str] | None:
    raw = call.query.get("filter")
    if not raw:
        return None
    found = FILTER.match(str(raw))
    if not found or found.group(1) not in allowed:
        raise scim_error(400, f"The current filter is not supported, the filter name: {raw}")
    return allowed[found.group(1)], found.group(2)


def _list(call: Call, items: Sequence[T], render: Callable[[T], dict[str, Any]]) -> Reply:
    start = max(int(call.query.get("startIndex", 1)), 1)
    count = int(call.query.get("count", 1))
    page = items[start - 1 : start - 1 + count]
    return Reply(
        body={
            "schemas": [LIST_SCHEMA],
            "totalResults": len(items),
            "startIndex": start,
            "itemsPerPage": len(page),
            "Resources": [render(item) for item in page],
        },
        media_type=SCIM_JSON,
    )


def _scim_user(call: Call) -> User:
    try:
        return call.store.user(call.params["userId"])
    except SandboxError:
        raise scim_error(404, "User does not exist.") from None


def _scim_group(call: Call) -> Group:
    group = call.store.groups.get(call.params["groupId"])
    if group is None:
        raise scim_error(404, "Group does not exist.")
    return group


def list_users(call: Call) -> Reply:
    wanted = _filter(call, {"userName": "email", "externalId": "id"})
    users: list[User] = list(call.store.users.values())
    if wanted is not None:
        field, value = wanted
        try:
            found = call.store.user(value)
        except SandboxError:
            found = None
        matches = found is not None and (
            found.id == value if field == "id" else found.email.lower() == value.lower()
        )
        users = [found] if found is not None and matches else []
    return _list(call, users, lambda u: _user_resource(call, u))


def create_user(call: Call) -> Reply:
    body = call.body
    email = str(body.get("userName") or "")
    if not email:
        raise scim_error(400, 'The "userName" of the request is invalid.')
    if call.store.has_email(email):
        raise scim_error(400, f'The email "{email}" is already in use.')
    name = body.get("name", {})
    user = call.store.create_user(
        CreateAction.SSO_CREATE,
        {
            "email": email,
            "first_name": name.get("givenName", ""),
            "last_name": name.get("familyName", ""),
            "display_name": body.get("displayName", ""),
            "type": int(TYPES_BY_NAME.get(body.get("userType", "Basic"), UserType.BASIC)),
        },
    )
    department = body.get(ENTERPRISE, {}).get("department")
    if department is not None:
        user.dept = str(department)
    return Reply(201, _user_resource(call, user), media_type=SCIM_JSON)


def get_user(call: Call) -> Reply:
    return Reply(body=_user_resource(call, _scim_user(call), single=True), media_type=SCIM_JSON)


def replace_user(call: Call) -> Reply:
    """PUT is a partial update: "include only the parameters that you want to update" (RSC)."""
    user = _scim_user(call)
    body = call.body
    emails = body.get("emails") or []
    if emails and str(emails[0].get("value", "")).lower() != user.email.lower():
        new_email = str(emails[0]["value"])
        if call.store.has_email(new_email):
            raise scim_error(409, f"Email ''{new_email}'' has already been used.")
        call.store.change_email(user, new_email)
    patch: dict[str, Any] = {}
    name = body.get("name") or {}
    if "givenName" in name:
        patch["first_name"] = name["givenName"]
    if "familyName" in name:
        patch["last_name"] = name["familyName"]
    if "displayName" in body:
        patch["display_name"] = body["displayName"]
    if "userType" in body:
        patch["type"] = int(TYPES_BY_NAME.get(body["userType"], UserType.BASIC))
    if "department" in body.get(ENTERPRISE, {}):
        patch["dept"] = body[ENTERPRISE]["department"]
    call.store.update_user(user, patch)
    if "active" in body:
        _set_active(call, user, bool(body["active"]))
    return Reply(body=_user_resource(call, user), media_type=SCIM_JSON)


def _set_active(call: Call, user: User, active: bool) -> None:
    if user.role in (Role.OWNER, Role.ADMIN):
        raise scim_error(400, "Cannot activate or deactivate Zoom Room and Admin users.")
    if user.status is UserStatus.PENDING:
        raise scim_error(400, "User is inactive or locked.")
    call.store.set_status(user, "activate" if active else "deactivate")


def patch_user(call: Call) -> Reply:
    """Only activation: `{"op": "replace", "value": {"active": false}}` (S000:2116)."""
    user = _scim_user(call)
    for operation in call.body.get("Operations", []):
        value = operation.get("value")
        if (
            str(operation.get("op", "")).lower() != "replace"
            or not isinstance(value, dict)
            or "active" not in value
        ):
            raise scim_error(400, 'The "Operations" of the request is invalid.')
        _set_active(call, user, bool(value["active"]))
    return Reply(body=_user_resource(call, user), media_type=SCIM_JSON)


def delete_user(call: Call) -> Reply:
    user = _scim_user(call)
    if user.role in (Role.OWNER, Role.ADMIN):
        raise scim_error(400, "Cannot delete Admin user.")
    call.store.delete_user(user, "disassociate")
    return Reply(204)


def list_groups(call: Call) -> Reply:
    wanted = _filter(call, {"displayName": "name"})
    groups = list(call.store.groups.values())
    if wanted is not None:
        groups = [g for g in groups if g.name.lower() == wanted[1].lower()]
    return _list(call, groups, lambda g: _group_resource(call, g))


def create_group(call: Call) -> Reply:
    name = str(call.body.get("displayName") or "").strip()
    if not name:
        raise scim_error(400, 'The "DisplayName" of the request is invalid.')
    try:
        group = call.store.create_group(name)
    except SandboxError as error:
        if error.status == 409:
            raise scim_error(409, f"Group {name} exists.") from None
        raise scim_error(400, "Create group failed.") from None
    return Reply(201, _group_resource(call, group), media_type=SCIM_JSON)


def get_group(call: Call) -> Reply:
    return Reply(body=_group_resource(call, _scim_group(call)), media_type=SCIM_JSON)


def delete_group(call: Call) -> Reply:
    call.store.delete_group(_scim_group(call))
    return Reply(204)


def patch_group(call: Call) -> Reply:
    """Members add/remove/replace and a rename, as PatchOp operations (RSC)."""
    group = _scim_group(call)
    store = call.store
    for operation in call.body.get("Operations", []) or []:
        op = str(operation.get("op", "")).lower()
        path = str(operation.get("path", ""))
        value = operation.get("value")
        removal = MEMBER_FILTER.match(path)
        if op == "add" and path == "members" and isinstance(value, list):
            store.add_members(group, [_member(call, v) for v in value])
        elif op == "remove" and removal:
            store.remove_member(group, removal.group(1))
        elif op == "replace" and path == "members" and isinstance(value, list):
            for member_id in list(group.members):
                store.remove_member(group, member_id)
            store.add_members(group, [_member(call, v) for v in value])
        elif op == "replace" and (path == "displayName" or isinstance(value, dict)):
            name = str(value if path == "displayName" else (value or {}).get("displayName"))
            try:
                store.rename_group(group, name)
            except SandboxError as refused:
                if refused.status == 409:
                    raise scim_error(409, f"Group {name} exists.") from None
                raise scim_error(400, 'The "Operations" of the request is invalid.') from None
        else:
            raise scim_error(400, 'The "Operations" of the request is invalid.')
    return Reply(204)


def _member(call: Call, value: Any) -> User:
    member_id = value.get("value") if isinstance(value, dict) else None
    try:
        return call.store.user(str(member_id))
    except SandboxError:
        raise scim_error(400, 'The "Operations" of the request is invalid.') from None


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/scim2/Users", list_users),
    ("POST", "/scim2/Users", create_user),
    ("GET", "/scim2/Users/{userId}", get_user),
    ("PUT", "/scim2/Users/{userId}", replace_user),
    ("PATCH", "/scim2/Users/{userId}", patch_user),
    ("DELETE", "/scim2/Users/{userId}", delete_user),
    ("GET", "/scim2/Groups", list_groups),
    ("POST", "/scim2/Groups", create_group),
    ("GET", "/scim2/Groups/{groupId}", get_group),
    ("PATCH", "/scim2/Groups/{groupId}", patch_group),
    ("DELETE", "/scim2/Groups/{groupId}", delete_group),
]


def routes() -> list[Route]:
    return [
        api_route("scim2-api", method, template, handler) for method, template, handler in ROUTES
    ]
