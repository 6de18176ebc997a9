"""Connecting to Zoom: environment variables, the token request, 401/429 handling, paging."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from reconciler.zoom.settings import ZoomConnection
from tests.acceptance.conftest import Front, Staged, write
from tests.e2e.conftest import Cli

CREDENTIALS = ("ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET")
DAILY_MESSAGE = (
    "You have reached the maximum daily rate limit for this API. "
    "Refer to the response header for details on when you can make another request."
)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write(
        tmp_path / "small.yaml",
        "version: 1\ndivisions:\n  - name: Engineering\ngroups:\n  - name: Developers\n",
    )


def _is(method: str, prefix: str) -> Callable[[str, str], bool]:
    """A request predicate for `Staged`: this method, a path starting so."""
    return lambda m, path: m == method and path.startswith(prefix)


def _zoom_error(status: int, code: int, message: str, **headers: str) -> Staged:
    return Staged(_is("GET", "/v2/groups"), status, {"code": code, "message": message}, headers)


# -- environment ---------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [CREDENTIALS, CREDENTIALS[1:2]])
def test_missing_credentials_are_named_and_the_run_stops(
    cli: Cli, small: Path, missing: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in missing:
        monkeypatch.delenv(name)
    planned = cli("plan", str(small))
    assert planned.code == 1
    for name in CREDENTIALS:
        assert (name in planned.err) == (name in missing), planned.err
    assert cli.control("GET", "journal")["entries"] == []


def test_sandbox_flag_needs_no_credentials(
    cli: Cli, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (*CREDENTIALS, "ZOOM_API_BASE_URL", "ZOOM_OAUTH_TOKEN_URL"):
        monkeypatch.delenv(name)
    planned = cli("plan", str(small), "--sandbox", "--format", "json")
    assert planned.code == 0, planned.err
    assert planned.json()["format_version"] == 1


def test_defaults_are_zoom_itself_and_the_pro_tier() -> None:
    connection = ZoomConnection.from_env(dict.fromkeys(CREDENTIALS, "x"))
    assert connection.api_base_url == "https://api.zoom.us/v2"
    assert connection.oauth_token_url == "https://zoom.us/oauth/token"
    assert connection.tier.value == "pro"


@pytest.mark.parametrize("slash", ["", "/"])
def test_both_urls_are_taken_from_the_environment(
    front: Front, cli: Cli, small: Path, slash: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZOOM_API_BASE_URL", f"{front.root_url}/v2{slash}")
    assert cli("plan", str(small)).code == 0
    assert front.token_calls()
    assert front.api_calls()
    assert not [c.path for c in front.seen if "//" in c.path]
    assert cli.writes() == []


@pytest.mark.parametrize("tier", ["free", "pro", "business", None])
def test_the_rate_limit_tier_is_read_and_defaults_to_pro(
    cli: Cli, small: Path, tier: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if tier is None:
        monkeypatch.delenv("ZOOM_RATE_LIMIT_TIER")
    else:
        monkeypatch.setenv("ZOOM_RATE_LIMIT_TIER", tier)
    planned = cli("plan", str(small), "--format", "json")
    assert planned.code == 0, planned.err
    assert planned.json()["estimate"]["tier"] == (tier or "pro")


def test_an_unknown_tier_is_an_error_naming_the_variable(
    cli: Cli, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZOOM_RATE_LIMIT_TIER", "enterprise")
    planned = cli("plan", str(small))
    assert planned.code == 1
    assert "ZOOM_RATE_LIMIT_TIER" in planned.err


# -- the token request -----------------------------------------------------------------------


def test_the_token_request_is_a_form_post_with_basic_auth(
    front: Front, cli: Cli, small: Path
) -> None:
    assert cli("plan", str(small)).code == 0
    (token,) = front.token_calls()
    credentials = cli.server.credentials
    assert token.method == "POST"
    assert token.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert parse_qs(token.body.decode()) == {
        "grant_type": ["account_credentials"],
        "account_id": [credentials.account_id],
    }
    scheme, _, encoded = token.headers["authorization"].partition(" ")
    assert scheme.lower() == "basic"
    pair = f"{credentials.client_id}:{credentials.client_secret}"
    assert base64.b64decode(encoded).decode() == pair
    for call in front.api_calls():
        assert call.headers["authorization"].lower().startswith("bearer ")


def test_the_sandbox_token_endpoint_also_takes_query_parameters(cli: Cli) -> None:
    credentials = cli.server.credentials
    answer = httpx.post(
        cli.server.token_url,
        params={"grant_type": "account_credentials", "account_id": credentials.account_id},
        auth=(credentials.client_id, credentials.client_secret),
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["token_type"] == "bearer"
    assert answer.json()["expires_in"] == 3600


# -- 401 and 429 ----------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "code"), [("/v2/groups", 124), ("/v2/divisions", 30031004)])
def test_an_expired_token_gets_one_new_token_and_one_retry(
    front: Front, cli: Cli, small: Path, prefix: str, code: int
) -> None:
    front.stage(Staged(_is("GET", prefix), 401, {"code": code, "message": "Invalid access token."}))
    planned = cli("plan", str(small))
    assert planned.code == 0, planned.err
    assert len(front.token_calls()) == 2
    tried = [c for c in front.api_calls() if urlsplit(c.path).path == prefix]
    assert len(tried) == 2
    assert tried[0].headers["authorization"] != tried[1].headers["authorization"]


def test_a_second_401_is_not_retried_again(front: Front, cli: Cli, small: Path) -> None:
    for _ in range(3):
        front.stage(_zoom_error(401, 124, "Invalid access token."))
    planned = cli("plan", str(small))
    assert planned.code == 1
    assert len(front.token_calls()) == 2
    assert len([c for c in front.api_calls() if c.path.startswith("/v2/groups?")]) == 2


def _gap(front: Front) -> float:
    first, second = [c for c in front.api_calls() if c.path.startswith("/v2/groups?")][:2]
    return second.at - first.at


def test_429_waits_retry_after_seconds(front: Front, cli: Cli, small: Path) -> None:
    front.stage(
        _zoom_error(429, 429, "rate limit", **{"Retry-After": "1", "X-RateLimit-Type": "QPS"})
    )
    planned = cli("plan", str(small))
    assert planned.code == 0, planned.err
    assert _gap(front) >= 0.95


def test_429_waits_until_an_iso_retry_after(front: Front, cli: Cli, small: Path) -> None:
    def two_seconds_after_answering() -> dict[str, str]:
        # Whole seconds, as Zoom writes it: the reset is 1 to 2 s after the 429 goes out,
        # however long the run took to get there.
        soon = (datetime.now(UTC) + timedelta(seconds=2)).replace(microsecond=0)
        return {"Retry-After": soon.strftime("%Y-%m-%dT%H:%M:%SZ")}

    daily = _zoom_error(429, 429, DAILY_MESSAGE, **{"X-RateLimit-Type": "Daily-limit"})
    front.stage(replace(daily, headers_when_served=two_seconds_after_answering))
    planned = cli("plan", str(small))
    assert planned.code == 0, planned.err
    assert _gap(front) >= 0.9


def test_429_without_retry_after_waits_about_a_second(front: Front, cli: Cli, small: Path) -> None:
    front.stage(_zoom_error(429, 429, "rate limit"))
    planned = cli("plan", str(small))
    assert planned.code == 0, planned.err
    # Only the lower bound: how much later the retry goes is the machine's business
    # (tests/zoom/test_retries.py checks the chosen wait on a controlled clock).
    assert _gap(front) >= 0.5


def test_a_far_daily_limit_stops_the_run_with_a_clear_message(
    front: Front, cli: Cli, small: Path
) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    front.stage(
        _zoom_error(
            429, 429, DAILY_MESSAGE, **{"Retry-After": tomorrow, "X-RateLimit-Type": "Daily-limit"}
        )
    )
    planned = cli("plan", str(small))
    assert planned.code == 1
    assert "rate limit" in planned.err
    assert "Traceback" not in planned.err
    assert len([c for c in front.api_calls() if c.path.startswith("/v2/groups?")]) == 1


# -- paging ---------------------------------------------------------------------------------


def test_list_calls_ask_for_300_per_page(front: Front, cli: Cli, tmp_path: Path) -> None:
    cli.control("POST", "seed", {"generate": {"users": 5, "groups": 2, "divisions": 1, "seed": 3}})
    config = write(
        tmp_path / "c.yaml",
        "version: 1\ngroups:\n  - name: G\n    members: []\n    admins: []\n"
        "contact_groups:\n  - name: C\n",
    )
    assert cli("plan", str(config)).code == 0
    lists = [
        urlsplit(c.path)
        for c in front.api_calls()
        if c.method == "GET"
        and urlsplit(c.path).path.rstrip("/").rsplit("/", 1)[-1]
        in {"users", "groups", "divisions", "members", "admins"}
    ]
    assert {u.path for u in lists} >= {"/v2/users", "/v2/groups", "/v2/divisions"}
    for url in lists:
        # Deliberate, documented in docs/client.md: 50 is Zoom's maximum for contact groups.
        size = "50" if url.path.startswith("/v2/contacts/") else "300"
        assert parse_qs(url.query).get("page_size") == [size], url
