"""The Zoom API client: OAuth, rate-limit pacing, retries, paging and typed endpoints.

`ZoomClient` is the entry point; `HttpSession` chooses where requests go (Zoom, the sandbox
in-process, or a test transport). See docs/client.md for what is retried and why.
"""

from reconciler.catalog import (
    ENDPOINTS,
    TIER_BUDGETS,
    BatchLimit,
    Budget,
    Category,
    Endpoint,
    HttpMethod,
    Operation,
    Tier,
)
from reconciler.zoom.caller import CallStats, PagingError, RetryPolicy, ZoomCaller
from reconciler.zoom.client import ZoomClient
from reconciler.zoom.errors import (
    AmbiguousWriteError,
    CredentialsError,
    DailyLimitReached,
    NotFound,
    RateLimited,
    ServerError,
    TokenRejected,
    ZoomAPIError,
    ZoomTransportError,
    is_paid_plan_only,
)
from reconciler.zoom.http import HttpSession
from reconciler.zoom.ratelimit import Scheduler
from reconciler.zoom.settings import ZoomConnection

__all__ = [
    "ENDPOINTS",
    "TIER_BUDGETS",
    "AmbiguousWriteError",
    "BatchLimit",
    "Budget",
    "CallStats",
    "Category",
    "CredentialsError",
    "DailyLimitReached",
    "Endpoint",
    "HttpMethod",
    "HttpSession",
    "NotFound",
    "Operation",
    "PagingError",
    "RateLimited",
    "RetryPolicy",
    "Scheduler",
    "ServerError",
    "Tier",
    "TokenRejected",
    "ZoomAPIError",
    "ZoomCaller",
    "ZoomClient",
    "ZoomConnection",
    "ZoomTransportError",
    "is_paid_plan_only",
]
