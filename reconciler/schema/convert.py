"""Turn an OpenAPI 3.0 schema object from Zoom's spec into a closed JSON Schema (2020-12).

Closed means every object rejects keys it does not declare, so a typo in the configuration
is an error instead of a setting that is silently never applied. Nothing is required: the
configuration manages only the keys it writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

JSONSchema = dict[str, Any]

# Keywords that mean the same in OpenAPI 3.0 and JSON Schema 2020-12.
_COPIED = frozenset(
    {
        "type",
        "title",
        "description",
        "enum",
        "default",
        "deprecated",
        "format",
        "pattern",
        "minimum",
        "maximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
    }
)
# Keywords that hold one subschema, or a list of them.
_SINGLE = frozenset({"items", "not"})
_LISTS = frozenset({"oneOf", "anyOf", "allOf"})
# Keywords that only describe responses or documentation: not part of a request's shape.
_DROPPED = frozenset({"readOnly", "writeOnly", "xml", "externalDocs", "discriminator", "required"})


class SpecShapeError(ValueError):
    """The spec uses a construct the generator does not know how to carry over faithfully."""


def closed_schema(node: Mapping[str, Any], spec: Mapping[str, Any]) -> JSONSchema:
    """Convert `node` (resolving `$ref`s against `spec`) into a closed JSON Schema."""
    return _convert(node, spec, ())


def _convert(node: Mapping[str, Any], spec: Mapping[str, Any], seen: tuple[str, ...]) -> JSONSchema:
    if "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            raise SpecShapeError(f"recursive reference {ref}")
        return _convert(_resolve(ref, spec), spec, (*seen, ref))
    out: JSONSchema = {}
    for key, value in node.items():
        if key in _COPIED:
            out[key] = value
        elif key == "example":
            out["examples"] = [value]
        elif key == "x-enum-descriptions":
            out["enumDescriptions"] = list(value)
        elif key == "nullable":
            continue  # folded into "type" below
        elif key == "properties":
            out[key] = {name: _convert(sub, spec, seen) for name, sub in value.items()}
        elif key in _SINGLE:
            out[key] = _convert(value, spec, seen)
        elif key in _LISTS:
            out[key] = [_convert(sub, spec, seen) for sub in value]
        elif key == "additionalProperties":
            if isinstance(value, Mapping):
                out[key] = _convert(value, spec, seen)
            else:
                out[key] = value
        elif key in _DROPPED or key.startswith("x-"):
            continue
        else:
            raise SpecShapeError(f"unsupported keyword {key!r} in the spec")
    if node.get("nullable") is True and "type" in out:
        out["type"] = [out["type"], "null"]
    # An object that lists its keys accepts only those. One that lists none is free-form in
    # the spec, and stays free-form here: there is nothing to check its keys against.
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def _resolve(ref: str, spec: Mapping[str, Any]) -> Mapping[str, Any]:
    if not ref.startswith("#/"):
        raise SpecShapeError(f"external reference {ref} is not supported")
    node: Any = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    if not isinstance(node, Mapping):
        raise SpecShapeError(f"reference {ref} does not point at a schema")
    result: Mapping[str, Any] = node
    return result


def leaf_paths(schema: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every leaf under `schema`: a scalar or an array; nested objects are expanded."""
    properties = schema.get("properties")
    if not properties:
        return [prefix]
    found: list[tuple[str, ...]] = []
    for name, sub in properties.items():
        found.extend(leaf_paths(sub, (*prefix, name)))
    return found
