"""The exception hierarchy: one base class, so the CLI has one place that maps failures to exit codes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reconciler.diagnostics import Diagnostic


class ReconcilerError(Exception):
    """Base of every error the tool raises on purpose; the CLI prints its message and exits 1."""


class ConfigError(ReconcilerError):
    """The configuration is invalid; carries every diagnostic found, not only the first."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class CredentialsError(ReconcilerError):
    """Zoom credentials are missing or were refused; never carries the secret itself."""


class ZoomAPIError(ReconcilerError):
    """Zoom answered with an error: HTTP status, Zoom's own code and message (never the token)."""

    def __init__(
        self, status: int, code: int | None, message: str, *, method: str = "", path: str = ""
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.method = method
        self.path = path
        where = f"{method} {path}: " if method else ""
        code_text = f" code {code}" if code is not None else ""
        super().__init__(f"{where}HTTP {status}{code_text}: {message}")


class UnsafePlanError(ReconcilerError):
    """A plan breaks a safety rail (max_deletes, protected users, last admin); nothing was written."""


class PlanConflictError(ReconcilerError):
    """The configuration asks for what the live account rules out (an email another user
    holds); nothing was written."""


class StalePlanError(ReconcilerError):
    """A saved plan no longer matches live state; nothing was written."""


class ApplyError(ReconcilerError):
    """At least one change failed during apply; the report says which."""
