"""Changes to a user: create (POST /users), update (profile, type, status) and delete."""

from __future__ import annotations

from pydantic import Field

from reconciler.model.enums import CreateAction
from reconciler.model.live import LiveRef
from reconciler.plan.changes.base import (
    Action,
    Bucket,
    Change,
    DeleteMode,
    FieldChange,
    JsonValue,
    Kind,
    readable_field,
    readable_value,
    user_ref,
    user_type_name,
)


class UserCreate(Change):
    """POST /users with the chosen `action`; the profile fields POST cannot take follow as a PATCH,
    and `deactivate` as a PUT /status.

    A password (autoCreate) is never recorded here: only that one is set.
    """

    kind = Kind.USER
    action = Action.CREATE

    email: str
    create_action: CreateAction
    type: int
    profile: dict[str, JsonValue] = Field(default_factory=dict)
    password_set: bool = False
    deactivate: bool = False
    """Deactivate right after creating (only for actions that create an active user)."""

    @property
    def key(self) -> str:
        return self.email.lower()

    def fields(self) -> tuple[FieldChange, ...]:
        found = [
            FieldChange(field="create_action", new=self.create_action),
            FieldChange(field="type", new=user_type_name(self.type)),
        ]
        found += [
            FieldChange(field=k, new=readable_value(k, v)) for k, v in sorted(self.profile.items())
        ]
        if self.password_set:
            found.append(FieldChange(field="password", new="(set)"))
        if self.deactivate:
            found.append(FieldChange(field="status", new="inactive"))
        return tuple(found)

    def touches(self) -> tuple[LiveRef, ...]:
        return (user_ref(self.email),)


class UserUpdate(Change):
    """Email, profile fields, type and status of one user, kept apart because Zoom needs them apart.

    The applier changes the email first (PUT /email: the user is pinned by id and `renamed_from`
    is its live email), then sends the profile fields in one PATCH, the type in a PATCH of its
    own (Zoom refuses `type` together with other plan fields), and the status through PUT
    /status. Deactivation counts as a delete in the summary; a renamed user's deactivation
    runs after the rest of its update, in the applier's destructive stage.
    """

    kind = Kind.USER
    action = Action.UPDATE

    email: str
    user_id: str | None = None
    pending: bool = False
    profile: tuple[FieldChange, ...] = ()
    type: FieldChange | None = None
    status: FieldChange | None = None
    renamed_from: str | None = None
    """The live email of a user whose email this change changes to `email`."""

    @property
    def key(self) -> str:
        return self.email.lower()

    @property
    def deactivates(self) -> bool:
        return self.status is not None and self.status.new == "inactive"

    @property
    def activates(self) -> bool:
        return self.status is not None and self.status.new == "active"

    @property
    def bucket(self) -> Bucket:
        return Bucket.DELETE if self.deactivates else Bucket.UPDATE

    def fields(self) -> tuple[FieldChange, ...]:
        found = [readable_field(f) for f in self.profile]
        if self.renamed_from is not None:
            found.insert(0, FieldChange(field="email", old=self.renamed_from, new=self.key))
        if self.type is not None:
            found.append(readable_field(self.type))
        if self.status is not None:
            found.append(self.status)
        return tuple(found)

    def before(self) -> dict[str, JsonValue] | None:
        return {f.field: f.old for f in self.fields()}

    def after(self) -> dict[str, JsonValue] | None:
        return {f.field: f.new for f in self.fields()}

    def touches(self) -> tuple[LiveRef, ...]:
        """The user; a renamed one under its live email, and the new email (which must stay free)."""
        if self.renamed_from is not None:
            return (user_ref(self.renamed_from), user_ref(self.email))
        return (user_ref(self.email),)


class UserDelete(Change):
    """DELETE /users/{id}; pending users can only be disassociated (their invitation withdrawn)."""

    kind = Kind.USER
    action = Action.DELETE

    email: str
    user_id: str | None = None
    mode: DeleteMode
    status: str
    type: int

    @property
    def key(self) -> str:
        return self.email.lower()

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="status", old=self.status),
            FieldChange(field="type", old=user_type_name(self.type)),
            FieldChange(field="delete_action", old=self.mode.value),
        )

    def before(self) -> dict[str, JsonValue] | None:
        return {"status": self.status, "type": user_type_name(self.type), "action": self.mode.value}

    def touches(self) -> tuple[LiveRef, ...]:
        return (user_ref(self.email),)
