"""Primary groups, where they were read (SCIM2; `policy.primary_groups: verify`).

The v2 API does not say which group is a user's primary one, so by default (`trust`) the
differ sets it only when it adds the user to that group. With `verify`, the reader fills
`LiveUser.primary_group` for managed users in two or more managed groups, and a wrong one is a
`GroupPrimarySet` here. A user whose primary group is also added by this plan is left to
`GroupMemberAdd`, which sets it.
"""

from __future__ import annotations

from reconciler.plan.changes import GroupPrimarySet
from reconciler.plan.diff.state import DiffState, group_target


def diff_primary_groups(state: DiffState) -> None:
    """A `set_primary` for each member whose read primary group is not the configuration's."""
    _, _, primary = state.desired.memberships()
    for email, group in sorted(primary.items()):
        if email in state.protected or email in state.deleted_users:
            continue
        user = state.live.user(email)
        if user is None or user.primary_group is None:
            continue
        known, group_id = group_target(state, group)
        if not known or group_id is None or group_id not in user.group_ids:
            continue  # not a member yet: the member add makes it primary
        now = state.live.group_named(user.primary_group)
        if now is not None and now.id == group_id:
            continue  # compared by id: a group this plan renames is still the same group
        state.changes.append(
            GroupPrimarySet(
                group=group,
                group_id=group_id,
                email=email,
                user_id=user.id,
                previous=user.primary_group,
            )
        )
