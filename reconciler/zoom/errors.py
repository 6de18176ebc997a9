"""The ways a call to Zoom can fail, as types the applier and the CLI can act on.

Every message is built from the HTTP status, Zoom's code and message, the method and the
path: never from headers, request bodies or tokens, so none of them can leak a secret.
"""

from __future__ import annotations

from datetime import datetime

from reconciler.errors import CredentialsError, ReconcilerError, ZoomAPIError

__all__ = [
    "AmbiguousWriteError",
    "CredentialsError",
    "DailyLimitReached",
    "NotFound",
    "RateLimited",
    "ServerError",
    "TokenRejected",
    "ZoomAPIError",
    "ZoomTransportError",
    "is_paid_plan_only",
]

PAID_PLAN_ONLY = 200
"""Zoom's code for "Only available for paid account" (HTTP 400): a free account's refusal."""


MISSING_SCOPE = 4711
"""Zoom's code for "Invalid access token, does not contain scopes" (zoom-api-facts.md)."""


def is_paid_plan_only(error: Exception) -> bool:
    """Whether Zoom refused because the account's plan does not include this feature."""
    return isinstance(error, ZoomAPIError) and error.code == PAID_PLAN_ONLY


class RateLimited(ZoomAPIError):
    """Zoom answered 429 more often than the retry budget allows."""

    def __init__(
        self, message: str, *, category: str | None, method: str = "", path: str = ""
    ) -> None:
        self.category = category
        super().__init__(429, 429, message, method=method, path=path)


class DailyLimitReached(ReconcilerError):
    """A rate limit resets too far away to wait for; the run stops instead of sleeping."""

    def __init__(self, *, category: str, resets_at: datetime) -> None:
        self.category = category
        self.resets_at = resets_at
        when = resets_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        super().__init__(
            f"Zoom's rate limit for {category} requests is used up until {when}; "
            "stopping instead of waiting. Run again after that time."
        )


class TokenRejected(ZoomAPIError, CredentialsError):
    """Zoom refused our access token even after one fresh token (HTTP 401)."""


class NotFound(ZoomAPIError):
    """HTTP 404: the user, group or division does not exist (contact groups answer 400)."""


class ServerError(ZoomAPIError):
    """HTTP 5xx from Zoom after every retry an idempotent call is allowed."""


class ZoomTransportError(ReconcilerError):
    """No usable answer from Zoom: the connection failed, timed out or dropped.

    `request_sent` is False only when Zoom cannot have received the request (the connection
    was never made, or no access token could be had), which makes even a create safe to send
    again. `unreachable` says no connection could be opened at all (refused, no route, DNS):
    the one failure a wrong address or a blocked network produces.
    """

    def __init__(
        self,
        reason: str,
        *,
        method: str,
        path: str,
        request_sent: bool,
        unreachable: bool = False,
    ) -> None:
        self.reason = reason
        self.method = method
        self.path = path
        self.request_sent = request_sent
        self.unreachable = unreachable
        super().__init__(f"{method} {path}: {reason}")


class AmbiguousWriteError(ReconcilerError):
    """A write that is not safe to repeat failed without a clear answer.

    Zoom may or may not have applied it, so it is never sent again blindly (a user created
    twice or a member added twice is a bug): read the live state to learn what happened.
    """

    def __init__(self, operation: str, *, method: str, path: str, cause: str) -> None:
        self.operation = operation
        self.method = method
        self.path = path
        self.cause = cause
        super().__init__(
            f"{method} {path} ({operation}) may or may not have been applied: {cause}. "
            "Nothing was retried; re-read the live state to learn whether it took effect."
        )
