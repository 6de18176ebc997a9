"""Zoom's JSON answers turned into the live model: pure, one function per object."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from reconciler.model.features import features_from_live
from reconciler.model.live import (
    ContactMemberType,
    LiveContactGroup,
    LiveContactMember,
    LiveDivision,
    LiveGroup,
    LiveUser,
    ZoomUserStatus,
)
from reconciler.model.user import User
from reconciler.plan.desired import NOT_PROFILE
from reconciler.schema.documents import USER_SETTINGS_EXCLUDED

PROFILE_FIELDS = frozenset(User.model_fields) - NOT_PROFILE - {"password"}
"""The profile fields a configuration can manage; volatile ones (last login...) stay out, so
that a saved plan's fingerprint changes only when something the plan compares changes."""

_CONTACT_MEMBER_TYPES = {1: ContactMemberType.USER, 2: ContactMemberType.GROUP}


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(item) for item in value if item)


def _profile(item: Mapping[str, Any]) -> dict[str, Any]:
    profile = {name: item[name] for name in sorted(PROFILE_FIELDS) if name in item}
    vanity_url = item.get("vanity_url")
    if "vanity_name" not in profile and isinstance(vanity_url, str) and vanity_url:
        profile["vanity_name"] = vanity_url.rstrip("/").rsplit("/", 1)[-1]
    return profile


def with_user_settings(found: LiveUser, merged: Mapping[str, Any]) -> LiveUser:
    """The user with their licences and own settings, from the merged settings answers."""
    feature = merged.get("feature")
    settings = {k: v for k, v in merged.items() if k not in USER_SETTINGS_EXCLUDED}
    return replace(
        found,
        features=features_from_live(feature if isinstance(feature, Mapping) else {}),
        settings=settings,
    )


def user(item: Mapping[str, Any], listed_as: ZoomUserStatus) -> LiveUser:
    """A `GET /users` item; the listing's status wins over a missing or odd `status` field."""
    user_id = item.get("id")
    return LiveUser(
        email=str(item["email"]),
        status=listed_as,
        type=int(item.get("type", 1)),
        id=str(user_id) if user_id else None,
        role_id=str(item["role_id"]) if item.get("role_id") is not None else None,
        profile=_profile(item),
        group_ids=_strings(item.get("group_ids")),
        division_ids=_strings(item.get("division_ids")),
    )


def with_details(found: LiveUser, detail: Mapping[str, Any]) -> LiveUser:
    """The listed user with the profile fields only `GET /users/{id}` returns."""
    return replace(found, profile={**found.profile, **_profile(detail)})


def with_assistants(found: LiveUser, items: Iterable[Mapping[str, Any]]) -> LiveUser:
    """The user with its scheduling assistants (`GET /users/{userId}/assistants`)."""
    assistants = {str(a["email"]).lower(): str(a.get("id") or "") for a in items if a.get("email")}
    return replace(found, assistants=assistants)


def group(
    item: Mapping[str, Any],
    *,
    settings: Mapping[str, Any] | None = None,
    lock_settings: Mapping[str, Any] | None = None,
    admins: Iterable[Mapping[str, Any]] | None = None,
) -> LiveGroup:
    return LiveGroup(
        id=str(item["id"]),
        name=str(item["name"]),
        total_members=int(item.get("total_members") or 0),
        settings=settings,
        lock_settings=lock_settings,
        admins=None if admins is None else frozenset(str(a["email"]).lower() for a in admins),
    )


def division(item: Mapping[str, Any]) -> LiveDivision:
    description = item.get("division_description")
    return LiveDivision(
        id=str(item["division_id"]),
        name=str(item["division_name"]),
        description=str(description) if description is not None else None,
        is_main=bool(item.get("is_main_division", False)),
    )


def contact_member(item: Mapping[str, Any]) -> LiveContactMember | None:
    """A member, or None for a member type Zoom may add later (neither a user nor a group)."""
    kind = _CONTACT_MEMBER_TYPES.get(int(item.get("type", 0)))
    if kind is None:
        return None
    return LiveContactMember(type=kind, id=str(item["id"]))


def contact_group(
    item: Mapping[str, Any], members: Iterable[Mapping[str, Any]] | None = None
) -> LiveContactGroup:
    description = item.get("description")
    converted = None
    if members is not None:
        converted = frozenset(m for m in (contact_member(i) for i in members) if m is not None)
    return LiveContactGroup(
        id=str(item["group_id"]),
        name=str(item["group_name"]),
        privacy=int(item.get("group_privacy") or 1),
        description=str(description) if description is not None else None,
        members=converted,
    )
