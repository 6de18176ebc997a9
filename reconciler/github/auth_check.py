"""After a failed plan or apply: were the Zoom credentials the problem?

One cheap authenticated read (a single page of one user) tells a refused or under-scoped
Server-to-Server app apart from every other failure, without reading error text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from reconciler.errors import CredentialsError, ReconcilerError, ZoomAPIError
from reconciler.zoom import Operation, ZoomClient, ZoomConnection
from reconciler.zoom.errors import MISSING_SCOPE

REFUSED_STATUSES = frozenset({401, 403})
REFUSED_CODES = frozenset({124, 4700, MISSING_SCOPE, 30031002, 30031004})
"""Zoom's codes for a bad token and for a token without the needed scopes."""


def credentials_problem(env: Mapping[str, str]) -> str | None:
    """Why Zoom refuses these credentials, or None if they work (or it cannot be told)."""
    try:
        connection = ZoomConnection.from_env(env)
    except CredentialsError as missing:
        return str(missing)

    async def probe() -> None:
        async with ZoomClient(connection) as zoom:
            await zoom.call(Operation.LIST_USERS, params={"page_size": 1})

    try:
        asyncio.run(probe())
    except CredentialsError as refused:
        return str(refused)
    except ZoomAPIError as failed:
        if failed.status in REFUSED_STATUSES or failed.code in REFUSED_CODES:
            return str(failed)
        return None
    except ReconcilerError:
        return None
    return None
