"""The configuration's JSON Schema, for editors, with Zoom's settings keys inside groups.

It comes from the pydantic model; the group fields `settings` and `lock_settings` are
free-form there (their keys are checked by `check_settings`), so the generated settings
schemas are embedded in their place to let editors complete and check Zoom's keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .convert import JSONSchema
from .documents import SettingsDocument
from .generate import DIALECT, settings_schema

SETTINGS_DEFINITIONS = {
    SettingsDocument.SETTINGS: "ZoomGroupSettings",
    SettingsDocument.LOCK_SETTINGS: "ZoomGroupLockSettings",
}


def config_schema() -> JSONSchema:
    """The schema of a whole configuration file, from `reconciler.model.Config`."""
    # Imported here: the model package is the configuration's, and it may use this package.
    from reconciler.model import Config

    return embed_settings_schemas(Config.model_json_schema())


def embed_settings_schemas(schema: Mapping[str, Any]) -> JSONSchema:
    """`schema` with the group model's settings fields pointing at the Zoom settings schemas."""
    result: JSONSchema = {"$schema": DIALECT, **schema}
    definitions: dict[str, Any] = dict(result.get("$defs", {}))
    groups = [
        name
        for name, definition in definitions.items()
        if {document.value for document in SettingsDocument}
        <= set(definition.get("properties", {}))
    ]
    if len(groups) != 1:
        raise ValueError(
            "expected one model with both settings and lock_settings fields in the"
            f" configuration schema, found {groups or 'none'}"
        )
    group = dict(definitions[groups[0]])
    properties = dict(group["properties"])
    for document, definition_name in SETTINGS_DEFINITIONS.items():
        embedded = settings_schema(document)
        embedded.pop("$schema")
        definitions[definition_name] = embedded
        properties[document.value] = _pointing_at(properties[document.value], definition_name)
    group["properties"] = properties
    definitions[groups[0]] = group
    result["$defs"] = definitions
    return result


def _pointing_at(field: Mapping[str, Any], definition_name: str) -> JSONSchema:
    """The field's schema with its shape replaced by a reference; null stays allowed if it was."""
    reference = {"$ref": f"#/$defs/{definition_name}"}
    kept = {k: v for k, v in field.items() if k in ("title", "description", "default")}
    alternatives = field.get("anyOf", [])
    if {"type": "null"} in alternatives or field.get("type") == "null":
        return {**kept, "anyOf": [reference, {"type": "null"}]}
    return {**kept, **reference}
