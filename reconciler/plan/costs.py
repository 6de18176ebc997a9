"""What each change costs: the requests the applier sends for it, one row per change type.

The plan's estimate counts from this table and the applier's dispatch batches by it, so what a
reviewed plan promises is what apply does. A row lists a change type's requests in the order
they are sent; each request names its operation (which fixes its endpoint and rate-limit
category, `reconciler.catalog`) and may be:
- conditional (`when`): the PATCH after POST /users for fields POST cannot take, `set_primary`
  after a group member add;
- repeated (`times`): one settings PATCH per `option` part the changed leaves fall in;
- batched (`batch`): changes with the same key share requests, `per_request` at a time (which
  may depend on the change: 50 contact-group users or 3 groups);
- carried (`carried_by`): the first batch rides in the request of a create in the same plan
  (a new contact group's first members travel in POST /contacts/groups).

A new kind of change is a new row here and an operation in the applier, nothing else.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from reconciler.catalog import ENDPOINTS, BatchLimit, Category, Operation
from reconciler.model.live import ContactMemberType
from reconciler.plan.changes import (
    Action,
    Change,
    ChangeRef,
    ContactGroupCreate,
    ContactGroupDelete,
    ContactGroupMemberAdd,
    ContactGroupMemberRemove,
    ContactGroupUpdate,
    DivisionCreate,
    DivisionDelete,
    DivisionMemberAdd,
    DivisionUpdate,
    GroupAdminAdd,
    GroupAdminRemove,
    GroupCreate,
    GroupDelete,
    GroupLockSettingsUpdate,
    GroupMemberAdd,
    GroupMemberRemove,
    GroupPrimarySet,
    GroupSettingsUpdate,
    GroupUpdate,
    Kind,
    SettingLeavesUpdate,
    SettingsUpdate,
    UserAssistantAdd,
    UserAssistantRemove,
    UserCreate,
    UserDelete,
    UserFeaturesUpdate,
    UserSettingsUpdate,
    UserUpdate,
)
from reconciler.plan.licences import bulk_key
from reconciler.schema.documents import SettingsDocument
from reconciler.schema.options import split_settings_by_option

C = TypeVar("C", bound=Change)

BatchKey = tuple[str, ...]

POST_USER_FIELDS = frozenset({"first_name", "last_name", "display_name"})
"""Profile fields POST /users takes; any other needs a PATCH after the create."""

CONTACT_MEMBERS_PER_REQUEST: Mapping[ContactMemberType, int] = {
    ContactMemberType.USER: BatchLimit.CONTACT_GROUP_USERS_ADD,
    ContactMemberType.GROUP: BatchLimit.CONTACT_GROUP_GROUPS_ADD,
}
"""Contact-group members Zoom takes in one request (an add, or the create), per member type."""


EVERY_ASSISTANT = 1_000_000
"""DELETE /users/{userId}/assistants takes away all of a user's assistants in one request."""


def _always(change: Any) -> bool:
    return True


def _once(change: Any) -> int:
    return 1


@dataclass(frozen=True)
class Request(Generic[C]):
    """One request a change makes; see the module docstring for the optional parts."""

    operation: Operation
    when: Callable[[C], bool] = _always
    times: Callable[[C], int] = _once
    batch: Callable[[C], BatchKey] | None = None
    per_request: Callable[[C], int] = _once
    carried_by: Callable[[C], ChangeRef] | None = None

    @property
    def category(self) -> Category:
        return ENDPOINTS[self.operation].category


def _limit(items: int) -> Callable[[Any], int]:
    return lambda change: items


def _settings_parts(document: SettingsDocument) -> Callable[[SettingLeavesUpdate], int]:
    """One PATCH per `option` part the changed leaves fall in (the applier splits the same way)."""
    return lambda change: len(split_settings_by_option(document, change.patch_body()))


def _single(operation: Operation) -> tuple[Request[Any], ...]:
    return (Request(operation),)


