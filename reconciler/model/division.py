"""Divisions: account partitions; a user belongs to at most one."""

from __future__ import annotations

from pydantic import Field

from reconciler.model.base import ConfigModel
from reconciler.model.fields import Email, Name, ZoomId


class Division(ConfigModel):
    """One division, matched by name, or by `id` when pinned (then a new name is a rename)."""

    name: Name = Field(description="The division's name; unique in the account.")
    id: ZoomId | None = Field(
        default=None, description="Zoom's id of an existing division, to rename it safely."
    )
    description: str | None = Field(default=None, description="The division's description.")
    members: list[Email] | None = Field(
        default=None,
        description="Users (by email) placed in this division; the same as each user's own `division:`.",
    )
