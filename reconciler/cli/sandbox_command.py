"""`sandbox serve`: run the Zoom API simulator over HTTP (owned by the sandbox package)."""

from __future__ import annotations

import sys
from pathlib import Path

from reconciler.cli.console import Output
from reconciler.errors import ReconcilerError
from reconciler.sandbox import (
    Credentials,
    FaultConfig,
    SandboxOptions,
    SeedError,
    ServerInfo,
    Tier,
    serve,
)


def serve_command(out: Output, **options: object) -> int:
    """Print the five `export` lines (the sandbox's own secret included), then serve until Ctrl-C."""
    seed = options.get("seed")
    random_seed = options.get("random_seed")
    sandbox_options = SandboxOptions(
        tier=Tier(str(options.get("tier") or "pro")),
        credentials=Credentials.generate(
            _text(options.get("account_id")),
            _text(options.get("client_id")),
            _text(options.get("client_secret")),
        ),
        faults=FaultConfig(
            fault_rate=float(options.get("fault_rate") or 0.0),  # type: ignore[arg-type]
            latency_ms=float(options.get("latency_ms") or 0.0),  # type: ignore[arg-type]
        ),
        random_seed=int(random_seed) if random_seed is not None else None,  # type: ignore[call-overload]
        seed_path=Path(str(seed)) if seed else None,
    )

    def ready(info: ServerInfo) -> None:
        out.result("\n".join(info.exports()))
        sys.stdout.flush()  # a script waiting for the exports must not wait for the buffer
        out.info(
            f"Zoom API sandbox listening on {info.root_url} (tier {sandbox_options.tier.value}); Ctrl-C stops it."
        )

    host = str(options.get("host") or "127.0.0.1")
    port = int(options.get("port") or 0)  # type: ignore[call-overload]
    try:
        serve(sandbox_options, host=host, port=port, ready=ready)
    except SeedError as bad_seed:
        raise ReconcilerError(f"sandbox seed {seed}: {bad_seed}") from None
    except OSError as cannot_listen:
        raise ReconcilerError(
            f"sandbox cannot listen on {host}:{port}: {cannot_listen.strerror}"
        ) from None
    return 0


def _text(value: object) -> str | None:
    return str(value) if value else None
