"""Secrets never appear in any output, log line, plan file, exported file or error message."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.acceptance.conftest import Front, Staged, write
from tests.e2e.conftest import Cli, Result

CONFIG = """\
version: 1
groups:
  - name: Developers
users:
  - email: jill@acme.example
    first_name: Jill
    create_action: autoCreate
    password: ${ZOOM_TEST_JILL_PASSWORD}
    groups: [Developers]
"""
PASSWORD = "Pw-9differentChars"


def _clean(result: Result, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in result.out
        assert secret not in result.err


def test_no_secret_in_any_output_file_or_log(
    front: Front, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZOOM_TEST_JILL_PASSWORD", PASSWORD)
    config = write(tmp_path / "org.yaml", CONFIG)
    secret = cli.server.credentials.client_secret
    saved = tmp_path / "plan.json"
    exported = tmp_path / "exported"
    results = [
        cli("-vv", "validate", str(config)),
        cli("-vv", "plan", str(config), "--out", str(saved), "--format", "json"),
        # A saved plan holds no password: the configuration brings it (docs/apply.md).
        cli("-vv", "apply", str(config), "--plan", str(saved), "--auto-approve"),
        cli("-vv", "export", "--out", str(exported)),
    ]
    assert [r.code for r in results] == [0, 0, 0, 0], [r.err for r in results]
    tokens = [c.headers["authorization"].split()[-1] for c in front.api_calls()]
    assert tokens
    for result in results:
        _clean(result, secret, PASSWORD, *tokens)
    for written in [saved, *exported.rglob("*")]:
        if written.is_file():
            text = written.read_text(encoding="utf-8")
            assert secret not in text
            assert PASSWORD not in text
            assert not any(token in text for token in tokens)


def test_no_secret_in_errors(
    front: Front, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "org.yaml", "version: 1\ngroups:\n  - name: Developers\n")
    wrong = "not-the-secret-but-still-secret"
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", wrong)
    refused = cli("-vv", "plan", str(config))
    assert refused.code == 1
    _clean(refused, wrong)
    monkeypatch.setenv("ZOOM_CLIENT_SECRET", cli.server.credentials.client_secret)
    front.stage(
        Staged(
            lambda method, path: method == "GET" and path.startswith("/v2/groups"),
            500,
            {"code": 500, "message": "boom"},
        )
    )
    failed = cli("-vv", "plan", str(config))
    tokens = [c.headers["authorization"].split()[-1] for c in front.api_calls()]
    _clean(failed, cli.server.credentials.client_secret, *tokens)
