"""Zoom's official OpenAPI documents, shipped unedited as data (Users API and SCIM2).

They are the source for the generated settings schemas, for the sandbox's default settings
documents, and for the contract tests that validate requests and responses. Zoom published
them on its API hub (downloaded 2025-12-12). This package holds data only; the sandbox may
import it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, Literal

SpecName = Literal["users-api", "scim2-api"]


@cache
def load_spec(name: SpecName) -> dict[str, Any]:
    """Parse one of the shipped specs once per process."""
    text = resources.files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec
