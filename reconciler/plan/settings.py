"""Settings and lock settings compared the configuration's way: only along the paths written.

A settings mapping is nested (section -> key -> value, sometimes deeper); a leaf is a scalar or
a list, and lists are compared whole, as Zoom replaces them whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from deepdiff import DeepDiff

from reconciler.plan.changes import SettingChange


def _project(live: Mapping[str, Any], desired: Mapping[str, Any]) -> dict[str, Any]:
    """The live mapping cut down to the paths the configuration wrote."""
    projected: dict[str, Any] = {}
    for key, wanted in desired.items():
        if key not in live:
            continue
        value = live[key]
        if isinstance(wanted, Mapping) and isinstance(value, Mapping):
            projected[key] = _project(value, wanted)
        else:
            projected[key] = value
    return projected


def _leaves(tree: Any, prefix: tuple[str, ...]) -> Iterable[tuple[tuple[str, ...], Any]]:
    if isinstance(tree, Mapping) and tree:
        for key, value in tree.items():
            yield from _leaves(value, (*prefix, str(key)))
    else:
        yield prefix, tree


def _get(tree: Mapping[str, Any], path: tuple[str, ...]) -> tuple[bool, Any]:
    node: Any = tree
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _keys_above_lists(path: list[Any]) -> tuple[str, ...]:
    """A deepdiff path cut at the first list index: the list is the leaf that changed."""
    keys: list[str] = []
    for part in path:
        if isinstance(part, int):
            break
        keys.append(str(part))
    return tuple(keys)


def settings_changes(
    desired: Mapping[str, Any],
    live: Mapping[str, Any],
    locks_above: Mapping[str, Any] | None = None,
) -> tuple[SettingChange, ...]:
    """The written leaves whose live value differs, found with deepdiff; lists are leaves."""
    projected = _project(live, desired)
    if projected == desired:
        return ()
    tree = DeepDiff(projected, desired, view="tree")
    paths = {
        _keys_above_lists(level.path(output_format="list"))
        for report in tree.values()
        for level in report
    }
    found: dict[tuple[str, ...], SettingChange] = {}
    for path in paths:
        _, subtree = _get(desired, path)
        for leaf, new in _leaves(subtree, path):
            present, old = _get(live, leaf)
            if present and old == new:
                continue
            found[leaf] = SettingChange(
                path=leaf,
                old=old,
                new=new,
                old_present=present,
                locked_above=locked_at(locks_above, leaf),
            )
    return tuple(found[p] for p in sorted(found))


def locked_at(locks: Mapping[str, Any] | None, path: tuple[str, ...]) -> bool:
    """Whether a lock settings mapping locks the setting at `path` (its section and key)."""
    if locks is None or len(path) < 2:
        return False
    present, value = _get(locks, path[:2])
    return present and value is True
