"""SCIM2 under `/scim2`: Users and Groups over the same store as the v2 API (S000; RSC).

SCIM Groups are the v2 groups and SCIM Users the v2 users, so a change made through either API
is visible through the other. Filters are the three Zoom documents (`userName eq`,
`externalId eq`, `displayName eq`); anything else is refused as Zoom refuses it. Paging is
`startIndex` (1-based) and `count` (default 1, at most 100). Errors come in SCIM's error schema
(endpoint.py), the HTTP status as their `status`.
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
# `attr eq "value"` or, as Zoom's documents write it, `attr eq value` (S000; RSC examples)
FILTER = re.compile(r'^\s*(\w+)\s+eq\s+(?:"([^"]*)"|([^"\s](?:.*\S)?))\s*$')
T = TypeVar("T")
MEMBER_FILTER = re.compile(r'^members\[value eq "([^"]*)"\]$')


def _user_resource(call: Call, user: User) -> dict[str, Any]:
    # Each group says whether it is the user's primary one (S000:851 "Whether the group is the
    # user's primary group"); the user's first group is the primary (entities.User.group_ids).
    groups = [
        {
            "type": "direct",
            "value": call.store.groups[g].name,
            "display": call.store.groups[g].name,
            "primary": index == 0,
        }
        for index, g in enumerate(user.group_ids)
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
    if user.job_title:
        resource["title"] = user.job_title  # v2's job_title (S000:588 "The user's job title")
    if groups:
        # A list everywhere, Get User included, though Zoom's spec shows one object there
        # (docs/sandbox.md): SCIM clients read a multi-valued attribute as a list.
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


def _filter(call: Call, allowed: dict[str, str], refusal: str) -> tuple[str, str] | None:
    raw = call.query.get("filter")
    if not raw:
        return None
    found = FILTER.match(str(raw))
    if not found or found.group(1) not in allowed:
        raise scim_error(400, f"{refusal}{raw}")
    value = found.group(2) if found.group(2) is not None else found.group(3)
    return allowed[found.group(1)], value


def _body(call: Call) -> dict[str, Any]:
    """The request body; `{}` is "The request JSON must not be empty." (S000:189, 386, 1127,
    2050, 2441)."""
    if not call.body:
        raise scim_error(400, "The request JSON must not be empty.")
    body: dict[str, Any] = call.body
    return body


def _operations(body: dict[str, Any]) -> list[dict[str, Any]]:
    operations = body.get("Operations")
    if not isinstance(operations, list) or not operations:
        raise scim_error(400, 'The "Operations" of the request is invalid.')
    return operations


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
    wanted = _filter(
        call,
        {"userName": "email", "externalId": "id"},
        "The current filter is not supported, the filter name: ",  # S000:530
    )
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
        if found is not None and matches and found.status is UserStatus.PENDING:
            # an invitation is not yet a user (Zoom's developer forum, devforum.zoom.us/t/7646)
            raise scim_error(400, f"User {value} not exist or not belong to this account.")
        users = [found] if found is not None and matches else []
    return _list(call, users, lambda u: _user_resource(call, u))


def create_user(call: Call) -> Reply:
    body = _body(call)
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
    if body.get("title") is not None:
        user.job_title = str(body["title"])
    department = body.get(ENTERPRISE, {}).get("department")
    if department is not None:
        user.dept = str(department)
    return Reply(201, _user_resource(call, user), media_type=SCIM_JSON)


def get_user(call: Call) -> Reply:
    return Reply(body=_user_resource(call, _scim_user(call)), media_type=SCIM_JSON)


def replace_user(call: Call) -> Reply:
    """PUT is a partial update: "include only the parameters that you want to update" (RSC).

    Every refusal is checked before anything changes, so a refused PUT leaves the user as it was.
    """
    user = _scim_user(call)
    body = _body(call)
    if "active" in body:
        _check_active(user)
    emails = body.get("emails") or []
    new_email: str | None = None
    if emails and str(emails[0].get("value", "")).lower() != user.email.lower():
        new_email = str(emails[0]["value"])
        if user.role in (Role.OWNER, Role.ADMIN):
            raise scim_error(400, "Cannot change the email of Admin user.")  # S000:2054
        if call.store.has_email(new_email):
            raise scim_error(409, f"Email ''{new_email}'' has already been used.")
    if new_email is not None:
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
    if "title" in body:
        patch["job_title"] = body["title"]
    if "department" in body.get(ENTERPRISE, {}):
        patch["dept"] = body[ENTERPRISE]["department"]
    call.store.update_user(user, patch)
    if "active" in body:
        _set_active(call, user, bool(body["active"]))
    return Reply(body=_user_resource(call, user), media_type=SCIM_JSON)


def _check_active(user: User) -> None:
    """Refusals of (de)activation. The admin one is 400 as the spec has it (seed 000 lists it
    under 409); a pending user gets PUT's "User is inactive or locked." (docs/sandbox.md)."""
    if user.role in (Role.OWNER, Role.ADMIN):
        raise scim_error(400, "Cannot activate or deactivate Zoom Room and Admin users.")
    if user.status is UserStatus.PENDING:
        raise scim_error(400, "User is inactive or locked.")


