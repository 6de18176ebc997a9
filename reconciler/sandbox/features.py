"""Licences in the sandbox: the `feature` object of a user's settings, and the bulk endpoint.

Zoom keeps a user's licences in the `feature` object of `GET /users/{userId}/settings` and
takes them through `PATCH /users/{userId}/settings` and `POST /users/features` (S001:3682-3750):
one `feature_type` and coded `feature_value` for up to 30 users a request, "rate-limited to one
request every 10 seconds", answered 201 with the users Zoom updated and `fail_details` for the
others. Both paths change the same `feature` object here, so a read after either agrees.

The capacity codes are seed 001's ("webinar: `16` - 100 capacity, `1` - 500 capacity, ...").
This is the sandbox's own copy (it may not import the reconciler's table); a test checks that
the two agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reconciler.sandbox.entities import User, UserType
from reconciler.sandbox.errors import SandboxError

BULK_MAX_USERS = 30
BULK_INTERVAL_S = 10.0
BULK_INTERVAL_NAME = "POST /users/features"


@dataclass(frozen=True)
class Licence:
    """One `feature_type`: its flag in the `feature` object, and how its value is coded."""

    flag: str
    capacity_key: str | None = None
    codes: Mapping[int, int] | None = None
    """`feature_value` code -> capacity, for licences sold by capacity."""
    plan: bool = False
    """A named plan (`Basic`, `Plus`, `None`) rather than a switch or a capacity."""
    also: tuple[str, ...] = ()
    """Other flags the same licence sets (the deprecated `zoom_iq_for_sales` name)."""


_EVENTS = (500, 1000, 3000, 5000, 10000, 20000, 30000, 50000)

LICENCES: dict[str, Licence] = {
    "webinar": Licence(
        "webinar",
        "webinar_capacity",
        {
            16: 100,
            1: 500,
            64: 1000,
            128: 3000,
            256: 5000,
            512: 10000,
            1024: 20000,
            2048: 30000,
            4096: 40000,
            8192: 50000,
            16384: 500,  # promo 500
            32768: 1000,  # promo 1000
        },
    ),
    "large_meeting": Licence(
        "large_meeting",
        "large_meeting_capacity",
        {1: 100, 32: 200, 64: 300, 128: 500, 256: 1000, 1024: 3000, 2048: 5000},
    ),
    "zoom_events": Licence("zoom_events", "zoom_events_capacity", {c: c for c in _EVENTS}),
    "concurrent_meeting": Licence("concurrent_meeting", plan=True),
    "zoom_whiteboard": Licence("zoom_whiteboard"),
    "zoom_clips_plus": Licence("zoom_clips_plus"),
    "zoom_revenue_accelerator": Licence("zoom_revenue_accelerator", also=("zoom_iq_for_sales",)),
    "zoom_iq_for_sales": Licence("zoom_iq_for_sales", also=("zoom_revenue_accelerator",)),
}
"""The `feature_type` values the sandbox takes; the spec's others (`user_type`,
`plan_united_type`, `zoom_one_type`) are refused with code 200, as an account without them is."""

PLANS = ("Basic", "Plus", "None")

# Licences Zoom gives to Licensed users only, with its refusal (S001:6355).
_PAID_ONLY_CODES = {
    "webinar": (1122, "Webinar feature can only be enabled for Licensed or On-prem users."),
    "large_meeting": (1108, "Only Licensed or On-prem users can enable the large meeting feature."),
    "zoom_events": (
        1206,
        "You can only enable the Zoom Events feature for Licensed or On-prem users.",
    ),
    "concurrent_meeting": (
        1207,
        'You can only enable the "Concurrent Meeting" feature for Licensed users or On-prem users.',
    ),
}


def holds(feature: Mapping[str, Any], name: str) -> bool:
    """Whether a `feature` object gives the user this licence."""
    licence = LICENCES[name]
    value = feature.get(licence.flag)
    if licence.plan:
        return isinstance(value, str) and value != "None"
    return value is True


@dataclass(frozen=True)
class Seats:
    """The account's seats per licence (a seed's `account.seats`), and how many are taken."""

    limits: Mapping[str, int]
    taken: Callable[[str], int]

    def left(self, name: str) -> float:
        limit = self.limits.get(name)
        return math.inf if limit is None else limit - self.taken(name)


def check_feature_patch(
    user: User, current: Mapping[str, Any], patch: Mapping[str, Any], seats: Seats
) -> None:
    """Refuse a PATCH of the `feature` object as Zoom does (S001:6355); changes nothing."""
    after = {**current, **patch}
    if after.get("webinar") is True and after.get("zoom_events") is True:
        if current.get("zoom_events") is True:
            raise SandboxError(
                400,
                1204,
                "You can't enable the Webinar feature because you already have the Zoom Events"
                " feature.",
            )
        raise SandboxError(
            400,
            1205,
            "You can't enable the Zoom Events feature because you already have the Webinar"
            " feature.",
        )
    for name in LICENCES:
        if holds(after, name) and not holds(current, name):
            refusal = refusal_reason(user, name, seats)
            if refusal is UNPAID:
                code, message = _PAID_ONLY_CODES[name]
                raise SandboxError(400, code, message)
            if refusal is NO_SEATS:
                raise SandboxError(400, 200, f"You can add max {seats.limits[name]} {name} users.")


UNPAID = "Unpaid user"
NO_SEATS = "Not enough seats"
NOT_FOUND = "Users not found"
NO_NEED = "No need to update"


def refusal_reason(user: User, name: str, seats: Seats) -> str | None:
    """Why Zoom would not give `user` this licence now, in the bulk answer's words, or None."""
    if name in _PAID_ONLY_CODES and user.type is not UserType.LICENSED:
        return UNPAID
    if seats.left(name) <= 0:
        return NO_SEATS
    return None


