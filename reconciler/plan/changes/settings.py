"""Settings changes: the written leaves only, nested like Zoom's PATCH body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from reconciler.plan.changes.base import Action, Change, ChangeRef, FieldChange, JsonValue, Kind


class SettingChange(BaseModel):
    """One settings leaf (a scalar or a list) by its path of keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: tuple[str, ...]
    old: JsonValue = None
    new: JsonValue = None
    old_present: bool = True
    locked_above: bool = False
    """True when a lock above this level (the account's lock settings) would override the value."""

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def _nest(changes: tuple[SettingChange, ...], new: bool) -> dict[str, JsonValue]:
    tree: dict[str, JsonValue] = {}
    for change in changes:
        node = tree
        for part in change.path[:-1]:
            node = node.setdefault(part, {})
        node[change.path[-1]] = change.new if new else change.old
    return tree


class SettingLeavesUpdate(Change):
    """PATCH of the written settings leaves only, a group's or a user's; `before`/`after` are
    nested like Zoom's body."""

    action = Action.UPDATE

    if TYPE_CHECKING:  # each subclass declares it after its own key fields (plan-file order)
        changes: tuple[SettingChange, ...]

    def fields(self) -> tuple[FieldChange, ...]:
        return tuple(FieldChange(field=c.dotted, old=c.old, new=c.new) for c in self.changes)

    def before(self) -> dict[str, JsonValue] | None:
        return _nest(tuple(c for c in self.changes if c.old_present), new=False)

    def after(self) -> dict[str, JsonValue] | None:
        return _nest(self.changes, new=True)

    def patch_body(self) -> dict[str, JsonValue]:
        """The nested body to PATCH (before any split by Zoom's `option` variants)."""
        return _nest(self.changes, new=True)


class SettingsUpdate(SettingLeavesUpdate):
    """A group's settings or lock settings."""

    group: str
    group_id: str | None = None
    changes: tuple[SettingChange, ...]

    @property
    def key(self) -> str:
        return self.group

    def notes(self) -> tuple[str, ...]:
        return tuple(
            f"{c.dotted} is locked at the account level; the account's value wins"
            for c in self.changes
            if c.locked_above
        )

    def depends_on(self) -> tuple[ChangeRef, ...]:
        return (ChangeRef(kind=Kind.GROUP, key=self.group),)
