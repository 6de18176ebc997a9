"""What is retried and what is not: 429 storms, 5xx, dropped connections, ambiguous writes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest

from reconciler.zoom import (
    AmbiguousWriteError,
    Category,
    DailyLimitReached,
    NotFound,
    RateLimited,
    ServerError,
    ZoomAPIError,
    ZoomTransportError,
)
from reconciler.zoom.types import ContactGroupPrivacy, CreateAction, MemberAction
from tests.zoom.fakes import FAST_RETRIES, FakeClock, FakeZoom, make_client, zoom_error

pytestmark = pytest.mark.anyio

QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_MESSAGE = (
    "You have reached the maximum daily rate limit for this API. "
    "Refer to the response header for details on when you can make another request."
)


def ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"id": "g1", "name": "Dev"})


def throttled(**headers: str) -> httpx.Response:
    return zoom_error(429, 429, QPS_MESSAGE, **headers)


# -- 429 -------------------------------------------------------------------------------------


async def test_429_with_retry_after_seconds_waits_that_long_then_succeeds() -> None:
    clock = FakeClock()
    zoom = FakeZoom(ok)
    zoom.queue(throttled(**{"Retry-After": "3"}))
    async with make_client(zoom, clock=clock) as client:
        start = clock.now
        group = await client.get_group("g1")
        assert group["id"] == "g1"
        assert clock.now - start == pytest.approx(3.0)
        assert client.stats.throttled[Category.LIGHT] == 1
        assert client.stats.calls[Category.LIGHT] == 2


async def test_429_with_an_iso_retry_after_waits_until_that_time() -> None:
    clock = FakeClock(wall_start=datetime(2026, 3, 4, 23, 59, 50, tzinfo=UTC))
    zoom = FakeZoom(ok)
    zoom.queue(throttled(**{"Retry-After": "2026-03-05T00:00:00Z"}))
    async with make_client(zoom, clock=clock) as client:
        start = clock.now
        await client.get_group("g1")
        assert clock.now - start == pytest.approx(10.0)


async def test_429_without_headers_waits_about_a_second_with_jitter() -> None:
    clock = FakeClock()
    zoom = FakeZoom(ok)
    zoom.queue(throttled(), throttled())
    async with make_client(zoom, clock=clock) as client:
        start = clock.now
        await client.get_group("g1")
        waited = clock.now - start
    assert 2.0 <= waited <= 4.0
    assert len(zoom.api_requests) == 3


async def test_429_on_a_create_is_retried_because_zoom_did_not_apply_it() -> None:
    zoom = FakeZoom(lambda request: httpx.Response(201, json={"id": "u1", "email": "a@x"}))
    zoom.queue(throttled(**{"Retry-After": "1"}))
    async with make_client(zoom) as client:
        created = await client.create_user(CreateAction.CREATE, {"email": "a@x", "type": 1})
    assert created["id"] == "u1"
    assert zoom.paths() == ["POST /v2/users", "POST /v2/users"]


async def test_a_429_pauses_every_request_of_that_category() -> None:
    clock = FakeClock()
    sent_at: list[float] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent_at.append(clock.now)
        return ok(request)

    zoom = FakeZoom(record)
    zoom.queue(throttled(**{"Retry-After": "5"}))
    async with make_client(zoom, clock=clock) as client:
        start = clock.now
        await asyncio.gather(*(client.get_group(f"g{i}") for i in range(10)))
    # The first answer paused Light requests for 5 s: nothing else was sent meanwhile.
    after_pause = [t for t in sent_at if t > start]
    assert len(sent_at) == 10
    assert all(t >= start + 5.0 for t in after_pause)
    assert len(after_pause) >= 9


async def test_a_429_storm_slows_down_then_succeeds() -> None:
    clock = FakeClock()
    zoom = FakeZoom(ok)
    zoom.queue(*[throttled(**{"Retry-After": "1"}) for _ in range(3)])
    async with make_client(zoom, clock=clock) as client:
        await client.get_group("g1")
        assert client.scheduler.rate(Category.LIGHT) < 30 * 0.9 / 4
        assert client.stats.throttled[Category.LIGHT] == 3
        assert client.stats.retries == 3


async def test_a_429_storm_longer_than_the_attempts_raises_rate_limited() -> None:
    zoom = FakeZoom(lambda request: throttled(**{"Retry-After": "1"}))
    async with make_client(zoom) as client:
        with pytest.raises(RateLimited) as caught:
            await client.list_groups()
    assert caught.value.status == 429
    assert caught.value.category == "Medium"
    assert len(zoom.api_requests) == 5


async def test_a_daily_limit_far_away_stops_with_a_clear_message() -> None:
    clock = FakeClock(wall_start=datetime(2026, 3, 4, 9, 30, tzinfo=UTC))
    zoom = FakeZoom(ok)
    daily = zoom_error(
        429,
        429,
        DAILY_MESSAGE,
        **{
            "X-RateLimit-Category": "Heavy",
            "X-RateLimit-Type": "Daily-limit",
            "X-RateLimit-Limit": "30000",
            "X-RateLimit-Remaining": "0",
            "Retry-After": "2026-03-05T00:00:00Z",
        },
    )
    zoom.queue(daily)
    async with make_client(zoom, clock=clock) as client:
        with pytest.raises(DailyLimitReached) as caught:
            await client.delete_contact_group("c1")
        assert "Heavy" in str(caught.value)
        assert "2026-03-05 00:00:00 UTC" in str(caught.value)
        assert clock.slept == []  # did not sleep for fourteen hours
        # Other Heavy calls stop at once without asking Zoom again.
        with pytest.raises(DailyLimitReached):
            await client.update_contact_group("c1", privacy=ContactGroupPrivacy.MEMBERS_ONLY)
        assert len(zoom.api_requests) == 1
        # Other categories carry on.
        await client.get_group("g1")


async def test_a_daily_limit_without_any_header_assumes_midnight_utc() -> None:
    clock = FakeClock(wall_start=datetime(2026, 3, 4, 20, 0, tzinfo=UTC))
    zoom = FakeZoom(ok)
    zoom.queue(zoom_error(429, 429, DAILY_MESSAGE))
    async with make_client(zoom, clock=clock) as client:
        with pytest.raises(DailyLimitReached, match="2026-03-05 00:00:00 UTC"):
            await client.get_group("g1")


async def test_a_daily_limit_resetting_soon_is_waited_for() -> None:
    clock = FakeClock(wall_start=datetime(2026, 3, 4, 23, 59, 40, tzinfo=UTC))
    zoom = FakeZoom(ok)
    zoom.queue(
        zoom_error(
            429,
            429,
            DAILY_MESSAGE,
            **{"X-RateLimit-Type": "Daily-limit", "Retry-After": "2026-03-05T00:00:00Z"},
        )
    )
    async with make_client(zoom, clock=clock) as client:
        start = clock.now
        await client.get_group("g1")
        assert clock.now - start == pytest.approx(20.0)


# -- 5xx and dropped connections -------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        zoom_error(500, None, "Internal error"),
        httpx.Response(503, text="<html>unavailable</html>"),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ConnectError("connection refused"),
    ],
    ids=["500", "503-html", "read-timeout", "disconnect", "connect"],
)
async def test_reads_are_retried_after_5xx_and_dropped_connections(
    failure: httpx.Response | Exception,
) -> None:
    zoom = FakeZoom(ok)
    zoom.queue(failure, failure)
    async with make_client(zoom) as client:
        group = await client.get_group("g1")
    assert group["name"] == "Dev"
    assert len(zoom.api_requests) == 3


async def test_reads_give_up_after_the_attempts_with_the_last_error() -> None:
    zoom = FakeZoom(lambda request: zoom_error(502, None, "Bad gateway"))
    async with make_client(zoom) as client:
        with pytest.raises(ServerError) as caught:
            await client.get_group("g1")
    assert caught.value.status == 502
    assert len(zoom.api_requests) == 5


@pytest.mark.parametrize(
    "failure",
    [
        zoom_error(500, None, "Internal error"),
        httpx.Response(504, text=""),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.WriteError("broken pipe"),
    ],
    ids=["500", "504-empty", "read-timeout", "disconnect", "write-error"],
)
async def test_creates_are_never_blindly_retried(failure: httpx.Response | Exception) -> None:
    zoom = FakeZoom(lambda request: httpx.Response(201, json={"id": "u1"}))
    zoom.queue(failure)
    async with make_client(zoom) as client:
        with pytest.raises(AmbiguousWriteError) as caught:
            await client.create_user(CreateAction.CREATE, {"email": "a@x", "type": 1})
    assert len(zoom.api_requests) == 1
    assert caught.value.operation == "create user"
    assert caught.value.method == "POST"
    assert caught.value.path == "/users"
    assert "re-read" in str(caught.value)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda c: c.add_group_members("g1", [{"email": "a@x"}]), "POST /v2/groups/g1/members"),
        (lambda c: c.add_group_admins("g1", [{"id": "u1"}]), "POST /v2/groups/g1/admins"),
        (lambda c: c.create_group("Dev"), "POST /v2/groups"),
        (lambda c: c.create_division("Eng"), "POST /v2/divisions"),
        (
            lambda c: c.assign_division_users("d1", [{"user_id": "u1"}]),
            "POST /v2/divisions/d1/users",
        ),
        (
            lambda c: c.create_contact_group("Office", ContactGroupPrivacy.VISIBLE_TO_ANYONE),
            "POST /v2/contacts/groups",
        ),
        (
            lambda c: c.add_contact_group_members("c1", [{"id": "u1", "type": 1}]),
            "POST /v2/contacts/groups/c1/members",
        ),
        (
            lambda c: c.update_group_member("g1", "u1", MemberAction.MOVE, target_group_id="g2"),
            "PATCH /v2/groups/g1/members/u1",
        ),
    ],
)
async def test_every_non_idempotent_write_sends_exactly_once_on_a_5xx(call, expected) -> None:
    zoom = FakeZoom(ok)
    zoom.queue(zoom_error(500, None, "Internal error"))
    async with make_client(zoom) as client:
        with pytest.raises(AmbiguousWriteError):
            await call(client)
    assert zoom.paths() == [expected]


async def test_a_create_whose_connection_never_opened_is_sent_again() -> None:
    zoom = FakeZoom(lambda request: httpx.Response(201, json={"id": "u1", "email": "a@x"}))
    zoom.queue(httpx.ConnectError("connection refused"), httpx.ConnectTimeout("slow"))
    async with make_client(zoom) as client:
        created = await client.create_user(CreateAction.CREATE, {"email": "a@x", "type": 1})
    assert created["id"] == "u1"
    assert len(zoom.api_requests) == 3


async def test_a_connection_never_made_names_the_variable_to_check() -> None:
    """A wrong ZOOM_API_BASE_URL ends in an error that says where to look."""
    zoom = FakeZoom(lambda request: httpx.Response(200, json={}))
    zoom.queue(*[httpx.ConnectError("connection refused")] * 5)
    async with make_client(zoom) as client:
        with pytest.raises(ZoomTransportError) as caught:
            await client.get_user("u1")
    assert caught.value.request_sent is False
    assert "could not connect to Zoom (ConnectError)" in str(caught.value)
    assert "check ZOOM_API_BASE_URL" in str(caught.value)
    # Zoom never answered: a wrong address stops after a few tries, not the whole policy.
    assert len(zoom.api_requests) == FAST_RETRIES.unreachable_attempts < FAST_RETRIES.attempts


async def test_once_zoom_has_answered_a_refused_connection_gets_every_attempt() -> None:
    """Mid-run, a refused connection is a blip on Zoom's side, not a wrong address."""
    zoom = FakeZoom(ok)
    async with make_client(zoom) as client:
        await client.get_group("g1")
        zoom.queue(*[httpx.ConnectError("connection refused")] * (FAST_RETRIES.attempts - 1))
        group = await client.get_group("g1")
    assert group["name"] == "Dev"
    assert len(zoom.api_requests) == 1 + FAST_RETRIES.attempts


