"""A user's scheduling assistants: one `add` or `remove` per assistant (kind `user_assistant`).

The applier adds a user's new assistants in one POST (up to 30 a call), removes them one
DELETE each, or, when the configuration leaves the user none (`clears`), all in one DELETE.
"""

from __future__ import annotations

from reconciler.model.live import LiveRef
from reconciler.plan.changes.base import (
    Action,
    Change,
    ChangeRef,
    FieldChange,
    Kind,
    user_ref,
)


class UserAssistant(Change):
    """`assistant` (an email) as a scheduling assistant of `email`; ids `None` when not known."""

    kind = Kind.USER_ASSISTANT

    email: str
    user_id: str | None = None
    assistant: str
    assistant_id: str | None = None

    @property
    def key(self) -> str:
        return f"{self.email.lower()}/{self.assistant.lower()}"

    def fields(self) -> tuple[FieldChange, ...]:
        return ()

    def touches(self) -> tuple[LiveRef, ...]:
        return (user_ref(self.email),)


class UserAssistantAdd(UserAssistant):
    action = Action.ADD

    def depends_on(self) -> tuple[ChangeRef, ...]:
        """The user and the assistant first: created, or renamed to the emails used here."""
        return (
            ChangeRef(kind=Kind.USER, key=self.email.lower()),
            ChangeRef(kind=Kind.USER, key=self.assistant.lower()),
        )


class UserAssistantRemove(UserAssistant):
    action = Action.REMOVE

    clears: bool = False
    """Every assistant of the user goes: one DELETE /users/{userId}/assistants for all of them."""
