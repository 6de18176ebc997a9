"""The base of every configuration model: unknown keys are errors, and null is not a value.

"Not written" is the absence of a key, which leaves the field `None`; the loader refuses an
explicit null, so `None` always means "not managed" and an empty string or list means "empty".
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema


class ConfigModel(BaseModel):
    """Strict about keys, so a typo is an error rather than a silently unmanaged field, and about
    types, so `yes` or `1` is not quietly taken for `true`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    def written(self) -> frozenset[str]:
        """The fields the configuration wrote: the only ones later phases manage."""
        return frozenset(self.model_fields_set)


class ConfigJsonSchema(GenerateJsonSchema):
    """The editor schema: an optional field is a key to leave out, never a null to write."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        json_schema: dict[str, Any] = super().default_schema(schema)
        if "default" in json_schema and json_schema["default"] is None:
            del json_schema["default"]
        return json_schema
