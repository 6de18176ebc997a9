"""Licences and add-ons (`features`): the one table validate, differ, applier and export share.

Zoom shows a user's licences in the `feature` object of `GET /users/{userId}/settings` and
takes them two ways: `PATCH /users/{userId}/settings` (`feature.webinar`, `webinar_capacity`,
...) and `POST /users/features` (one `feature_type` and coded `feature_value` for up to 30
users a request). The configuration writes each licence once, by the name Zoom's bulk
endpoint uses where it has one: a capacity (a number of attendees) or `false`, `true`/`false`,
or a concurrent-meeting plan. Capacity codes and the capacities each request accepts are seed
001's lists ("Bulk update features for users", "Update user settings");
`tests/config/test_features.py` checks the table against the shipped spec, and
`tests/sandbox/test_user_settings.py` the sandbox's copy against this one.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

FeatureValue = bool | int | str
"""A capacity (int) or `False`; `True`/`False`; or a concurrent-meeting plan (`basic`, ...)."""


class FeatureKind(Enum):
    """How a licence is written and what its value means."""

    CAPACITY = "capacity"
    """A number of attendees Zoom offers, or `false` for none."""
    SWITCH = "switch"
    """`true` or `false`."""
    PLAN = "plan"
    """One of a few named plans, `none` for no licence."""


@dataclass(frozen=True)
class Feature:
    """One licence: its name, where Zoom keeps it, and how each request spells a value."""

    name: str
    kind: FeatureKind
    flag: str
    """The key in Zoom's `feature` object: a boolean, or the plan's name for PLAN."""
    capacity_key: str | None = None
    """The capacity's key in the `feature` object (CAPACITY only)."""
    bulk_codes: Mapping[int, int] | None = None
    """Capacity -> `feature_value` code for POST /users/features (CAPACITY only)."""
    patch_capacities: frozenset[int] = frozenset()
    """The capacities PATCH /users/{userId}/settings accepts (CAPACITY only)."""
    plans: tuple[str, ...] = ()
    """The plans, as Zoom spells them (PLAN only); the configuration writes them in lower case."""
    bulk: bool = False
    """Whether POST /users/features takes this feature (its `feature_type` is `name`)."""

    @property
    def capacities(self) -> tuple[int, ...]:
        """Every capacity the configuration may write, smallest first."""
        return tuple(sorted(set(self.bulk_codes or {}) | self.patch_capacities))

    @property
    def choices(self) -> tuple[FeatureValue, ...]:
        """Every value the configuration may write."""
        if self.kind is FeatureKind.CAPACITY:
            return (*self.capacities, False)
        if self.kind is FeatureKind.SWITCH:
            return (True, False)
        return tuple(plan.lower() for plan in self.plans)

    @property
    def off(self) -> FeatureValue:
        """The value that means "no licence"."""
        return "none" if self.kind is FeatureKind.PLAN else False

    def accepts(self, value: object) -> bool:
        """Whether the configuration may write `value` (booleans are not numbers here)."""
        value = plain_value(value)
        return any(type(value) is type(choice) and value == choice for choice in self.choices)

    def removes(self, old: FeatureValue | None, new: FeatureValue) -> bool:
        """A licence taken away: what safety caps count as a removal."""
        return old is not None and old != self.off and new == self.off

    def from_live(self, feature: Mapping[str, Any]) -> FeatureValue:
        """The value in the configuration's terms, from Zoom's `feature` object."""
        if self.kind is FeatureKind.PLAN:
            plan = feature.get(self.flag)
            return str(plan).lower() if isinstance(plan, str) and plan else "none"
        enabled = feature.get(self.flag) is True
        if self.kind is FeatureKind.SWITCH:
            return enabled
        capacity = feature.get(self.capacity_key or "")
        if not enabled:
            return False
        return int(capacity) if isinstance(capacity, int) and not isinstance(capacity, bool) else 0

    def patch_fields(self, value: FeatureValue) -> dict[str, Any]:
        """The keys of `PATCH /users/{userId}/settings`'s `feature` object that set `value`."""
        if self.kind is FeatureKind.PLAN:
            return {self.flag: self._zoom_plan(value)}
        if self.kind is FeatureKind.SWITCH or value is False:
            return {self.flag: bool(value)}
        assert self.capacity_key is not None
        return {self.flag: True, self.capacity_key: value}

    def patchable(self, value: FeatureValue) -> bool:
        """Whether PATCH can set `value` (some capacities are only sold through the bulk call)."""
        if self.kind is not FeatureKind.CAPACITY or value is False:
            return True
        return value in self.patch_capacities

    def bulk_value(self, value: FeatureValue) -> str:
        """`feature_value` of POST /users/features for `value`."""
        if self.kind is FeatureKind.PLAN:
            return self._zoom_plan(value)
        if self.kind is FeatureKind.SWITCH:
            return "true" if value else "false"
        if value is False:
            return "0"
        assert self.bulk_codes is not None
        assert isinstance(value, int)
        return str(self.bulk_codes[value])

    def bulkable(self, value: FeatureValue) -> bool:
        """Whether POST /users/features can set `value`."""
        if not self.bulk:
            return False
        if self.kind is FeatureKind.CAPACITY and value is not False:
            return value in (self.bulk_codes or {})
        return True

    def _zoom_plan(self, value: FeatureValue) -> str:
        return next(plan for plan in self.plans if plan.lower() == str(value).lower())


