"""Rate limits per tier and category: budgets, daily caps, headers and Zoom's 429 bodies."""

from __future__ import annotations

from contextlib import closing

import httpx
import pytest

from reconciler.sandbox import SandboxOptions, ServerInfo, Tier, create_app
from reconciler.sandbox.clock import Clock
from reconciler.sandbox.errors import SandboxError
from reconciler.sandbox.ratelimit import (
    DAILY_MESSAGE,
    PER_WINDOW,
    QPS_MESSAGE,
    Category,
    RateLimiter,
)
from reconciler.sandbox.spec import OperationKey
from tests.sandbox.support import http_client, in_process_client, token_for

DAY = 86_400
START = 20_000 * DAY + 3_600  # 01:00 UTC, so a test never crosses midnight by accident


class FrozenTime:
    """A clock source the test moves by hand, so windows never split a burst."""

    def __init__(self) -> None:
        self.now = float(START)

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def frozen() -> FrozenTime:
    return FrozenTime()


def _client(tier: Tier, frozen: FrozenTime) -> httpx.Client:
    """Budgets are what these tests are about, so even a Free account may use paid features."""
    options = SandboxOptions(tier=tier, random_seed=3, paid_account=True)
    app = create_app(options, clock=Clock(frozen))
    client = in_process_client(app)
    client.credentials = app.sandbox.credentials  # type: ignore[attr-defined]
    return client


def test_categories_come_from_the_spec_labels() -> None:
    assert Category.of(OperationKey("users-api", "get", "/users")) is Category.MEDIUM
    assert Category.of(OperationKey("users-api", "post", "/users")) is Category.LIGHT
    assert Category.of(OperationKey("users-api", "post", "/contacts/groups")) is Category.HEAVY
    assert (
        Category.of(OperationKey("users-api", "get", "/groups/{groupId}/settings"))
        is Category.MEDIUM
    )
    assert Category.of(OperationKey("scim2-api", "get", "/scim2/Users/{userId}")) is Category.LIGHT


@pytest.mark.parametrize("tier", list(Tier))
@pytest.mark.parametrize(
    ("category", "path"), [(Category.LIGHT, "/v2/groups/g"), (Category.MEDIUM, "/v2/groups")]
)
def test_per_second_budget_and_headers(
    tier: Tier, category: Category, path: str, frozen: FrozenTime
) -> None:
    limit = PER_WINDOW[tier][category].limit
    with closing(_client(tier, frozen)) as zoom:
        answers = [zoom.get(path) for _ in range(limit + 1)]
        assert all(a.status_code != 429 for a in answers[:limit])
        refused = answers[limit]
        assert refused.status_code == 429
        assert refused.json() == {"code": 429, "message": QPS_MESSAGE}
        assert refused.headers["X-RateLimit-Category"] == category.value
        assert refused.headers["X-RateLimit-Type"] == "QPS"
        assert refused.headers["X-RateLimit-Limit"] == str(limit)
        assert refused.headers["X-RateLimit-Remaining"] == "0"
        assert refused.headers["Retry-After"] == "1"
        assert answers[0].headers["X-RateLimit-Category"] == category.value
        frozen.now += 1
        assert zoom.get(path).status_code != 429  # the next second has a fresh budget


def test_categories_have_separate_budgets(frozen: FrozenTime) -> None:
    with closing(_client(Tier.FREE, frozen)) as zoom:
        assert [zoom.get("/v2/groups").status_code for _ in range(3)] == [200, 200, 429]
        assert zoom.get("/v2/groups/g").status_code == 404  # Light still has budget


