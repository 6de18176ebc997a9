"""Every Zoom operation the reconciler uses: method, path, rate-limit category, retry safety.

Categories are the "Rate Limit Label" of each operation in Zoom's Users API reference (a test
checks them against the shipped OpenAPI document). The few operations from Zoom's other APIs
are listed in `OUTSIDE_USERS_API`, with the label their own reference gives. `idempotent` says whether sending the same
request twice leaves Zoom as sending it once, which decides what may be retried after an
ambiguous failure (a 5xx, a dropped connection): see docs/client.md.

`gone` lists the (HTTP status, Zoom code) answers that, on a retried delete, mean an earlier
attempt already did the work. `own_rate` is an endpoint's own limit on top of its category's
budget, where Zoom documents one.

Pure data, shared by the client (which sends and paces the requests) and the plan (which
counts them): see `reconciler/plan/costs.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from urllib.parse import quote

from reconciler.catalog.limits import Category, RequestRate


class HttpMethod(StrEnum):
    GET = "GET"
    POST = "POST"
    PATCH = "PATCH"
    PUT = "PUT"
    DELETE = "DELETE"


class Operation(Enum):
    """The operations, named after what they do to the account."""

    LIST_USERS = "list users"
    GET_USER = "get user"
    CREATE_USER = "create user"
    UPDATE_USER = "update user"
    DELETE_USER = "delete user"
    SET_USER_STATUS = "set user status"
    UPDATE_USER_EMAIL = "update user email"
    LIST_USER_ASSISTANTS = "list user assistants"
    ADD_USER_ASSISTANTS = "add user assistants"
    DELETE_USER_ASSISTANTS = "delete user assistants"
    DELETE_USER_ASSISTANT = "delete user assistant"
    LIST_GROUPS = "list groups"
    GET_GROUP = "get group"
    CREATE_GROUP = "create group"
    UPDATE_GROUP = "update group"
    DELETE_GROUP = "delete group"
    LIST_GROUP_MEMBERS = "list group members"
    ADD_GROUP_MEMBERS = "add group members"
    REMOVE_GROUP_MEMBER = "remove group member"
    UPDATE_GROUP_MEMBER = "update group member"
    LIST_GROUP_ADMINS = "list group admins"
    ADD_GROUP_ADMINS = "add group admins"
    REMOVE_GROUP_ADMIN = "remove group admin"
    GET_GROUP_SETTINGS = "get group settings"
    UPDATE_GROUP_SETTINGS = "update group settings"
    GET_GROUP_LOCK_SETTINGS = "get group lock settings"
    UPDATE_GROUP_LOCK_SETTINGS = "update group lock settings"
    LIST_DIVISIONS = "list divisions"
    GET_DIVISION = "get division"
    CREATE_DIVISION = "create division"
    UPDATE_DIVISION = "update division"
    DELETE_DIVISION = "delete division"
    LIST_DIVISION_USERS = "list division users"
    ASSIGN_DIVISION_USERS = "assign division users"
    LIST_CONTACT_GROUPS = "list contact groups"
    GET_CONTACT_GROUP = "get contact group"
    CREATE_CONTACT_GROUP = "create contact group"
    UPDATE_CONTACT_GROUP = "update contact group"
    DELETE_CONTACT_GROUP = "delete contact group"
    LIST_CONTACT_GROUP_MEMBERS = "list contact group members"
    ADD_CONTACT_GROUP_MEMBERS = "add contact group members"
    REMOVE_CONTACT_GROUP_MEMBERS = "remove contact group members"
    GET_ACCOUNT_LOCK_SETTINGS = "get account lock settings"
    GET_USER_SETTINGS = "get user settings"
    UPDATE_USER_SETTINGS = "update user settings"
    UPDATE_USERS_FEATURES = "update users' features"
    GET_SCIM2_USER = "get SCIM2 user"


class Api(StrEnum):
    """Which of Zoom's APIs an endpoint belongs to: each has its own base URL."""

    V2 = "v2"
    SCIM2 = "scim2"


class BatchLimit:
    """How many items Zoom accepts in one request (the client refuses more; the plan's costs
    batch by these)."""

    GROUP_MEMBERS_ADD = 30
    GROUP_ADMINS_ADD = 10
    DIVISION_USERS_ASSIGN = 30
    CONTACT_GROUP_USERS_ADD = 50
    CONTACT_GROUP_GROUPS_ADD = 3
    CONTACT_GROUP_MEMBERS_REMOVE = 20
    USERS_FEATURES = 30
    """POST /users/features: "a maximum of 30 users at a time" (S001)."""
    USER_ASSISTANTS_ADD = 30


