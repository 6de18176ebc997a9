"""Token paging edges: empty listings, exact multiples of the page size, expired and foreign tokens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest

from reconciler.sandbox import SandboxApp
from reconciler.sandbox.owner import DEFAULT_OWNER_EMAIL as OWNER
from tests.sandbox.support import in_process_client


@pytest.fixture
def zoom(sandbox_app: SandboxApp) -> Iterator[httpx.Client]:
    with closing(in_process_client(sandbox_app)) as client:
        yield client


def _users(zoom: httpx.Client, count: int, action: str = "custCreate") -> None:
    for i in range(count):
        response = zoom.post(
            "/v2/users",
            json={"action": action, "user_info": {"email": f"{action}{i}@x.example", "type": 1}},
        )
        assert response.status_code == 201


def _walk(zoom: httpx.Client, path: str, key: str, **params: Any) -> list[dict[str, object]]:
    pages: list[dict[str, object]] = []
    token = ""
    while True:
        query = {**params, **({"next_page_token": token} if token else {})}
        response = zoom.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        token = page["next_page_token"]
        if token == "":
            return pages


def test_empty_listing_is_one_page_with_an_empty_token(zoom: httpx.Client) -> None:
    pages = _walk(zoom, "/v2/users", "users", status="inactive", page_size=3)
    assert len(pages) == 1
    assert pages[0]["users"] == []
    assert pages[0]["total_records"] == 0
    assert pages[0]["next_page_token"] == ""


def test_exact_multiple_of_the_page_size_has_no_empty_trailing_page(zoom: httpx.Client) -> None:
    _users(zoom, 5)  # and the account's owner: six active users
    pages = _walk(zoom, "/v2/users", "users", page_size=3)
    assert [len(p["users"]) for p in pages] == [3, 3]  # type: ignore[arg-type]
    assert pages[0]["page_count"] == 2
    assert pages[1]["page_number"] == 2
    emails = [u["email"] for p in pages for u in p["users"]]  # type: ignore[attr-defined]
    assert emails == [OWNER, *(f"custCreate{i}@x.example" for i in range(5))]


def test_uneven_listing_and_every_list_endpoint(zoom: httpx.Client) -> None:
    _users(zoom, 6)  # and the owner
    assert [len(p["users"]) for p in _walk(zoom, "/v2/users", "users", page_size=3)] == [3, 3, 1]  # type: ignore[arg-type]
    for i in range(4):
        zoom.post("/v2/groups", json={"name": f"G{i}"})
    assert [len(p["groups"]) for p in _walk(zoom, "/v2/groups", "groups", page_size=3)] == [3, 1]  # type: ignore[arg-type]


def test_expired_token_is_refused(sandbox_app: SandboxApp, zoom: httpx.Client) -> None:
    _users(zoom, 4)
    first = zoom.get("/v2/users", params={"page_size": 2}).json()
    sandbox_app.sandbox.clock.advance(15 * 60 + 1)
    response = zoom.get(
        "/v2/users", params={"page_size": 2, "next_page_token": first["next_page_token"]}
    )
    assert response.status_code == 400
    assert response.json() == {"code": 300, "message": "The next page token is invalid or expired."}


def test_token_of_another_listing_or_unknown_is_refused(zoom: httpx.Client) -> None:
    _users(zoom, 3)
    _users(zoom, 3, action="create")
    active = zoom.get("/v2/users", params={"page_size": 2}).json()
    foreign = zoom.get(
        "/v2/users",
        params={"status": "pending", "page_size": 2, "next_page_token": active["next_page_token"]},
    )
    assert foreign.status_code == 400
    assert foreign.json()["code"] == 300
    unknown = zoom.get("/v2/users", params={"next_page_token": "made-up"})
    assert unknown.status_code == 400
    assert unknown.json()["code"] == 300


def test_pending_users_are_listed_without_id(zoom: httpx.Client) -> None:
    _users(zoom, 2, action="create")
    pending = zoom.get("/v2/users", params={"status": "pending"}).json()["users"]
    assert len(pending) == 2
    assert all("id" not in u and u["status"] == "pending" for u in pending)
    assert [u["email"] for u in zoom.get("/v2/users").json()["users"]] == [OWNER]


def test_page_size_above_the_spec_maximum_is_a_validation_error(zoom: httpx.Client) -> None:
    too_big = zoom.get("/v2/contacts/groups", params={"page_size": 300})
    assert too_big.status_code == 400
    assert too_big.json()["errors"] == [{"field": "page_size", "message": "Invalid field."}]
    assert zoom.get("/v2/users", params={"page_size": 2000}).status_code == 200
    assert zoom.get("/v2/users", params={"page_size": 2001}).status_code == 400


@pytest.mark.parametrize("size", [0, -1])
def test_page_size_below_one_is_a_validation_error(zoom: httpx.Client, size: int) -> None:
    refused = zoom.get("/v2/users", params={"page_size": size})
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"field": "page_size", "message": "Invalid field."}]
