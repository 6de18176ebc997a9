"""Licences applied at the Free tier, where the bulk call carries many of them: the client sends
POST /users/features at most once every 10 seconds, makes exactly the calls the plan counts,
and users Zoom refuses in `fail_details` fail with Zoom's reason.

The client paces on a fake clock that moves only when it waits, and the sandbox reads the same
clock (its own rate limits off: that fake clock leaps when several requests wait at once, so
it cannot stand in for Zoom's one-second windows), so the run takes no real time and its
verdict does not depend on the machine's speed. The sandbox's 429 for a second bulk request
within 10 seconds is tested in tests/sandbox/test_user_settings.py."""

from __future__ import annotations

from itertools import pairwise

import pytest
from pydantic import SecretStr

from reconciler.apply import Applier, Outcome
from reconciler.catalog import Tier
from reconciler.live import ReadRequest, read_live_state
from reconciler.plan import estimate
from reconciler.plan.changes import UserFeaturesUpdate
from reconciler.plan.desired import Desired, DesiredUser
from reconciler.plan.diff import diff
from reconciler.plan.licences import bulk_requests
from reconciler.plan.plan import make_plan
from reconciler.sandbox import SandboxOptions, create_app, load_seed_text
from reconciler.sandbox.clock import Clock
from reconciler.sandbox.ratelimit import Tier as SandboxTier
from reconciler.zoom import HttpSession, ZoomClient, ZoomConnection
from reconciler.zoom.ratelimit import Scheduler
from tests.apply.support import FAST_RETRIES
from tests.zoom.fakes import FakeClock

pytestmark = pytest.mark.anyio

USERS = 120
BASE = "http://sandbox.test"


def _seed(seats: int) -> str:
    users = "".join(f"  - {{email: u{n:03}@acme.example, type: licensed}}\n" for n in range(USERS))
    return f"version: 1\naccount:\n  seats: {{webinar: {seats}}}\nusers:\n{users}"


async def _apply(seats: int) -> tuple[list[UserFeaturesUpdate], list[str], list[float]]:
    clock = FakeClock()
    app = create_app(
        SandboxOptions(tier=SandboxTier.FREE, rate_limits=False, random_seed=1),
        clock=Clock(source=clock),
    )
    load_seed_text(app.sandbox.store, _seed(seats))
    credentials = app.sandbox.credentials
    connection = ZoomConnection(
        account_id=credentials.account_id,
        client_id=credentials.client_id,
        client_secret=SecretStr(credentials.client_secret),
        api_base_url=f"{BASE}/v2",
        oauth_token_url=f"{BASE}/oauth/token",
        tier=Tier.FREE,
    )
    scheduler = Scheduler(tier=Tier.FREE, clock=clock, wall_clock=clock.wall, sleep=clock.sleep)
    desired = Desired(
        users=tuple(
            DesiredUser(f"u{n:03}@acme.example", features={"webinar": 500}) for n in range(USERS)
        )
    )
    session = HttpSession(connection, asgi_app=app)
    async with ZoomClient(
        connection, session=session, scheduler=scheduler, retry=FAST_RETRIES
    ) as zoom:
        live, _ = await read_live_state(zoom, ReadRequest.for_desired(desired))
        changes, notes = diff(desired, live)
        plan = make_plan(changes, live, notes, tier=Tier.FREE)
        before = zoom.stats.total_calls
        report = await Applier(zoom).apply(plan.changes)
        calls = zoom.stats.total_calls - before
    entries = app.sandbox.journal.as_json()["entries"]
    sent = [e["time"] for e in entries if e["path"] == "/v2/users/features"]
    gaps = [later - earlier for earlier, later in pairwise(sent)]
    routed = [c for c in plan.changes if isinstance(c, UserFeaturesUpdate)]
    failed = [r.message for r in report.results if r.outcome is Outcome.FAILED]
    assert calls == estimate(routed, Tier.FREE).total_calls
    assert len(sent) == bulk_requests(routed)
    return routed, failed, gaps


async def test_at_free_licences_ride_the_bulk_call_never_faster_than_zoom_allows() -> None:
    routed, failed, gaps = await _apply(seats=USERS)
    assert failed == []
    assert len(gaps) >= 1
    assert min(gaps) >= 10
    assert any(c.bulk is None for c in routed)


async def test_users_zoom_refuses_for_want_of_seats_fail_with_its_reason() -> None:
    _, failed, _ = await _apply(seats=USERS - 40)
    assert len(failed) == 40
    assert any("Zoom did not set webinar: Not enough seats" in m for m in failed)
