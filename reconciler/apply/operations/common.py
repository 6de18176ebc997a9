"""What every operation shares: our own error, and the ways to settle a write of unclear outcome.

A write that failed without a clear answer (`AmbiguousWriteError`) is settled here, once for all
operations: read back and send again only if absent (`resolve_ambiguous`), the same for a batch
(`add_with_read_back`), or just send again when the write sets a state (`resend_state`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from reconciler.errors import ReconcilerError
from reconciler.zoom import AmbiguousWriteError

T = TypeVar("T")

AMBIGUOUS_ATTEMPTS = 3
"""How many times a write of unknown outcome is read back and, if absent, sent again."""


class OperationError(ReconcilerError):
    """A change could not be carried out for a reason of our own (not an answer from Zoom)."""


def _unsettled(unknown: AmbiguousWriteError, unreadable: ReconcilerError) -> OperationError:
    """A write of unknown outcome that could not be read back: nothing more may be sent."""
    return OperationError(
        f"{unknown.method} {unknown.path} may or may not have been applied ({unknown.cause}), "
        f"and reading it back failed: {unreadable}"
    )


async def resolve_ambiguous(
    send: Callable[[], Awaitable[T]], read_back: Callable[[], Awaitable[T | None]]
) -> T:
    """Send a write that must not happen twice; after an unclear failure, read back first."""
    last: AmbiguousWriteError | None = None
    for _ in range(AMBIGUOUS_ATTEMPTS):
        try:
            return await send()
        except AmbiguousWriteError as unknown:
            last = unknown
        try:
            found = await read_back()
        except ReconcilerError as unreadable:
            raise _unsettled(last, unreadable) from None
        if found is not None:
            return found
    assert last is not None
    raise last


async def resend_state(send: Callable[[], Awaitable[T]]) -> T:
    """Send a write whose effect is a state (repeating it changes nothing more)."""
    last: AmbiguousWriteError | None = None
    for _ in range(AMBIGUOUS_ATTEMPTS):
        try:
            return await send()
        except AmbiguousWriteError as unknown:
            last = unknown
    assert last is not None
    raise last


async def add_with_read_back(
    refs: list[T],
    send: Callable[[list[T]], Awaitable[None]],
    missing: Callable[[list[T]], Awaitable[list[T]]],
) -> None:
    """A batch add whose outcome may be unknown: read back, and add only who is missing."""
    wanted = refs
    last: AmbiguousWriteError | None = None
    for _ in range(AMBIGUOUS_ATTEMPTS):
        try:
            await send(wanted)
            return
        except AmbiguousWriteError as unknown:
            last = unknown
        try:
            wanted = await missing(wanted)
        except ReconcilerError as unreadable:
            raise _unsettled(last, unreadable) from None
        if not wanted:
            return
    assert last is not None
    raise last
