"""Zoom's official OpenAPI documents turned into ready validators for one operation at a time.

The documents are used as Zoom published them, with three mechanical adjustments made once here:
- the top-level `oneOf` of group settings and lock settings, chosen by the `?option=` query
  parameter, is resolved to the variant whose properties name the option, or the first variant
  when no option is given;
- any other `oneOf` becomes `anyOf`: Zoom's variants never close their objects, so more than
  one always matches and `oneOf` would refuse every valid body;
- an array bound written as `maximum` is read as `maxItems`, and an `enum` written on an array
  (the allowed values of its items) is moved to its items.
- in SCIM2's Get User answer, `groups` and `roles` are read as lists of the object the spec
  shows: every other User answer of the same spec has them as lists, as SCIM defines them.
Settings documents may be validated "closed" (unknown keys refused), which is how the sandbox
treats PATCH bodies for settings and lock settings so that a misspelt key shows as an error.

Two sections of group settings are missing from the spec but listed on Zoom's reference page
for `GET /groups/{groupId}/settings`: `general_setting` and `mail_calendar` (booleans). The
sandbox adds them to the settings document without `option`, in GET and PATCH alike, so a
client that manages them finds them where Zoom's page shows them. Should the spec ever define
them, its definition wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from reconciler.openapi import load_spec
from reconciler.sandbox.errors import FieldError

SpecName = Literal["users-api", "scim2-api"]

SETTINGS_TEMPLATES = frozenset(
    {"/groups/{groupId}/settings", "/groups/{groupId}/lock_settings", "/users/{userId}/settings"}
)
GROUP_SETTINGS_TEMPLATE = "/groups/{groupId}/settings"


def _booleans(*names: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: {"type": "boolean"} for name in names},
    }


# Documented on the GET reference page of group settings only (see the module docstring).
PAGE_ONLY_SECTIONS: dict[str, dict[str, Any]] = {
    "general_setting": _booleans("auto_zoom_room_proximity_connect"),
    "mail_calendar": _booleans(
        "email_calendar_management", "email_management", "zoom_email_provider"
    ),
}


@dataclass(frozen=True, slots=True)
class OperationKey:
    """One operation of a spec: which document, the HTTP method (lower case), the path template."""

    spec: SpecName
    method: str
    template: str

    def definition(self) -> dict[str, Any]:
        try:
            op: dict[str, Any] = load_spec(self.spec)["paths"][self.template][self.method]
        except KeyError:
            raise KeyError(f"{self.method.upper()} {self.template} is not in {self.spec}") from None
        return op


def rate_limit_label(key: OperationKey) -> str:
    """The 'Rate Limit Label' Zoom writes into every operation's description (e.g. `MEDIUM`)."""
    found = re.search(r"Rate Limit Label[^`]*`([^`]+)`", key.definition().get("description", ""))
    if not found:
        raise KeyError(f"{key.method.upper()} {key.template} has no rate limit label")
    return found.group(1)


def _choose_variant(schema: dict[str, Any], option: str | None) -> dict[str, Any]:
    """Resolve a top-level `oneOf` the way Zoom does: by the `option` query parameter."""
    while "oneOf" in schema:
        variants: list[dict[str, Any]] = schema["oneOf"]
        if option is None:
            schema = variants[0]
            continue
        chosen = next((v for v in variants if option in _names(v)), None)
        if chosen is None:
            return variants[0]
        schema = chosen
    return schema


def _with_page_only_sections(
    schema: dict[str, Any], template: str, option: str | None
) -> dict[str, Any]:
    """The default settings document plus the sections only Zoom's reference page lists."""
    if template != GROUP_SETTINGS_TEMPLATE or option is not None:
        return schema
    properties = dict(schema.get("properties", {}))
    for name, section in PAGE_ONLY_SECTIONS.items():
        properties.setdefault(name, section)
    return {**schema, "properties": properties}


def _settings_variant(schema: dict[str, Any], template: str, option: str | None) -> dict[str, Any]:
    return _with_page_only_sections(_choose_variant(schema, option), template, option)


def _names(schema: dict[str, Any]) -> set[str]:
    names = set(schema.get("properties", {}))
    for variant in schema.get("oneOf", []):
        names |= _names(variant)
    return names


