"""The differ: (desired, live) -> typed changes and notes. Pure: no client, no I/O, no clock.

How the pieces fit: `diff` makes one `DiffState` (`state.py`) and hands it to each section in
turn; a section appends its changes and notes and records what later sections need. The order
is fixed, because each step reads what the steps before it recorded, and it is the order of the
changes returned (`build_plan` then orders them for applying):

0. `renames.find_renames`: users pinned by `id` whose email changes (a pin it cannot honour
   stops the diff); the sections below see the live account with the new emails already in
   place (`renames.renamed_view`).
1. `divisions.diff_divisions`: division create/update; declared division ids.
2. `groups.diff_groups`: group create/rename/delete; declared group ids, deleted groups.
3. `users.diff_users`: user create/update; users this plan creates.
4. `users.prune_users`: user deactivate/delete; users this plan deletes.
4a. `assistants.diff_assistants`: scheduling assistants of users that write `assistants`.
5. `divisions.diff_division_members`: moves, for users that exist after steps 3-4; who leaves.
6. `divisions.prune_divisions`: deletes divisions that the moves and deletions leave empty.
7. `groups.diff_group_members` and 8. `groups.diff_group_admins`: against steps 2-4.
9. `group_settings.diff_group_settings`: settings and lock settings of declared groups.
9a. `user_settings.diff_user_settings`: users' licences and own settings, with a note for a
    setting a lock of the user's group (or the account) overrides.
10. `contacts.diff_contact_groups`: contact groups and their members, naming users and groups
    as steps 2-4 leave them.

Before step 1, `plan.ownership.apply_ownership` takes out what an identity provider owns
(its users' fields, its groups' membership, users it has not created yet), so no step asks.
After step 7, `primary.diff_primary_groups` fixes primary groups read through SCIM2
(`policy.primary_groups: verify`).

Rules it keeps (see docs/plan.md):
- unwritten means unmanaged; settings are compared only along the paths written;
- protected users (and the account owner, when pruning) never appear in any change;
- pending users have no id: their profile and type can change and they can be placed in and
  removed from groups (by email) and divisions, but they cannot be activated, deactivated,
  made admins or added to contact groups until they accept their invitation; a note says so;
- objects this plan deletes take their memberships with them, so no removal is planned for them;
- a division is deleted only if it is empty once this plan's own moves are done, and a contact
  group keeps at least one member (Zoom refuses to remove the last).
"""

from __future__ import annotations

from reconciler.model.live import LiveState
from reconciler.plan.changes import Change
from reconciler.plan.desired import Desired
from reconciler.plan.diff.assistants import diff_assistants
from reconciler.plan.diff.contacts import diff_contact_groups
from reconciler.plan.diff.divisions import (
    diff_division_members,
    diff_divisions,
    prune_divisions,
)
from reconciler.plan.diff.group_settings import diff_group_settings
from reconciler.plan.diff.groups import diff_group_admins, diff_group_members, diff_groups
from reconciler.plan.diff.primary import diff_primary_groups
from reconciler.plan.diff.renames import find_renames, renamed_view
from reconciler.plan.diff.state import DiffState, LiveStateIncomplete, lowercase
from reconciler.plan.diff.user_settings import diff_user_settings
from reconciler.plan.diff.users import BASIC_TYPE, diff_users, prune_users
from reconciler.plan.ownership import apply_ownership, waiting_for_identity_provider
from reconciler.plan.plan import Plan, make_plan

__all__ = ["BASIC_TYPE", "LiveStateIncomplete", "build_plan", "diff", "find_renames"]


def diff(desired: Desired, live: LiveState) -> tuple[list[Change], list[str]]:
    """Every change that brings `live` to `desired`, and notes on what is deliberately left."""
    owned = apply_ownership(desired, live)
    desired = owned.desired
    pins = find_renames(desired, live)
    state = DiffState(
        desired=desired,
        live=renamed_view(live, pins.renames),
        protected=frozenset(lowercase(desired.policy.protected_users)) | pins.protected,
        renamed={new: old for old, new in pins.renames.items()},
        notes=pins.notes(),
    )
    diff_divisions(state)
    diff_groups(state)
    diff_users(state)
    prune_users(state)
    diff_assistants(state)
    diff_division_members(state)
    prune_divisions(state)
    diff_group_members(state)
    diff_primary_groups(state)
    diff_group_admins(state)
    diff_group_settings(state)
    diff_user_settings(state)
    diff_contact_groups(state)
    state.notes += [
        f"user {email} is waiting for the identity provider: its groups, division and roles "
        "are applied once the identity provider creates it"
        for email in owned.waiting
    ]
    return state.changes, state.notes


def build_plan(desired: Desired, live: LiveState) -> Plan:
    """The ordered, fingerprinted Plan from `desired` to `live`."""
    changes, notes = diff(desired, live)
    return make_plan(changes, live, notes, waiting_for_identity_provider(desired, live))