def feature_patch(name: str, value: str) -> dict[str, Any]:
    """The `feature` object keys a bulk `feature_type`/`feature_value` sets."""
    licence = LICENCES[name]
    if licence.plan:
        plan = next((p for p in PLANS if p.lower() == value.strip().lower()), None)
        if plan is None:
            raise _bad_value(value)
        return {licence.flag: plan}
    if licence.codes is None:
        if value not in ("true", "false"):
            raise _bad_value(value)
        on = value == "true"
        return dict.fromkeys((licence.flag, *licence.also), on)
    try:
        code = int(value)
    except ValueError:
        raise _bad_value(value) from None
    if code == 0:
        return {licence.flag: False}
    if code not in licence.codes:
        raise _bad_value(value)
    assert licence.capacity_key is not None
    return {licence.flag: True, licence.capacity_key: licence.codes[code]}


def feature_from_config(name: str, value: Any) -> dict[str, Any]:
    """The `feature` keys a configuration-format seed's `features: {name: value}` stands for."""
    licence = LICENCES.get(name)
    if licence is None:
        if not isinstance(value, bool):
            raise ValueError(f"features.{name}: true or false")
        return {name: value}
    if licence.plan:
        return feature_patch(name, str(value))
    if licence.codes is None:
        if not isinstance(value, bool):
            raise ValueError(f"features.{name}: true or false")
        return dict.fromkeys((licence.flag, *licence.also), value)
    if value is False:
        return {licence.flag: False}
    if value not in set(licence.codes.values()) or isinstance(value, bool):
        raise ValueError(f"features.{name}: a capacity Zoom offers, or false; got {value!r}")
    assert licence.capacity_key is not None
    return {licence.flag: True, licence.capacity_key: value}


def _bad_value(value: str) -> SandboxError:
    # Zoom documents no message for an unknown code; a validation failure names the field.
    return SandboxError(400, 300, f"Invalid parameter: feature_value {value}.")
