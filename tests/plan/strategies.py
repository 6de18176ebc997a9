"""Hypothesis strategies: random live accounts and random desired states over shared name pools,
so that they overlap (matches, renames through pinned ids, creates, deletes) often enough."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from reconciler.model.enums import CreateAction, UserPrune, UserStatus
from reconciler.model.live import (
    ContactMemberType,
    LiveContactGroup,
    LiveContactMember,
    LiveDivision,
    LiveGroup,
    LiveState,
    LiveUser,
    ZoomUserStatus,
)
from reconciler.plan.desired import (
    Desired,
    DesiredContactGroup,
    DesiredDivision,
    DesiredGroup,
    DesiredPolicy,
    DesiredUser,
)

EMAILS = [f"user{i}@acme.example" for i in range(7)]
GROUPS = ["Developers", "Sales", "Support", "Ops"]
FRESH_GROUPS = ["Platform", "Growth"]
DIVISIONS = ["Engineering", "Field", "Back Office"]
FRESH_DIVISIONS = ["Research"]
CONTACTS = ["Office A", "Office B"]
FRESH_CONTACTS = ["Office C"]
MAIN = "Main"

FIRST_NAMES = st.sampled_from(["Ann", "Bob", "Cy"])
DEPTS = st.sampled_from(["Eng", "Sales", ""])

SETTINGS: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {},
    optional={
        "in_meeting": st.fixed_dictionaries(
            {},
            optional={
                "chat": st.booleans(),
                "breakout_room": st.booleans(),
                "who_can_share_screen": st.sampled_from(["host", "all"]),
                "breakout_room_schedule": st.fixed_dictionaries(
                    {}, optional={"enable": st.booleans(), "rooms": st.integers(0, 3)}
                ),
            },
        ),
        "recording": st.fixed_dictionaries(
            {},
            optional={
                "cloud_recording": st.booleans(),
                "recording_audio_file": st.booleans(),
                "formats": st.lists(st.sampled_from(["mp4", "m4a", "txt"]), max_size=3),
            },
        ),
        "meeting_security": st.fixed_dictionaries(
            {}, optional={"waiting_room": st.booleans(), "password_length": st.integers(6, 10)}
        ),
    },
)
LOCKS: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {},
    optional={
        "in_meeting": st.fixed_dictionaries(
            {}, optional={"chat": st.booleans(), "breakout_room": st.booleans()}
        ),
        "recording": st.fixed_dictionaries({}, optional={"cloud_recording": st.booleans()}),
    },
)


def subset(items: list[str]) -> st.SearchStrategy[list[str]]:
    return (
        st.lists(st.sampled_from(items), unique=True, max_size=len(items)) if items else st.just([])
    )


@st.composite
def live_states(draw: st.DrawFn) -> LiveState:
    divisions = [LiveDivision("d-main", MAIN, None, is_main=True)]
    divisions += [
        LiveDivision(f"d-{name}", name, draw(st.sampled_from([None, "old text"])))
        for name in draw(subset(DIVISIONS))
    ]
    group_names = draw(subset(GROUPS))
    group_ids = [f"g-{name}" for name in group_names]
    users = []
    for index, email in enumerate(draw(subset(EMAILS))):
        status = draw(st.sampled_from(list(ZoomUserStatus)))
        users.append(
            LiveUser(
                email=email.upper() if draw(st.booleans()) else email,
                status=status,
                type=draw(st.sampled_from([1, 2, 4])),
                id=None if status is ZoomUserStatus.PENDING else f"u-{index}",
                role_id=draw(st.sampled_from(["0", "1", "2", "2"])),
                profile=draw(
                    st.fixed_dictionaries({}, optional={"first_name": FIRST_NAMES, "dept": DEPTS})
                ),
                group_ids=tuple(draw(subset(group_ids))),
                division_ids=(draw(st.sampled_from([d.id for d in divisions])),),
            )
        )
    admin_pool = [u.key for u in users if not u.is_pending]
    groups = [
        LiveGroup(
            id=f"g-{name}",
            name=name,
            settings=draw(SETTINGS),
            lock_settings=draw(LOCKS),
            admins=frozenset(draw(subset(admin_pool))),
        )
        for name in group_names
    ]
    member_pool = [(ContactMemberType.USER, u.id) for u in users if u.id is not None]
    member_pool += [(ContactMemberType.GROUP, g) for g in group_ids]
    contacts = []
    for name in draw(subset(CONTACTS)):
        chosen = draw(st.lists(st.sampled_from(member_pool), unique=True)) if member_pool else []
        contacts.append(
            LiveContactGroup(
                id=f"c-{name}",
                name=name,
                privacy=draw(st.sampled_from([1, 2, 3])),
                description=draw(st.sampled_from([None, "desk"])),
                members=frozenset(LiveContactMember(t, i) for t, i in chosen),
            )
        )
    return LiveState(
        users=tuple(users),
        groups=tuple(groups),
        divisions=tuple(divisions),
        contact_groups=tuple(contacts),
        account_lock_settings=draw(st.none() | LOCKS),
    )


def _pinned(
    draw: st.DrawFn, live_names: list[str], fresh: list[str], prefix: str
) -> list[tuple[str, str | None]]:
    """Declared (name, id) pairs: by name, and sometimes a live object renamed through its id."""
    declared: list[tuple[str, str | None]] = [(n, None) for n in draw(subset(live_names + fresh))]
    taken = {n for n, _ in declared}
    unused = [n for n in live_names if n not in taken]
    free = [n for n in fresh if n not in taken]
    rename = draw(st.booleans())
    if unused and free and rename:
        declared.append((free[0], f"{prefix}-{draw(st.sampled_from(unused))}"))
    return declared


@st.composite
def desired_states(draw: st.DrawFn, live: LiveState) -> Desired:
    live_group_names = [g.name for g in live.groups]
    live_division_names = [d.name for d in live.divisions if not d.is_main]
    contacts = live.contact_groups or ()
    group_decls = _pinned(draw, live_group_names, FRESH_GROUPS, "g")
    division_decls = _pinned(draw, live_division_names, FRESH_DIVISIONS, "d")
    contact_decls = _pinned(draw, [c.name for c in contacts], FRESH_CONTACTS, "c")
    group_names = [n for n, _ in group_decls]
    user_emails = draw(subset(EMAILS))

    optional_list = st.none() | subset(EMAILS)
    groups = tuple(
        DesiredGroup(
            name=name,
            id=pin,
            members=None if (ms := draw(st.none() | subset(EMAILS))) is None else tuple(ms),
            admins=None if (a := draw(optional_list)) is None else tuple(a),
            settings=draw(st.none() | SETTINGS),
            lock_settings=draw(st.none() | LOCKS),
        )
        for name, pin in group_decls
    )
    divisions = tuple(
        DesiredDivision(
            name=name,
            id=pin,
            description=draw(st.sampled_from([None, "new text"])),
            members=None if (dm := draw(st.none() | subset(EMAILS[4:]))) is None else tuple(dm),
        )
        for name, pin in division_decls
    )
    division_choices = [n for n, _ in division_decls] + [MAIN]
    users = tuple(
        DesiredUser(
            email=email,
            profile=draw(
                st.fixed_dictionaries({}, optional={"first_name": FIRST_NAMES, "dept": DEPTS})
            ),
            type=draw(st.sampled_from([None, 1, 2, 4])),
            status=draw(st.sampled_from([None, *UserStatus])),
            create_action=draw(st.sampled_from(list(CreateAction))),
            groups=None if (g := draw(st.none() | subset(group_names))) is None else tuple(g),
            division=draw(st.sampled_from([None, *division_choices])),
        )
        for email in user_emails
    )
    contact_groups = tuple(
        DesiredContactGroup(
            name=name,
            id=pin,
            privacy=draw(st.sampled_from([None, 1, 2, 3])),
            description=draw(st.sampled_from([None, "desk", "floor"])),
            member_users=None if (m := draw(st.none() | subset(EMAILS))) is None else tuple(m),
            member_groups=None
            if (mg := draw(st.none() | subset(group_names))) is None
            else tuple(mg),
        )
        for name, pin in contact_decls
    )
    policy = DesiredPolicy(
        prune_users=draw(st.sampled_from(list(UserPrune))),
        prune_groups=draw(st.booleans()),
        prune_divisions=draw(st.booleans()),
        prune_contact_groups=draw(st.booleans()),
        prune_group_members=draw(st.booleans()),
        protected_users=frozenset(draw(subset(EMAILS[:3]))),
    )
    return Desired(
        users=users,
        groups=groups,
        divisions=divisions,
        contact_groups=contact_groups,
        policy=policy,
    )
