"""Changes to a group: the group itself, its members and admins, its settings and lock settings."""

from __future__ import annotations

from reconciler.model.live import LiveObjectKind, LiveRef
from reconciler.plan.changes.base import (
    Action,
    Change,
    ChangeRef,
    FieldChange,
    Kind,
    NamedCreate,
    NamedDelete,
    NamedExisting,
    group_ref,
    user_ref,
)
from reconciler.plan.changes.settings import SettingsUpdate


class GroupCreate(NamedCreate):
    kind = Kind.GROUP
    action = Action.CREATE
    name_kind = LiveObjectKind.GROUP_NAME

    def fields(self) -> tuple[FieldChange, ...]:
        return (FieldChange(field="name", new=self.name),)


class GroupUpdate(NamedExisting):
    """A rename, found through the group's pinned `id`."""

    kind = Kind.GROUP
    action = Action.UPDATE
    live_kind = LiveObjectKind.GROUP

    group_id: str
    old_name: str

    @property
    def live_id(self) -> str:
        return self.group_id

    def fields(self) -> tuple[FieldChange, ...]:
        return (FieldChange(field="name", old=self.old_name, new=self.name),)

    def touches(self) -> tuple[LiveRef, ...]:
        """The group, and the new name (which must still be free)."""
        return (*super().touches(), LiveRef(LiveObjectKind.GROUP_NAME, self.name))


class GroupDelete(NamedDelete):
    kind = Kind.GROUP
    action = Action.DELETE
    live_kind = LiveObjectKind.GROUP

    group_id: str
    total_members: int = 0

    @property
    def live_id(self) -> str:
        return self.group_id

    def fields(self) -> tuple[FieldChange, ...]:
        return (*super().fields(), FieldChange(field="total_members", old=self.total_members))


class Membership(Change):
    """A user in a group (as member or admin); ids are `None` for objects this plan creates."""

    group: str
    group_id: str | None = None
    email: str
    user_id: str | None = None

    @property
    def key(self) -> str:
        return f"{self.group}/{self.email.lower()}"

    def touches(self) -> tuple[LiveRef, ...]:
        return (group_ref(self.group_id, self.group), user_ref(self.email))

    def depends_on(self) -> tuple[ChangeRef, ...]:
        return (
            ChangeRef(kind=Kind.GROUP, key=self.group),
            ChangeRef(kind=Kind.USER, key=self.email.lower()),
        )


class GroupMemberAdd(Membership):
    """POST /groups/{id}/members (≤30 a call).

    Zoom makes a user's first group their primary one, so a user with no group yet joins the
    primary group first (`first_group`) and the other groups after it (`joins_after`): no
    request is spent on the primary group; groups on a cycle of such orders are split
    (`early`, plan/diff/joining.py). A user who already has a group gets PATCH set_primary.
    A pending user has no id: Zoom places pending users only through PATCH /users `group_id`.
    """

    kind = Kind.GROUP_MEMBER
    action = Action.ADD

    primary: bool = False
    user_pending: bool = False
    first_group: bool = False
    """The user has no group before this add: Zoom makes this one primary by itself."""
    joins_after: str | None = None
    """The user's primary group, which the user joins first (a user with no group yet)."""
    early: bool = False
    """A primary joiner of a group split in two requests (plan/diff/joining.py): this one goes
    in the early request, which waits for no other group's."""

    @property
    def sets_primary(self) -> bool:
        """Whether PATCH set_primary follows: a primary group joined by a user already in some."""
        return self.primary and not self.first_group and not self.user_pending

    def depends_on(self) -> tuple[ChangeRef, ...]:
        first = () if self.joins_after is None else (self.after_ref(self.joins_after, self.email),)
        return (*super().depends_on(), *first)

    @staticmethod
    def after_ref(group: str, email: str) -> ChangeRef:
        return ChangeRef(kind=Kind.GROUP_MEMBER, key=f"{group}/{email.lower()}")

    def fields(self) -> tuple[FieldChange, ...]:
        found = [
            FieldChange(field="group", new=self.group),
            FieldChange(field="user", new=self.email),
        ]
        if self.primary:
            found.append(FieldChange(field="primary", new=True))
        return tuple(found)


class GroupPrimarySet(Membership):
    """PATCH /groups/{id}/members/{id} `set_primary`: the user is a member; another group is primary.

    Planned only where the primary group was read (SCIM2, `policy.primary_groups: verify`).
    """

    kind = Kind.GROUP_MEMBER
    action = Action.UPDATE

    previous: str | None = None
    """The group that is primary now."""

    def fields(self) -> tuple[FieldChange, ...]:
        return (FieldChange(field="primary_group", old=self.previous, new=self.group),)


class GroupMemberRemove(Membership):
    kind = Kind.GROUP_MEMBER
    action = Action.REMOVE

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="group", old=self.group),
            FieldChange(field="user", old=self.email),
        )


class GroupAdminAdd(Membership):
    kind = Kind.GROUP_ADMIN
    action = Action.ADD

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="group", new=self.group),
            FieldChange(field="user", new=self.email),
        )

    def touches(self) -> tuple[LiveRef, ...]:
        return (*super().touches(), *_admins_ref(self.group_id))


class GroupAdminRemove(Membership):
    kind = Kind.GROUP_ADMIN
    action = Action.REMOVE

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="group", old=self.group),
            FieldChange(field="user", old=self.email),
        )

    def touches(self) -> tuple[LiveRef, ...]:
        return (*super().touches(), *_admins_ref(self.group_id))


def _admins_ref(group_id: str | None) -> tuple[LiveRef, ...]:
    return () if group_id is None else (LiveRef(LiveObjectKind.GROUP_ADMINS, group_id),)


class GroupSettingsUpdate(SettingsUpdate):
    kind = Kind.GROUP_SETTINGS

    def touches(self) -> tuple[LiveRef, ...]:
        if self.group_id is None:
            return (LiveRef(LiveObjectKind.GROUP_NAME, self.group),)
        return (LiveRef(LiveObjectKind.GROUP_SETTINGS, self.group_id),)


class GroupLockSettingsUpdate(SettingsUpdate):
    kind = Kind.GROUP_LOCK_SETTINGS

    def touches(self) -> tuple[LiveRef, ...]:
        if self.group_id is None:
            return (LiveRef(LiveObjectKind.GROUP_NAME, self.group),)
        return (LiveRef(LiveObjectKind.GROUP_LOCK_SETTINGS, self.group_id),)
