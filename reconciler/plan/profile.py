"""A written profile value compared with Zoom's: exactly, except lists of objects.

Zoom adds keys of its own to the items of a user's lists (`verified` on each phone number,
`name` on each custom attribute), so an exact comparison would plan a change on every run.
A list of objects is the same when its items pair up one to one, each live item holding every
key the configuration wrote for its partner with the same value; keys only Zoom writes are
ignored. Order does not count: phone numbers have no primary one, and custom attributes are
addressed by `key`. The count does: a PATCH replaces the list, so a live item the configuration
does not list is a difference, and the change removes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import permutations
from typing import Any


def same_value(wanted: Any, live: Any) -> bool:
    """Whether the live value already is what the configuration wrote."""
    if _objects(wanted) and isinstance(live, list):
        return _same_items(wanted, live)
    return bool(wanted == live)


def _objects(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(i, Mapping) for i in value)


def _holds(live: Any, wanted: Mapping[str, Any]) -> bool:
    return isinstance(live, Mapping) and all(
        key in live and live[key] == value for key, value in wanted.items()
    )


def _same_items(wanted: Sequence[Mapping[str, Any]], live: Sequence[Any]) -> bool:
    """A one-to-one pairing exists; Zoom caps these lists at 3 and 5 items, so trying every
    order is cheap and, unlike a greedy match, never misses a pairing."""
    if len(wanted) != len(live):
        return False
    if all(_holds(item, want) for want, item in zip(wanted, live, strict=True)):
        return True
    return any(
        all(_holds(item, want) for want, item in zip(wanted, order, strict=True))
        for order in permutations(live)
    )
