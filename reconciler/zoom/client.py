"""`ZoomClient`: typed calls for every endpoint the reconciler reads or writes.

Each call waits for its category's slot in the `Scheduler`, holds one of that category's
in-flight places (enough to fill the budget at a few hundred milliseconds of latency), and is
retried with stamina when that is safe:

- 429: always retried (Zoom did not apply the request); the scheduler pauses the whole
  category for `Retry-After`, so the retry itself waits there.
- 5xx and dropped connections: retried with jittered backoff only when the operation is
  idempotent. A write that is not raises `AmbiguousWriteError` after exactly one request.
- A connection that was never made: retried for every operation, nothing was sent.
- Any other 4xx: raised at once as `ZoomAPIError` (`NotFound`, `TokenRejected`, ...).
"""

from __future__ import annotations

import logging
import math
from asyncio import Semaphore
from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self, cast

import stamina

from reconciler.errors import ReconcilerError, ZoomAPIError
from reconciler.zoom.endpoints import ENDPOINTS, BatchLimit, Endpoint, HttpMethod, Operation
from reconciler.zoom.errors import (
    AmbiguousWriteError,
    NotFound,
    RateLimited,
    ServerError,
    TokenRejected,
    ZoomTransportError,
)
from reconciler.zoom.http import ApiResponse, HttpSession, JsonBody, QueryParams
from reconciler.zoom.ratelimit import Category, Scheduler, parse_rate_limit_headers
from reconciler.zoom.settings import ZoomConnection
from reconciler.zoom.types import (
    AddedContactMembers,
    AddedIds,
    ContactGroup,
    ContactGroupMember,
    ContactGroupPrivacy,
    ContactMemberRef,
    ContactMemberType,
    CreateAction,
    CreatedUser,
    DeleteAction,
    Division,
    DivisionUser,
    DivisionUserRef,
    Group,
    GroupAdmin,
    GroupMember,
    MemberAction,
    MemberRef,
    NewUserInfo,
    Settings,
    SettingsOption,
    StatusAction,
    User,
    UserStatus,
    UserUpdate,
)

log = logging.getLogger("reconciler.zoom")
# stamina reports each retry at WARNING; without this, an app that configures no logging
# would get them on stderr through logging's last-resort handler. Configured handlers still
# receive them.
logging.getLogger("stamina").addHandler(logging.NullHandler())

# 501 means "never going to work"; the rest of 5xx may pass on a second try.
_NOT_RETRYABLE_5XX = frozenset({501})


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per call (429s included) and the backoff between them."""

    attempts: int = 8
    wait_initial: float = 0.5
    wait_max: float = 30.0
    wait_jitter: float = 1.0
    timeout: float | None = None


@dataclass
class CallStats:
    """What a run cost: requests per category, 429s per category, retries, token fetches."""

    calls: Counter[Category] = field(default_factory=Counter)
    throttled: Counter[Category] = field(default_factory=Counter)
    retries: int = 0
    token_fetches: int = 0

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def summary(self) -> str:
        """One line for `-v`: `Zoom API: 35 calls (Medium 34, Light 1), 0 answered 429, ...`."""
        by_category = ", ".join(
            f"{category.value} {count}" for category, count in self.calls.most_common()
        )
        return (
            f"Zoom API: {self.total_calls} calls ({by_category}),"
            f" {sum(self.throttled.values())} answered 429, {self.retries} retried,"
            f" {self.token_fetches} access tokens fetched"
        )


class PagingError(ReconcilerError):
    """Zoom handed back a page token it had already given: stop rather than loop."""


def _check_batch(items: Sequence[object], limit: int, what: str) -> None:
    if len(items) > limit:
        raise ValueError(f"Zoom accepts at most {limit} {what} per request, got {len(items)}")


def _retry_decision(error: Exception) -> bool | float:
    """stamina's hook: which failures get another attempt, and after how long."""
    if isinstance(error, RateLimited):
        return 0.0  # the scheduler already holds the category back for `Retry-After`
    retry = isinstance(error, ServerError | ZoomTransportError)
    if retry:
        log.info("retrying after: %s", error)
    return retry


