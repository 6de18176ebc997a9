"""Changes to a division: create, rename or describe, delete, and moving a user into it."""

from __future__ import annotations

from reconciler.model.live import LiveObjectKind, LiveRef
from reconciler.plan.changes.base import (
    Action,
    Change,
    ChangeRef,
    FieldChange,
    JsonValue,
    Kind,
    NamedCreate,
    NamedDelete,
    NamedExisting,
    division_ref,
    user_ref,
)


class DivisionCreate(NamedCreate):
    kind = Kind.DIVISION
    action = Action.CREATE
    name_kind = LiveObjectKind.DIVISION_NAME

    description: str | None = None

    def fields(self) -> tuple[FieldChange, ...]:
        found = [FieldChange(field="name", new=self.name)]
        if self.description is not None:
            found.append(FieldChange(field="description", new=self.description))
        return tuple(found)


class DivisionUpdate(NamedExisting):
    """A rename (through a pinned `id`) and/or a new description."""

    kind = Kind.DIVISION
    action = Action.UPDATE
    live_kind = LiveObjectKind.DIVISION

    division_id: str
    changes: tuple[FieldChange, ...]

    @property
    def live_id(self) -> str:
        return self.division_id

    def fields(self) -> tuple[FieldChange, ...]:
        return self.changes


class DivisionDelete(NamedDelete):
    """Only for undeclared divisions that are empty once this plan's own moves are done."""

    kind = Kind.DIVISION
    action = Action.DELETE
    live_kind = LiveObjectKind.DIVISION

    division_id: str

    @property
    def live_id(self) -> str:
        return self.division_id


class DivisionMemberAdd(Change):
    """POST /divisions/{id}/users: a user belongs to one division, so adding moves them.

    Zoom has no unassign endpoint; leaving a division means joining another (the main one).
    """

    kind = Kind.DIVISION_MEMBER
    action = Action.ADD

    division: str
    division_id: str | None = None
    email: str
    user_id: str | None = None
    previous: str | None = None

    @property
    def key(self) -> str:
        return f"{self.division}/{self.email.lower()}"

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="division", old=self.previous, new=self.division),
            FieldChange(field="user", new=self.email),
        )

    def before(self) -> dict[str, JsonValue] | None:
        return None if self.previous is None else {"division": self.previous}

    def touches(self) -> tuple[LiveRef, ...]:
        return (division_ref(self.division_id, self.division), user_ref(self.email))

    def depends_on(self) -> tuple[ChangeRef, ...]:
        return (
            ChangeRef(kind=Kind.DIVISION, key=self.division),
            ChangeRef(kind=Kind.USER, key=self.email.lower()),
        )
