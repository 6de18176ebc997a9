"""A user's own settings (`GET`/`PATCH /users/{userId}/settings`) and `POST /users/features`.

A user's settings start from defaults derived from the spec's GET answer, as a group's do
(settings.py), with every licence off (`concurrent_meeting` "None": the spec's enum would
otherwise give "Basic"). A user stores only what was patched, per document, as a group does;
the `option` documents (`meeting_authentication`, `recording_authentication`,
`meeting_security`) share the group documents' shapes and defaults (the spec gives both the
same bodies). Licences (`feature`) change through either write path and are checked as Zoom
does (features.py).
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from reconciler.sandbox import errors
from reconciler.sandbox.endpoint import Call, Handler, Reply
from reconciler.sandbox.entities import User
from reconciler.sandbox.errors import FieldError, SandboxError
from reconciler.sandbox.features import (
    BULK_INTERVAL_NAME,
    BULK_INTERVAL_S,
    BULK_MAX_USERS,
    LICENCES,
    NO_NEED,
    NOT_FOUND,
    Seats,
    check_feature_patch,
    feature_patch,
    holds,
    refusal_reason,
)
from reconciler.sandbox.ratelimit import Category
from reconciler.sandbox.settings import (
    AUTHENTICATION_DOCUMENTS,
    Document,
    apply_authentication_patch,
    default_value,
    merge,
    only_fields,
    overlay,
    read,
)
from reconciler.sandbox.spec import settings_schema
from reconciler.sandbox.store import Store

USER_SETTINGS = "/users/{userId}/settings"
DEFAULT_KEY = "settings"


@cache
def _defaults() -> dict[str, Any]:
    defaults: dict[str, Any] = default_value(settings_schema(USER_SETTINGS, None))
    defaults["feature"]["concurrent_meeting"] = "None"
    return defaults


def user_settings(user: User, option: str | None = None) -> dict[str, Any]:
    """The complete document a GET answers (read-only: copy before changing it)."""
    if option is None:
        return overlay(_defaults(), user.settings.get(DEFAULT_KEY, {}))
    document = Document.find("settings", option)
    return read(document, user.settings.get(document.state_key))


def feature_of(user: User) -> dict[str, Any]:
    feature: dict[str, Any] = user_settings(user)["feature"]
    return feature


def seats(store: Store) -> Seats:
    """The account's seats, counted over its users."""

    def taken(name: str) -> int:
        return sum(1 for user in store.users.values() if holds(feature_of(user), name))

    return Seats(store.seats, taken)


def patch_user_settings(store: Store, user: User, option: str | None, body: dict[str, Any]) -> None:
    """PATCH: licences checked first (a refusal changes nothing), then a deep merge."""
    if option is None:
        patch = body.get("feature")
        if isinstance(patch, dict) and patch:
            check_feature_patch(user, feature_of(user), patch, seats(store))
        merge(user.settings.setdefault(DEFAULT_KEY, {}), body)
        return
    document = Document.find("settings", option)
    overrides = user.settings.setdefault(document.state_key, {})
    if document in AUTHENTICATION_DOCUMENTS:
        apply_authentication_patch(document, overrides, body)
    else:
        merge(overrides, body)


def bulk_update_features(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """POST /users/features: each user updated or failed with Zoom's reason (201 either way)."""
    name = str(body.get("feature_type", ""))
    if name not in LICENCES:
        raise SandboxError(400, 200, "Current account does not enable this feature.")
    patch = feature_patch(name, str(body.get("feature_value", "")))
    refs = body.get("users") or []
    if len(refs) > BULK_MAX_USERS:
        raise errors.validation_failed([FieldError("users", "At most 30 users a request.")])
    updated: list[str] = []
    failed: dict[str, list[str]] = {}
    for ref in refs:
        wanted = str(ref.get("id") or ref.get("email") or "")
        user = store.users.get(wanted) or _by_email(store, wanted)
        if user is None:
            failed.setdefault(NOT_FOUND, []).append(wanted)
            continue
        current = feature_of(user)
        if all(current.get(key) == value for key, value in patch.items()):
            failed.setdefault(NO_NEED, []).append(user.id)
            continue
        after = {**current, **patch}
        reason = None
        if holds(after, name) and not holds(current, name):
            reason = refusal_reason(user, name, seats(store))
        if reason is not None:
            failed.setdefault(reason, []).append(user.id)
            continue
        merge(user.settings.setdefault(DEFAULT_KEY, {}), {"feature": copy.deepcopy(patch)})
        updated.append(user.id)
    return {
        "success_user_ids": updated,
        "fail_details": [{"user_ids": ids, "reason": reason} for reason, ids in failed.items()],
    }


def _by_email(store: Store, email: str) -> User | None:
    try:
        return store.user(email) if "@" in email else None
    except SandboxError:
        return None


# ---- handlers -----------------------------------------------------------------------------


def get_settings(call: Call) -> Reply:
    user = call.store.usable_user(call.params["userId"])
    option = call.query.get("option")
    body = user_settings(user, str(option) if option else None)
    fields = call.query.get("custom_query_fields")
    if fields:
        body = only_fields(body, {f.strip() for f in str(fields).split(",")})
    return Reply(body=body)


def patch_settings(call: Call) -> Reply:
    user = call.store.usable_user(call.params["userId"])
    option = call.query.get("option")
    patch_user_settings(call.store, user, str(option) if option else None, call.body)
    return Reply(204)


def post_features(call: Call) -> Reply:
    call.sandbox.limiter.charge_interval(BULK_INTERVAL_NAME, BULK_INTERVAL_S, Category.MEDIUM)
    return Reply(201, bulk_update_features(call.store, call.body))


ROUTES: list[tuple[str, str, Handler]] = [
    ("POST", "/users/features", post_features),
    ("GET", USER_SETTINGS, get_settings),
    ("PATCH", USER_SETTINGS, patch_settings),
]
"""Registered with the Users API v2 routes."""