async def test_idempotent_writes_are_retried() -> None:
    zoom = FakeZoom(lambda request: httpx.Response(204))
    zoom.queue(zoom_error(503, None, "busy"), httpx.ReadTimeout("timed out"))
    async with make_client(zoom) as client:
        await client.update_user("u1", {"dept": "Eng"})
    assert zoom.paths() == ["PATCH /v2/users/u1"] * 3


async def test_a_retried_delete_that_finds_nothing_is_done() -> None:
    zoom = FakeZoom(lambda request: httpx.Response(204))
    zoom.queue(httpx.ReadTimeout("timed out"), zoom_error(404, 1001, "User does not exist: u1."))
    async with make_client(zoom) as client:
        await client.delete_user("u1")
    assert zoom.paths() == ["DELETE /v2/users/u1"] * 2


async def test_a_delete_that_finds_nothing_at_first_is_not_found() -> None:
    zoom = FakeZoom(lambda request: zoom_error(404, 1001, "User does not exist: u1."))
    async with make_client(zoom) as client:
        with pytest.raises(NotFound) as caught:
            await client.delete_user("u1")
    assert caught.value.code == 1001
    assert len(zoom.api_requests) == 1


async def test_a_retried_write_refused_after_an_ambiguous_attempt_is_ambiguous() -> None:
    zoom = FakeZoom(lambda request: httpx.Response(204))
    zoom.queue(
        zoom_error(500, None, "Internal error"),
        zoom_error(400, 300, "A member with this memberId: u1 does not exist."),
    )
    async with make_client(zoom) as client:
        with pytest.raises(AmbiguousWriteError, match="may or may not"):
            await client.remove_contact_group_members("c1", ["u1"])
    assert len(zoom.api_requests) == 2


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (400, 300, ZoomAPIError),
        (404, 4130, NotFound),
        (409, 4132, ZoomAPIError),
        (403, None, ZoomAPIError),
        (501, None, ZoomAPIError),
    ],
)
async def test_other_errors_are_raised_at_once_with_status_code_and_message(
    status: int, code: int | None, kind: type[ZoomAPIError]
) -> None:
    zoom = FakeZoom(lambda request: zoom_error(status, code, "Zoom says no."))
    async with make_client(zoom) as client:
        with pytest.raises(kind) as caught:
            await client.create_group("Dev")
    assert type(caught.value) is kind
    assert (caught.value.status, caught.value.code) == (status, code)
    assert caught.value.message == "Zoom says no."
    assert str(caught.value).startswith("POST /groups: HTTP")
    assert len(zoom.api_requests) == 1


async def test_transport_errors_after_all_attempts_say_whether_anything_was_sent() -> None:
    zoom = FakeZoom(ok)
    zoom.queue(*[httpx.ReadTimeout("timed out") for _ in range(5)])
    async with make_client(zoom) as client:
        with pytest.raises(ZoomTransportError) as caught:
            await client.get_group("g1")
    assert caught.value.request_sent is True
    assert "ReadTimeout" in str(caught.value)
