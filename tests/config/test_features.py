"""The licence table agrees with Zoom's shipped spec: every flag and capacity key is in the
`feature` object of both GET and PATCH /users/{userId}/settings, every bulk licence is a
`feature_type` of POST /users/features, and PATCH's capacities are ones Zoom's schema allows."""

from __future__ import annotations

from typing import Any

from reconciler.model.features import FEATURES, FeatureKind, feature_problems
from reconciler.openapi import load_spec


def _feature_object(method: str) -> dict[str, Any]:
    operation = load_spec("users-api")["paths"]["/users/{userId}/settings"][method]
    if method == "get":
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    else:
        body = operation["requestBody"]["content"]["application/json"]["schema"]
    properties: dict[str, Any] = body["oneOf"][0]["properties"]["feature"]["properties"]
    return properties


def test_every_licence_is_where_zoom_keeps_it() -> None:
    for method in ("get", "patch"):
        feature = _feature_object(method)
        for spec in FEATURES.values():
            assert spec.flag in feature, (method, spec.name)
            if spec.capacity_key is not None:
                assert feature[spec.capacity_key]["type"] == "integer"
            expected = "string" if spec.kind is FeatureKind.PLAN else "boolean"
            if spec.kind is not FeatureKind.CAPACITY:
                assert feature[spec.flag]["type"] == expected, spec.name


def test_bulk_licences_and_patch_capacities_are_zooms() -> None:
    post = load_spec("users-api")["paths"]["/users/features"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    feature_types = set(body["properties"]["feature_type"]["enum"])
    for spec in FEATURES.values():
        assert spec.bulk == (spec.name in feature_types), spec.name
    patch = _feature_object("patch")
    for spec in FEATURES.values():
        allowed = patch.get(spec.capacity_key or "", {}).get("enum")
        if allowed is not None:
            assert spec.patch_capacities <= set(allowed), spec.name
        if spec.kind is FeatureKind.PLAN:
            assert set(spec.plans) == set(patch[spec.flag]["enum"])


def test_values_are_checked_by_kind() -> None:
    assert feature_problems({"webinar": 500, "zoom_docs": True, "concurrent_meeting": "none"}) == []
    assert [p[0] for p in feature_problems({"webinar": True, "zoom_docs": 1})] == [
        ("webinar",),
        ("zoom_docs",),
    ]
    assert feature_problems([]) != []
