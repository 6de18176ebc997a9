"""Build the settings and lock-settings schemas from Zoom's official Users API spec.

The spec describes each `PATCH` body as a `oneOf` chosen by the `option` query parameter.
The configuration writes all of them in one mapping (see `documents.py`), so the schema for
that mapping is the default body's sections, plus one section per option, plus the sections
Zoom documents only in its reference pages (`seed_sections.py`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from reconciler.openapi import load_spec

from .convert import JSONSchema, SpecShapeError, closed_schema
from .documents import USER_SETTINGS_EXCLUDED, BodyShape, SettingsDocument, option_sections
from .seed_sections import SEED_SECTIONS

DIALECT = "https://json-schema.org/draft/2020-12/schema"

_TITLES = {
    SettingsDocument.SETTINGS: "Zoom group settings",
    SettingsDocument.LOCK_SETTINGS: "Zoom group lock settings",
    SettingsDocument.USER_SETTINGS: "Zoom user settings",
}
_DESCRIPTIONS = {
    SettingsDocument.SETTINGS: (
        "A group's `settings` in the configuration: the body of"
        " `PATCH /groups/{groupId}/settings` without `option`, plus one section per `option`"
        " (`meeting_authentication`, `recording_authentication`, `meeting_security`)."
        " Every key is optional: only the keys written are managed."
    ),
    SettingsDocument.LOCK_SETTINGS: (
        "A group's `lock_settings` in the configuration: the body of"
        " `PATCH /groups/{groupId}/lock_settings` without `option`, plus a `meeting_security`"
        " section for `option=meeting_security`. `true` locks a setting for the group's"
        " members. Every key is optional: only the keys written are managed."
    ),
    SettingsDocument.USER_SETTINGS: (
        "A user's `settings` in the configuration: the body of"
        " `PATCH /users/{userId}/settings` without `option` (but for `feature`: licences are"
        " the user's `features`), plus one section per `option` (`meeting_authentication`,"
        " `recording_authentication`, `meeting_security`). Every key is optional: only the keys"
        " written are managed. A setting the user's group locks does not take effect."
    ),
}


@dataclass(frozen=True)
class RequestVariants:
    """The closed schema of each request body a document's PATCH accepts."""

    default: JSONSchema
    options: dict[str, JSONSchema]

    def for_option(self, option: str | None) -> JSONSchema:
        """The body schema sent with `?option=<option>`, or without `option` for None."""
        return self.default if option is None else self.options[option]


@cache
def request_variants(document: SettingsDocument) -> RequestVariants:
    """Find the default body and each option's body in the spec's `oneOf`, and close them."""
    spec = load_spec("users-api")
    operation = spec["paths"][document.api_path]["patch"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    expected = option_sections(document)
    _check_option_parameter(operation, document, set(expected))
    default: JSONSchema | None = None
    options: dict[str, JSONSchema] = {}
    for variant in _flat_variants(body, spec):
        names = set(variant.get("properties", {}))
        matched = names & set(expected)
        if len(matched) > 1:
            raise SpecShapeError(f"{document.value}: one body names several options {matched}")
        if not matched:
            if default is not None:
                raise SpecShapeError(f"{document.value}: more than one body without an option")
            default = closed_schema(variant, spec)
            continue
        option = matched.pop()
        if expected[option].shape is BodyShape.WRAPPED and names != {option}:
            raise SpecShapeError(f"{document.value}: the {option} body is not a single wrapper")
        options[option] = closed_schema(variant, spec)
    missing = set(expected) - set(options)
    if default is None or missing:
        raise SpecShapeError(f"{document.value}: the spec has no body for {sorted(missing)}")
    return RequestVariants(default=default, options=options)


def _flat_variants(schema: Mapping[str, Any], spec: Mapping[str, Any]) -> Iterator[JSONSchema]:
    """The leaves of nested `oneOf`s: Zoom nests the two authentication bodies in one."""
    if "$ref" in schema:
        yield from _flat_variants(closed_schema(schema, spec), spec)
    elif "oneOf" in schema:
        for sub in schema["oneOf"]:
            yield from _flat_variants(sub, spec)
    else:
        yield dict(schema)


def _check_option_parameter(
    operation: Mapping[str, Any], document: SettingsDocument, expected: set[str]
) -> None:
    """Fail loudly if Zoom adds or drops an option value: the section table needs updating."""
    for parameter in operation.get("parameters", []):
        if parameter.get("name") == "option" and parameter.get("in") == "query":
            values = parameter.get("schema", {}).get("enum")
            if values is not None and set(values) != expected:
                raise SpecShapeError(
                    f"{document.value}: the spec's option values {sorted(values)}"
                    f" differ from the known sections {sorted(expected)}"
                )


@cache
def _settings_schema(document: SettingsDocument) -> JSONSchema:
    variants = request_variants(document)
    sections: dict[str, JSONSchema] = {}
    if document is SettingsDocument.SETTINGS:
        sections.update(copy.deepcopy(SEED_SECTIONS))
    # The spec wins over the reference pages if both describe a section.
    sections.update(copy.deepcopy(variants.default["properties"]))
    if document is SettingsDocument.USER_SETTINGS:
        for excluded in USER_SETTINGS_EXCLUDED:
            sections.pop(excluded, None)
    for option, section in option_sections(document).items():
        body = copy.deepcopy(variants.options[option])
        sent_as = f"Sent as `PATCH {document.api_path}?option={option}`."
        if section.shape is BodyShape.WRAPPED:
            schema = body["properties"][option]
            schema.setdefault("description", body.get("title"))
        else:
            # The flat body has no description of its own; its flag of the same name says it.
            schema = body
            schema.pop("title", None)
            schema.setdefault("description", schema["properties"][option].get("description"))
        described = str(schema.get("description") or "").rstrip(".")
        schema["description"] = f"{described}. {sent_as}" if described else sent_as
        sections[option] = schema
    return {
        "$schema": DIALECT,
        "title": _TITLES[document],
        "description": _DESCRIPTIONS[document],
        "type": "object",
        "properties": sections,
        "additionalProperties": False,
    }


def settings_schema(document: SettingsDocument) -> JSONSchema:
    """The JSON Schema of a group's `settings` or `lock_settings` mapping (a fresh copy)."""
    return copy.deepcopy(_settings_schema(document))


def option_request_schema(document: SettingsDocument, option: str | None) -> JSONSchema:
    """The spec's own body schema for one option (closed), as a standalone JSON Schema."""
    return {"$schema": DIALECT, **copy.deepcopy(request_variants(document).for_option(option))}
