"""The CLI names the error it stopped on in `ZOOM_RECONCILER_FAILURE_FILE`: how the Action tells
a stale or unsafe plan from other failures without reading error messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.cli.main import main
from reconciler.failure_file import FAILURE_FILE_VARIABLE
from reconciler.github.action import failure_reason
from reconciler.github.cli_runner import CliResult
from reconciler.github.inputs import FailureReason


def run_main(args: list[str]) -> int:
    with pytest.raises(SystemExit) as done:
        main(args)
    code = done.value.code
    assert isinstance(code, int)
    return code


@pytest.fixture
def failure_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "failure"
    monkeypatch.setenv(FAILURE_FILE_VARIABLE, str(path))
    return path


def test_a_failure_names_its_error_class_and_nothing_else(
    tmp_path: Path, failure_file: Path
) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("version: 1\nusers:\n  - email: ann@acme.example\n    groups: [Nobody]\n")

    assert run_main(["validate", str(config)]) == 1
    assert failure_file.read_text(encoding="utf-8") == "ConfigError\n"


def test_success_and_usage_errors_write_nothing(tmp_path: Path, failure_file: Path) -> None:
    config = tmp_path / "good.yaml"
    config.write_text("version: 1\n")

    assert run_main(["validate", str(config)]) == 0
    assert run_main(["apply"]) == 1  # usage: neither PATH nor --plan
    assert not failure_file.exists()


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ("ConfigError", FailureReason.INVALID_CONFIG),
        ("CredentialsError", FailureReason.AUTH_FAILED),
        ("UnsafePlanError", FailureReason.UNSAFE_PLAN),
        ("StalePlanError", FailureReason.PLAN_CHANGED),
        ("ApplyError", None),
        ("ZoomAPIError", None),
        (None, None),
    ],
)
def test_errors_map_to_failure_reasons(error: str | None, reason: FailureReason | None) -> None:
    assert failure_reason(CliResult(1, "", "", error)) is reason
