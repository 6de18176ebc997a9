"""Paging edges: empty listings, the two ways Zoom says "done", exact multiples, bad tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from reconciler.zoom import PagingError, ZoomAPIError
from reconciler.zoom.types import UserStatus
from tests.zoom.fakes import FakeZoom, make_client, zoom_error

pytestmark = pytest.mark.anyio

Ending = Callable[[dict[str, Any]], None]


def say_done_with_empty_token(body: dict[str, Any]) -> None:
    body["next_page_token"] = ""


def say_done_by_omitting_the_token(body: dict[str, Any]) -> None:
    body.pop("next_page_token", None)


def users_listing(total: int, ending: Ending, key: str = "users") -> FakeZoom:
    """A listing that honours page_size and hands out opaque tokens, as Zoom does."""
    people = [{"id": f"u{i}", "email": f"u{i}@acme.example", "type": 1} for i in range(total)]

    def answer(request: httpx.Request) -> httpx.Response:
        size = int(request.url.params["page_size"])
        token = request.url.params.get("next_page_token")
        start = int(token.removeprefix("tok")) if token else 0
        chunk = people[start : start + size]
        body: dict[str, Any] = {key: chunk, "page_size": size, "total_records": total}
        if start + size < total:
            body["next_page_token"] = f"tok{start + size}"
        else:
            ending(body)
        return httpx.Response(200, json=body)

    return FakeZoom(answer)


@pytest.mark.parametrize("ending", [say_done_with_empty_token, say_done_by_omitting_the_token])
@pytest.mark.parametrize(
    ("total", "calls"), [(0, 1), (1, 1), (299, 1), (300, 1), (301, 2), (600, 2), (901, 4)]
)
async def test_listing_reads_every_item_with_the_fewest_pages(
    total: int, calls: int, ending: Ending
) -> None:
    zoom = users_listing(total, ending)
    async with make_client(zoom) as client:
        users = await client.list_users(UserStatus.INACTIVE)
    assert [u["id"] for u in users] == [f"u{i}" for i in range(total)]
    assert len(zoom.api_requests) == calls
    for request in zoom.api_requests:
        assert request.url.params["page_size"] == "300"
        assert request.url.params["status"] == "inactive"  # same query on every page


async def test_a_last_page_that_is_empty_ends_the_listing() -> None:
    zoom = FakeZoom()
    zoom.queue(
        httpx.Response(200, json={"groups": [{"id": "g1", "name": "A"}], "next_page_token": "t1"}),
        httpx.Response(200, json={"groups": [], "next_page_token": ""}),
    )
    async with make_client(zoom) as client:
        groups = await client.list_groups()
    assert groups == [{"id": "g1", "name": "A"}]
    assert zoom.api_requests[1].url.params["next_page_token"] == "t1"


async def test_a_listing_without_its_key_is_empty() -> None:
    zoom = FakeZoom(lambda request: httpx.Response(200, json={"total_records": 0}))
    async with make_client(zoom) as client:
        assert await client.list_divisions() == []


async def test_a_repeated_token_stops_instead_of_looping() -> None:
    zoom = FakeZoom(
        lambda request: httpx.Response(
            200, json={"groups": [{"id": "g", "name": "G"}], "next_page_token": "same"}
        )
    )
    async with make_client(zoom) as client:
        with pytest.raises(PagingError, match="repeated a page token"):
            await client.list_groups()
    assert len(zoom.api_requests) == 2


async def test_an_expired_page_token_is_reported_not_retried() -> None:
    zoom = FakeZoom()
    zoom.queue(
        httpx.Response(200, json={"users": [{"id": "u1"}], "next_page_token": "old"}),
        zoom_error(400, 300, "The next page token is invalid or expired."),
    )
    async with make_client(zoom) as client:
        with pytest.raises(ZoomAPIError) as caught:
            await client.list_users()
    assert caught.value.code == 300
    assert len(zoom.api_requests) == 2


async def test_contact_groups_page_at_their_own_maximum() -> None:
    zoom = users_listing(120, say_done_with_empty_token, key="group_members")
    async with make_client(zoom) as client:
        members = await client.list_contact_group_members("c1")
    assert len(members) == 120
    assert [r.url.params["page_size"] for r in zoom.api_requests] == ["50", "50", "50"]


@pytest.mark.parametrize(
    ("method", "path", "key"),
    [
        ("list_group_members", "/v2/groups/g1/members", "members"),
        ("list_group_admins", "/v2/groups/g1/admins", "admins"),
        ("list_division_users", "/v2/divisions/g1/users", "users"),
    ],
)
async def test_member_listings_page_too(method: str, path: str, key: str) -> None:
    zoom = users_listing(450, say_done_by_omitting_the_token, key=key)
    async with make_client(zoom) as client:
        found = await getattr(client, method)("g1")
    assert len(found) == 450
    assert zoom.paths() == [f"GET {path}"] * 2
