"""pydantic's validation errors, rewritten as messages about the YAML a person wrote.

Each error becomes a path relative to the item, whether it points at the key (unknown keys)
or at the value (everything else), and a sentence. Error inputs are never quoted for secret
fields, so a password cannot leak through a type error.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Union

from pydantic import BaseModel, SecretStr
from pydantic_core import ErrorDetails

from reconciler.config.sources import ConfigPath
from reconciler.model.fields import suggest

_EXPECTED = {
    "string_type": "a string",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def describe(value: Any) -> str:
    """A YAML-ish name for a value's type, for messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


@dataclass(frozen=True)
class FieldProblem:
    """One validation problem inside an item: where (relative path, key or value) and what."""

    path: ConfigPath
    at_key: bool
    message: str


def _dotted(loc: ConfigPath) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _model_at(model: type[BaseModel], loc: ConfigPath) -> type[BaseModel] | None:
    """The model class that holds the last key of `loc` (for "did you mean" suggestions)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """Unwrap Optional, list and Annotated down to a model class, if there is one."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, Union, types.UnionType):
            candidates = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(candidates) != 1:
                return None
            annotation = candidates[0]
        else:
            return annotation


def _is_secret(model: type[BaseModel], loc: ConfigPath) -> bool:
    holder = _model_at(model, loc[:-1]) if len(loc) > 1 else model
    if holder is None or not loc or not isinstance(loc[-1], str):
        return False
    info = holder.model_fields.get(loc[-1])
    return info is not None and _inner_model(info.annotation) is SecretStr


def explain(error: ErrorDetails, model: type[BaseModel], kind: str) -> FieldProblem:
    """Turn one pydantic error on an item of `model` (a `kind` such as "user") into a problem."""
    loc: ConfigPath = tuple(error["loc"])
    kind_of = error["type"]
    field = _dotted(loc) if loc else kind
    value = error.get("input")
    if kind_of == "extra_forbidden":
        key = str(loc[-1])
        holder = _model_at(model, loc[:-1])
        where = f" in {_dotted(loc[:-1])}" if len(loc) > 1 else f" in {kind}"
        hint = suggest(key, list(holder.model_fields)) if holder is not None else ""
        return FieldProblem(loc, True, f"unknown key '{key}'{where}{hint}")
    if kind_of == "missing":
        return FieldProblem(loc[:-1], True, f"missing required key '{loc[-1]}' in {kind}")
    if value is None and kind_of in _EXPECTED and loc and isinstance(loc[-1], int):
        return FieldProblem(loc, False, f"{field} has no value; write one, or remove the item")
    if value is None and kind_of in _EXPECTED:
        return FieldProblem(
            loc,
            False,
            f"{field} has no value; write one, or leave the key out to leave it unmanaged",
        )
    if kind_of in _EXPECTED:
        got = "" if _is_secret(model, loc) else f", not {describe(value)}"
        return FieldProblem(loc, False, f"{field} must be {_EXPECTED[kind_of]}{got}")
    ctx = error.get("ctx") or {}
    if kind_of == "string_too_long":
        return FieldProblem(
            loc,
            False,
            f"{field} is too long: at most {ctx.get('max_length')} characters (Zoom's limit)",
        )
    if kind_of == "string_too_short":
        return FieldProblem(
            loc, False, f"{field} is too short: at least {ctx.get('min_length')} characters"
        )
    if kind_of == "too_long":  # a list: point at its key, the list itself starts a line below
        return FieldProblem(
            loc,
            True,
            f"{field} has {ctx.get('actual_length')} items; Zoom allows at most {ctx.get('max_length')}",
        )
    if kind_of == "enum_name":
        return FieldProblem(loc, False, f"{field} {error['msg']}")
    if kind_of == "string_pattern_mismatch":
        return FieldProblem(
            loc, False, f"{field} may only contain letters, digits, '_', '-' and '.'"
        )
    if kind_of in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return FieldProblem(loc, False, f"{field}: {error['msg'].lower()}")
    return FieldProblem(loc, False, f"{field}: {error['msg']}")