COSTS: Mapping[type[Change], tuple[Request[Any], ...]] = {
    UserCreate: (
        Request[UserCreate](Operation.CREATE_USER),
        Request[UserCreate](
            Operation.UPDATE_USER, when=lambda c: bool(set(c.profile) - POST_USER_FIELDS)
        ),
        Request[UserCreate](Operation.SET_USER_STATUS, when=lambda c: c.deactivate),
    ),
    UserUpdate: (
        Request[UserUpdate](Operation.UPDATE_USER_EMAIL, when=lambda c: c.renamed_from is not None),
        Request[UserUpdate](Operation.SET_USER_STATUS, when=lambda c: c.activates),
        Request[UserUpdate](Operation.UPDATE_USER, when=lambda c: bool(c.profile)),
        Request[UserUpdate](Operation.UPDATE_USER, when=lambda c: c.type is not None),
        Request[UserUpdate](Operation.SET_USER_STATUS, when=lambda c: c.deactivates),
    ),
    UserDelete: _single(Operation.DELETE_USER),
    UserAssistantAdd: (
        Request[UserAssistantAdd](
            Operation.ADD_USER_ASSISTANTS,
            batch=lambda c: ("user assistants", c.email.lower()),
            per_request=_limit(BatchLimit.USER_ASSISTANTS_ADD),
        ),
    ),
    UserAssistantRemove: (
        # When none are left, one DELETE of them all, however many; else one DELETE each.
        Request[UserAssistantRemove](
            Operation.DELETE_USER_ASSISTANTS,
            when=lambda c: c.clears,
            batch=lambda c: ("clear assistants", c.email.lower()),
            per_request=_limit(EVERY_ASSISTANT),
        ),
        Request[UserAssistantRemove](Operation.DELETE_USER_ASSISTANT, when=lambda c: not c.clears),
    ),
    GroupCreate: _single(Operation.CREATE_GROUP),
    GroupUpdate: _single(Operation.UPDATE_GROUP),
    GroupDelete: _single(Operation.DELETE_GROUP),
    GroupMemberAdd: (
        # Zoom places a user who has not accepted the invitation through PATCH /users.
        Request[GroupMemberAdd](Operation.UPDATE_USER, when=lambda c: c.user_pending),
        Request[GroupMemberAdd](
            Operation.ADD_GROUP_MEMBERS,
            when=lambda c: not c.user_pending,
            # A group's members share requests, but a group on a cycle of "joins its primary
            # group first" is split: its primary joiners go early, in requests of their own
            # that wait for no other group's (plan/diff/joining.py).
            batch=lambda c: ("group members", c.group, *(("early",) if c.early else ())),
            per_request=_limit(BatchLimit.GROUP_MEMBERS_ADD),
        ),
        Request[GroupMemberAdd](Operation.UPDATE_GROUP_MEMBER, when=lambda c: c.sets_primary),
    ),
    GroupMemberRemove: _single(Operation.REMOVE_GROUP_MEMBER),
    GroupPrimarySet: _single(Operation.UPDATE_GROUP_MEMBER),
    GroupAdminAdd: (
        Request[GroupAdminAdd](
            Operation.ADD_GROUP_ADMINS,
            batch=lambda c: ("group admins", c.group),
            per_request=_limit(BatchLimit.GROUP_ADMINS_ADD),
        ),
    ),
    GroupAdminRemove: _single(Operation.REMOVE_GROUP_ADMIN),
    GroupSettingsUpdate: (
        Request[SettingsUpdate](
            Operation.UPDATE_GROUP_SETTINGS, times=_settings_parts(SettingsDocument.SETTINGS)
        ),
    ),
    GroupLockSettingsUpdate: (
        Request[SettingsUpdate](
            Operation.UPDATE_GROUP_LOCK_SETTINGS,
            times=_settings_parts(SettingsDocument.LOCK_SETTINGS),
        ),
    ),
    DivisionCreate: _single(Operation.CREATE_DIVISION),
    DivisionUpdate: _single(Operation.UPDATE_DIVISION),
    DivisionDelete: _single(Operation.DELETE_DIVISION),
    DivisionMemberAdd: (
        Request[DivisionMemberAdd](
            Operation.ASSIGN_DIVISION_USERS,
            batch=lambda c: ("division users", c.division),
            per_request=_limit(BatchLimit.DIVISION_USERS_ASSIGN),
        ),
    ),
    ContactGroupCreate: _single(Operation.CREATE_CONTACT_GROUP),
    ContactGroupUpdate: _single(Operation.UPDATE_CONTACT_GROUP),
    ContactGroupDelete: _single(Operation.DELETE_CONTACT_GROUP),
    ContactGroupMemberAdd: (
        Request[ContactGroupMemberAdd](
            Operation.ADD_CONTACT_GROUP_MEMBERS,
            batch=lambda c: ("contact members", c.contact_group, c.member_type.value),
            per_request=lambda c: CONTACT_MEMBERS_PER_REQUEST[c.member_type],
            carried_by=lambda c: ChangeRef(kind=Kind.CONTACT_GROUP, key=c.contact_group),
        ),
    ),
    ContactGroupMemberRemove: (
        Request[ContactGroupMemberRemove](
            Operation.REMOVE_CONTACT_GROUP_MEMBERS,
            batch=lambda c: ("contact removals", c.contact_group),
            per_request=_limit(BatchLimit.CONTACT_GROUP_MEMBERS_REMOVE),
        ),
    ),
    # A licence routed to the bulk call (`reconciler.plan.licences`, at plan time) rides with
    # the other users' of the same value; the user's other licences go in one PATCH.
    UserFeaturesUpdate: (
        Request[UserFeaturesUpdate](
            Operation.UPDATE_USERS_FEATURES,
            when=lambda c: c.bulk is not None,
            batch=lambda c: ("user features", *(bulk_key(c) or ())),
            per_request=_limit(BatchLimit.USERS_FEATURES),
        ),
        Request[UserFeaturesUpdate](
            Operation.UPDATE_USER_SETTINGS, when=lambda c: bool(c.patch_body())
        ),
    ),
    UserSettingsUpdate: (
        Request[SettingLeavesUpdate](
            Operation.UPDATE_USER_SETTINGS, times=_settings_parts(SettingsDocument.USER_SETTINGS)
        ),
    ),
}
"""Every change type's requests, in the order the applier sends them."""


