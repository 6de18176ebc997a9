"""The schema files in the repository's `schemas/` directory, rendered deterministically."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .config_schema import config_schema
from .convert import JSONSchema
from .documents import SettingsDocument
from .generate import settings_schema


def _plan_schema() -> JSONSchema:
    """The saved-plan and `plan --format json` document (built by the planning package)."""
    from reconciler.plan import plan_json_schema

    return plan_json_schema()


SCHEMA_FILES: dict[str, Callable[[], JSONSchema]] = {
    "zoom-group-settings.schema.json": lambda: settings_schema(SettingsDocument.SETTINGS),
    "zoom-group-lock-settings.schema.json": lambda: settings_schema(SettingsDocument.LOCK_SETTINGS),
    "zoom-user-settings.schema.json": lambda: settings_schema(SettingsDocument.USER_SETTINGS),
    "config.schema.json": config_schema,
    "plan.schema.json": _plan_schema,
}


def render(schema: JSONSchema) -> str:
    """Sorted keys, two-space indent, a trailing newline: stable diffs in review."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_schema_files() -> dict[str, str]:
    """Each schema file's name and its text as the generator writes it."""
    return {name: render(build()) for name, build in SCHEMA_FILES.items()}


def default_out_dir() -> Path:
    """`schemas/` at the repository's top when running from a checkout, else under the cwd."""
    top = Path(__file__).resolve().parents[2]
    if (top / "pyproject.toml").is_file() and (top / "reconciler").is_dir():
        return top / "schemas"
    return Path("schemas")


def stale_files(out_dir: Path, rendered: dict[str, str]) -> list[Path]:
    """The files under `out_dir` that are missing or differ from `rendered`."""
    stale = []
    for name, text in rendered.items():
        path = out_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    return stale
