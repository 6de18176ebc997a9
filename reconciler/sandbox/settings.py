"""Group settings and lock settings documents: complete defaults from the spec, partial merges.

Zoom answers GET settings with every key of the document, so each document starts from
defaults derived from the official GET response schema: a boolean is false unless the spec
gives a default, an enum takes its default or first value, a string its default or "", a
number its default or minimum or 0, an array is empty. A group stores only what was patched
(its overrides); a read is the defaults with the overrides merged in, so a new group costs
nothing and 100,000 users never copy a settings document.

PATCH merges deeply: objects merge key by key, anything else (scalars, arrays) is replaced.
Omitted keys stay as they were (facts §5: the Users spec is silent; SCIM states "include only
the parameters you want to update").
"""

from __future__ import annotations

import copy
from enum import Enum
from functools import cache
from typing import Any

from reconciler.sandbox.errors import SandboxError
from reconciler.sandbox.spec import settings_schema

SETTINGS_PATH = "/groups/{groupId}/settings"
LOCK_SETTINGS_PATH = "/groups/{groupId}/lock_settings"


class Document(Enum):
    """Which settings document a request addresses: the path plus the `option` query value."""

    SETTINGS = ("settings", None)
    MEETING_AUTHENTICATION = ("settings", "meeting_authentication")
    RECORDING_AUTHENTICATION = ("settings", "recording_authentication")
    MEETING_SECURITY = ("settings", "meeting_security")
    LOCK_SETTINGS = ("lock_settings", None)
    LOCK_MEETING_SECURITY = ("lock_settings", "meeting_security")

    @property
    def template(self) -> str:
        return SETTINGS_PATH if self.value[0] == "settings" else LOCK_SETTINGS_PATH

    @property
    def option(self) -> str | None:
        option: str | None = self.value[1]
        return option

    @property
    def state_key(self) -> str:
        return self.value[0] if self.option is None else f"{self.value[0]}:{self.option}"

    @classmethod
    def find(cls, kind: str, option: str | None) -> Document:
        for document in cls:
            if document.value == (kind, option):
                return document
        choices = ", ".join(d.option for d in cls if d.value[0] == kind and d.option)
        raise SandboxError(400, 300, f"Invalid option: {option}. Valid options: {choices}.")

    @classmethod
    def from_state_key(cls, key: str) -> Document:
        for document in cls:
            if document.state_key == key:
                return document
        raise ValueError(f"unknown settings document {key!r}")


AUTHENTICATION_DOCUMENTS = {Document.MEETING_AUTHENTICATION, Document.RECORDING_AUTHENTICATION}


def split_by_option(kind: str, mapping: dict[str, Any]) -> dict[Document, dict[str, Any]]:
    """One settings mapping in the configuration's shape, as the PATCH body of each document.

    The configuration writes a group's settings as one mapping with a section per `option`
    (docs/settings.md): `meeting_security` holds the object Zoom nests under that name, and an
    authentication section holds the whole body of its request. Everything else belongs to
    the document read and written without `option`.
    """
    options = {d.option: d for d in Document if d.value[0] == kind and d.option is not None}
    plain = {key: value for key, value in mapping.items() if key not in options}
    bodies: dict[Document, dict[str, Any]] = {Document.find(kind, None): plain} if plain else {}
    for option, document in options.items():
        if option in mapping:
            section = mapping[option]
            authentication = document in AUTHENTICATION_DOCUMENTS
            bodies[document] = section if authentication else {option: section}
    return bodies


def default_value(schema: dict[str, Any]) -> Any:
    """The value a fresh account holds for one schema node (see the module docstring)."""
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(default_value(part))
        return merged
    if "oneOf" in schema:
        return default_value(schema["oneOf"][0])
    if "default" in schema:
        return copy.deepcopy(schema["default"])
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if kind == "object":
        return {name: default_value(sub) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return []
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    return ""


def _authentication_options(document: Document) -> list[dict[str, Any]]:
    """The authentication profiles every account starts with (Zoom ships the same two)."""
    kinds = ["enforce_login", "enforce_login_with_domains"]
    if document is Document.RECORDING_AUTHENTICATION:
        kinds = ["internally", *kinds]
    names = {
        "internally": "Only authenticated users in my account",
        "enforce_login": "Sign in to Zoom",
        "enforce_login_with_domains": "Sign in to Zoom with specified domains",
    }
    return [
        {
            "id": f"{document.option}_{kind}",
            "name": names[kind],
            "type": kind,
            "default_option": position == 0,
            "domains": "",
            "visible": True,
        }
        for position, kind in enumerate(kinds)
    ]


@cache
def _defaults(document: Document) -> dict[str, Any]:
    defaults: dict[str, Any] = default_value(settings_schema(document.template, document.option))
    if document in AUTHENTICATION_DOCUMENTS:
        defaults["authentication_options"] = _authentication_options(document)
    return defaults


def merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Deep partial merge, in place on `base`: objects key by key, everything else replaced."""
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def read(document: Document, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """The complete document: defaults with a group's overrides laid over them.

    Read-only: sections without overrides are shared with the cached defaults, so a GET costs
    no copy of the whole document. Copy before changing anything in the result.
    """
    return overlay(_defaults(document), overrides or {})


def overlay(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """`merge` without touching `base`: new dicts only along the patched paths."""
    if not patch:
        return base
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = overlay(base[key], value)
        else:
            out[key] = value
    return out


def only_fields(document: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """GET's `custom_query_fields`: keep only the named leaves, and the sections holding them."""
    kept: dict[str, Any] = {}
    for key, value in document.items():
        if isinstance(value, dict):
            inner = only_fields(value, names)
            if inner:
                kept[key] = inner
        elif key in names:
            kept[key] = value
    return kept


def apply_authentication_patch(
    document: Document, overrides: dict[str, Any], body: dict[str, Any]
) -> None:
    """Meeting or recording authentication PATCH: a flag, and one profile to update/show/hide."""
    option = body.get("authentication_option")
    flag = {k: v for k, v in body.items() if k != "authentication_option"}
    merge(overrides, flag)
    if option is None:
        return
    current = copy.deepcopy(read(document, overrides)["authentication_options"])
    target = next((o for o in current if o["id"] == option.get("id")), None)
    if target is None:
        raise SandboxError(400, 300, f"Authentication option does not exist: {option.get('id')}.")
    action = option.get("action", "update")
    if action in ("show", "hide"):
        target["visible"] = action == "show"
    else:
        for name in ("name", "type", "domains", "default_option"):
            if name in option:
                target[name] = option[name]
        if option.get("default_option"):
            for other in current:
                other["default_option"] = other is target
    overrides["authentication_options"] = current