def requests_of(change: Change) -> Iterator[Request[Any]]:
    """The requests this change makes (those whose condition holds)."""
    return (r for r in COSTS[type(change)] if r.when(change))


def batched_request(change: Change) -> Request[Any] | None:
    """The request this change shares with others, if any (a change has at most one)."""
    return next((r for r in requests_of(change) if r.batch is not None), None)


def batch_key(change: Change) -> BatchKey | None:
    """Changes sharing a key travel in one request; None means the change goes alone."""
    request = batched_request(change)
    return None if request is None or request.batch is None else request.batch(change)


def batch_limit(change: Change) -> int:
    """How many changes of this one's batch fit in one request."""
    request = batched_request(change)
    return 1 if request is None else request.per_request(change)


@dataclass
class _Batch:
    operation: Operation
    per_request: int
    changes: int = 0
    carried: bool = False

    @property
    def requests(self) -> int:
        sent = max(0, self.changes - self.per_request) if self.carried else self.changes
        return math.ceil(sent / self.per_request)


def count_requests(changes: Iterable[Change]) -> Counter[Operation]:
    """The requests applying these changes makes, per operation, when every change succeeds."""
    changes = tuple(changes)
    creates = {c.ref for c in changes if c.action is Action.CREATE}
    counts: Counter[Operation] = Counter()
    batches: dict[BatchKey, _Batch] = {}
    for change in changes:
        for request in requests_of(change):
            if request.batch is None:
                counts[request.operation] += request.times(change)
                continue
            key = request.batch(change)
            batch = batches.setdefault(key, _Batch(request.operation, request.per_request(change)))
            batch.changes += 1
            if request.carried_by is not None and request.carried_by(change) in creates:
                batch.carried = True
    for batch in batches.values():
        counts[batch.operation] += batch.requests
    return +counts
