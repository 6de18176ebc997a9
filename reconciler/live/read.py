"""`LiveReader`: the account read concurrently, within Zoom's budgets, into a `LiveState`.

Users come from three listings (one per status) and carry their `group_ids` and
`division_ids`, so memberships cost no per-group calls. Groups' settings, lock settings and
admins, contact groups and their members, and users' details are read only when the request
asks for them, and the account's lock settings (one call) when the request manages settings.
On an account whose plan has no groups or contact groups (Zoom answers 400, code 200) the read
goes on without them when the request allows it; an app without the scope for the account's
lock settings reads on without those. `report.unavailable` then holds Zoom's answer.

Pacing is the client's; the reader only decides what runs at once. Listings walk their pages
one after another, so their next page must not queue behind hundreds of per-object calls:
per-object calls are admitted a few at a time (about what the client keeps in flight), which
keeps the client busy and lets a listing's next page in almost at once.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from reconciler.live import convert
from reconciler.live.progress import ProgressCallback, ProgressTracker, ReadReport
from reconciler.live.reads import (
    Read,
    ReadKind,
    account_reads,
    assistant_reads,
    contact_reads,
    detail_reads,
    group_reads,
    listing_reads,
    primary_group_reads,
    user_group_lock_reads,
    user_settings_reads,
)
from reconciler.live.request import ReadRequest
from reconciler.model.live import LiveContactGroup, LiveGroup, LiveState, LiveUser
from reconciler.schema import Option, SettingsDocument, merge_settings_responses
from reconciler.zoom import (
    ENDPOINTS,
    Category,
    NotFound,
    ZoomAPIError,
    ZoomClient,
    is_paid_plan_only,
)
from reconciler.zoom.scim import Scim2ScopeMissing, is_missing_scope
from reconciler.zoom.types import SettingsOption

T = TypeVar("T")

# Per-object calls admitted at once, in seconds of the category's budget.
ADMITTED_SECONDS = 0.6

REFUSED_STATUSES = frozenset({400, 403, 404})
"""How Zoom turns down a read the app may not make: a missing scope (400 or 403, code 4711),
an Accounts API the account cannot use, or no such account."""


class LiveReader:
    """Reads what a `ReadRequest` asks for; `report` says what it cost."""

    def __init__(self, client: ZoomClient, on_progress: ProgressCallback | None = None) -> None:
        self._client = client
        self._tracker = ProgressTracker(on_progress)
        self._admitted = {
            category: asyncio.Semaphore(
                max(2, math.ceil(client.scheduler.budget(category).per_second * ADMITTED_SECONDS))
            )
            for category in Category
        }

    @property
    def report(self) -> ReadReport:
        return self._tracker.report

    async def read(self, request: ReadRequest) -> LiveState:
        """Everything the request asks for, as one consistent `LiveState`."""
        user_listings = [r for r in listing_reads(request) if r.kind is ReadKind.USERS]
        try:
            async with asyncio.TaskGroup() as running:
                users = running.create_task(self._users(request, user_listings))
                groups = running.create_task(self._groups(request))
                divisions = running.create_task(
                    self._listing(ReadKind.DIVISIONS, Read(ReadKind.DIVISIONS))
                )
                contacts = running.create_task(self._contact_groups(request))
                locks = running.create_task(self._account_lock_settings(request))
        except BaseExceptionGroup as failed:
            raise _first_error(failed) from None
        contact_groups = contacts.result()
        live_users = users.result()
        live_groups = await self._locks_over_users(request, live_users, groups.result())
        return LiveState(
            users=tuple(await self._primary_groups(request, live_users, live_groups)),
            groups=tuple(live_groups),
            divisions=tuple(convert.division(item) for item in divisions.result()),
            contact_groups=None if contact_groups is None else tuple(contact_groups),
            account_lock_settings=locks.result(),
        )

    # -- listings ------------------------------------------------------------------------

    async def _listing(self, kind: ReadKind, read: Read) -> list[Any]:
        """Every item of a listing, page after page."""
        params = None
        if read.status is not None:
            # The one profile field a listing returns on request: spares a `GET /users/{id}`
            # per user whose configuration writes only listed fields and custom attributes.
            params = {"status": read.status.value, "include_fields": "custom_attributes"}
        items: list[Any] = []
        self._tracker.listing_started(kind)
        try:
            async for page in self._client.pages(kind.operation, params=params):
                items.extend(page)
                self._tracker.called(kind, len(page))
        finally:
            self._tracker.listing_done(kind)
        return items

    async def _optional_listing(self, kind: ReadKind, *, optional: bool) -> list[Any] | None:
        """A listing, or None when the account's plan lacks it and the request can do without."""
        try:
            return await self._listing(kind, Read(kind))
        except ZoomAPIError as refused:
            if not (optional and is_paid_plan_only(refused)):
                raise
            self._tracker.unavailable(kind, refused.message)
            return None

    async def _users(self, request: ReadRequest, listings: Sequence[Read]) -> list[LiveUser]:
        found: dict[str, LiveUser] = {}
        pages = await _together(self._listing(ReadKind.USERS, r) for r in listings)
        for read, items in zip(listings, pages, strict=True):
            assert read.status is not None
            for item in items:
                live = convert.user(item, read.status)
                found.setdefault(live.key, live)  # moved between listings mid-read: first wins
        details = detail_reads(request, found.values())
        assistants = assistant_reads(request, found.values())
        self._tracker.expect(ReadKind.USER_DETAILS, len(details))
        self._tracker.expect(ReadKind.USER_ASSISTANTS, len(assistants))
        detailed, listed = await asyncio.gather(
            _together(self._one(r, self._user_detail) for r in details),
            _together(self._one(r, lambda r: self._assistants(found, r)) for r in assistants),
        )
        for read, detail in zip(details, detailed, strict=True):
            assert read.target is not None
            found[read.target] = convert.with_details(found[read.target], detail)
        for read, items in zip(assistants, listed, strict=True):
            assert read.target is not None
            found[read.target] = convert.with_assistants(found[read.target], items)
        own = user_settings_reads(request, found.values())
        self._tracker.expect(ReadKind.USER_SETTINGS, len(own))
        answers = await _together(self._one(r, self._user_settings(found)) for r in own)
        by_user: dict[str, list[tuple[Read, Any]]] = {}
        for read, answer in zip(own, answers, strict=True):
            assert read.target is not None
            by_user.setdefault(read.target, []).append((read, answer))
        for key, reads in by_user.items():
            found[key] = convert.with_user_settings(found[key], _merge_user_settings(reads))
        return list(found.values())

    async def _assistants(self, found: Mapping[str, LiveUser], read: Read) -> list[Any]:
        """The user's assistants; one deleted since the listing has none."""
        assert read.target is not None
        user_id = found[read.target].id or read.target
        try:
            return list(await self._client.list_user_assistants(user_id))
        except NotFound:
            return []

    def _user_settings(
        self, found: Mapping[str, LiveUser]
    ) -> Callable[[Read], Awaitable[Mapping[str, Any]]]:
        async def read_one(read: Read) -> Mapping[str, Any]:
            assert read.target is not None
            user_id = found[read.target].id
            assert user_id is not None
            option = SettingsOption(read.option) if read.option is not None else None
            try:
                return dict(await self._client.get_user_settings(user_id, option))
            except NotFound:  # deleted since the listing: nothing to compare
                return {}

        return read_one

    async def _user_detail(self, read: Read) -> Mapping[str, Any]:
        """The user's own record; one deleted since the listing keeps what the listing said."""
        assert read.target is not None
        try:
            return dict(await self._client.get_user(read.target))
        except NotFound:
            return {}

    async def _primary_groups(
        self, request: ReadRequest, users: list[LiveUser], groups: list[LiveGroup]
    ) -> list[LiveUser]:
        """The users, with the primary group of those `primary_group_reads` selects."""
        reads = primary_group_reads(request, users, groups)
        if not reads:
            return users
        self._tracker.expect(ReadKind.PRIMARY_GROUPS, len(reads))
        found = await _together(self._one(r, self._primary_group) for r in reads)
        primary = {read.target: group for read, group in zip(reads, found, strict=True)}
        return [
            replace(user, primary_group=primary[user.id]) if user.id in primary else user
            for user in users
        ]

    async def _primary_group(self, read: Read) -> str | None:
        """The user's primary group by name; `None` for a user deleted since the listing."""
        assert read.target is not None
        try:
            return (await self._client.get_scim2_user(read.target)).primary_group
        except NotFound:
            return None
        except ZoomAPIError as refused:
            if is_missing_scope(refused):
                raise Scim2ScopeMissing("policy.primary_groups: verify", refused) from None
            raise

    async def _groups(self, request: ReadRequest) -> list[LiveGroup]:
        found = await self._optional_listing(ReadKind.GROUPS, optional=request.groups_optional)
        items = found or []
        bare = [convert.group(item) for item in items]
        reads = group_reads(request, bare)
        for kind in (ReadKind.GROUP_SETTINGS, ReadKind.GROUP_LOCK_SETTINGS, ReadKind.GROUP_ADMINS):
            self._tracker.expect(kind, sum(1 for r in reads if r.kind is kind))
        results = await _together(self._one(r, self._group_read) for r in reads)
        by_group: dict[str, list[tuple[Read, Any]]] = {}
        for read, result in zip(reads, results, strict=True):
            assert read.target is not None
            by_group.setdefault(read.target, []).append((read, result))
        return [
            _group_with(item, request, group, by_group.get(group.id, []))
            for item, group in zip(items, bare, strict=True)
        ]

    async def _locks_over_users(
        self, request: ReadRequest, users: Sequence[LiveUser], groups: list[LiveGroup]
    ) -> list[LiveGroup]:
        """The lock settings of the groups of users whose own settings a lock may override."""
        reads = user_group_lock_reads(request, users, groups)
        if not reads:
            return groups
        self._tracker.expect(ReadKind.GROUP_LOCK_SETTINGS, len(reads))
        results = await _together(self._one(r, self._group_read) for r in reads)
        by_group: dict[str | None, list[tuple[Read, Any]]] = {}
        for read, result in zip(reads, results, strict=True):
            by_group.setdefault(read.target, []).append((read, result))
        return [
            replace(g, lock_settings=_merge(SettingsDocument.LOCK_SETTINGS, by_group[g.id]))
            if g.id in by_group
            else g
            for g in groups
        ]

    async def _group_read(self, read: Read) -> Any:
        assert read.target is not None
        option = SettingsOption(read.option) if read.option is not None else None
        if read.kind is ReadKind.GROUP_SETTINGS:
            return await self._client.get_group_settings(read.target, option)
        if read.kind is ReadKind.GROUP_LOCK_SETTINGS:
            return await self._client.get_group_lock_settings(read.target, option)
        return await self._client.list_group_admins(read.target)

    async def _contact_groups(self, request: ReadRequest) -> list[LiveContactGroup] | None:
        if not request.contact_groups:
            return None
        kind = ReadKind.CONTACT_GROUPS
        items = await self._optional_listing(kind, optional=request.contact_groups_optional)
        if items is None:
            return None
        bare = [convert.contact_group(item) for item in items]
        reads = contact_reads(request, bare)
        self._tracker.expect(ReadKind.CONTACT_GROUP_MEMBERS, len(reads))
        members = await _together(self._one(r, self._contact_members) for r in reads)
        by_id = {read.target: found for read, found in zip(reads, members, strict=True)}
        return [convert.contact_group(item, by_id.get(str(item["group_id"]))) for item in items]

    async def _contact_members(self, read: Read) -> list[Any]:
        assert read.target is not None
        return list(await self._client.list_contact_group_members(read.target))

    async def _account_lock_settings(self, request: ReadRequest) -> dict[str, Any] | None:
        """The account's locks, or None when not asked for or Zoom refuses them to this app."""
        reads = account_reads(request)
        if not reads:
            return None
        kind = ReadKind.ACCOUNT_LOCK_SETTINGS
        self._tracker.expect(kind, len(reads))
        try:
            found = await self._one(reads[0], lambda _: self._client.get_account_lock_settings())
        except ZoomAPIError as refused:
            if refused.status not in REFUSED_STATUSES:
                raise
            self._tracker.unavailable(kind, refused.message)
            return None
        return dict(found)

    # -- per-object calls ----------------------------------------------------------------

    async def _one(self, read: Read, run: Callable[[Read], Awaitable[T]]) -> T:
        """One per-object read, admitted with the others of its rate-limit category."""
        category = ENDPOINTS[read.kind.operation].category
        async with self._admitted[category]:
            result = await run(read)
        self._tracker.called(read.kind, _count(result))
        return result


