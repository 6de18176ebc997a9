"""Check a group's `settings` or `lock_settings` mapping against the generated Zoom schemas.

Every problem is reported, each with its path inside the mapping and a message that says
what is wrong and, for unknown keys, what was probably meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from ruamel.yaml.scalarbool import ScalarBoolean

from .documents import USER_SETTINGS_EXCLUDED, SettingsDocument
from .generate import settings_schema

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class SettingsProblem:
    """One problem in a settings mapping; `path` is relative to the mapping itself."""

    path: KeyPath
    message: str


def check_settings(document: SettingsDocument, value: object) -> list[SettingsProblem]:
    """Every problem in `value`, in the order the keys appear in it; empty when it is valid."""
    errors = list(_index(document).validator.iter_errors(_plain(value)))
    # A value outside an enum also fails its type; the enum's message says more, alone.
    enum_paths = {tuple(error.absolute_path) for error in errors if error.validator == "enum"}
    problems = [
        problem
        for error in errors
        if not (error.validator == "type" and tuple(error.absolute_path) in enum_paths)
        for problem in _translate(document, error)
    ]
    if len(problems) > 1:
        order = {path: n for n, path in enumerate(_paths_in_order(value))}
        problems.sort(key=lambda problem: (order.get(problem.path, len(order)), problem.message))
    return problems


def _plain(value: object) -> object:
    """`value` with YAML's anchored booleans (an int subclass) turned into real booleans."""
    if isinstance(value, ScalarBoolean):
        return bool(value)
    if isinstance(value, Mapping):
        return {key: _plain(sub) for key, sub in value.items()}
    if isinstance(value, list):
        return [_plain(sub) for sub in value]
    return value


@dataclass(frozen=True)
class _Index:
    validator: Draft202012Validator
    schema: Mapping[str, Any]
    # key name -> every path (outside arrays) where the schema declares that key
    key_locations: Mapping[str, tuple[KeyPath, ...]]


@cache
def _index(document: SettingsDocument) -> _Index:
    schema = settings_schema(document)
    locations: dict[str, list[KeyPath]] = {}
    for path in _declared_paths(schema, ()):
        locations.setdefault(str(path[-1]), []).append(path)
    return _Index(
        validator=Draft202012Validator(schema),
        schema=schema,
        key_locations={key: tuple(paths) for key, paths in locations.items()},
    )


def _declared_paths(schema: Mapping[str, Any], prefix: KeyPath) -> Iterator[KeyPath]:
    for name, sub in schema.get("properties", {}).items():
        yield (*prefix, name)
        yield from _declared_paths(sub, (*prefix, name))


def _translate(document: SettingsDocument, error: ValidationError) -> list[SettingsProblem]:
    path: KeyPath = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        declared = _schema_of(error).get("properties", {})
        return [
            SettingsProblem((*path, key), _unknown_key(document, path, key, declared))
            for key in error.instance
            if key not in declared
        ]
    describe = _DESCRIBERS.get(str(error.validator))
    detail = describe(error) if describe else error.message
    return [SettingsProblem(path, f"{_label(document, path)} {detail}")]


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    """The subschema that failed (jsonschema also allows booleans there; ours has none)."""
    return error.schema if isinstance(error.schema, Mapping) else {}


def _unknown_key(
    document: SettingsDocument, parent: KeyPath, key: object, declared: Mapping[str, Any]
) -> str:
    name = str(key)
    if parent:
        where = f"in {_dotted(parent)}"
        message = f"unknown key {name!r} {where}"
    else:
        message = f"unknown {document.attribute} section {name!r}"
        if document is SettingsDocument.USER_SETTINGS and name in USER_SETTINGS_EXCLUDED:
            return f"{message}; a user's licences are written as `features`"
    close = difflib.get_close_matches(name, list(declared), n=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    elsewhere = [p for p in _index(document).key_locations.get(name, ()) if p[:-1] != parent]
    if elsewhere:
        listed = " or ".join(_dotted(p) for p in elsewhere[:3])
        return f"{message}; did you mean {listed}?"
    if document is SettingsDocument.LOCK_SETTINGS and _declares(
        _index(SettingsDocument.SETTINGS).schema, (*parent, name)
    ):
        return f"{message}; {_dotted((*parent, name))} is a setting Zoom does not let a group lock"
    return message


def _declares(schema: Mapping[str, Any], path: KeyPath) -> bool:
    node: Mapping[str, Any] = schema
    for part in path:
        properties = node.get("properties", {})
        if part not in properties:
            return False
        node = properties[part]
    return True


def _show(value: object) -> str:
    """A value as the configuration's YAML would spell it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return str(value)


_TYPE_NAMES = {
    "boolean": "a boolean (true or false)",
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def _type(error: ValidationError) -> str:
    expected: Any = error.validator_value
    names = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
    return f"must be {wanted}, got {_show(error.instance)}"


def _enum(error: ValidationError) -> str:
    allowed: Any = error.validator_value
    values = list(allowed)
    meanings = _schema_of(error).get("enumDescriptions")
    if isinstance(meanings, list) and len(meanings) == len(values):
        shown = [
            f"{_show(v)} ({m})" if _is_short(m) else _show(v)
            for v, m in zip(values, meanings, strict=True)
        ]
    else:
        shown = [_show(v) for v in values]
    return f"must be one of {', '.join(shown)}; got {_show(error.instance)}"


def _is_short(meaning: object) -> bool:
    return isinstance(meaning, str) and len(meaning) <= 40


def _bound(
    word: str, unit: str, measure: Callable[[Any], object]
) -> Callable[[ValidationError], str]:
    def describe(error: ValidationError) -> str:
        return f"must be {word} {error.validator_value}{unit}, got {measure(error.instance)}"

    return describe


def _length(value: Any) -> object:
    return len(value) if isinstance(value, str | list) else _show(value)


_DESCRIBERS: dict[str, Callable[[ValidationError], str]] = {
    "type": _type,
    "enum": _enum,
    "maximum": _bound("at most", "", _show),
    "minimum": _bound("at least", "", _show),
    "maxLength": _bound("at most", " characters long", _length),
    "minLength": _bound("at least", " characters long", _length),
    "maxItems": _bound("a list of at most", " items", _length),
    "minItems": _bound("a list of at least", " items", _length),
}


def _dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _label(document: SettingsDocument, path: KeyPath) -> str:
    return _dotted(path) if path else document.attribute


def _paths_in_order(value: object, prefix: KeyPath = ()) -> Iterator[KeyPath]:
    """Every path in `value`, depth first, in the order its keys were written."""
    yield prefix
    if isinstance(value, Mapping):
        for key, sub in value.items():
            yield from _paths_in_order(sub, (*prefix, key))
    elif isinstance(value, list):
        for position, sub in enumerate(value):
            yield from _paths_in_order(sub, (*prefix, position))