# Zoom's largest page for most listings; contact groups stop at 50.
PAGE_SIZE = 300
CONTACTS_PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    """How a listing pages: the key holding its items and the page size to ask for."""

    items_key: str
    size: int = PAGE_SIZE


@dataclass(frozen=True)
class Endpoint:
    operation: Operation
    method: HttpMethod
    path: str  # template with {placeholders}
    category: Category
    idempotent: bool
    page: Page | None = None
    gone: frozenset[tuple[int, int | None]] = frozenset()
    own_rate: RequestRate | None = None
    api: Api = Api.V2
    """SCIM2 paths are relative to `https://api.zoom.us/scim2` (no `/v2`), see zoom/scim.py."""

    def render(self, **values: str) -> str:
        """The path with each placeholder filled in and escaped (ids may be emails)."""
        return self.path.format(**{name: quote(value, safe="@") for name, value in values.items()})

    def means_gone(self, status: int, code: int | None) -> bool:
        return (status, code) in self.gone or (status, None) in self.gone


_L, _M, _H = Category.LIGHT, Category.MEDIUM, Category.HEAVY
_GET, _POST, _PATCH, _PUT, _DELETE = (
    HttpMethod.GET,
    HttpMethod.POST,
    HttpMethod.PATCH,
    HttpMethod.PUT,
    HttpMethod.DELETE,
)
_USER_GONE = frozenset({(404, 1001)})
_GROUP_GONE = frozenset({(404, 4130)})