def _set_active(call: Call, user: User, active: bool) -> None:
    _check_active(user)
    call.store.set_status(user, "activate" if active else "deactivate")


def patch_user(call: Call) -> Reply:
    """Only activation: `{"op": "replace", "value": {"active": false}}` (S000:2116)."""
    user = _scim_user(call)
    body = _body(call)
    if "Operations" not in body:  # e.g. written `operations` (Zoom's developer forum)
        raise scim_error(400, "The request json did not contains valid active field.")
    wanted: list[bool] = []
    for operation in _operations(body):
        value = operation.get("value")
        if (
            str(operation.get("op", "")).lower() != "replace"
            or not isinstance(value, dict)
            or "active" not in value
        ):
            raise scim_error(400, 'The "Operations" of the request is invalid.')
        wanted.append(bool(value["active"]))
    for active in wanted:  # every operation was checked; the first `_set_active` checks the user
        _set_active(call, user, active)
    return Reply(body=_user_resource(call, user), media_type=SCIM_JSON)


def delete_user(call: Call) -> Reply:
    user = _scim_user(call)
    if user.role in (Role.OWNER, Role.ADMIN):
        raise scim_error(400, "Cannot delete Admin user.")
    call.store.delete_user(user, "disassociate")
    return Reply(204)


def list_groups(call: Call) -> Reply:
    wanted = _filter(
        call,
        {"displayName": "name"},
        "The current filter does not support the filter name: ",  # S000:98
    )
    groups = list(call.store.groups.values())
    if wanted is not None:
        groups = [g for g in groups if g.name.lower() == wanted[1].lower()]
    return _list(call, groups, lambda g: _group_resource(call, g))


def create_group(call: Call) -> Reply:
    name = str(_body(call).get("displayName") or "").strip()
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
    """Members add/remove/replace and a rename, as PatchOp operations (RSC).

    The operations are played on a copy first, so an invalid one (an unknown user, a member
    that is not in the group, a name in use) refuses the whole request and changes nothing.
    """
    group = _scim_group(call)
    store = call.store
    members = list(group.members)
    name = group.name
    for operation in _operations(_body(call)):
        op = str(operation.get("op", "")).lower()
        path = str(operation.get("path", ""))
        value = operation.get("value")
        removal = MEMBER_FILTER.match(path)
        if op == "add" and path == "members" and isinstance(value, list):
            members += [u.id for u in _members(call, value) if u.id not in members]
        elif op == "remove" and removal:
            member = _member(call, removal.group(1))
            if member.id not in members:
                raise scim_error(400, 'The "Operations" of the request is invalid.')
            members.remove(member.id)
        elif op == "replace" and path == "members" and isinstance(value, list):
            members = list(dict.fromkeys(u.id for u in _members(call, value)))
        elif op == "replace" and path == "displayName" and isinstance(value, str):
            name = _group_name(call, group, value)
        elif op == "replace" and not path and isinstance(value, dict):
            # The emailAlias variant (RSC) is accepted; the sandbox keeps no alias.
            if "displayName" in value:
                name = _group_name(call, group, value["displayName"])
        else:
            raise scim_error(400, 'The "Operations" of the request is invalid.')
    if name != group.name:
        store.rename_group(group, name)
    for member_id in [m for m in group.members if m not in members]:
        store.remove_member(group, member_id)
    store.add_members(group, [store.users[m] for m in members if m not in group.members])
    return Reply(204)


def _group_name(call: Call, group: Group, value: Any) -> str:
    try:
        return call.store.check_group_name(str(value), ignore=group)
    except SandboxError as refused:
        if refused.status == 409:
            raise scim_error(409, f"Group {str(value).strip()} exists.") from None
        raise scim_error(400, 'The "Operations" of the request is invalid.') from None


def _members(call: Call, values: list[Any]) -> list[User]:
    return [_member(call, v.get("value") if isinstance(v, dict) else None) for v in values]


def _member(call: Call, member_id: Any) -> User:
    if not isinstance(member_id, str) or not member_id:
        raise scim_error(400, 'The "Operations" of the request is invalid.')
    try:
        return call.store.user(member_id)
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


SCOPES = ("scim2", "scim2:admin")
"""Every SCIM2 operation's scope and granular scope (S000:21-22)."""


def routes() -> list[Route]:
    return [
        api_route("scim2-api", method, template, handler, scopes=SCOPES)
        for method, template, handler in ROUTES
    ]
