"""Scheduling assistants: the exact set for each user that writes `assistants`.

Zoom wants both sides licensed and neither pending ("Can't find user"): a user or assistant
who is still an invitation is left for a later run, with a note.
"""

from __future__ import annotations

from reconciler.plan.changes import UserAssistantAdd, UserAssistantRemove
from reconciler.plan.desired import DesiredUser
from reconciler.plan.diff.state import DiffState, LiveStateIncomplete


def diff_assistants(state: DiffState) -> None:
    for user in state.desired.users:
        if user.assistants is None:
            continue
        email = user.email.lower()
        if email in state.protected or not state.user_exists(email):
            continue
        _diff_user(state, email, user)


def _diff_user(state: DiffState, email: str, user: DesiredUser) -> None:
    assert user.assistants is not None
    if state.user_is_pending(email):
        state.notes.append(
            f"user {email} is pending; its scheduling assistants are set once it accepts"
        )
        return
    found = state.live.user(email)
    user_id = None if found is None else found.id
    live: dict[str, str] = {}
    if found is not None and email not in state.created_users:
        if found.assistants is None:
            raise LiveStateIncomplete(f"the assistants of user {email} were not read")
        live = dict(found.assistants)
    wanted = dict.fromkeys(user.assistants)
    for assistant in wanted:
        if assistant in live:
            continue
        if state.user_is_pending(assistant):
            state.notes.append(
                f"assistant {assistant} of user {email} is pending; "
                "it can be made an assistant once it accepts"
            )
            continue
        state.changes.append(UserAssistantAdd(email=email, user_id=user_id, assistant=assistant))
    for assistant in sorted(set(live) - set(wanted)):
        state.changes.append(
            UserAssistantRemove(
                email=email,
                user_id=user_id,
                assistant=assistant,
                assistant_id=live[assistant] or None,
                clears=not wanted,
            )
        )
