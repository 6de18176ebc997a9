"""The JSON shapes Zoom answers with, one function per object and context (list item or single)."""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from reconciler.sandbox.entities import (
    ContactGroup,
    CreateAction,
    Division,
    Group,
    User,
    UserStatus,
)
from reconciler.sandbox.store import Store


@lru_cache(maxsize=4096)
def iso(moment: float) -> str:
    """Zoom's timestamps; cached, as a listing formats the same few creation times many times."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


WORK_EMAIL_LOGIN = 100
SSO_LOGIN = 101
"""Zoom's `login_types` (users-api.json, GET /users/{userId}): 100 Zoom work email, 101 SSO."""


def login_type(user: User) -> int:
    """SSO for users an identity provider created (SCIM2, or POST /users `ssoCreate`), as Zoom
    gives a SCIM-provisioned user; a work email login for everyone else."""
    return SSO_LOGIN if user.create_action is CreateAction.SSO_CREATE else WORK_EMAIL_LOGIN


def user_list_item(user: User) -> dict[str, Any]:
    """A `GET /users` item; pending users come without `id` (S001:3495)."""
    item: dict[str, Any] = {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "email": user.email,
        "type": int(user.type),
        "pmi": user.pmi,
        "timezone": user.timezone,
        "verified": 1 if user.status is not UserStatus.PENDING else 0,
        "dept": user.dept,
        "created_at": iso(user.created_at),
        "user_created_at": iso(user.created_at),
        "status": user.status.value,
        "role_id": user.role.value,
        "group_ids": list(user.group_ids),
        "im_group_ids": [],
        "division_ids": [user.division_id],
    }
    if user.status is UserStatus.PENDING:
        del item["id"]
    return item


def user_list_item_with_custom_attributes(user: User) -> dict[str, Any]:
    """`GET /users?include_fields=custom_attributes`: the attributes only for users who have
    some (RS: "only returned if users are assigned custom attributes and you provided...")."""
    item = user_list_item(user)
    attributes = (user.extra or {}).get("custom_attributes")
    if attributes:
        item["custom_attributes"] = [_custom_attribute(a) for a in attributes]
    return item


def user_detail(store: Store, user: User) -> dict[str, Any]:
    """`GET /users/{id}`; for a pending user `created_at` is the time of the call (S001:3829)."""
    created = store.clock() if user.status is UserStatus.PENDING else user.created_at
    extra = user.extra or {}
    detail: dict[str, Any] = {
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "email": user.email,
        "type": int(user.type),
        "role_name": user.role.title,
        "role_id": user.role.value,
        "pmi": user.pmi,
        "use_pmi": bool(extra.get("use_pmi", False)),
        "personal_meeting_url": f"https://zoom.us/j/{user.pmi}",
        "timezone": user.timezone,
        "verified": 1 if user.status is not UserStatus.PENDING else 0,
        "dept": user.dept,
        "job_title": user.job_title,
        "created_at": iso(created),
        "user_created_at": iso(created),
        "language": user.language,
        "status": user.status.value,
        "account_id": store.account_id,
        "account_number": 10_000_001,
        "cluster": "us01",
        "group_ids": list(user.group_ids),
        "im_group_ids": [],
        "division_ids": [user.division_id],
        "login_types": [login_type(user)],
        "phone_numbers": [_phone_number(n) for n in extra.get("phone_numbers", [])],
    }
    for name in (
        "company",
        "cost_center",
        "location",
        "manager",
        "phone_country",
        "phone_number",
        "pronouns",
        "pronouns_option",
        "cms_user_id",
        "custom_attributes",
        "plan_united_type",
        "zoom_one_type",
    ):
        if name in extra:
            detail[name] = extra[name]
    if "custom_attributes" in extra:
        detail["custom_attributes"] = [_custom_attribute(a) for a in extra["custom_attributes"]]
    if "vanity_name" in extra:
        detail["vanity_url"] = f"https://zoom.us/my/{extra['vanity_name']}"
    return detail


def _phone_number(number: dict[str, Any]) -> dict[str, Any]:
    """As GET /users/{userId} describes it: with Zoom's own `verified`, false until the user
    confirms the number (an admin's PATCH never verifies one)."""
    return {**number, "verified": bool(number.get("verified", False))}


def _custom_attribute(attribute: dict[str, Any]) -> dict[str, Any]:
    """With the attribute's `name`, which Zoom fills in from the account's attribute; the
    sandbox has no attribute definitions, so a name never sent is the key."""
    return {**attribute, "name": attribute.get("name") or attribute.get("key", "")}


def group_item(group: Group) -> dict[str, Any]:
    return {"id": group.id, "name": group.name, "total_members": len(group.members)}


def group_member(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "type": int(user.type),
    }


def group_admin(user: User) -> dict[str, Any]:
    return {"email": user.email, "name": user.display_name}


def division_item(division: Division) -> dict[str, Any]:
    return {
        "division_id": division.id,
        "division_name": division.name,
        "division_description": division.description,
        "is_main_division": division.is_main,
        "total_members": len(division.members),
    }


def division_user(user: User) -> dict[str, Any]:
    return {"user_id": user.id, "user_display_name": user.display_name, "user_email": user.email}


def contact_group(group: ContactGroup, *, with_total: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "group_id": group.id,
        "group_name": group.name,
        "group_privacy": int(group.privacy),
        "description": group.description,
    }
    if with_total:
        body["total_members"] = len(group.members)
    return body
