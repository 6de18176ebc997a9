"""A user's licences (`user_features`) and own settings (`user_settings`): both are written
through `PATCH /users/{userId}/settings`; licences may go through `POST /users/features` too."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from reconciler.model.features import FEATURES, FeatureValue
from reconciler.model.live import LiveObjectKind, LiveRef
from reconciler.plan.changes.base import (
    Action,
    Change,
    ChangeRef,
    FieldChange,
    JsonValue,
    Kind,
)
from reconciler.plan.changes.settings import SettingChange, SettingLeavesUpdate


class LicenceChange(BaseModel):
    """One licence's value before and after, in the configuration's terms (capacities as numbers)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    old: FeatureValue
    new: FeatureValue

    @property
    def removes(self) -> bool:
        """A licence taken away (not a capacity changed): safety caps count it as a removal."""
        return FEATURES[self.name].removes(self.old, self.new)


class UserFeaturesUpdate(Change):
    """A user's licences, all in one change; `bulk` names the one licence (if any) sent through
    `POST /users/features` with other users', the rest go in one PATCH of the user's settings."""

    kind = Kind.USER_FEATURES
    action = Action.UPDATE

    email: str
    user_id: str | None = None
    changes: tuple[LicenceChange, ...]
    bulk: str | None = None

    @property
    def key(self) -> str:
        return self.email.lower()

    @property
    def removals(self) -> int:
        return sum(1 for change in self.changes if change.removes)

    def fields(self) -> tuple[FieldChange, ...]:
        return tuple(FieldChange(field=c.name, old=c.old, new=c.new) for c in self.changes)

    def bulk_change(self) -> LicenceChange | None:
        return next((c for c in self.changes if c.name == self.bulk), None)

    def patch_body(self) -> dict[str, JsonValue]:
        """`PATCH /users/{userId}/settings` for the licences not sent in bulk ({} when none)."""
        feature: dict[str, JsonValue] = {}
        for change in self.changes:
            if change.name != self.bulk:
                feature.update(FEATURES[change.name].patch_fields(change.new))
        return {"feature": feature} if feature else {}

    def touches(self) -> tuple[LiveRef, ...]:
        return (LiveRef(LiveObjectKind.USER_FEATURES, self.key),)

    def depends_on(self) -> tuple[ChangeRef, ...]:
        # A new user, or one whose type becomes licensed, first.
        return (ChangeRef(kind=Kind.USER, key=self.key),)


class LockedSetting(BaseModel):
    """A user's setting that a lock above the user overrides: which one, and whose lock."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: tuple[str, ...]
    locked_by: str

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


class UserSettingsUpdate(SettingLeavesUpdate):
    """A user's own settings, only the leaves written; `locked` lists the ones a lock of the
    user's group (or the account) overrides, which would not take effect."""

    kind = Kind.USER_SETTINGS

    email: str
    user_id: str | None = None
    changes: tuple[SettingChange, ...]
    locked: tuple[LockedSetting, ...] = ()

    @property
    def key(self) -> str:
        return self.email.lower()

    def notes(self) -> tuple[str, ...]:
        return tuple(
            f"{lock.dotted} is locked by {lock.locked_by}: the user's own value would not take effect"
            for lock in self.locked
        )

    def touches(self) -> tuple[LiveRef, ...]:
        return (LiveRef(LiveObjectKind.USER_SETTINGS, self.key),)

    def depends_on(self) -> tuple[ChangeRef, ...]:
        return (ChangeRef(kind=Kind.USER, key=self.key),)
