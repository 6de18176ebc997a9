"""Zoom ids the changes need but the plan could not know: objects this run creates, and the
few an earlier read did not carry (a member's id for a contact group, for instance).

Creates record their new ids here; later changes look them up, and only a miss costs a read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from reconciler.errors import ReconcilerError
from reconciler.zoom import NotFound, ZoomClient


class UnresolvedError(ReconcilerError):
    """An object a change needs is not in the account (it was never created, or went away)."""


@dataclass
class _Listing:
    """Names to ids from one listing, read at most once per run and only when needed."""

    load: Callable[[], Awaitable[dict[str, str]]]
    found: dict[str, str] | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def get(self, name: str) -> str | None:
        async with self.lock:
            if self.found is None:
                self.found = await self.load()
        return self.found.get(name.lower())


@dataclass
class IdBook:
    """What this run learned about ids, keyed by lower-cased email or by name."""

    zoom: ZoomClient
    passwords: Mapping[str, str] = field(default_factory=dict, repr=False)
    """autoCreate passwords by lower-cased email: from the configuration, never from the plan."""
    users: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    divisions: dict[str, str] = field(default_factory=dict)
    contact_groups: dict[str, str] = field(default_factory=dict)
    _group_listing: _Listing = field(init=False)
    _division_listing: _Listing = field(init=False)
    _contact_listing: _Listing = field(init=False)

    def __post_init__(self) -> None:
        self._group_listing = _Listing(self._load_groups)
        self._division_listing = _Listing(self._load_divisions)
        self._contact_listing = _Listing(self._load_contact_groups)

    async def _load_groups(self) -> dict[str, str]:
        return {g["name"].lower(): g["id"] for g in await self.zoom.list_groups()}

    async def _load_divisions(self) -> dict[str, str]:
        found = await self.zoom.list_divisions()
        return {d["division_name"].lower(): d["division_id"] for d in found}

    async def _load_contact_groups(self) -> dict[str, str]:
        found = await self.zoom.list_contact_groups()
        return {c["group_name"].lower(): c["group_id"] for c in found}

    async def group_id(self, name: str, known: str | None = None) -> str:
        found = known or self.groups.get(name) or await self._group_listing.get(name)
        if found is None:
            raise UnresolvedError(f"group {name} does not exist")
        return found

    async def division_id(self, name: str, known: str | None = None) -> str:
        found = known or self.divisions.get(name) or await self._division_listing.get(name)
        if found is None:
            raise UnresolvedError(f"division {name} does not exist")
        return found

    async def contact_group_id(self, name: str, known: str | None = None) -> str:
        found = known or self.contact_groups.get(name) or await self._contact_listing.get(name)
        if found is None:
            raise UnresolvedError(f"contact group {name} does not exist")
        return found

    def user_ref(self, email: str, known: str | None = None) -> str:
        """The id when known, else the email: Zoom takes either in a `{userId}` path."""
        return known or self.users.get(email.lower()) or email

    async def user_id(self, email: str, known: str | None = None) -> str:
        """The user's id, read by email if this run has not seen it (contact groups need ids)."""
        found = known or self.users.get(email.lower())
        if found is not None:
            return found
        try:
            user = await self.zoom.get_user(email)
        except NotFound:
            raise UnresolvedError(f"user {email} does not exist") from None
        user_id = user.get("id")
        if not user_id:
            raise UnresolvedError(f"user {email} has no id yet (pending invitation)")
        self.users[email.lower()] = user_id
        return user_id
