"""`sandbox serve`: run the Zoom API simulator over HTTP (owned by the sandbox package)."""

from __future__ import annotations

from reconciler.cli.console import Output


def serve_command(out: Output, **options: object) -> int:
    raise NotImplementedError("the sandbox server is not built yet")
