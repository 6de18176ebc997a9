"""Phone numbers and custom attributes: applied, then planned clean although Zoom decorates
them; exported, then planned clean; and a real difference still shows."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from reconciler.sandbox.spec import OperationKey, response_validator
from tests.e2e.conftest import Cli, edit

CONFIG = """
version: 1
users:
  - email: ann@acme.example
    first_name: Ann
    create_action: custCreate
    phone_numbers:
      - {country: US, code: "+1", number: "5550100", label: Mobile}
      - {country: GB, code: "+44", number: "2070000"}
    custom_attributes:
      - {key: cbf_cost, value: "42", name: Cost centre}
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _apply(cli: Cli, path: Path) -> None:
    applied = cli("apply", str(path), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    assert " 0 failed, 0 skipped" in applied.out


def test_zoom_answers_with_its_own_keys_as_its_spec_says(cli: Cli, config: Path) -> None:
    _apply(cli, config)
    user_id = cli.store.user("ann@acme.example").id
    token = httpx.post(
        cli.server.token_url,
        data={"grant_type": "account_credentials", "account_id": cli.server.credentials.account_id},
        auth=(cli.server.credentials.client_id, cli.server.credentials.client_secret),
        timeout=10,
    ).json()["access_token"]
    answer = httpx.get(
        f"{cli.server.base_url}/users/{user_id}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    assert [n.get("verified") for n in answer["phone_numbers"]] == [False, False]
    assert answer["custom_attributes"] == [{"key": "cbf_cost", "value": "42", "name": "cbf_cost"}]
    validator = response_validator(OperationKey("users-api", "get", "/users/{userId}"), 200)
    assert validator is not None
    assert [e.message for e in validator.iter_errors(answer)] == []


def test_applied_lists_then_plan_no_changes(cli: Cli, config: Path) -> None:
    _apply(cli, config)
    planned = cli("plan", str(config), "--detailed-exitcode")
    assert planned.code == 0, planned.out + planned.err
    assert "No changes." in planned.out


def test_a_real_difference_still_shows_and_converges(cli: Cli, config: Path) -> None:
    _apply(cli, config)
    edit(config, 'number: "2070000"', 'number: "2079999"')
    planned = cli("plan", str(config), "--format", "json")
    [change] = planned.json()["changes"]
    assert change["kind"] == "user"
    assert [n["number"] for n in change["after"]["phone_numbers"]] == ["5550100", "2079999"]
    _apply(cli, config)
    assert cli("plan", str(config), "--detailed-exitcode").code == 0


def test_export_writes_them_and_plans_clean(cli: Cli, config: Path, tmp_path: Path) -> None:
    _apply(cli, config)
    out = tmp_path / "exported"
    exported = cli("export", "--out", str(out))
    assert exported.code == 0, exported.err
    users = (out / "users.yaml").read_text(encoding="utf-8")
    assert "phone_numbers:" in users
    assert "custom_attributes:" in users
    assert "verified" not in users
    planned = cli("plan", str(out), "--detailed-exitcode")
    assert planned.code == 0, planned.out + planned.err
    assert "No changes." in planned.out
