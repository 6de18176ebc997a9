"""Which of a group's live settings are worth writing: those that differ from Zoom's defaults.

A group's settings run to some 250 leaves; an export that wrote them all would bury the few
that someone chose. The default of each leaf comes from Zoom's own schema for the document:
the `default` the spec declares, or else the type's empty value (false, the first allowed
value, 0 or the minimum, "", an empty list). The sandbox starts every group from the same
rule, so a group nobody touched exports with no settings at all.

Only keys that a configuration may write are kept: what Zoom reports but does not accept in
a PATCH (the list of authentication profiles, for example) is left out, and so is any value
the schema would refuse, which the export notes in a comment instead. An empty string or a
null is an unset value, never a choice worth managing, and is not written either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from reconciler.schema import SettingsDocument, check_settings, settings_schema

Path = tuple[str, ...]


def default_value(schema: Mapping[str, Any]) -> Any:
    """Zoom's value for a leaf nobody changed (see the module docstring)."""
    for combined in ("oneOf", "anyOf"):
        if schema.get(combined):
            return default_value(schema[combined][0])
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "array":
        return []
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    return ""


@cache
def _schema(document: SettingsDocument) -> Mapping[str, Any]:
    return settings_schema(document)


@dataclass
class WrittenSettings:
    """The settings to write, and what was left out for the reader to know."""

    values: dict[str, Any] = field(default_factory=dict)
    refused: list[tuple[Path, Any, str]] = field(default_factory=list)
    """(path, live value, why): values Zoom reported that the schema does not accept."""


def non_default(document: SettingsDocument, live: Mapping[str, Any]) -> WrittenSettings:
    """The writable leaves of `live` that differ from the defaults, in the schema's order."""
    written = WrittenSettings(values=_differing(_schema(document), live))
    for problem in check_settings(document, written.values):
        path = tuple(str(part) for part in problem.path)
        value = _pop(written.values, path)
        written.refused.append((path, value, problem.message))
    return written


def _differing(schema: Mapping[str, Any], live: Mapping[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    properties: Mapping[str, Any] = schema.get("properties", {})
    for name, sub in properties.items():
        if name not in live:
            continue
        value = live[name]
        if sub.get("properties") and isinstance(value, Mapping):
            inner = _differing(sub, value)
            if inner:
                kept[name] = inner
        elif value not in ("", None) and value != default_value(sub):
            kept[name] = value
    return kept


def _pop(tree: dict[str, Any], path: Path) -> Any:
    """Remove the value at `path` (and the sections it leaves empty); return what it was."""
    if not path:
        return None
    head, rest = path[0], path[1:]
    if head not in tree:
        return None
    if not rest:
        return tree.pop(head)
    node = tree[head]
    if not isinstance(node, dict):
        return tree.pop(head)
    value = _pop(node, rest)
    if not node:
        del tree[head]
    return value
