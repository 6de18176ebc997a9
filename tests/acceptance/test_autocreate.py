"""autoCreate without a password: Zoom refuses it (POST /users, 400 code 300 "Invalid parameter:
password", seed 001), so `validate`, `plan` and `apply` refuse it first, and nothing is sent."""

from __future__ import annotations

from pathlib import Path

from tests.acceptance.conftest import write
from tests.e2e.conftest import Cli

CONFIG = """\
version: 1
users:
  - email: ann@acme.example
    create_action: autoCreate
"""


def test_autocreate_without_a_password_is_refused_before_any_request(
    cli: Cli, tmp_path: Path
) -> None:
    config = write(tmp_path / "org.yaml", CONFIG)
    expected = (
        f"{config}:4:20: user 'ann@acme.example' is created with autoCreate, which needs a "
        "password; Zoom refuses it without one"
    )
    cli.control("DELETE", "journal")
    for command in (("validate",), ("plan",), ("apply", "--auto-approve")):
        result = cli(*command, str(config))
        assert result.code == 1, result.err
        assert expected in result.err.splitlines()
    assert cli.control("GET", "journal")["entries"] == []
    assert "ann@acme.example" not in {u.email for u in cli.store.users.values()}
