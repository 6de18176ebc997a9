"""One shape for every v2 listing: a page of items with the paging keys its operation answers with.

Each listing handler names only what differs (the listing's scope, how to collect its items,
the key they go under, the view of one item and which paging keys Zoom's spec gives it); the
page size's default and maximum come from the operation being served.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, TypeVar

from reconciler.sandbox import errors
from reconciler.sandbox.endpoint import Call, Reply
from reconciler.sandbox.errors import FieldError
from reconciler.sandbox.spec import OperationKey, parameter_schemas
from reconciler.sandbox.views import iso

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 30  # `GET /groups` declares no page_size; the others default to 30 or 10


class PageKeys(Enum):
    """Which paging keys a listing answers with, besides `next_page_token` (Zoom's spec varies)."""

    NUMBERED = ("page_count", "page_number", "page_size", "total_records")
    SIZED = ("page_size", "total_records")
    COUNTED = ("total_records",)
    BARE = ("page_size",)


def _page_size(call: Call) -> int:
    key = OperationKey(call.operation.spec, "get", call.operation.template)
    schema = parameter_schemas(key, "query").get("page_size", {})
    size = int(call.query.get("page_size", schema.get("default", DEFAULT_PAGE_SIZE)))
    if size < 1:
        raise errors.validation_failed([FieldError("page_size")])
    return size


def listing(
    call: Call,
    scope: str,
    collect: Callable[[], Sequence[T]],
    items_key: str,
    view: Callable[[T], Any],
    keys: PageKeys,
) -> Reply:
    """One page of a listing, as the answer Zoom's spec describes for that endpoint.

    `collect` runs for the first page only: later pages walk the listing fixed then."""
    size = _page_size(call)
    page = call.sandbox.pager.page(scope, collect, size, call.query.get("next_page_token"))
    values = {
        "page_count": page.page_count,
        "page_number": page.page_number,
        "page_size": size,
        "total_records": page.total_records,
    }
    body: dict[str, Any] = {key: values[key] for key in keys.value}
    body["next_page_token"] = page.next_page_token
    body[items_key] = [view(item) for item in page.items]
    return Reply(body=body)


def added(ids: list[str], call: Call) -> Reply:
    """The answer of the endpoints that add members, admins or division users."""
    return Reply(201, {"added_at": iso(call.sandbox.clock()), "ids": ",".join(ids)})