def _api_error(response: ApiResponse, endpoint: Endpoint, path: str) -> ZoomAPIError:
    status = response.status
    message = response.zoom_message or f"HTTP {status} without a message"
    kind: type[ZoomAPIError] = ZoomAPIError
    if status == 401:
        kind = TokenRejected
    elif status == 404:
        kind = NotFound
    elif status >= 500 and status not in _NOT_RETRYABLE_5XX:
        kind = ServerError
    return kind(status, response.zoom_code, message, method=endpoint.method.value, path=path)


class ZoomClient:
    """The async Zoom client; use as `async with ZoomClient(connection) as zoom:`.

    Many calls may be awaited at once (for example with `asyncio.gather`): the scheduler and
    the per-category in-flight limits decide when each one goes.
    """

    def __init__(
        self,
        connection: ZoomConnection,
        *,
        session: HttpSession | None = None,
        scheduler: Scheduler | None = None,
        retry: RetryPolicy | None = None,
        latency_allowance: float = 0.6,
    ) -> None:
        self._session = session if session is not None else HttpSession(connection)
        self._scheduler = scheduler if scheduler is not None else Scheduler(tier=connection.tier)
        self._retry = retry if retry is not None else RetryPolicy()
        self._stats = CallStats()
        # Enough requests in flight to use the whole budget at `latency_allowance` seconds each.
        self._in_flight = {
            category: Semaphore(
                max(2, math.ceil(self._scheduler.budget(category).per_second * latency_allowance))
            )
            for category in Category
        }

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._session.aclose()
        if self._stats.total_calls:
            log.info("%s", self.stats.summary())

    @property
    def stats(self) -> CallStats:
        self._stats.token_fetches = self._session.token_fetches
        return self._stats

    @property
    def scheduler(self) -> Scheduler:
        return self._scheduler

    # -- the machinery ---------------------------------------------------------------------

    async def call(
        self,
        operation: Operation,
        path_values: Mapping[str, str] | None = None,
        *,
        params: QueryParams | None = None,
        json: JsonBody | None = None,
    ) -> Any:
        """Send one operation, retrying as its endpoint allows; returns the JSON body or None."""
        endpoint = ENDPOINTS[operation]
        path = endpoint.render(**(path_values or {}))
        ambiguous: list[str] = []  # earlier attempts whose outcome is unknown
        policy = self._retry
        async for attempt in stamina.retry_context(
            on=_retry_decision,
            attempts=policy.attempts,
            timeout=policy.timeout,
            wait_initial=policy.wait_initial,
            wait_max=policy.wait_max,
            wait_jitter=policy.wait_jitter,
        ):
            with attempt:
                if attempt.num > 1:
                    self._stats.retries += 1
                return await self._attempt(endpoint, path, params, json, ambiguous)
        raise AssertionError("stamina ends with a result or the last error")  # pragma: no cover

    async def _attempt(
        self,
        endpoint: Endpoint,
        path: str,
        params: QueryParams | None,
        json: JsonBody | None,
        ambiguous: list[str],
    ) -> Any:
        category = endpoint.category
        method = endpoint.method.value
        async with self._in_flight[category]:
            await self._scheduler.acquire(category)
            self._stats.calls[category] += 1
            try:
                response = await self._session.send(method, path, params=params, json=json)
            except ZoomTransportError as lost:
                if lost.request_sent:
                    self._unknown_outcome(endpoint, path, lost.reason, ambiguous)
                raise
        headers = parse_rate_limit_headers(
            response.headers, self._scheduler.wall_clock(), message=response.zoom_message
        )
        self._scheduler.observe(category, headers)
        if response.status == 429:
            self._stats.throttled[category] += 1
            wait = self._scheduler.throttled(category, headers)
            log.info("%s %s: 429 on %s requests, pausing %.1f s", method, path, category, wait)
            raise RateLimited(
                response.zoom_message or "Too many requests.",
                category=category.value,
                method=method,
                path=path,
            )
        if response.status < 400:
            return response.body
        error = _api_error(response, endpoint, path)
        if response.status >= 500 and response.status not in _NOT_RETRYABLE_5XX:
            self._unknown_outcome(endpoint, path, str(error), ambiguous)
            raise error
        if ambiguous and endpoint.method is not HttpMethod.GET:
            if endpoint.means_gone(response.status, response.zoom_code):
                return None  # an earlier attempt did it
            raise AmbiguousWriteError(
                endpoint.operation.value,
                method=method,
                path=path,
                cause=f"{ambiguous[0]}; the retry then got {error}",
            )
        raise error

    @staticmethod
    def _unknown_outcome(endpoint: Endpoint, path: str, cause: str, ambiguous: list[str]) -> None:
        """Zoom may have applied the request: only idempotent operations may go again."""
        if not endpoint.idempotent:
            raise AmbiguousWriteError(
                endpoint.operation.value, method=endpoint.method.value, path=path, cause=cause
            )
        ambiguous.append(cause)

    async def pages(
        self,
        operation: Operation,
        path_values: Mapping[str, str] | None = None,
        *,
        params: QueryParams | None = None,
    ) -> AsyncIterator[list[Any]]:
        """Yield each page's items, following `next_page_token` until Zoom sends none or ""."""
        page = ENDPOINTS[operation].page
        if page is None:
            raise ValueError(f"{operation.value} is not a listing")
        query: dict[str, str | int] = {**(params or {}), "page_size": page.size}
        seen: set[str] = set()
        while True:
            body = await self.call(operation, path_values, params=query)
            body = body if isinstance(body, dict) else {}
            items = body.get(page.items_key)
            yield list(items) if isinstance(items, list) else []
            token = body.get("next_page_token")
            if not isinstance(token, str) or not token:
                return
            if token in seen:
                raise PagingError(f"{operation.value}: Zoom repeated a page token; stopping")
            seen.add(token)
            query["next_page_token"] = token

    async def _all(
        self,
        operation: Operation,
        path_values: Mapping[str, str] | None = None,
        *,
        params: QueryParams | None = None,
    ) -> list[Any]:
        return [
            item
            async for page in self.pages(operation, path_values, params=params)
            for item in page
        ]

    # -- users ---------------------------------------------------------------------------

    async def list_users(self, status: UserStatus = UserStatus.ACTIVE) -> list[User]:
        """Every user with this status (Zoom lists one status per call)."""
        return cast(list[User], await self._all(Operation.LIST_USERS, params={"status": status}))

    async def get_user(self, user_id: str) -> User:
        """One user by id or email."""
        return cast(User, await self.call(Operation.GET_USER, {"user_id": user_id}))

    async def create_user(self, action: CreateAction, user_info: NewUserInfo) -> CreatedUser:
        body = {"action": action.value, "user_info": dict(user_info)}
        return cast(CreatedUser, await self.call(Operation.CREATE_USER, json=body))

    async def update_user(self, user_id: str, changes: UserUpdate) -> None:
        await self.call(Operation.UPDATE_USER, {"user_id": user_id}, json=dict(changes))

    async def delete_user(
        self, user_id: str, action: DeleteAction = DeleteAction.DISASSOCIATE
    ) -> None:
        """Remove a user; `disassociate` (the default) is also how a pending invite goes."""
        await self.call(
            Operation.DELETE_USER, {"user_id": user_id}, params={"action": action.value}
        )

    async def set_user_status(self, user_id: str, action: StatusAction) -> None:
        await self.call(
            Operation.SET_USER_STATUS, {"user_id": user_id}, json={"action": action.value}
        )

    # -- groups --------------------------------------------------------------------------

    async def list_groups(self) -> list[Group]:
        return cast(list[Group], await self._all(Operation.LIST_GROUPS))

    async def get_group(self, group_id: str) -> Group:
        return cast(Group, await self.call(Operation.GET_GROUP, {"group_id": group_id}))

    async def create_group(self, name: str) -> Group:
        return cast(Group, await self.call(Operation.CREATE_GROUP, json={"name": name}))

    async def update_group(self, group_id: str, *, name: str) -> None:
        await self.call(Operation.UPDATE_GROUP, {"group_id": group_id}, json={"name": name})

    async def delete_group(self, group_id: str) -> None:
        await self.call(Operation.DELETE_GROUP, {"group_id": group_id})

    async def list_group_members(self, group_id: str) -> list[GroupMember]:
        found = await self._all(Operation.LIST_GROUP_MEMBERS, {"group_id": group_id})
        return cast(list[GroupMember], found)

    async def add_group_members(self, group_id: str, members: Sequence[MemberRef]) -> AddedIds:
        """Add up to 30 members in one request."""
        _check_batch(members, BatchLimit.GROUP_MEMBERS_ADD, "group members")
        body = {"members": [dict(member) for member in members]}
        added = await self.call(Operation.ADD_GROUP_MEMBERS, {"group_id": group_id}, json=body)
        return cast(AddedIds, added or {})

    async def remove_group_member(self, group_id: str, member_id: str) -> None:
        await self.call(
            Operation.REMOVE_GROUP_MEMBER, {"group_id": group_id, "member_id": member_id}
        )

    async def update_group_member(
        self,
        group_id: str,
        member_id: str,
        action: MemberAction,
        *,
        target_group_id: str | None = None,
    ) -> None:
        """`set_primary`, or `move` to `target_group_id`."""
        if action is MemberAction.MOVE and not target_group_id:
            raise ValueError("moving a group member needs target_group_id")
        body: dict[str, str] = {"action": action.value}
        if target_group_id:
            body["target_group_id"] = target_group_id
        await self.call(
            Operation.UPDATE_GROUP_MEMBER,
            {"group_id": group_id, "member_id": member_id},
            json=body,
        )

    async def list_group_admins(self, group_id: str) -> list[GroupAdmin]:
        found = await self._all(Operation.LIST_GROUP_ADMINS, {"group_id": group_id})
        return cast(list[GroupAdmin], found)

    async def add_group_admins(self, group_id: str, admins: Sequence[MemberRef]) -> AddedIds:
        """Add up to 10 admins in one request."""
        _check_batch(admins, BatchLimit.GROUP_ADMINS_ADD, "group admins")
        body = {"admins": [dict(admin) for admin in admins]}
        added = await self.call(Operation.ADD_GROUP_ADMINS, {"group_id": group_id}, json=body)
        return cast(AddedIds, added or {})

    async def remove_group_admin(self, group_id: str, user_id: str) -> None:
        await self.call(Operation.REMOVE_GROUP_ADMIN, {"group_id": group_id, "user_id": user_id})

    async def get_group_settings(
        self, group_id: str, option: SettingsOption | None = None
    ) -> Settings:
        params = {"option": option.value} if option else None
        found = await self.call(Operation.GET_GROUP_SETTINGS, {"group_id": group_id}, params=params)
        return cast(Settings, found or {})

    async def update_group_settings(
        self, group_id: str, settings: Settings, option: SettingsOption | None = None
    ) -> None:
        """Change only the keys given; `option` selects the authentication or security body."""
        params = {"option": option.value} if option else None
        await self.call(
            Operation.UPDATE_GROUP_SETTINGS, {"group_id": group_id}, params=params, json=settings
        )

    async def get_group_lock_settings(
        self, group_id: str, option: SettingsOption | None = None
    ) -> Settings:
        params = {"option": option.value} if option else None
        found = await self.call(
            Operation.GET_GROUP_LOCK_SETTINGS, {"group_id": group_id}, params=params
        )
        return cast(Settings, found or {})

    async def update_group_lock_settings(
        self, group_id: str, settings: Settings, option: SettingsOption | None = None
    ) -> None:
        params = {"option": option.value} if option else None
        await self.call(
            Operation.UPDATE_GROUP_LOCK_SETTINGS,
            {"group_id": group_id},
            params=params,
            json=settings,
        )

    # -- divisions -----------------------------------------------------------------------

    async def list_divisions(self) -> list[Division]:
        return cast(list[Division], await self._all(Operation.LIST_DIVISIONS))

    async def get_division(self, division_id: str) -> Division:
        found = await self.call(Operation.GET_DIVISION, {"division_id": division_id})
        return cast(Division, found)

    async def create_division(self, name: str, description: str | None = None) -> Division:
        body = {"division_name": name}
        if description is not None:
            body["division_description"] = description
        return cast(Division, await self.call(Operation.CREATE_DIVISION, json=body))

    async def update_division(
        self, division_id: str, *, name: str | None = None, description: str | None = None
    ) -> None:
        body: dict[str, str] = {}
        if name is not None:
            body["division_name"] = name
        if description is not None:
            body["division_description"] = description
        await self.call(Operation.UPDATE_DIVISION, {"division_id": division_id}, json=body)

    async def delete_division(self, division_id: str) -> None:
        """Zoom refuses while users remain (42012): move them to the main division first."""
        await self.call(Operation.DELETE_DIVISION, {"division_id": division_id})

    async def list_division_users(self, division_id: str) -> list[DivisionUser]:
        found = await self._all(Operation.LIST_DIVISION_USERS, {"division_id": division_id})
        return cast(list[DivisionUser], found)

    async def assign_division_users(
        self, division_id: str, users: Sequence[DivisionUserRef]
    ) -> AddedIds:
        """Move up to 30 users into a division (a user belongs to exactly one)."""
        _check_batch(users, BatchLimit.DIVISION_USERS_ASSIGN, "division users")
        body = {"users": [dict(user) for user in users]}
        added = await self.call(
            Operation.ASSIGN_DIVISION_USERS, {"division_id": division_id}, json=body
        )
        return cast(AddedIds, added or {})

    # -- contact groups ------------------------------------------------------------------

    async def list_contact_groups(self) -> list[ContactGroup]:
        return cast(list[ContactGroup], await self._all(Operation.LIST_CONTACT_GROUPS))

    async def get_contact_group(self, group_id: str) -> ContactGroup:
        found = await self.call(Operation.GET_CONTACT_GROUP, {"group_id": group_id})
        return cast(ContactGroup, found)

    async def create_contact_group(
        self,
        name: str,
        privacy: ContactGroupPrivacy,
        *,
        description: str | None = None,
        members: Sequence[ContactMemberRef] = (),
    ) -> ContactGroup:
        """Create with `group_name`/`group_privacy` (PATCH spells them `name`/`privacy`)."""
        _check_contact_members(members)
        body: dict[str, Any] = {"group_name": name, "group_privacy": int(privacy)}
        if description is not None:
            body["description"] = description
        if members:
            body["group_members"] = [_contact_member(m) for m in members]
        return cast(ContactGroup, await self.call(Operation.CREATE_CONTACT_GROUP, json=body))

    async def update_contact_group(
        self,
        group_id: str,
        *,
        name: str | None = None,
        privacy: ContactGroupPrivacy | None = None,
        description: str | None = None,
    ) -> None:
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if privacy is not None:
            body["privacy"] = int(privacy)
        if description is not None:
            body["description"] = description
        await self.call(Operation.UPDATE_CONTACT_GROUP, {"group_id": group_id}, json=body)

    async def delete_contact_group(self, group_id: str) -> None:
        await self.call(Operation.DELETE_CONTACT_GROUP, {"group_id": group_id})

    async def list_contact_group_members(self, group_id: str) -> list[ContactGroupMember]:
        found = await self._all(Operation.LIST_CONTACT_GROUP_MEMBERS, {"group_id": group_id})
        return cast(list[ContactGroupMember], found)

    async def add_contact_group_members(
        self, group_id: str, members: Sequence[ContactMemberRef]
    ) -> AddedContactMembers:
        """Add up to 50 users and 3 groups in one request."""
        _check_contact_members(members)
        body = {"group_members": [_contact_member(m) for m in members]}
        added = await self.call(
            Operation.ADD_CONTACT_GROUP_MEMBERS, {"group_id": group_id}, json=body
        )
        return cast(AddedContactMembers, added or {})

    async def remove_contact_group_members(self, group_id: str, member_ids: Sequence[str]) -> None:
        """Remove up to 20 members; Zoom refuses to remove a group's last member."""
        _check_batch(member_ids, BatchLimit.CONTACT_GROUP_MEMBERS_REMOVE, "member ids")
        await self.call(
            Operation.REMOVE_CONTACT_GROUP_MEMBERS,
            {"group_id": group_id},
            params={"member_ids": ",".join(member_ids)},
        )


def _contact_member(member: ContactMemberRef) -> dict[str, Any]:
    return {"id": member["id"], "type": int(member["type"])}


def _check_contact_members(members: Sequence[ContactMemberRef]) -> None:
    users = [m for m in members if m["type"] == ContactMemberType.USER]
    groups = [m for m in members if m["type"] == ContactMemberType.GROUP]
    _check_batch(users, BatchLimit.CONTACT_GROUP_USERS_ADD, "contact-group users")
    _check_batch(groups, BatchLimit.CONTACT_GROUP_GROUPS_ADD, "contact-group groups")
