"""The real client against the sandbox, in process and over real HTTP."""

from __future__ import annotations

import asyncio
import math
import time

import httpx
import pytest
from pydantic import SecretStr

from reconciler.sandbox import SandboxApp, SandboxOptions, ServerInfo, create_app, generate_account
from reconciler.sandbox.clock import Clock
from reconciler.zoom import (
    AmbiguousWriteError,
    Category,
    HttpSession,
    NotFound,
    RetryPolicy,
    Tier,
    ZoomAPIError,
    ZoomClient,
    ZoomConnection,
)
from reconciler.zoom.types import CreateAction, DeleteAction, UserStatus

pytestmark = pytest.mark.anyio

USERS = 400


def connection_to(root_url: str, app: SandboxApp, tier: Tier = Tier.PRO) -> ZoomConnection:
    credentials = app.sandbox.credentials
    return ZoomConnection(
        account_id=credentials.account_id,
        client_id=credentials.client_id,
        client_secret=SecretStr(credentials.client_secret),
        api_base_url=f"{root_url}/v2",
        oauth_token_url=f"{root_url}/oauth/token",
        tier=tier,
    )


# Real backoff, scaled down: the waits are real sleeps here.
QUICK = RetryPolicy(attempts=8, wait_initial=0.01, wait_max=0.05, wait_jitter=0.01)


def in_process(
    app: SandboxApp, tier: Tier = Tier.PRO, retry: RetryPolicy | None = None
) -> ZoomClient:
    conn = connection_to("http://sandbox", app, tier)
    return ZoomClient(conn, session=HttpSession(conn, asgi_app=app), retry=retry)


def over_http(server: ServerInfo) -> ZoomClient:
    return ZoomClient(connection_to(server.root_url, server.app))


def seed(app: SandboxApp, users: int = USERS) -> None:
    app.sandbox.replace_store(lambda store: generate_account(store, users=users, seed=3))


async def read_everyone(client: ZoomClient) -> list[str]:
    listings = await asyncio.gather(*(client.list_users(status) for status in UserStatus))
    return sorted(user["email"] for listing in listings for user in listing)


async def test_paging_through_a_few_hundred_users_in_process(sandbox_app: SandboxApp) -> None:
    seed(sandbox_app)
    async with in_process(sandbox_app) as client:
        emails = await read_everyone(client)
        active = len(await client.list_users(UserStatus.ACTIVE))
        calls = client.stats.calls[Category.MEDIUM]
    expected = sorted(user.email for user in sandbox_app.sandbox.store.users.values())
    assert emails == expected
    assert len(emails) == USERS
    assert len(set(emails)) == len(emails)
    pages = math.ceil(active / 300) + 2  # inactive and pending fit one page each
    assert calls == pages + math.ceil(active / 300)


async def test_paging_over_real_http(sandbox_server: ServerInfo) -> None:
    seed(sandbox_server.app)
    async with over_http(sandbox_server) as client:
        emails = await read_everyone(client)
        groups = await client.list_groups()
        members = await asyncio.gather(*(client.list_group_members(g["id"]) for g in groups))
    assert len(emails) == USERS
    assert len(groups) == 20
    assert sum(len(m) for m in members) == sum(g.get("total_members", 0) for g in groups)


async def test_writes_round_trip_over_real_http(sandbox_server: ServerInfo) -> None:
    async with over_http(sandbox_server) as client:
        group = await client.create_group("Developers")
        created = await client.create_user(
            CreateAction.CUST_CREATE,
            {"email": "jill@acme.example", "type": 1, "first_name": "Jill"},
        )
        await client.add_group_members(group["id"], [{"id": created["id"]}])
        members = await client.list_group_members(group["id"])
        await client.update_group(group["id"], name="Devs")
        renamed = await client.get_group(group["id"])
        await client.delete_user(created["id"], DeleteAction.DELETE)
        with pytest.raises(NotFound):
            await client.get_user(created["id"])
    assert [m["email"] for m in members] == ["jill@acme.example"]
    assert renamed["name"] == "Devs"


async def test_token_renewal_with_early_expiry(sandbox_app: SandboxApp) -> None:
    sandbox_app.sandbox.configure({"faults": {"token_ttl_s": 30}})
    async with in_process(sandbox_app) as client:
        await client.list_groups()
        sandbox_app.sandbox.clock.advance(31)  # the token dies long before its expires_in
        await client.list_groups()
        await client.list_divisions()  # divisions say 30031004 rather than 124
        sandbox_app.sandbox.clock.advance(31)
        await client.list_divisions()
        fetched = client.stats.token_fetches
        calls = client.stats.total_calls
    assert fetched == 3
    assert calls == 4  # the replays are inside the same calls