def _first_error(failed: BaseExceptionGroup[BaseException]) -> BaseException:
    """The first real failure inside (possibly nested) task groups: what the caller handles."""
    error: BaseException = failed
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    return error


async def _together(calls: Iterable[Coroutine[Any, Any, T]]) -> list[T]:
    """Run concurrently; the first failure cancels the rest and is raised as itself."""
    try:
        async with asyncio.TaskGroup() as running:
            tasks = [running.create_task(call) for call in calls]
    except BaseExceptionGroup as failed:
        raise _first_error(failed) from None
    return [task.result() for task in tasks]


def _count(result: Any) -> int:
    return len(result) if isinstance(result, list) else 1


def _merge(document: SettingsDocument, reads: Sequence[tuple[Read, Any]]) -> dict[str, Any]:
    responses: dict[Option, Mapping[str, Any]] = {
        read.option: result if isinstance(result, Mapping) else {} for read, result in reads
    }
    return merge_settings_responses(document, responses)


def _merge_user_settings(reads: Sequence[tuple[Read, Any]]) -> dict[str, Any]:
    return _merge(SettingsDocument.USER_SETTINGS, reads)


def _group_with(
    item: Mapping[str, Any],
    request: ReadRequest,
    group: LiveGroup,
    reads: Sequence[tuple[Read, Any]],
) -> LiveGroup:
    """The listed group with whatever was read about it; unread parts stay None."""

    def of(kind: ReadKind) -> list[tuple[Read, Any]]:
        return [(read, result) for read, result in reads if read.kind is kind]

    settings = lock_settings = None
    admins = None
    if request.settings.selects(group):
        settings = _merge(SettingsDocument.SETTINGS, of(ReadKind.GROUP_SETTINGS))
    if request.lock_settings.selects(group):
        lock_settings = _merge(SettingsDocument.LOCK_SETTINGS, of(ReadKind.GROUP_LOCK_SETTINGS))
    if request.admins.selects(group):
        admins = [admin for _, found in of(ReadKind.GROUP_ADMINS) for admin in found]
    return convert.group(item, settings=settings, lock_settings=lock_settings, admins=admins)


async def read_live_state(
    client: ZoomClient,
    request: ReadRequest,
    on_progress: ProgressCallback | None = None,
) -> tuple[LiveState, ReadReport]:
    """Read the account; the report counts calls per kind for the caller's summary."""
    reader = LiveReader(client, on_progress)
    state = await reader.read(request)
    return state, reader.report
