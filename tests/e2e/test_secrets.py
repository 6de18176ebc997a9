"""A canary run: plan, apply and export at full verbosity with a known client secret and an
autoCreate password; neither, nor any access token, may appear in anything the tool writes."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.e2e.conftest import Cli, edit

PASSWORD = "Canary-Pw-7f3b9"


def _issued_tokens(cli: Cli) -> list[str]:
    # The sandbox keeps the tokens it issued; the tool must never print one of them.
    return list(cli.server.app.sandbox.tokens._issued)


def test_no_secret_password_or_token_in_output_plan_files_exports_or_logs(
    cli: Cli, org: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    cli.monkeypatch.setenv("NEW_HIRE_PASSWORD", PASSWORD)
    edit(
        org,
        "users:\n",
        "users:\n  - {email: auto@acme.example, create_action: autoCreate, "
        "password: '${NEW_HIRE_PASSWORD}', first_name: Auto}\n",
    )
    saved = tmp_path / "plan.json"
    exported = tmp_path / "export"
    runs = [
        cli("-vv", "plan", str(org)),
        cli("-vv", "plan", str(org), "--format", "json", "--out", str(saved)),
        cli("-vv", "plan", str(org), "--format", "markdown"),
        cli("-vv", "apply", str(org), "--plan", str(saved), "--auto-approve"),
        cli("-vv", "apply", str(org), "--auto-approve"),
        cli("-vv", "export", "--out", str(exported)),
    ]
    assert [run.code for run in runs] == [0, 0, 0, 0, 0, 0], [r.err for r in runs]
    assert cli.store.user("auto@acme.example").first_name == "Auto"  # the password was used

    written = [saved.read_text(encoding="utf-8")]
    written += [p.read_text(encoding="utf-8") for p in sorted(exported.rglob("*")) if p.is_file()]
    everything = "\n".join(
        [
            *(r.out + r.err for r in runs),
            *written,
            caplog.text,
            *(r.getMessage() for r in caplog.records),
        ]
    )
    assert "auto@acme.example" in everything  # the canary's user is really in what was checked
    tokens = _issued_tokens(cli)
    assert tokens, "the runs must have used access tokens"
    for secret in (cli.server.credentials.client_secret, PASSWORD, *tokens):
        assert secret not in everything
