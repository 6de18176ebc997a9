"""Hypothesis strategies that draw values valid for a generated settings schema."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st


def from_schema(schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """Values that `schema` accepts: any subset of an object's keys, bounded lists and text."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        optional = {name: from_schema(sub) for name, sub in schema.get("properties", {}).items()}
        return st.fixed_dictionaries({}, optional=optional)
    if kind == "array":
        most = min(schema.get("maxItems", 3), 3)
        return st.lists(from_schema(schema.get("items", {})), max_size=most)
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum", -(2**31)), schema.get("maximum", 2**31))
    if kind == "string":
        return st.text(
            st.characters(codec="utf-8"),
            min_size=schema.get("minLength", 0),
            max_size=min(schema.get("maxLength", 12), 12),
        )
    raise AssertionError(f"no strategy for {schema}")
