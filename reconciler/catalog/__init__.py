"""What Zoom's API offers and what it allows: operations, rate-limit categories, budgets.

Pure facts with no I/O, read by the client (`reconciler.zoom`) to send and pace requests and by
the plan (`reconciler.plan.costs`) to count them, so that both agree by construction.
"""

from reconciler.catalog.limits import (
    CREATE_INVITATIONS_PER_DAY,
    TIER_BUDGETS,
    Budget,
    Category,
    RequestRate,
    Tier,
)
from reconciler.catalog.operations import (
    ACCOUNT_ME,
    CONTACTS_PAGE_SIZE,
    ENDPOINTS,
    OUTSIDE_USERS_API,
    PAGE_SIZE,
    Api,
    BatchLimit,
    Endpoint,
    HttpMethod,
    Operation,
    Page,
)

__all__ = [
    "ACCOUNT_ME",
    "CONTACTS_PAGE_SIZE",
    "CREATE_INVITATIONS_PER_DAY",
    "ENDPOINTS",
    "OUTSIDE_USERS_API",
    "PAGE_SIZE",
    "TIER_BUDGETS",
    "Api",
    "BatchLimit",
    "Budget",
    "Category",
    "Endpoint",
    "HttpMethod",
    "Operation",
    "Page",
    "RequestRate",
    "Tier",
]
