"""The configuration's JSON Schema, for editors, with Zoom's settings keys inside groups and users.

It comes from the pydantic model; the group fields `settings` and `lock_settings` and the user
fields `settings` and `features` are free-form there (their keys are checked by
`check_settings` and the licence table), so the generated schemas are embedded in their place
to let editors complete and check Zoom's keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .convert import JSONSchema
from .documents import GROUP_DOCUMENTS, SettingsDocument
from .features_schema import features_schema
from .generate import DIALECT, settings_schema

SETTINGS_DEFINITIONS = {
    SettingsDocument.SETTINGS: "ZoomGroupSettings",
    SettingsDocument.LOCK_SETTINGS: "ZoomGroupLockSettings",
}
USER_SETTINGS_DEFINITION = "ZoomUserSettings"
FEATURES_DEFINITION = "ZoomUserFeatures"


def config_schema() -> JSONSchema:
    """The schema of a whole configuration file, from `reconciler.model.Config`."""
    # Imported here: the model package is the configuration's, and it may use this package.
    from reconciler.model import Config

    return embed_user_schemas(embed_settings_schemas(Config.model_json_schema()))


def embed_settings_schemas(schema: Mapping[str, Any]) -> JSONSchema:
    """`schema` with the group model's settings fields pointing at the Zoom settings schemas."""
    result: JSONSchema = {"$schema": DIALECT, **schema}
    definitions: dict[str, Any] = dict(result.get("$defs", {}))
    groups = [
        name
        for name, definition in definitions.items()
        if {document.value for document in GROUP_DOCUMENTS} <= set(definition.get("properties", {}))
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


def embed_user_schemas(schema: Mapping[str, Any]) -> JSONSchema:
    """`schema` with the user model's `settings` and `features` pointing at their schemas."""
    result: JSONSchema = dict(schema)
    definitions: dict[str, Any] = dict(result.get("$defs", {}))
    users = [
        name
        for name, definition in definitions.items()
        if {"email", "settings", "features"} <= set(definition.get("properties", {}))
    ]
    if len(users) != 1:
        raise ValueError(f"expected one user model in the configuration schema, found {users}")
    user = dict(definitions[users[0]])
    properties = dict(user["properties"])
    embedded = settings_schema(SettingsDocument.USER_SETTINGS)
    embedded.pop("$schema")
    definitions[USER_SETTINGS_DEFINITION] = embedded
    definitions[FEATURES_DEFINITION] = features_schema()
    properties["settings"] = _pointing_at(properties["settings"], USER_SETTINGS_DEFINITION)
    properties["features"] = _pointing_at(properties["features"], FEATURES_DEFINITION)
    user["properties"] = properties
    definitions[users[0]] = user
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
