"""Zoom's token paging: a listing is fixed at its first page and walked with `next_page_token`.

The token is `""` on the last page (developers.zoom.us/docs/api/pagination), expires 15 minutes
after it was issued (S001:30) and belongs to one listing: a token that is unknown, expired or used with
another listing gets 400 code 300 "The next page token is invalid or expired.".
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from reconciler.sandbox.errors import bad_page_token

TOKEN_LIFETIME_S = 15 * 60
MAX_OPEN_LISTINGS = 10_000

T = TypeVar("T")


@dataclass(slots=True)
class _Listing:
    scope: str
    items: Sequence[object]
    offset: int
    issued_at: float


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_page_token: str
    total_records: int
    page_number: int
    page_count: int


class Pager:
    """Open listings by token; the clock is the store's, so `/_sandbox/clock` can expire them."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._open: dict[str, _Listing] = {}

    def clear(self) -> None:
        self._open.clear()

    def page(
        self,
        scope: str,
        collect: Callable[[], Sequence[T]],
        page_size: int,
        token: str | None,
    ) -> Page[T]:
        """One page of a listing; `scope` names the listing (endpoint and filters)."""
        now = self._clock()
        if token:
            listing = self._open.pop(token, None)
            if (
                listing is None
                or listing.scope != scope
                or now - listing.issued_at > TOKEN_LIFETIME_S
            ):
                raise bad_page_token()
        else:
            listing = _Listing(scope, collect(), 0, now)
        items = listing.items[listing.offset : listing.offset + page_size]
        end = listing.offset + len(items)
        next_token = ""
        if end < len(listing.items):
            next_token = secrets.token_urlsafe(24)
            self._remember(next_token, _Listing(scope, listing.items, end, now))
        total = len(listing.items)
        return Page(
            items=items,  # type: ignore[arg-type]
            next_page_token=next_token,
            total_records=total,
            page_number=listing.offset // page_size + 1 if page_size else 1,
            page_count=-(-total // page_size) if page_size else 0,
        )

    def _remember(self, token: str, listing: _Listing) -> None:
        if len(self._open) >= MAX_OPEN_LISTINGS:
            now = self._clock()
            for stale in [t for t, o in self._open.items() if now - o.issued_at > TOKEN_LIFETIME_S]:
                del self._open[stale]
            if len(self._open) >= MAX_OPEN_LISTINGS:
                del self._open[next(iter(self._open))]
        self._open[token] = listing
