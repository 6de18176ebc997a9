"""The account's lock settings (Zoom's Accounts API, outside the vendored spec): read, patched,
seeded, dumped, charged as Medium, and refused without the scope as Zoom refuses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from reconciler.sandbox import SandboxApp
from reconciler.sandbox.clock import Clock
from reconciler.sandbox.errors import SeedError
from reconciler.sandbox.seed import load_seed_file, load_seed_text
from reconciler.sandbox.settings import Document, read
from reconciler.sandbox.state import dump_state
from reconciler.sandbox.store import Store
from tests.sandbox.support import in_process_client

PATH = "/v2/accounts/me/lock_settings"


@pytest.fixture
def zoom(sandbox_app: SandboxApp) -> Iterator[httpx.Client]:
    with closing(in_process_client(sandbox_app)) as client:
        yield client


def _store() -> Store:
    return Store(account_id="acct-1", clock=Clock(), seed=3)


def test_a_fresh_account_locks_nothing(zoom: httpx.Client) -> None:
    response = zoom.get(PATH)
    assert response.status_code == 200
    body = response.json()
    assert body == read(Document.LOCK_SETTINGS, None)
    assert body["in_meeting"]["chat"] is False
    assert not any(v is True for section in body.values() for v in section.values())


def test_patch_locks_one_key_and_leaves_the_rest(zoom: httpx.Client) -> None:
    assert zoom.patch(PATH, json={"in_meeting": {"chat": True}}).status_code == 204
    body = zoom.get(PATH).json()
    assert body["in_meeting"]["chat"] is True
    assert body["in_meeting"]["polling"] is False
    security = zoom.get(PATH, params={"option": "meeting_security"}).json()
    assert security == read(Document.LOCK_MEETING_SECURITY, None)


def test_the_account_id_or_me_reach_the_same_document(
    zoom: httpx.Client, sandbox_app: SandboxApp
) -> None:
    own = sandbox_app.sandbox.credentials.account_id
    zoom.patch(f"/v2/accounts/{own}/lock_settings", json={"recording": {"cloud_recording": True}})
    assert zoom.get(PATH).json()["recording"]["cloud_recording"] is True
    other = zoom.get("/v2/accounts/someone-else/lock_settings")
    assert other.status_code == 404
    assert other.json()["code"] == 2001


def test_unknown_keys_fail_validation_like_group_locks(zoom: httpx.Client) -> None:
    response = zoom.patch(PATH, json={"in_meeting": {"chatty": True}})
    assert response.status_code == 400
    assert response.json()["code"] == 300


def test_charged_as_medium(zoom: httpx.Client, sandbox_app: SandboxApp) -> None:
    zoom.get(PATH)
    entry = sandbox_app.sandbox.journal.as_json()["entries"][-1]
    assert (entry["path"], entry["category"]) == (PATH, "Medium")


def test_withheld_scope_is_refused_with_4711(zoom: httpx.Client) -> None:
    config = zoom.post(
        "/_sandbox/config",
        json={"withheld_scopes": ["account:read:lock_settings:admin", "account:read:admin"]},
    )
    assert config.status_code == 200
    refused = zoom.get(PATH)
    assert refused.status_code == 400
    assert refused.json()["code"] == 4711
    assert "account:read:lock_settings:admin" in refused.json()["message"]
    # Either scope is enough, so withholding one of them refuses nothing.
    zoom.post("/_sandbox/config", json={"withheld_scopes": ["account:read:admin"]})
    assert zoom.get(PATH).status_code == 200
    # Only operations that declare scopes are checked.
    zoom.post("/_sandbox/config", json={"withheld_scopes": ["user:read:admin"]})
    assert zoom.get("/v2/users").status_code == 200


def test_yaml_seed_sets_account_locks() -> None:
    store = _store()
    seed = """
account:
  lock_settings:
    in_meeting: {chat: true}
    meeting_security: {waiting_room: true}
groups: [{name: Eng}]
"""
    load_seed_text(store, seed)
    assert store.account_settings == {
        "lock_settings": {"in_meeting": {"chat": True}},
        "lock_settings:meeting_security": {"meeting_security": {"waiting_room": True}},
    }


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("account: {lock_settings: {in_meeting: {chatty: true}}}", "in_meeting.chatty"),
        ("account: {settings: {in_meeting: {chat: true}}}", "only `lock_settings`"),
        ("account: {lock_settings: [1]}", "not a mapping"),
    ],
)
def test_impossible_account_seeds_are_refused(text: str, complaint: str) -> None:
    with pytest.raises(SeedError, match=complaint):
        load_seed_text(_store(), text)


def test_state_dump_keeps_account_locks(tmp_path: Path) -> None:
    first = _store()
    load_seed_text(first, "account: {lock_settings: {in_meeting: {chat: true}}}")
    dumped = dump_state(first)
    assert dumped["account"] == {"settings": {"lock_settings": {"in_meeting": {"chat": True}}}}
    path = tmp_path / "state.json"
    path.write_text(json.dumps(dumped))
    second = _store()
    load_seed_file(second, path)
    assert second.account_settings == first.account_settings
