"""Where and how to reach Zoom, read from the environment as the contract describes.

The client secret is a `SecretStr`: it shows as `**********` in reprs, tracebacks and logs, and
only the token request ever reads its value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, SecretStr

from reconciler.catalog import Tier
from reconciler.errors import CredentialsError, ReconcilerError

DEFAULT_API_BASE_URL = "https://api.zoom.us/v2"
DEFAULT_OAUTH_TOKEN_URL = "https://zoom.us/oauth/token"

ACCOUNT_ID = "ZOOM_ACCOUNT_ID"
CLIENT_ID = "ZOOM_CLIENT_ID"
CLIENT_SECRET = "ZOOM_CLIENT_SECRET"
API_BASE_URL = "ZOOM_API_BASE_URL"
OAUTH_TOKEN_URL = "ZOOM_OAUTH_TOKEN_URL"
RATE_LIMIT_TIER = "ZOOM_RATE_LIMIT_TIER"

REQUIRED = (ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET)


class ZoomConnection(BaseModel):
    """Server-to-Server OAuth credentials, endpoints and the account's rate-limit tier."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    account_id: str
    client_id: str
    client_secret: SecretStr
    api_base_url: str = DEFAULT_API_BASE_URL
    oauth_token_url: str = DEFAULT_OAUTH_TOKEN_URL
    tier: Tier = Tier.PRO

    @property
    def scim_base_url(self) -> str:
        """SCIM2's base: the REST base without its `/v2` (`https://api.zoom.us/scim2`)."""
        root = self.api_base_url.rstrip("/")
        root = root.removesuffix("/v2")
        return root + "/scim2"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ZoomConnection:
        """Build from `ZOOM_*` variables; names every missing one at once, never a value."""
        env = os.environ if environ is None else environ
        missing = [name for name in REQUIRED if not env.get(name, "").strip()]
        if missing:
            raise CredentialsError(
                "Zoom credentials are missing: set "
                + ", ".join(missing)
                + " in the environment (from a Server-to-Server OAuth app), or pass --sandbox"
                " to try the command against the built-in sandbox."
            )
        tier_text = env.get(RATE_LIMIT_TIER, "").strip().lower() or Tier.PRO.value
        try:
            tier = Tier(tier_text)
        except ValueError:
            choices = ", ".join(t.value for t in Tier)
            raise ReconcilerError(
                f"{RATE_LIMIT_TIER} must be one of {choices} (got {tier_text!r})."
            ) from None
        return cls(
            account_id=env[ACCOUNT_ID].strip(),
            client_id=env[CLIENT_ID].strip(),
            client_secret=SecretStr(env[CLIENT_SECRET].strip()),
            api_base_url=env.get(API_BASE_URL, "").strip() or DEFAULT_API_BASE_URL,
            oauth_token_url=env.get(OAUTH_TOKEN_URL, "").strip() or DEFAULT_OAUTH_TOKEN_URL,
            tier=tier,
        )