def test_free_daily_limit_and_its_reset_time(frozen: FrozenTime) -> None:
    with closing(_client(Tier.FREE, frozen)) as zoom:
        created = zoom.post("/v2/contacts/groups", json={"group_name": "A"})
        cid = created.json()["group_id"]
        assert created.headers["X-RateLimit-Limit"] == "1000"
        assert created.headers["X-RateLimit-Remaining"] == "999"
        for _ in range(999):
            frozen.now += 1  # Heavy on Free: 1 per second
            assert (
                zoom.patch(f"/v2/contacts/groups/{cid}", json={"description": "x"}).status_code
                == 204
            )
        frozen.now += 1
        refused = zoom.patch(f"/v2/contacts/groups/{cid}", json={"description": "y"})
        assert refused.status_code == 429
        assert refused.json() == {"code": 429, "message": DAILY_MESSAGE}
        assert refused.headers["X-RateLimit-Type"] == "Daily-limit"
        assert refused.headers["X-RateLimit-Category"] == "Heavy"
        assert refused.headers["Retry-After"] == "2024-10-05T00:00:00Z"  # the next 00:00 UTC
        frozen.now = (START // DAY + 1) * DAY
        zoom.headers["Authorization"] = f"Bearer {token_for(zoom, zoom.credentials)}"  # type: ignore[attr-defined]
        assert (
            zoom.patch(f"/v2/contacts/groups/{cid}", json={"description": "z"}).status_code == 204
        )


@pytest.mark.parametrize(
    ("tier", "daily", "light"), [(Tier.PRO, 30_000, 30), (Tier.BUSINESS, 60_000, 80)]
)
def test_heavy_shares_a_daily_counter_on_paid_tiers(
    tier: Tier, daily: int, light: int, frozen: FrozenTime
) -> None:
    with closing(_client(tier, frozen)) as zoom:
        created = zoom.post("/v2/contacts/groups", json={"group_name": "A"})
        assert created.headers["X-RateLimit-Limit"] == str(daily)
        assert created.headers["X-RateLimit-Remaining"] == str(daily - 1)
        assert "X-RateLimit-Type" not in created.headers  # only a 429 names the limit it hit
        answer = zoom.get("/v2/groups/g")
        assert answer.headers["X-RateLimit-Limit"] == str(light)
        assert answer.headers["X-RateLimit-Remaining"] == str(light - 1)


@pytest.mark.parametrize(("tier", "cap"), [(Tier.FREE, 50), (Tier.PRO, 1500)])
def test_daily_user_creation_cap(tier: Tier, cap: int, frozen: FrozenTime) -> None:
    with closing(_client(tier, frozen)) as zoom:
        for i in range(cap):
            if i % 4 == 3:
                frozen.now += 1  # stay inside Free's 4 Light calls per second
            body = {"action": "create", "user_info": {"email": f"u{i}@x.example", "type": 1}}
            assert zoom.post("/v2/users", json=body).status_code == 201
        frozen.now += 1
        refused = zoom.post(
            "/v2/users",
            json={"action": "create", "user_info": {"email": "late@x.example", "type": 1}},
        )
        assert refused.status_code == 429
        assert refused.json() == {"code": 429, "message": DAILY_MESSAGE}
        assert refused.headers["X-RateLimit-Type"] == "Daily-limit"
        assert refused.headers["X-RateLimit-Limit"] == str(cap)
        assert refused.headers["Retry-After"] == "2024-10-05T00:00:00Z"
        other = zoom.post(
            "/v2/users",
            json={"action": "custCreate", "user_info": {"email": "c@x.example", "type": 1}},
        )
        assert other.status_code == 201  # the cap counts action=create only


def test_group_creation_cap(frozen: FrozenTime) -> None:
    with closing(_client(Tier.BUSINESS, frozen)) as zoom:
        for i in range(100):
            if i % 40 == 39:
                frozen.now += 1
            assert zoom.post("/v2/groups", json={"name": f"G{i}"}).status_code == 201
        frozen.now += 1
        refused = zoom.post("/v2/groups", json={"name": "G100"})
    assert refused.status_code == 429
    assert refused.json() == {"code": 429, "message": DAILY_MESSAGE}
    assert refused.headers["X-RateLimit-Type"] == "Daily-limit"
    assert refused.headers["X-RateLimit-Limit"] == "100"


def test_burst_over_real_http_sees_429s(sandbox_server: ServerInfo) -> None:
    httpx.post(
        f"{sandbox_server.root_url}/_sandbox/config", json={"rate_limits": True, "tier": "free"}
    )
    with closing(http_client(sandbox_server)) as zoom:
        answers = [zoom.get("/v2/groups/missing") for _ in range(10)]
    statuses = [a.status_code for a in answers]
    assert statuses.count(429) >= 2  # 4 per second on Free; ten calls span at most two windows
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.headers["X-RateLimit-Category"] == "Light"
    assert refused.headers["X-RateLimit-Type"] == "QPS"
    assert int(refused.headers["Retry-After"]) >= 1


def test_business_daily_user_creation_cap(frozen: FrozenTime) -> None:
    """Business allows 10,000 invitations a day; the first 9,999 are spent without HTTP."""
    app = create_app(SandboxOptions(tier=Tier.BUSINESS, random_seed=3), clock=Clock(frozen))
    for _ in range(9_999):
        app.sandbox.limiter.charge_cap("user-create", 10_000, Category.LIGHT)
    with closing(in_process_client(app)) as zoom:
        body = {"action": "create", "user_info": {"email": "last@x.example", "type": 1}}
        assert zoom.post("/v2/users", json=body).status_code == 201
        refused = zoom.post(
            "/v2/users",
            json={"action": "create", "user_info": {"email": "late@x.example", "type": 1}},
        )
    assert refused.status_code == 429
    assert refused.json() == {"code": 429, "message": DAILY_MESSAGE}
    assert refused.headers["X-RateLimit-Type"] == "Daily-limit"
    assert refused.headers["X-RateLimit-Limit"] == "10000"
    assert refused.headers["Retry-After"] == "2024-10-05T00:00:00Z"


@pytest.mark.parametrize(("tier", "limit"), [(Tier.FREE, 10), (Tier.PRO, 10), (Tier.BUSINESS, 20)])
def test_resource_intensive_budget_is_per_minute(
    tier: Tier, limit: int, frozen: FrozenTime
) -> None:
    """No endpoint the reconciler uses is Resource-intensive, so the limiter is driven directly."""
    limiter = RateLimiter(frozen, tier)
    frozen.now += 15  # a quarter into the minute
    for _ in range(limit):
        limiter.charge(Category.RESOURCE_INTENSIVE)
    with pytest.raises(SandboxError) as refused:
        limiter.charge(Category.RESOURCE_INTENSIVE)
    assert (refused.value.status, refused.value.code) == (429, 429)
    assert refused.value.headers["X-RateLimit-Type"] == "QPS"
    assert refused.value.headers["X-RateLimit-Category"] == "Resource-intensive"
    assert refused.value.headers["Retry-After"] == "45"
    frozen.now += 45
    assert limiter.charge(Category.RESOURCE_INTENSIVE)["X-RateLimit-Category"] == (
        "Resource-intensive"
    )