def _normalise(node: Any, *, closed: bool) -> Any:
    if isinstance(node, list):
        return [_normalise(item, closed=closed) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _normalise(v, closed=closed) for k, v in node.items() if k not in ("example",)}
    if "oneOf" in out:
        out["anyOf"] = out.pop("oneOf")
    if out.get("type") == "array" and "maximum" in out:
        out["maxItems"] = out.pop("maximum")
    if out.get("type") == "array" and "enum" in out:
        out["items"] = {**out.get("items", {}), "enum": out.pop("enum")}
    if closed and "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def _body_schema(container: dict[str, Any]) -> dict[str, Any] | None:
    content: dict[str, Any] = container.get("content", {})
    for media in ("application/json", "application/scim+json"):
        if media in content and "schema" in content[media]:
            schema: dict[str, Any] = content[media]["schema"]
            return schema
    return None


@cache
def request_validator(
    key: OperationKey, option: str | None = None, *, page_only_sections: bool = True
) -> Draft7Validator | None:
    """The validator for the JSON body of a request, or None when the operation takes none.

    `page_only_sections=False` gives the spec's own schema, without the settings sections only
    Zoom's reference page lists: what a contract test checks its requests against.
    """
    schema = _body_schema(key.definition().get("requestBody", {}))
    if schema is None:
        return None
    settings = key.spec == "users-api" and key.template in SETTINGS_TEMPLATES
    if settings:
        schema = _choose_variant(schema, option)
        if page_only_sections:
            schema = _with_page_only_sections(schema, key.template, option)
    return _compile(schema, closed=settings)


@cache
def response_validator(
    key: OperationKey, status: int, option: str | None = None, *, closed: bool = False
) -> Draft7Validator | None:
    """The validator for a response body with this status, or None when Zoom documents none."""
    response = key.definition().get("responses", {}).get(str(status))
    if response is None:
        raise KeyError(f"{key.method.upper()} {key.template} documents no {status} response")
    schema = _body_schema(response)
    if schema is None:
        return None
    if key.spec == "users-api" and key.template in SETTINGS_TEMPLATES:
        schema = _settings_variant(schema, key.template, option)
    if key == SCIM_GET_USER:
        schema = _multi_valued(schema, ("groups", "roles"))
    return _compile(schema, closed=closed)


SCIM_GET_USER = OperationKey("scim2-api", "get", "/scim2/Users/{userId}")


def _multi_valued(schema: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The schema with these properties, written as one object, read as lists of it."""
    properties = dict(schema.get("properties", {}))
    for name in names:
        shown = properties.get(name)
        if shown is not None and shown.get("type") == "object":
            properties[name] = {"type": "array", "items": shown}
    return {**schema, "properties": properties}


def parameter_schemas(key: OperationKey, location: str) -> dict[str, dict[str, Any]]:
    """The schemas of an operation's query (or path) parameters, by name."""
    return {
        p["name"]: p.get("schema", {})
        for p in key.definition().get("parameters", [])
        if p.get("in") == location
    }


def settings_schema(template: str, option: str | None, method: str = "get") -> dict[str, Any]:
    """The raw (unnormalised) schema of a group settings or lock settings document."""
    op = OperationKey("users-api", method, template).definition()
    container = op["responses"]["200"] if method == "get" else op["requestBody"]
    schema = _body_schema(container)
    assert schema is not None
    return _settings_variant(schema, template, option)


def _compile(schema: dict[str, Any], *, closed: bool) -> Draft7Validator:
    return Draft7Validator(_normalise(schema, closed=closed), format_checker=FormatChecker())


def field_errors(validator: Draft7Validator, instance: Any) -> list[FieldError]:
    """Every problem in a body, as Zoom lists them: dotted field names, one entry each."""
    found: list[FieldError] = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path))):
        found.append(FieldError(_field_name(error)))
    return found


def _field_name(error: ValidationError) -> str:
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "required" and isinstance(error.message, str):
        missing = re.match(r"'([^']+)' is a required property", error.message)
        if missing:
            parts.append(missing.group(1))
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        if extra:
            parts.append(extra[0])
    return ".".join(parts) or "body"