async def test_429s_from_a_storm_are_waited_out() -> None:
    # The sandbox reads the monotonic clock the client's pacer waits on, so "a second after the
    # 429" and "after the storm" are measured the same way on both sides.
    app = create_app(SandboxOptions(rate_limits=True, random_seed=1), clock=Clock(time.monotonic))
    app.sandbox.configure({"faults": {"storm_seconds": 1.0}})
    storm_until = app.sandbox.faults.config.storm_until
    async with in_process(app) as client:
        found = await asyncio.gather(*(client.list_groups() for _ in range(5)))
        throttled = client.stats.throttled[Category.MEDIUM]
    entries = app.sandbox.journal.as_json()["entries"]
    answers = [(e["time"], e["status"]) for e in entries if e["path"] == "/v2/groups"]
    refused = [at for at, status in answers if status == 429]
    served = [at for at, status in answers if status == 200]
    assert all(groups == [] for groups in found)
    assert len(refused) == throttled >= 1
    assert len(served) == 5
    assert len(answers) == len(refused) + len(served)
    # Every call was answered only once the storm was over, and none was refused twice: each
    # held back for its 429's Retry-After (1 s), and the storm (1 s) began before any request,
    # so a call sent again sooner would have met the storm again.
    assert min(served) >= storm_until
    assert throttled <= 5


async def test_a_client_that_overestimates_its_tier_adapts(sandbox_app: SandboxApp) -> None:
    """Told Business (80/s) on a Pro account (30/s), the client follows Zoom's headers."""
    seed(sandbox_app, users=40)
    sandbox_app.sandbox.configure({"rate_limits": True})
    users = list(sandbox_app.sandbox.store.users.values())
    async with in_process(sandbox_app, Tier.BUSINESS) as client:
        found = await asyncio.gather(*(client.get_user(u.email) for u in users))
        rate = client.scheduler.rate(Category.LIGHT)
    assert sorted(u["email"] for u in found) == sorted(u.email for u in users)
    assert rate <= 30


async def test_faults_never_duplicate_a_create(sandbox_app: SandboxApp) -> None:
    sandbox_app.sandbox.configure({"faults": {"fault_rate": 0.5}, "random_seed": 11})
    outcomes: dict[str, str] = {}
    async with in_process(sandbox_app) as client:
        for i in range(30):
            name = f"Team {i:02d}"
            try:
                await client.create_group(name)
                outcomes[name] = "created"
            except AmbiguousWriteError:
                outcomes[name] = "unknown"
        sandbox_app.sandbox.configure({"faults": {"fault_rate": 0.0}})
        live = [g["name"] for g in await client.list_groups()]
    assert "unknown" in outcomes.values()  # the faults really happened
    assert len(live) == len(set(live))
    for name, outcome in outcomes.items():
        if outcome == "created":
            assert name in live
    entries = sandbox_app.sandbox.journal.as_json()["entries"]
    posts = [e for e in entries if (e["method"], e["path"]) == ("POST", "/v2/groups")]
    assert len(posts) == 30  # one request per create, never a blind second one


async def test_reads_survive_faults(sandbox_app: SandboxApp) -> None:
    seed(sandbox_app, users=350)
    # Concurrent reads meet the faults in no fixed order: seven faults for eight attempts, so
    # none can exhaust a call's retries (some thirty requests in all).
    script = {"1": 0, "2": 500, "3": 503, "8": 0, "12": 502, "20": 504, "21": 0}
    assert len(script) < QUICK.attempts
    sandbox_app.sandbox.configure({"faults": {"script": script}})
    async with in_process(sandbox_app, Tier.BUSINESS, retry=QUICK) as client:
        emails = await read_everyone(client)
        groups = await client.list_groups()
        members = await asyncio.gather(*(client.list_group_members(g["id"]) for g in groups))
        retries = client.stats.retries
    failed = [e for e in sandbox_app.sandbox.journal.as_json()["entries"] if e["status"] != 200]
    sandbox_app.sandbox.configure({"faults": {"script": {}}})
    async with in_process(sandbox_app) as client:
        calm = await asyncio.gather(*(client.list_group_members(g["id"]) for g in groups))
    assert len(emails) == 350
    assert members == calm
    assert sorted(e["status"] for e in failed) == [0, 0, 0, 500, 502, 503, 504]
    assert retries == len(script)  # each fault cost one retry, and nothing else did


async def test_zoom_errors_come_back_typed(sandbox_app: SandboxApp) -> None:
    async with in_process(sandbox_app) as client:
        await client.create_group("Twice")
        with pytest.raises(ZoomAPIError) as caught:
            await client.create_group("Twice")
    assert (caught.value.status, caught.value.code) == (409, 4132)


async def test_refused_credentials_against_the_sandbox(sandbox_app: SandboxApp) -> None:
    conn = connection_to("http://sandbox", sandbox_app).model_copy(
        update={"client_secret": SecretStr("wrong")}
    )
    async with ZoomClient(conn, session=HttpSession(conn, asgi_app=sandbox_app)) as client:
        with pytest.raises(Exception, match="invalid_client") as caught:
            await client.list_groups()
    assert "wrong" not in str(caught.value)
    assert not isinstance(caught.value, httpx.HTTPError)
