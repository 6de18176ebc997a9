"""A user's licences and own settings, compared only where the configuration writes them.

Licences are compared in the configuration's terms (a capacity or `false`, `true`/`false`, a
plan). A user's own setting that a lock of one of their groups, or of the account, overrides
is still planned (Zoom stores it), with a note that it would not take effect.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from reconciler.model.features import FEATURES, FeatureValue
from reconciler.model.live import LiveUser
from reconciler.plan.changes import (
    LicenceChange,
    LockedSetting,
    UserFeaturesUpdate,
    UserSettingsUpdate,
)
from reconciler.plan.desired import DesiredUser
from reconciler.plan.diff.state import DiffState, LiveStateIncomplete
from reconciler.plan.settings import locked_at, settings_changes


def diff_user_settings(state: DiffState) -> None:
    """One `user_features` and one `user_settings` update per user at most."""
    for user in state.desired.users:
        email = user.email.lower()
        if user.features is None and user.settings is None:
            continue
        if email in state.protected or email in state.deleted_users:
            continue
        if state.user_is_pending(email):
            state.notes.append(
                f"user {email} has not accepted the invitation yet: its licences and settings"
                " are planned once it has"
            )
            continue
        found = state.live.user(email)
        if user.features is not None:
            _features(state, email, user.features, found)
        if user.settings is not None:
            _settings(state, email, user, found)


def _features(
    state: DiffState, email: str, wanted: Mapping[str, FeatureValue], found: LiveUser | None
) -> None:
    live: Mapping[str, Any] = {}
    if found is not None:
        if found.features is None:
            raise LiveStateIncomplete(f"the licences of user {email} were not read")
        live = found.features
    changes = [
        LicenceChange(name=name, old=old, new=new)
        for name, new in wanted.items()
        if (old := live.get(name, FEATURES[name].off)) != new
    ]
    if changes:
        state.changes.append(
            UserFeaturesUpdate(
                email=email, user_id=found.id if found else None, changes=tuple(changes)
            )
        )


def _settings(state: DiffState, email: str, user: DesiredUser, found: LiveUser | None) -> None:
    assert user.settings is not None
    live: Mapping[str, Any] = {}
    if found is not None:
        if found.settings is None:
            raise LiveStateIncomplete(f"the settings of user {email} were not read")
        live = found.settings
    changes = settings_changes(user.settings, live)
    if not changes:
        return
    locks = list(_locks_over(state, user, found))
    locked = tuple(
        LockedSetting(path=change.path, locked_by=owner)
        for change in changes
        for owner, held in locks
        if locked_at(held, change.path)
    )
    state.changes.append(
        UserSettingsUpdate(
            email=email, user_id=found.id if found else None, changes=changes, locked=locked
        )
    )


def _locks_over(
    state: DiffState, user: DesiredUser, found: LiveUser | None
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(whose lock, its lock settings): the account's, then each of the user's groups'.

    The groups are the configuration's for the user when it writes them, else the live ones;
    a group's locks are the live ones with the configuration's written over them, as they
    will be once the plan is applied."""
    if state.live.account_lock_settings:
        yield "the account", state.live.account_lock_settings
    declared = {group.name: group for group in state.desired.groups}
    if user.groups is not None:
        names = list(user.groups)
    else:
        names = [
            g.name for gid in (found.group_ids if found else ()) if (g := state.live.group(gid))
        ]
    for name in names:
        group_id = state.group_ids.get(name)
        live_group = state.live.group(group_id) if group_id else state.live.group_named(name)
        held: dict[str, Any] = {}
        if live_group is not None and live_group.lock_settings is not None:
            held = {
                k: dict(v) if isinstance(v, Mapping) else v
                for k, v in live_group.lock_settings.items()
            }
        written = declared[name].lock_settings if name in declared else None
        for section, values in (written or {}).items():
            if isinstance(values, Mapping):
                merged = dict(held.get(section) or {})
                merged.update(values)
                held[section] = merged
        if held:
            yield f"group {name}", held
