"""Group settings and lock settings; the path-by-path comparison is `reconciler.plan.settings`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.model.live import LiveGroup
from reconciler.plan.changes import GroupLockSettingsUpdate, GroupSettingsUpdate
from reconciler.plan.diff.state import DiffState, LiveStateIncomplete
from reconciler.plan.settings import settings_changes


def diff_group_settings(state: DiffState) -> None:
    """Settings and lock settings, compared only along the paths written."""
    for group in state.desired.groups:
        group_id = state.group_ids[group.name]
        found = state.live.group(group_id) if group_id is not None else None
        if group.settings is not None:
            live_settings = _read(found, "settings", group.name)
            changes = settings_changes(
                group.settings, live_settings, state.live.account_lock_settings
            )
            if changes:
                state.changes.append(
                    GroupSettingsUpdate(group=group.name, group_id=group_id, changes=changes)
                )
        if group.lock_settings is not None:
            live_locks = _read(found, "lock_settings", group.name)
            changes = settings_changes(group.lock_settings, live_locks)
            if changes:
                state.changes.append(
                    GroupLockSettingsUpdate(group=group.name, group_id=group_id, changes=changes)
                )


def _read(found: LiveGroup | None, attribute: str, name: str) -> Mapping[str, Any]:
    if found is None:
        return {}
    value: Mapping[str, Any] | None = getattr(found, attribute)
    if value is None:
        raise LiveStateIncomplete(f"the {attribute} of group {name} were not read")
    return value
