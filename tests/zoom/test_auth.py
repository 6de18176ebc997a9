"""Server-to-Server OAuth: one token for many requests, renewal, one replay, clear refusals."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from reconciler.errors import CredentialsError
from reconciler.zoom import TokenRejected, ZoomTransportError
from tests.zoom.fakes import (
    CLIENT_SECRET,
    FAST_RETRIES,
    FakeClock,
    FakeZoom,
    make_client,
    zoom_error,
)

pytestmark = pytest.mark.anyio


def users_page(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"id": request.url.path.rsplit("/", 1)[-1], "email": "a@x"})


async def test_concurrent_requests_share_one_token_fetch() -> None:
    zoom = FakeZoom(users_page)
    async with make_client(zoom) as client:
        users = await asyncio.gather(*(client.get_user(f"u{i}") for i in range(40)))
    assert [u["id"] for u in users] == [f"u{i}" for i in range(40)]
    assert len(zoom.token_requests) == 1
    assert set(zoom.tokens_used) == {"tok-1"}
    assert client.stats.token_fetches == 1


async def test_token_is_renewed_shortly_before_it_expires() -> None:
    clock = FakeClock()
    zoom = FakeZoom(users_page, expires_in=3600)
    async with make_client(zoom, clock=clock) as client:
        await client.get_user("a")
        clock.now += 3600 - 61  # a minute and a second before expiry: still good
        await client.get_user("b")
        clock.now += 2  # inside the last minute: renew before sending
        await client.get_user("c")
    assert zoom.tokens_used == ["tok-1", "tok-1", "tok-2"]
    assert len(zoom.token_requests) == 2


async def test_short_lived_tokens_are_not_refetched_for_every_request() -> None:
    clock = FakeClock()
    zoom = FakeZoom(users_page, expires_in=10)
    async with make_client(zoom, clock=clock) as client:
        await client.get_user("a")
        clock.now += 5
        await client.get_user("b")
        clock.now += 4.5  # within the tenth of its life before expiry
        await client.get_user("c")
    assert zoom.tokens_used == ["tok-1", "tok-1", "tok-2"]


@pytest.mark.parametrize(("status", "code"), [(401, 124), (401, 30031004), (400, 124)])
async def test_expired_token_mid_run_gets_one_refresh_and_one_replay(
    status: int, code: int
) -> None:
    zoom = FakeZoom(users_page)
    async with make_client(zoom) as client:
        await client.get_user("before")
        zoom.queue(zoom_error(status, code, "Invalid access token."))
        user = await client.get_user("after")
    assert user["id"] == "after"
    assert zoom.paths() == ["GET /v2/users/before", "GET /v2/users/after", "GET /v2/users/after"]
    assert zoom.tokens_used == ["tok-1", "tok-1", "tok-2"]
    assert len(zoom.token_requests) == 2


async def test_revoked_token_under_concurrency_is_replaced_once() -> None:
    zoom = FakeZoom(users_page)
    async with make_client(zoom) as client:
        await client.get_user("warm-up")
        zoom.revoked.add("tok-1")
        users = await asyncio.gather(*(client.get_user(f"u{i}") for i in range(20)))
    assert len(users) == 20
    assert len(zoom.token_requests) == 2
    assert zoom.tokens_used.count("tok-2") == 20


async def test_a_second_refusal_is_an_error_not_a_loop() -> None:
    zoom = FakeZoom(lambda request: zoom_error(401, 124, "Invalid access token."))
    async with make_client(zoom) as client:
        with pytest.raises(TokenRejected) as caught:
            await client.get_user("x")
    assert isinstance(caught.value, CredentialsError)
    assert caught.value.status == 401
    assert caught.value.code == 124
    assert len(zoom.api_requests) == 2
    assert len(zoom.token_requests) == 2


async def test_other_401s_are_not_replayed() -> None:
    zoom = FakeZoom(
        lambda request: zoom_error(
            401, 4711, "Invalid access token, does not contain scopes:[user:read:admin]."
        )
    )
    async with make_client(zoom) as client:
        with pytest.raises(TokenRejected, match="4711"):
            await client.list_groups()
    assert len(zoom.api_requests) == 1
    assert len(zoom.token_requests) == 1


async def test_refused_credentials_say_why_without_the_secret() -> None:
    zoom = FakeZoom(users_page)
    zoom.token_answer = httpx.Response(
        400, json={"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
    )
    async with make_client(zoom) as client:
        with pytest.raises(CredentialsError) as caught:
            await client.get_user("x")
    text = str(caught.value)
    assert "invalid_client" in text
    assert "Invalid client_id or client_secret" in text
    assert "ZOOM_CLIENT_SECRET" in text
    assert CLIENT_SECRET not in text
    assert zoom.api_requests == []
    assert len(zoom.token_requests) == 1  # a refusal is final: no retry hammering the endpoint


async def test_token_endpoint_echoing_the_secret_is_redacted() -> None:
    zoom = FakeZoom(users_page)
    zoom.token_answer = httpx.Response(
        401, json={"reason": f"bad secret {CLIENT_SECRET}", "error": "invalid_client"}
    )
    async with make_client(zoom) as client:
        with pytest.raises(CredentialsError) as caught:
            await client.get_user("x")
    assert CLIENT_SECRET not in str(caught.value)
    assert "***" in str(caught.value)


async def test_answer_without_a_token_is_a_credentials_error() -> None:
    zoom = FakeZoom(users_page)
    zoom.token_answer = httpx.Response(200, json={"token_type": "bearer"})
    async with make_client(zoom) as client:
        with pytest.raises(CredentialsError, match="without an access token"):
            await client.get_user("x")


async def test_unreachable_token_endpoint_is_retried_even_before_a_create() -> None:
    """Nothing reached Zoom when no token could be had, so a create may still be sent."""
    zoom = FakeZoom(lambda request: httpx.Response(201, json={"id": "g1", "name": "Dev"}))
    zoom.token_script.extend([httpx.ConnectError("refused"), httpx.Response(503, text="busy")])
    async with make_client(zoom) as client:
        group = await client.create_group("Dev")
    assert group["id"] == "g1"
    assert len(zoom.token_requests) == 3
    assert len(zoom.api_requests) == 1


async def test_token_endpoint_down_for_good_is_a_transport_error() -> None:
    zoom = FakeZoom(users_page)
    zoom.token_answer = httpx.Response(502, text="bad gateway")
    async with make_client(zoom) as client:
        with pytest.raises(ZoomTransportError) as caught:
            await client.create_group("Dev")
    assert caught.value.request_sent is False
    assert "HTTP 502" in str(caught.value)
    assert zoom.api_requests == []
    assert len(zoom.token_requests) == 5  # FAST_RETRIES.attempts


async def test_unreachable_token_endpoint_names_the_variable_to_check() -> None:
    """A wrong ZOOM_OAUTH_TOKEN_URL ends in an error that says where to look."""
    zoom = FakeZoom(users_page)
    zoom.token_script.extend([httpx.ConnectError("refused")] * 5)
    async with make_client(zoom) as client:
        with pytest.raises(ZoomTransportError) as caught:
            await client.create_group("Dev")
    assert caught.value.request_sent is False
    assert "could not reach the token endpoint (ConnectError)" in str(caught.value)
    assert "check ZOOM_OAUTH_TOKEN_URL" in str(caught.value)
    assert len(zoom.token_requests) == FAST_RETRIES.unreachable_attempts
