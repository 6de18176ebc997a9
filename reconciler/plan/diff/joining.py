"""In which requests new users join their groups, so that Zoom makes the right group primary.

Zoom makes a user's first group their primary one, so a user with no group yet must be in a
request to their primary group before any request to their other groups. A group's members
travel together (30 a request), so this orders whole requests: group P's request goes before
group G's whenever a user's primary is P and G is another of their groups. Where those
"before" edges form a cycle (one user's primary is A and the other group B, another user's
the reverse), no order of single requests works, so some groups are *split*: their primary
joiners go in an early request that waits for nothing, their other members in a later one
that nothing waits for. A split costs one request. Long chains of "before" cost time instead
(each request in a chain waits for the answer to the one before it), so chains are cut by
splits too, down to about the square root of the number of groups involved.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

Edge = tuple[str, str]


def groups_to_split(before: Iterable[Edge]) -> frozenset[str]:
    """Groups whose primary joiners go in an early request of their own.

    `before` holds (primary group, other group) pairs. Once the returned groups are taken
    out, what is left has no cycle and no chain longer than `chain_limit`. The fewest such
    groups is an NP-hard question (a minimum feedback vertex set), so this answers it the
    usual greedy way, then drops every split that turns out unneeded, then cuts long chains
    in their middle. Deterministic: ties go to the first name in sorted order.
    """
    edges = {(first, then) for first, then in before if first != then}
    groups = {g for edge in edges for g in edge}
    split = _without_unneeded(edges, _greedy_cycle_cut(edges))
    limit = chain_limit(len(groups))
    while True:
        chain = _longest_chain(_remaining(edges, split), groups - split)
        if chain is None:
            raise AssertionError("the groups left after splitting still form a cycle")
        if len(chain) <= limit:
            return frozenset(split)
        split.add(chain[len(chain) // 2])


def chain_limit(groups: int) -> int:
    """How many requests may wait one for another: about the square root of the groups."""
    return max(3, math.isqrt(groups) + 1)


def _remaining(edges: set[Edge], split: set[str]) -> set[Edge]:
    return {(a, b) for a, b in edges if a not in split and b not in split}


def _greedy_cycle_cut(edges: set[Edge]) -> set[str]:
    """Peel off groups on no cycle, then take out the one with most paths through it; repeat."""
    successors: defaultdict[str, set[str]] = defaultdict(set)
    predecessors: defaultdict[str, set[str]] = defaultdict(set)
    for first, then in edges:
        successors[first].add(then)
        predecessors[then].add(first)
    remaining = set(successors) | set(predecessors)

    def remove(group: str) -> set[str]:
        remaining.discard(group)
        touched = successors.pop(group, set()) | predecessors.pop(group, set())
        for other in touched:
            successors[other].discard(group)
            predecessors[other].discard(group)
        return touched

    def peel(candidates: Iterable[str]) -> None:
        pending = sorted(candidates)
        while pending:
            group = pending.pop()
            if group in remaining and not (successors[group] and predecessors[group]):
                pending.extend(sorted(remove(group) & remaining))

    split: set[str] = set()
    peel(remaining)
    while remaining:
        widest = max(sorted(remaining), key=lambda g: len(successors[g]) * len(predecessors[g]))
        split.add(widest)
        peel(remove(widest) & remaining)
    return split


def _without_unneeded(edges: set[Edge], split: set[str]) -> set[str]:
    """Drop each split whose group can join the ordered rest without closing a cycle."""
    groups = {g for edge in edges for g in edge}
    kept = set(split)
    for group in sorted(split):
        trial = kept - {group}
        if _acyclic(_remaining(edges, trial), groups - trial):
            kept = trial
    return kept


def _acyclic(edges: set[Edge], groups: set[str]) -> bool:
    """Whether every group can be ordered (Kahn's algorithm; no tie-breaking needed here)."""
    successors: defaultdict[str, list[str]] = defaultdict(list)
    waiting: dict[str, int] = dict.fromkeys(groups, 0)
    for first, then in edges:
        successors[first].append(then)
        waiting[then] += 1
    ready = [g for g, count in waiting.items() if count == 0]
    done = 0
    while ready:
        group = ready.pop()
        done += 1
        for then in successors[group]:
            waiting[then] -= 1
            if waiting[then] == 0:
                ready.append(then)
    return done == len(groups)


def _longest_chain(edges: set[Edge], groups: set[str]) -> list[str] | None:
    """The longest path of requests waiting one for another, or None if there is a cycle."""
    successors: defaultdict[str, list[str]] = defaultdict(list)
    waiting: dict[str, int] = dict.fromkeys(groups, 0)
    for first, then in sorted(edges):
        successors[first].append(then)
        waiting[then] += 1
    ready = sorted((g for g, count in waiting.items() if count == 0), reverse=True)
    best: dict[str, tuple[int, str | None]] = dict.fromkeys(groups, (1, None))
    done = 0
    while ready:
        group = ready.pop()
        done += 1
        for then in successors[group]:
            if best[group][0] + 1 > best[then][0]:
                best[then] = (best[group][0] + 1, group)
            waiting[then] -= 1
            if waiting[then] == 0:
                ready.append(then)
    if done != len(groups):
        return None
    if not groups:
        return []
    end: str | None = max(sorted(groups), key=lambda g: best[g][0])
    chain: list[str] = []
    while end is not None:
        chain.append(end)
        end = best[end][1]
    return chain[::-1]
