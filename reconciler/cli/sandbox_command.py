"""`sandbox serve`: run the Zoom API simulator over HTTP (owned by the sandbox package)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ServeOptions:
    """The `sandbox serve` flags, as the contract lists them."""

    host: str = "127.0.0.1"
    port: int = 0
    tier: str = "pro"
    seed: Path | None = None
    fault_rate: float = 0.0
    latency_ms: float = 0.0
    random_seed: int | None = None
    account_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = None


def serve_command(out: Output, options: ServeOptions) -> int:
    """Print the five `export` lines (the sandbox's own secret included), then serve until Ctrl-C."""
    sandbox_options = SandboxOptions(
        tier=Tier(options.tier),
        credentials=Credentials.generate(
            options.account_id or None, options.client_id or None, options.client_secret or None
        ),
        faults=FaultConfig(fault_rate=options.fault_rate, latency_ms=options.latency_ms),
        random_seed=options.random_seed,
        seed_path=options.seed,
    )

    def ready(info: ServerInfo) -> None:
        out.result("\n".join(info.exports()))
        sys.stdout.flush()  # a script waiting for the exports must not wait for the buffer
        out.info(
            f"Zoom API sandbox listening on {info.root_url} (tier {sandbox_options.tier.value}); Ctrl-C stops it."
        )

    try:
        serve(sandbox_options, host=options.host, port=options.port, ready=ready)
    except SeedError as bad_seed:
        raise ReconcilerError(f"sandbox seed {options.seed}: {bad_seed}") from None
    except OSError as cannot_listen:
        raise ReconcilerError(
            f"sandbox cannot listen on {options.host}:{options.port}: {cannot_listen.strerror}"
        ) from None
    return 0
