"""What every section of the differ shares: the working state of a run and the matching rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reconciler.model.enums import CreateAction
from reconciler.model.live import LiveState
from reconciler.plan.changes import Change
from reconciler.plan.desired import Desired, DesiredUser


class LiveStateIncomplete(ValueError):
    """The reader did not read something the configuration manages (a bug, not a user error)."""


@dataclass
class DiffState:
    """Working state of one diff run: the changes so far and what later steps need from them.

    Every section appends to `changes` and `notes` in turn, so the order of the sections in
    `diff` is the order of the changes.
    """

    desired: Desired
    live: LiveState
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    protected: frozenset[str] = frozenset()
    group_ids: dict[str, str | None] = field(default_factory=dict)
    """Declared group name -> live id (`None`: created by this plan)."""
    division_ids: dict[str, str | None] = field(default_factory=dict)
    created_users: dict[str, DesiredUser] = field(default_factory=dict)
    deleted_users: set[str] = field(default_factory=set)
    deleted_groups: set[str] = field(default_factory=set)
    """Live ids of groups this plan deletes."""
    moved_out: dict[str, set[str]] = field(default_factory=dict)
    """Live division id -> emails this plan moves to another division."""
    renamed: dict[str, str] = field(default_factory=dict)
    """New email -> live email of the users whose email this plan changes; `live` is the
    renamed view, in which they already carry the new one (see renames.py)."""

    # users -------------------------------------------------------------------------------

    def user_exists(self, email: str) -> bool:
        """Exists after this plan: live and not deleted by it, or created by it."""
        if email in self.deleted_users:
            return False
        return email in self.created_users or self.live.user(email) is not None

    def user_is_pending(self, email: str) -> bool:
        """Pending now, or created by invitation (`create_action: create`) in this plan."""
        created = self.created_users.get(email)
        if created is not None:
            return created.create_action is CreateAction.CREATE
        live = self.live.user(email)
        return live is not None and live.is_pending


def lowercase(emails: Iterable[str]) -> set[str]:
    """Emails are compared lowercased, as `LiveUser.key` is."""
    return {e.lower() for e in emails}


def match_live(pinned: str | None, name: str, by_id: Any, by_name: Any) -> Any:
    """A pinned `id` wins (so a changed name is a rename); otherwise match by name."""
    if pinned is not None:
        found = by_id(pinned)
        if found is not None:
            return found
    return by_name(name)


def name_is_free(state: DiffState, label: str, found: Any, holder: Any, name: str) -> bool:
    """Whether a pinned object can take `name`: not if another live object holds it."""
    if holder is None or holder.id == found.id:
        return True
    state.notes.append(
        f"{label} {found.name} is not renamed to {name}: another {label} has that name; "
        "rename or delete that one first"
    )
    return False


def group_target(state: DiffState, name: str) -> tuple[bool, str | None]:
    """(known, live id) of a group named by a member list: declared, or live and kept."""
    if name in state.group_ids:
        return True, state.group_ids[name]
    found = state.live.group_named(name)
    if found is None or found.id in state.deleted_groups:
        return False, None
    return True, found.id
