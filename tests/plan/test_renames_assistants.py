"""The differ on email changes (plan/diff/renames.py) and scheduling assistants, pure: no sandbox.

Each case is a live account, a configuration and the exact changes (kind, action, key, what
they carry) the plan must hold; the property at the end renames users at random and checks that
nothing but the email changes follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciler.errors import PlanConflictError
from reconciler.model.enums import UserPrune, UserStatus
from reconciler.model.live import LiveGroup, LiveState, LiveUser, ZoomUserStatus
from reconciler.plan.changes import (
    Change,
    ChangeRef,
    Kind,
    UserAssistantAdd,
    UserAssistantRemove,
    UserUpdate,
)
from reconciler.plan.desired import Desired, DesiredGroup, DesiredPolicy, DesiredUser
from reconciler.plan.diff import build_plan
from reconciler.plan.diff.renames import read_pins

ACTIVE, PENDING = ZoomUserStatus.ACTIVE, ZoomUserStatus.PENDING
LICENSED = 2
SALES = LiveGroup("g-sales", "Sales")


def user(email: str, user_id: str | None, **kw: object) -> LiveUser:
    status = PENDING if user_id is None else ACTIVE
    return LiveUser(email, status, LICENSED, user_id, **kw)  # type: ignore[arg-type]


ANN = user("ann@acme.example", "A1", assistants={})
BOB = user("bob@acme.example", "B1", assistants={})
CAT = user("cat@acme.example", "C1", assistants={})
DAN = user("dan@acme.example", "D1", assistants={"cat@acme.example": "C1"})
PEN = user("pen@acme.example", None)
LIVE = LiveState(users=(ANN, BOB, CAT, DAN, PEN), groups=(SALES,))

DEACTIVATE = DesiredPolicy(prune_users=UserPrune.DEACTIVATE)


@dataclass(frozen=True)
class Case:
    name: str
    users: tuple[DesiredUser, ...]
    want: set[tuple[str, str, str]]
    policy: DesiredPolicy = field(default_factory=lambda: DEACTIVATE)
    notes: tuple[str, ...] = ()


def rest_of(*emails: str) -> tuple[DesiredUser, ...]:
    """The other live users, declared as they are (so prune leaves them)."""
    return tuple(DesiredUser(at(e)) for e in ("ann", "bob", "cat", "dan", "pen") if e not in emails)


def at(email: str) -> str:
    return f"{email}@acme.example"


CASES = [
    Case(
        "a rename with a membership added under the new email",
        (DesiredUser(at("ann.lee"), id="A1", groups=("Sales",)), *rest_of("ann")),
        {("user", "update", at("ann.lee")), ("group_member", "add", f"Sales/{at('ann.lee')}")},
    ),
    Case(
        "a rename plus a deactivation: one update",
        (DesiredUser(at("ann.lee"), id="A1", status=UserStatus.INACTIVE), *rest_of("ann")),
        {("user", "update", at("ann.lee"))},
    ),
    Case(
        "a pinned user whose email is unchanged: nothing",
        (DesiredUser(at("ann"), id="A1"), *rest_of("ann")),
        set(),
    ),
    Case(
        "a pin on a protected user (protected by its old email): nothing at all",
        (DesiredUser(at("ann.lee"), id="A1", groups=("Sales",)), *rest_of("ann")),
        set(),
        replace(DEACTIVATE, protected_users=frozenset({at("ann")})),
    ),
    Case(
        "a pinned id the account does not have, email live: matched by email, with a note",
        (DesiredUser(at("ann"), id="GONE", profile={"dept": "Ops"}), *rest_of("ann")),
        {("user", "update", at("ann"))},
        notes=(
            f"1 pinned user(s) are not in the account under their id ({at('ann')}): they are "
            "matched by email instead, and created if missing; correct or remove the id",
        ),
    ),
    Case(
        "a pinned id the account does not have, email not live: a create, with a note",
        (DesiredUser(at("eve"), id="GONE"), *rest_of()),
        {("user", "create", at("eve"))},
        notes=(
            f"1 pinned user(s) are not in the account under their id ({at('eve')}): they are "
            "matched by email instead, and created if missing; correct or remove the id",
        ),
    ),
    Case(
        "assistants: one added, one kept, one removed",
        (
            DesiredUser(at("dan"), assistants=(at("ann"), at("bob"))),
            DesiredUser(at("bob"), assistants=(at("ann"),)),
            *rest_of("dan", "bob"),
        ),
        {
            ("user_assistant", "add", f"{at('dan')}/{at('ann')}"),
            ("user_assistant", "add", f"{at('dan')}/{at('bob')}"),
            ("user_assistant", "remove", f"{at('dan')}/{at('cat')}"),
            ("user_assistant", "add", f"{at('bob')}/{at('ann')}"),
        },
    ),
    Case(
        "assistants: every one removed",
        (DesiredUser(at("dan"), assistants=()), *rest_of("dan")),
        {("user_assistant", "remove", f"{at('dan')}/{at('cat')}")},
    ),
    Case(
        "assistants unwritten: unmanaged",
        (DesiredUser(at("dan")), *rest_of("dan")),
        set(),
    ),
    Case(
        "an assistant renamed in the same plan stays, under its new email",
        (
            DesiredUser(at("catherine"), id="C1"),
            DesiredUser(at("dan"), assistants=(at("catherine"),)),
            *rest_of("cat", "dan"),
        ),
        {("user", "update", at("catherine"))},
    ),
    Case(
        "a renamed user gains an assistant under its new email",
        (DesiredUser(at("ann.lee"), id="A1", assistants=(at("bob"),)), *rest_of("ann")),
        {
            ("user", "update", at("ann.lee")),
            ("user_assistant", "add", f"{at('ann.lee')}/{at('bob')}"),
        },
    ),
    Case(
        "a pending assistant is left for later, with a note",
        (DesiredUser(at("ann"), assistants=(at("pen"),)), *rest_of("ann")),
        set(),
        notes=(
            f"assistant {at('pen')} of user {at('ann')} is pending; it can be made an "
            "assistant once it accepts",
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_renames_and_assistants_plan_exactly(case: Case) -> None:
    plan = build_plan(Desired(users=case.users, policy=case.policy), LIVE)
    assert {(c.kind.value, c.action.value, c.key) for c in plan.changes} == case.want
    assert plan.notes == case.notes


def _one(changes: tuple[Change, ...], kind: type[Change], key: str) -> Change:
    (found,) = [c for c in changes if isinstance(c, kind) and c.key == key]
    return found


def test_a_renamed_users_change_carries_its_email_and_what_names_it_waits_for_it() -> None:
    desired = Desired(
        users=(DesiredUser(at("ann.lee"), id="A1", groups=("Sales",)), *rest_of("ann")),
        policy=DEACTIVATE,
    )
    plan = build_plan(desired, LIVE)
    rename = _one(plan.changes, UserUpdate, at("ann.lee"))
    assert isinstance(rename, UserUpdate)
    assert (rename.renamed_from, rename.user_id, rename.status) == (at("ann"), "A1", None)
    assert rename.before() == {"email": at("ann")}
    assert rename.after() == {"email": at("ann.lee")}
    (member,) = [c for c in plan.changes if c.kind is Kind.GROUP_MEMBER]
    assert ChangeRef(kind=Kind.USER, key=at("ann.lee")) in member.depends_on()
    assert plan.changes.index(rename) < plan.changes.index(member)


def test_a_rename_and_deactivation_are_one_change_that_counts_as_a_delete() -> None:
    leaving = DesiredUser(at("ann.lee"), id="A1", status=UserStatus.INACTIVE)
    plan = build_plan(Desired(users=(leaving, *rest_of("ann")), policy=DEACTIVATE), LIVE)
    (change,) = plan.changes
    assert isinstance(change, UserUpdate)
    assert (change.renamed_from, change.deactivates) == (at("ann"), True)
    assert change.before() == {"email": at("ann"), "status": "active"}
    assert change.after() == {"email": at("ann.lee"), "status": "inactive"}
    assert (plan.summary.create, plan.summary.update, plan.summary.delete) == (0, 0, 1)


def test_assistant_removals_carry_ids_and_say_when_they_clear_the_user() -> None:
    some = build_plan(Desired(users=(DesiredUser(at("dan"), assistants=(at("bob"),)),)), LIVE)
    none = build_plan(Desired(users=(DesiredUser(at("dan"), assistants=()),)), LIVE)
    kept = _one(some.changes, UserAssistantRemove, f"{at('dan')}/{at('cat')}")
    cleared = _one(none.changes, UserAssistantRemove, f"{at('dan')}/{at('cat')}")
    added = _one(some.changes, UserAssistantAdd, f"{at('dan')}/{at('bob')}")
    assert isinstance(kept, UserAssistantRemove)
    assert isinstance(cleared, UserAssistantRemove)
    assert (kept.user_id, kept.assistant_id, kept.clears) == ("D1", "C1", False)
    assert (cleared.user_id, cleared.assistant_id, cleared.clears) == ("D1", "C1", True)
    assert added.depends_on() == (
        ChangeRef(kind=Kind.USER, key=at("dan")),
        ChangeRef(kind=Kind.USER, key=at("bob")),
    )


@pytest.mark.parametrize(
    ("users", "policy", "message"),
    [
        (
            (DesiredUser(at("bob"), id="A1"),),
            DesiredPolicy(),
            f"user '{at('bob')}' cannot be the new email of {at('ann')}: another user of the "
            "account has it; change or remove that user first",
        ),
        (
            (DesiredUser("ann@partner.example", id="A1"),),
            DesiredPolicy(managed_domains=frozenset({"acme.example"})),
            f"user 'ann@partner.example' cannot be the new email of {at('ann')}: its domain is "
            "not one of policy.managed_domains (acme.example), and Zoom changes an email only "
            "within the account's managed domains",
        ),
    ],
    ids=["held by another user", "outside the managed domains"],
)
def test_an_email_change_the_account_would_refuse_stops_the_plan(
    users: tuple[DesiredUser, ...], policy: DesiredPolicy, message: str
) -> None:
    with pytest.raises(PlanConflictError) as refused:
        build_plan(Desired(users=users, policy=policy), LIVE)
    assert str(refused.value) == message
    (problem,) = read_pins(Desired(users=users, policy=policy), LIVE).problems
    assert (problem.email, problem.message) == (users[0].email.lower(), message)


def test_a_pinned_outsider_whose_email_stays_is_no_problem() -> None:
    guest = user("guest@partner.example", "G1")
    live = replace(LIVE, users=(*LIVE.users, guest))
    policy = DesiredPolicy(managed_domains=frozenset({"acme.example"}))
    desired = Desired(users=(DesiredUser("Guest@Partner.example", id="G1"),), policy=policy)
    assert read_pins(desired, live).problems == ()
    assert build_plan(desired, live).changes == ()


def test_the_note_on_unknown_pins_names_five_and_counts_the_rest() -> None:
    pinned = tuple(DesiredUser(at(f"new{i}"), id=f"X{i}") for i in range(7))
    (note,) = build_plan(Desired(users=pinned), LIVE).notes
    named = ", ".join(at(f"new{i}") for i in range(5))
    assert note == (
        f"7 pinned user(s) are not in the account under their id ({named}, and 2 more): they "
        "are matched by email instead, and created if missing; correct or remove the id"
    )


# property: renaming is invisible to every other section ------------------------------------

NAMES = ["ann", "bob", "cat", "dan", "eve", "fay"]


@st.composite
def renamings(draw: st.DrawFn) -> tuple[LiveState, Desired, dict[str, str]]:
    """Live users with groups, admins and assistants; a configuration that renames some of
    them (to fresh emails) and otherwise writes everything exactly as it is live."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=6, unique=True))
    emails = [at(n) for n in names]
    live_users = []
    for index, email in enumerate(emails):
        helpers = draw(st.lists(st.sampled_from(emails), max_size=3, unique=True))
        live_users.append(
            user(
                email,
                f"U{index}",
                group_ids=("g-sales",) if draw(st.booleans()) else (),
                assistants={h: f"U{emails.index(h)}" for h in helpers if h != email},
            )
        )
    admins = frozenset(draw(st.lists(st.sampled_from(emails), max_size=2, unique=True)))
    live = LiveState(users=tuple(live_users), groups=(replace(SALES, admins=admins),))
    renamed = draw(st.lists(st.sampled_from(emails), unique=True))
    new = {old: old.replace("@acme.example", ".new@acme.example") for old in renamed}

    def now(email: str) -> str:
        return new.get(email, email)

    desired_users = tuple(
        DesiredUser(
            now(u.key),
            id=u.id,
            groups=("Sales",) if u.group_ids else (),
            assistants=tuple(sorted(now(a) for a in u.assistants or {})),
        )
        for u in live_users
    )
    group = DesiredGroup("Sales", admins=tuple(sorted(now(a) for a in admins)))
    desired = Desired(users=desired_users, groups=(group,), policy=DEACTIVATE)
    return live, desired, new


@settings(max_examples=60, deadline=None)
@given(renamings())
def test_renaming_users_plans_only_their_email_changes(
    scenario: tuple[LiveState, Desired, dict[str, str]],
) -> None:
    live, desired, new = scenario
    plan = build_plan(desired, live)
    assert {(c.kind, c.key) for c in plan.changes} == {(Kind.USER, e) for e in new.values()}
    assert {c.renamed_from: c.key for c in plan.changes if isinstance(c, UserUpdate)} == new
