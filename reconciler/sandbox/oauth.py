"""Server-to-Server OAuth as Zoom runs it: `POST /oauth/token` and the bearer check on API calls.

The token request is `grant_type=account_credentials&account_id=ID` (form body, or query string,
which the sandbox also accepts) with HTTP Basic `client_id:client_secret`. The answer is
`{access_token, token_type: "bearer", expires_in: 3600, scope, api_url}`; a new token does not
invalidate earlier ones (Zoom's changelog, facts §2). Failures answer 400 with Zoom's
`{"reason", "error"}` body. The client secret and tokens are never logged or echoed.
"""

from __future__ import annotations

import base64
import binascii
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

DEFAULT_ACCOUNT_ID = "sandbox-account"
DEFAULT_CLIENT_ID = "sandbox-client"
TOKEN_LIFETIME_S = 3600
SCOPES = (
    "user:read:admin user:write:admin group:read:admin group:write:admin "
    "contact_group:read:admin contact_group:write:admin scim2"
)


@dataclass(frozen=True, slots=True)
class Credentials:
    """The S2S app's credentials; `repr` hides the secret so it cannot leak into logs."""

    account_id: str
    client_id: str
    client_secret: str

    def __repr__(self) -> str:
        return f"Credentials(account_id={self.account_id!r}, client_id={self.client_id!r}, client_secret='***')"

    @classmethod
    def generate(
        cls,
        account_id: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> Credentials:
        """The documented fixed ids and, unless given, a fresh secret per start."""
        return cls(
            account_id or DEFAULT_ACCOUNT_ID,
            client_id or DEFAULT_CLIENT_ID,
            client_secret or secrets.token_urlsafe(24),
        )


class TokenProblem(Enum):
    MISSING = "missing"
    INVALID = "invalid"
    EXPIRED = "expired"


class TokenIssuer:
    """Issues bearer tokens and checks them; `lifetime` may be shortened by the expiry fault."""

    def __init__(
        self,
        credentials: Credentials,
        clock: Callable[[], float],
        lifetime: Callable[[], float] = lambda: TOKEN_LIFETIME_S,
    ) -> None:
        self.credentials = credentials
        self._clock = clock
        self._lifetime = lifetime
        self._issued: dict[str, float] = {}

    def issue(self) -> str:
        token = secrets.token_urlsafe(32)
        self._issued[token] = self._clock()
        return token

    def problem(self, authorization: str | None) -> TokenProblem | None:
        """None when the header carries a live token; otherwise what is wrong with it."""
        if not authorization:
            return TokenProblem.MISSING
        scheme, _, token = authorization.partition(" ")
        issued = self._issued.get(token.strip()) if scheme.lower() == "bearer" else None
        if issued is None:
            return TokenProblem.INVALID
        if self._clock() - issued >= min(self._lifetime(), TOKEN_LIFETIME_S):
            return TokenProblem.EXPIRED
        return None

    def expire(self, authorization: str | None) -> None:
        """The header's token dies now, as a token dies early at Zoom (the script's 401)."""
        _, _, token = (authorization or "").partition(" ")
        if token.strip() in self._issued:
            self._issued[token.strip()] = -math.inf

    def _client_matches(self, authorization: str | None) -> bool:
        scheme, _, encoded = (authorization or "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            client_id, _, secret = base64.b64decode(encoded.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return secrets.compare_digest(
            client_id, self.credentials.client_id
        ) and secrets.compare_digest(secret, self.credentials.client_secret)

    async def token_endpoint(self, request: Request) -> Response:
        """`POST /oauth/token`: Zoom's answers, including its error bodies."""
        params = {k: v[-1] for k, v in parse_qs(request.url.query).items()}
        body = (await request.body()).decode("utf-8", "replace")
        params.update({k: v[-1] for k, v in parse_qs(body).items()})
        if not self._client_matches(request.headers.get("authorization")):
            return _oauth_error("Invalid client_id or client_secret", "invalid_client")
        if params.get("grant_type") != "account_credentials":
            return _oauth_error("unsupported grant type", "unsupported_grant_type")
        if params.get("account_id") != self.credentials.account_id:
            return _oauth_error("Invalid request : Account ID is invalid.", "invalid_request")
        base = f"{request.url.scheme}://{request.url.netloc}"
        return JSONResponse(
            {
                "access_token": self.issue(),
                "token_type": "bearer",
                "expires_in": TOKEN_LIFETIME_S,
                "scope": SCOPES,
                "api_url": base,
            }
        )


def _oauth_error(reason: str, error: str) -> Response:
    return JSONResponse({"reason": reason, "error": error}, status_code=400)