_TABLE = [
    # Users. PATCH sets values and PUT status sets a state: repeating them is harmless.
    Endpoint(Operation.LIST_USERS, _GET, "/users", _M, True, Page("users")),
    Endpoint(Operation.GET_USER, _GET, "/users/{user_id}", _L, True),
    Endpoint(Operation.CREATE_USER, _POST, "/users", _L, False),
    Endpoint(Operation.UPDATE_USER, _PATCH, "/users/{user_id}", _L, True),
    Endpoint(Operation.DELETE_USER, _DELETE, "/users/{user_id}", _L, True, gone=_USER_GONE),
    Endpoint(Operation.SET_USER_STATUS, _PUT, "/users/{user_id}/status", _L, True),
    # A repeated email change finds the email already changed (taken, by the user itself).
    Endpoint(Operation.UPDATE_USER_EMAIL, _PUT, "/users/{user_id}/email", _L, False),
    Endpoint(Operation.LIST_USER_ASSISTANTS, _GET, "/users/{user_id}/assistants", _M, True),
    # A repeated add finds "User $email has already granted scheduling privilege".
    Endpoint(Operation.ADD_USER_ASSISTANTS, _POST, "/users/{user_id}/assistants", _M, False),
    Endpoint(Operation.DELETE_USER_ASSISTANTS, _DELETE, "/users/{user_id}/assistants", _L, True),
    Endpoint(
        Operation.DELETE_USER_ASSISTANT,
        _DELETE,
        "/users/{user_id}/assistants/{assistant_id}",
        _L,
        True,
    ),
    # Groups.
    Endpoint(Operation.LIST_GROUPS, _GET, "/groups", _M, True, Page("groups")),
    Endpoint(Operation.GET_GROUP, _GET, "/groups/{group_id}", _L, True),
    Endpoint(Operation.CREATE_GROUP, _POST, "/groups", _L, False),
    Endpoint(Operation.UPDATE_GROUP, _PATCH, "/groups/{group_id}", _L, True),
    Endpoint(Operation.DELETE_GROUP, _DELETE, "/groups/{group_id}", _L, True, gone=_GROUP_GONE),
    Endpoint(
        Operation.LIST_GROUP_MEMBERS, _GET, "/groups/{group_id}/members", _M, True, Page("members")
    ),
    Endpoint(Operation.ADD_GROUP_MEMBERS, _POST, "/groups/{group_id}/members", _M, False),
    Endpoint(
        Operation.REMOVE_GROUP_MEMBER,
        _DELETE,
        "/groups/{group_id}/members/{member_id}",
        _L,
        True,
        gone=frozenset({(404, 4131), (400, 4131)}),
    ),
    # A repeated `move` finds the member gone from the source group: not repeatable.
    Endpoint(
        Operation.UPDATE_GROUP_MEMBER, _PATCH, "/groups/{group_id}/members/{member_id}", _M, False
    ),
    Endpoint(
        Operation.LIST_GROUP_ADMINS, _GET, "/groups/{group_id}/admins", _M, True, Page("admins")
    ),
    Endpoint(Operation.ADD_GROUP_ADMINS, _POST, "/groups/{group_id}/admins", _M, False),
    Endpoint(
        Operation.REMOVE_GROUP_ADMIN,
        _DELETE,
        "/groups/{group_id}/admins/{user_id}",
        _L,
        True,
        gone=frozenset({(400, 4138), (404, 4138)}),
    ),
    Endpoint(Operation.GET_GROUP_SETTINGS, _GET, "/groups/{group_id}/settings", _M, True),
    Endpoint(Operation.UPDATE_GROUP_SETTINGS, _PATCH, "/groups/{group_id}/settings", _M, True),
    Endpoint(Operation.GET_GROUP_LOCK_SETTINGS, _GET, "/groups/{group_id}/lock_settings", _M, True),
    Endpoint(
        Operation.UPDATE_GROUP_LOCK_SETTINGS, _PATCH, "/groups/{group_id}/lock_settings", _M, True
    ),
    # Divisions.
    Endpoint(Operation.LIST_DIVISIONS, _GET, "/divisions", _L, True, Page("divisions")),
    Endpoint(Operation.GET_DIVISION, _GET, "/divisions/{division_id}", _L, True),
    Endpoint(Operation.CREATE_DIVISION, _POST, "/divisions", _L, False),
    Endpoint(Operation.UPDATE_DIVISION, _PATCH, "/divisions/{division_id}", _L, True),
    Endpoint(
        Operation.DELETE_DIVISION,
        _DELETE,
        "/divisions/{division_id}",
        _L,
        True,
        gone=frozenset({(404, None)}),
    ),
    Endpoint(
        Operation.LIST_DIVISION_USERS,
        _GET,
        "/divisions/{division_id}/users",
        _L,
        True,
        Page("users"),
    ),
    Endpoint(Operation.ASSIGN_DIVISION_USERS, _POST, "/divisions/{division_id}/users", _M, False),
    # Contact groups answer 400 even for "not found", so no delete here can prove it is done.
    Endpoint(
        Operation.LIST_CONTACT_GROUPS,
        _GET,
        "/contacts/groups",
        _M,
        True,
        Page("groups", CONTACTS_PAGE_SIZE),
    ),
    Endpoint(Operation.GET_CONTACT_GROUP, _GET, "/contacts/groups/{group_id}", _L, True),
    Endpoint(Operation.CREATE_CONTACT_GROUP, _POST, "/contacts/groups", _H, False),
    Endpoint(Operation.UPDATE_CONTACT_GROUP, _PATCH, "/contacts/groups/{group_id}", _H, True),
    Endpoint(Operation.DELETE_CONTACT_GROUP, _DELETE, "/contacts/groups/{group_id}", _H, True),
    Endpoint(
        Operation.LIST_CONTACT_GROUP_MEMBERS,
        _GET,
        "/contacts/groups/{group_id}/members",
        _M,
        True,
        Page("group_members", CONTACTS_PAGE_SIZE),
    ),
    Endpoint(
        Operation.ADD_CONTACT_GROUP_MEMBERS, _POST, "/contacts/groups/{group_id}/members", _H, False
    ),
    Endpoint(
        Operation.REMOVE_CONTACT_GROUP_MEMBERS,
        _DELETE,
        "/contacts/groups/{group_id}/members",
        _H,
        True,
    ),
    # A user's own settings and licences. POST /users/features sets one licence value for its
    # users (repeated, Zoom answers "No need to update"), "one request every 10 seconds" (S001).
    Endpoint(Operation.GET_USER_SETTINGS, _GET, "/users/{user_id}/settings", _M, True),
    Endpoint(Operation.UPDATE_USER_SETTINGS, _PATCH, "/users/{user_id}/settings", _M, True),
    Endpoint(
        Operation.UPDATE_USERS_FEATURES,
        _POST,
        "/users/features",
        _M,
        True,
        own_rate=RequestRate(1, 10.0),
    ),
    # Accounts API (see OUTSIDE_USERS_API): a lock here overrides every group's setting.
    Endpoint(
        Operation.GET_ACCOUNT_LOCK_SETTINGS, _GET, "/accounts/{account_id}/lock_settings", _M, True
    ),
    # SCIM2 (scim2-api.json): "Get a user" is labelled LIGHT (S000:1165).
    Endpoint(Operation.GET_SCIM2_USER, _GET, "/Users/{user_id}", _L, True, api=Api.SCIM2),
]

OUTSIDE_USERS_API: dict[Operation, str] = {
    Operation.GET_ACCOUNT_LOCK_SETTINGS: "Accounts API: GET /accounts/{accountId}/lock_settings",
}
"""Operations the vendored Users API document does not describe, with where Zoom documents
them; their categories come from that reference (Accounts API: `Medium`)."""

ACCOUNT_ME = "me"
"""The account id Zoom reads as "the app's own account"."""

ENDPOINTS: dict[Operation, Endpoint] = {endpoint.operation: endpoint for endpoint in _TABLE}
