"""SCIM2 beside the v2 client: the same token and scheduler, SCIM's resources and errors.

Zoom's SCIM2 API (seed 000; scim2-api.json) lives at `https://api.zoom.us/scim2`, needs the
`scim2` scope (granular `scim2:admin`) and labels each operation with the same rate-limit
categories as v2, so its calls are paced by the one scheduler (`catalog.Api.SCIM2`).

Resources are parsed with scim2-models, with two Zoom departures read apart because the RFC
models refuse them: `groups` may be one object (the primary group, as Zoom's spec shows Get
User) or a list whose items may carry a `primary` flag (seed 000 "Whether the group is the
user's primary group"; unmarked, the first is the primary one); and Zoom's own
`urn:...:zoom:1.0:User` extension is not an RFC schema. Errors come in SCIM's error schema
(`{"schemas": [...Error], "detail", "status"}`) or, for some refusals, Zoom's `{code, message}`;
both become the same `ZoomAPIError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from scim2_models import EnterpriseUser, Error, User

from reconciler.errors import ReconcilerError, ZoomAPIError
from reconciler.zoom.errors import MISSING_SCOPE
from reconciler.zoom.http import ApiResponse

SCOPES = ("scim2", "scim2:admin")
"""The classic and the granular scope Zoom accepts for SCIM2 (seed 000)."""

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
_RFC_SCHEMAS = frozenset({CORE_USER, ENTERPRISE_USER})


class Scim2ScopeMissing(ReconcilerError):
    """The app may not use SCIM2: what needs it, and the scope to add."""

    def __init__(self, needed_for: str, refusal: ZoomAPIError) -> None:
        super().__init__(
            f"{needed_for} reads through Zoom's SCIM2 API, which this app may not use "
            f"({refusal}). Add the scope {SCOPES[0]} (granular: {SCOPES[1]}) to the "
            "Server-to-Server OAuth app, or set policy.primary_groups: trust."
        )


MISSING_SCOPE_MESSAGE = "does not contain scopes"
"""Zoom's words for it, which a SCIM2 error body carries without the code."""


def is_missing_scope(error: ZoomAPIError) -> bool:
    """Zoom's refusals of a token that lacks the scope: code 4711 or its message, or a SCIM
    401/403."""
    return (
        error.code == MISSING_SCOPE
        or MISSING_SCOPE_MESSAGE in error.message
        or error.status in (401, 403)
    )


@dataclass(frozen=True)
class ScimUser:
    """What the reconciler reads from a SCIM2 user."""

    id: str
    user_name: str
    active: bool | None
    primary_group: str | None
    """The name of the primary group (SCIM's `groups[].value` is the group name), if any."""


def parse_user(body: Any) -> ScimUser:
    """A SCIM2 User resource as Zoom sends it (Get User or an item of List Users)."""
    if not isinstance(body, dict):
        raise ReconcilerError("Zoom's SCIM2 API answered a user request without a user")
    core = {key: value for key, value in body.items() if key != "groups" and _rfc_key(key)}
    core["schemas"] = [s for s in body.get("schemas") or () if s in _RFC_SCHEMAS]
    try:
        user = User[EnterpriseUser].model_validate(core)
    except ValidationError as bad:
        raise ReconcilerError(f"Zoom's SCIM2 user is not a SCIM User: {bad}") from None
    return ScimUser(
        id=str(user.id or ""),
        user_name=str(user.user_name or ""),
        active=user.active,
        primary_group=_primary_group(body.get("groups")),
    )


def _rfc_key(key: str) -> bool:
    return not key.startswith("urn:") or key in _RFC_SCHEMAS


def _primary_group(groups: Any) -> str | None:
    """Get User's one object (Zoom's spec) is the primary group; in a list, the one marked
    `primary` (S000:553), else the first: Zoom lists a user's groups primary first."""
    if isinstance(groups, dict):
        groups = [{**groups, "primary": True}]
    if not isinstance(groups, list):
        return None
    named = [g for g in groups if isinstance(g, dict) and g.get("value")]
    marked = [g for g in named if g.get("primary")]
    chosen = (marked or named)[:1]
    return str(chosen[0]["value"]) if chosen else None


def error_words(response: ApiResponse) -> tuple[int | None, str]:
    """(code, message) of a SCIM2 error answer: SCIM's `status` and `detail`, or Zoom's own
    `code` and `message` where it answers in those."""
    code, message = response.zoom_code, response.zoom_message
    body = response.body
    if isinstance(body, dict) and "detail" in body:
        try:
            error = Error.model_validate(body)
        except ValidationError:
            return code, message
        message = error.detail or message
        code = code if code is not None else error.status
    return code, message
