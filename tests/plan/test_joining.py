"""New users join their primary group first, in as few requests as Zoom's batching allows."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping

import pytest

from reconciler.catalog import Operation
from reconciler.model.enums import CreateAction
from reconciler.model.live import LiveGroup, LiveState
from reconciler.plan import build_plan
from reconciler.plan.changes import GroupMemberAdd
from reconciler.plan.costs import count_requests
from reconciler.plan.desired import Desired, DesiredGroup, DesiredUser
from reconciler.plan.diff.joining import chain_limit, groups_to_split


def _has_cycle(edges: set[tuple[str, str]]) -> bool:
    """Depth-first search for a cycle, written out plainly to check the greedy answer."""
    after: dict[str, set[str]] = {}
    for first, then in edges:
        if first != then:
            after.setdefault(first, set()).add(then)
    state: dict[str, int] = {}

    def visit(node: str) -> bool:
        state[node] = 1
        for nxt in after.get(node, ()):
            if state.get(nxt) == 1 or (nxt not in state and visit(nxt)):
                return True
        state[node] = 2
        return False

    return any(node not in state and visit(node) for node in list(after))


def test_no_cycle_splits_nothing() -> None:
    # Departments first, then the company-wide groups: an order of single requests exists.
    before = {("Eng", "All"), ("Sales", "All"), ("Eng", "Managers"), ("Managers", "All")}
    assert groups_to_split(before) == frozenset()


def test_a_two_way_cycle_splits_one_group() -> None:
    assert len(groups_to_split({("A", "B"), ("B", "A")})) == 1


@pytest.mark.parametrize(("groups", "steps"), [(100, (13, 26, 39)), (40, (1, 2, 3)), (7, (3,))])
def test_the_split_groups_cut_every_cycle(groups: int, steps: tuple[int, ...]) -> None:
    """The benchmark's shape: user u's primary is group p, the others p+13, p+26, p+39."""
    before = {(f"G{p}", f"G{(p + s) % groups}") for p in range(groups) for s in steps}
    assert _has_cycle(before)
    split = groups_to_split(before)
    remaining = {(a, b) for a, b in before if a not in split and b not in split}
    assert not _has_cycle(remaining)
    assert len(split) < groups // 2  # far fewer than "every group with both kinds"
    assert _longest_chain_length(remaining) <= chain_limit(groups)


def test_a_long_chain_is_cut_in_the_middle() -> None:
    before = {(f"G{i:02d}", f"G{i + 1:02d}") for i in range(20)}  # no cycle, 21 groups
    split = groups_to_split(before)
    remaining = {(a, b) for a, b in before if a not in split and b not in split}
    assert _longest_chain_length(remaining) <= chain_limit(21) == 5
    assert len(split) <= 4


def _longest_chain_length(edges: set[tuple[str, str]]) -> int:
    after: dict[str, set[str]] = {}
    for first, then in edges:
        after.setdefault(first, set()).add(then)

    def length(node: str) -> int:
        return 1 + max((length(n) for n in after.get(node, ())), default=0)

    return max((length(node) for node in after), default=0)


def _plan_for(users: Mapping[str, tuple[str, ...]]) -> list[GroupMemberAdd]:
    """New active users (custCreate: no invitation to accept) joining existing groups."""
    names = sorted({g for groups in users.values() for g in groups})
    live = LiveState(groups=tuple(LiveGroup(f"id-{n}", n) for n in names))
    desired = Desired(
        groups=tuple(DesiredGroup(n) for n in names),
        users=tuple(
            DesiredUser(email, create_action=CreateAction.CUST_CREATE, groups=groups)
            for email, groups in users.items()
        ),
    )
    return [c for c in build_plan(desired, live).changes if isinstance(c, GroupMemberAdd)]


def test_new_users_cost_one_request_per_group_when_their_groups_have_an_order() -> None:
    users: dict[str, tuple[str, ...]] = {f"eng{i}@x.example": ("Eng", "All") for i in range(20)}
    users |= {f"sales{i}@x.example": ("Sales", "All") for i in range(5)}
    users |= {"ceo@x.example": ("All",)}  # All has a primary joiner of its own too
    adds = _plan_for(users)
    assert not any(a.sets_primary for a in adds)
    assert not any(a.early for a in adds)
    # Eng, Sales and All: one request each (All's 26 members wait for Eng's and Sales's).
    assert count_requests(adds)[Operation.ADD_GROUP_MEMBERS] == 3
    for add in adds:
        if add.group == "All" and not add.first_group:
            primary = add.email.split("@")[0].rstrip("0123456789").capitalize()
            assert add.depends_on()[-1] == GroupMemberAdd.after_ref(primary, add.email)


def test_crossed_primary_groups_cost_one_request_more_not_one_per_user() -> None:
    users = {f"a{i}@x.example": ("A", "B") for i in range(10)}
    users |= {f"b{i}@x.example": ("B", "A") for i in range(10)}
    adds = _plan_for(users)
    assert not any(a.sets_primary for a in adds)
    early = Counter(a.group for a in adds if a.early)
    (split,) = early  # one group is split; its primary joiners go early
    assert early[split] == 10
    assert count_requests(adds)[Operation.ADD_GROUP_MEMBERS] == 3
    # Every user's other group waits for the primary one.
    for add in adds:
        if not add.first_group:
            assert add.joins_after is not None
            assert GroupMemberAdd.after_ref(add.joins_after, add.email) in add.depends_on()


def test_the_split_is_the_same_every_time() -> None:
    before = {(f"G{p}", f"G{(p + s) % 30}") for p in range(30) for s in (7, 11)}
    answers = {
        groups_to_split(list(order))
        for order in itertools.islice(itertools.permutations(sorted(before)), 5)
    }
    assert len(answers) == 1