def _switch(name: str, *, bulk: bool = False) -> Feature:
    return Feature(name, FeatureKind.SWITCH, flag=name, bulk=bulk)


_EVENTS = (500, 1000, 3000, 5000, 10000, 20000, 30000, 50000)

FEATURES: dict[str, Feature] = {
    feature.name: feature
    for feature in (
        Feature(
            "webinar",
            FeatureKind.CAPACITY,
            flag="webinar",
            capacity_key="webinar_capacity",
            bulk_codes={
                100: 16,
                500: 1,
                1000: 64,
                3000: 128,
                5000: 256,
                10000: 512,
                20000: 1024,
                30000: 2048,
                40000: 4096,
                50000: 8192,
            },
            patch_capacities=frozenset({100, 500, 1000, 3000, 5000, 10000}),
            bulk=True,
        ),
        Feature(
            "large_meeting",
            FeatureKind.CAPACITY,
            flag="large_meeting",
            capacity_key="large_meeting_capacity",
            bulk_codes={100: 1, 200: 32, 300: 64, 500: 128, 1000: 256, 3000: 1024, 5000: 2048},
            patch_capacities=frozenset({500, 1000, 3000, 5000}),
            bulk=True,
        ),
        Feature(
            "zoom_events",
            FeatureKind.CAPACITY,
            flag="zoom_events",
            capacity_key="zoom_events_capacity",
            bulk_codes={capacity: capacity for capacity in _EVENTS},
            patch_capacities=frozenset(_EVENTS),
            bulk=True,
        ),
        Feature(
            "concurrent_meeting",
            FeatureKind.PLAN,
            flag="concurrent_meeting",
            plans=("Basic", "Plus", "None"),
            bulk=True,
        ),
        _switch("zoom_whiteboard", bulk=True),
        _switch("zoom_clips_plus", bulk=True),
        _switch("zoom_revenue_accelerator", bulk=True),
        _switch("zoom_scheduler"),
        _switch("zoom_docs"),
        _switch("zoom_whiteboard_plus"),
        _switch("zoom_translated_captions"),
        _switch("zoom_huddles"),
        _switch("zoom_compliance_management"),
        _switch("zoom_quality_management"),
        _switch("zoom_workforce_management"),
        _switch("zoom_customer_managed_key"),
        _switch("zoom_mail_calendar"),
    )
}
"""Every licence the configuration may write, in the order docs and schemas list them."""

BULK_SUCCESS_REASONS = frozenset({"No need to update"})
"""`fail_details` reasons that leave the user as the request wanted: not a failure."""


def plain_value(value: object) -> object:
    """YAML's anchored booleans (an int subclass) as real booleans; anything else unchanged."""
    if type(value).__name__ == "ScalarBoolean":
        return bool(value)
    return value


def plain_feature(value: FeatureValue) -> FeatureValue:
    """A written value with YAML's anchored booleans made plain, as the differ compares it."""
    plain = plain_value(value)
    assert isinstance(plain, bool | int | str)
    return plain


def features_from_live(feature: Mapping[str, Any]) -> dict[str, FeatureValue]:
    """Every licence in the table, in the configuration's terms, from Zoom's `feature` object."""
    return {name: spec.from_live(feature) for name, spec in FEATURES.items()}


def feature_problems(value: object) -> list[tuple[tuple[str, ...], bool, str]]:
    """Problems in a user's `features` mapping: (path inside it, points at the key, message)."""
    if not isinstance(value, Mapping):
        return [((), False, "features must be a mapping of licence names to values")]
    problems: list[tuple[tuple[str, ...], bool, str]] = []
    for key, wanted in value.items():
        name = str(key)
        spec = FEATURES.get(name)
        if spec is None:
            problems.append(((name,), True, _unknown(name)))
        elif not spec.accepts(wanted):
            problems.append(((name,), False, _wrong_value(spec, wanted)))
    return problems


def _unknown(name: str) -> str:
    close = difflib.get_close_matches(name, list(FEATURES), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; Zoom offers {', '.join(FEATURES)}"
    return f"unknown licence {name!r} in features{hint}"


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "nothing"
    return str(value)


def _wrong_value(spec: Feature, value: object) -> str:
    shown = ", ".join(_show(choice) for choice in spec.choices)
    return f"features.{spec.name} must be one of {shown}; got {_show(value)}"
