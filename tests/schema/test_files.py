"""The committed schema files are what the generator writes, and `--check` notices when not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from pydantic import BaseModel, Field

from reconciler.schema.__main__ import main
from reconciler.schema.config_schema import embed_settings_schemas
from reconciler.schema.files import SCHEMA_FILES, default_out_dir, render, render_schema_files

REPOSITORY = Path(__file__).resolve().parents[2]


def test_default_out_dir_is_the_repository_schemas_directory() -> None:
    assert default_out_dir() == REPOSITORY / "schemas"


@pytest.mark.parametrize("name", [n for n in SCHEMA_FILES if n != "config.schema.json"])
def test_committed_settings_schemas_are_current(name: str) -> None:
    committed = (REPOSITORY / "schemas" / name).read_text(encoding="utf-8")
    assert committed == render(SCHEMA_FILES[name]()), f"run `python -m reconciler.schema`: {name}"


def test_committed_config_schema_is_current() -> None:
    committed = (REPOSITORY / "schemas" / "config.schema.json").read_text(encoding="utf-8")
    assert committed == render_schema_files()["config.schema.json"]


def test_rendering_is_deterministic_and_sorted() -> None:
    text = render({"b": 1, "a": {"d": [1], "c": "é"}})
    assert text == '{\n  "a": {\n    "c": "é",\n    "d": [\n      1\n    ]\n  },\n  "b": 1\n}\n'


def test_check_reports_stale_files_then_write_fixes_them(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["--check", "--out", str(tmp_path)])
    assert missing.exit_code == 1
    for name in SCHEMA_FILES:
        assert name in missing.output

    written = runner.invoke(main, ["--out", str(tmp_path)])
    assert written.exit_code == 0, written.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SCHEMA_FILES)
    assert runner.invoke(main, ["--check", "--out", str(tmp_path)]).exit_code == 0

    stale = tmp_path / "zoom-group-settings.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace("in_meeting", "in_meetin"))
    again = runner.invoke(main, ["--check", "--out", str(tmp_path)])
    assert again.exit_code == 1
    assert "zoom-group-settings.schema.json" in again.output
    assert "config.schema.json" not in again.output


def test_module_check_passes_on_the_repository() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reconciler.schema", "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPOSITORY,
    )
    assert done.returncode == 0, done.stderr


class _Group(BaseModel):
    name: str
    settings: dict[str, Any] | None = Field(None, description="Zoom settings, partial.")
    lock_settings: dict[str, Any] | None = Field(None, description="Locks, partial.")


class _Configuration(BaseModel):
    groups: list[_Group] = []


def _config_validator() -> Draft202012Validator:
    schema = embed_settings_schemas(_Configuration.model_json_schema())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_config_schema_embeds_the_settings_schemas_for_group_fields() -> None:
    schema = embed_settings_schemas(_Configuration.model_json_schema())
    group = schema["$defs"]["_Group"]["properties"]
    assert group["settings"]["description"] == "Zoom settings, partial."
    assert {"$ref": "#/$defs/ZoomGroupSettings"} in group["settings"]["anyOf"]
    assert {"$ref": "#/$defs/ZoomGroupLockSettings"} in group["lock_settings"]["anyOf"]
    assert "in_meeting" in schema["$defs"]["ZoomGroupSettings"]["properties"]


def test_config_schema_lets_editors_catch_settings_typos() -> None:
    validator = _config_validator()
    good = {"groups": [{"name": "Dev", "settings": {"in_meeting": {"chat": True}}}]}
    typo = {"groups": [{"name": "Dev", "lock_settings": {"in_meeting": {"chatt": True}}}]}
    empty = {"groups": [{"name": "Dev", "settings": None}]}
    assert validator.is_valid(good)
    assert validator.is_valid(empty)
    assert not validator.is_valid(typo)


def test_config_schema_needs_exactly_one_group_model() -> None:
    class NoGroups(BaseModel):
        version: int

    with pytest.raises(ValueError, match="found none"):
        embed_settings_schemas(NoGroups.model_json_schema())


def test_generated_files_are_json_with_a_dialect() -> None:
    for name in SCHEMA_FILES:
        if name == "config.schema.json":
            continue
        data = json.loads(render(SCHEMA_FILES[name]()))
        assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_real_config_schema_checks_group_settings_keys() -> None:
    from reconciler.schema.config_schema import config_schema

    schema = config_schema()
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    group = {"name": "Dev", "settings": {"in_meeting": {"chat": True}}}
    assert validator.is_valid({"version": 1, "groups": [group]})
    typo = {**group, "lock_settings": {"in_meeting": {"chatt": True}}}
    errors = list(validator.iter_errors({"version": 1, "groups": [typo]}))
    assert [list(e.absolute_path) for e in errors] == [["groups", 0, "lock_settings", "in_meeting"]]
