"""Credentials from the environment: clear about what is missing, silent about the secret."""

from __future__ import annotations

import pytest

from reconciler.errors import CredentialsError, ReconcilerError
from reconciler.zoom import Tier, ZoomConnection
from reconciler.zoom.settings import DEFAULT_API_BASE_URL, DEFAULT_OAUTH_TOKEN_URL

SECRET = "very-secret-value-0123"
FULL = {
    "ZOOM_ACCOUNT_ID": "acct",
    "ZOOM_CLIENT_ID": "client",
    "ZOOM_CLIENT_SECRET": SECRET,
}


def test_defaults_follow_the_contract() -> None:
    conn = ZoomConnection.from_env(FULL)
    assert conn.api_base_url == DEFAULT_API_BASE_URL == "https://api.zoom.us/v2"
    assert conn.oauth_token_url == DEFAULT_OAUTH_TOKEN_URL == "https://zoom.us/oauth/token"
    assert conn.tier is Tier.PRO
    assert conn.client_secret.get_secret_value() == SECRET


def test_everything_can_be_overridden() -> None:
    conn = ZoomConnection.from_env(
        {
            **FULL,
            "ZOOM_API_BASE_URL": "http://127.0.0.1:9/v2",
            "ZOOM_OAUTH_TOKEN_URL": "http://127.0.0.1:9/oauth/token",
            "ZOOM_RATE_LIMIT_TIER": "Business",
        }
    )
    assert conn.api_base_url == "http://127.0.0.1:9/v2"
    assert conn.oauth_token_url == "http://127.0.0.1:9/oauth/token"
    assert conn.tier is Tier.BUSINESS


def test_every_missing_variable_is_named_at_once() -> None:
    with pytest.raises(CredentialsError) as caught:
        ZoomConnection.from_env({"ZOOM_CLIENT_ID": "client", "ZOOM_ACCOUNT_ID": "  "})
    assert "ZOOM_ACCOUNT_ID" in str(caught.value)
    assert "ZOOM_CLIENT_SECRET" in str(caught.value)
    assert "ZOOM_CLIENT_ID" not in str(caught.value)


def test_the_missing_message_says_how_to_try_without_an_account() -> None:
    with pytest.raises(CredentialsError) as caught:
        ZoomConnection.from_env({})
    assert "Server-to-Server OAuth app" in str(caught.value)
    assert "--sandbox" in str(caught.value)


def test_the_missing_message_never_carries_a_value() -> None:
    with pytest.raises(CredentialsError) as caught:
        ZoomConnection.from_env({"ZOOM_CLIENT_SECRET": SECRET})
    assert SECRET not in str(caught.value)


def test_unknown_tier_is_a_clear_error() -> None:
    with pytest.raises(ReconcilerError, match="free, pro, business"):
        ZoomConnection.from_env({**FULL, "ZOOM_RATE_LIMIT_TIER": "platinum"})


def test_the_secret_never_shows_in_repr_str_or_dump() -> None:
    conn = ZoomConnection.from_env(FULL)
    for text in (repr(conn), str(conn), conn.model_dump_json(), str(conn.model_dump())):
        assert SECRET not in text
