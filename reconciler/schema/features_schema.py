"""The JSON Schema of a user's `features`, built from the one licence table."""

from __future__ import annotations

from reconciler.model.features import FEATURES, FeatureKind

from .convert import JSONSchema


def features_schema() -> JSONSchema:
    """One optional property per licence, with exactly the values the configuration may write."""
    properties: dict[str, JSONSchema] = {}
    for name, feature in FEATURES.items():
        if feature.kind is FeatureKind.CAPACITY:
            description = f"A capacity Zoom offers (attendees), or false: {name} removed."
        elif feature.kind is FeatureKind.SWITCH:
            description = "true: the user has this licence; false: not."
        else:
            description = "The concurrent-meeting plan: basic, plus or none."
        properties[name] = {"enum": list(feature.choices), "description": description}
    return {
        "title": "Zoom user features",
        "description": (
            "A user's licences and add-ons, as Zoom's `feature` object of"
            " GET /users/{userId}/settings holds them; only the licences written are managed."
        ),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
