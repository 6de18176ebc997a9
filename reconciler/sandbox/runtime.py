"""One running sandbox: the account store and everything around it that a request touches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reconciler.sandbox.clock import Clock
from reconciler.sandbox.faults import FaultConfig, FaultInjector
from reconciler.sandbox.journal import Journal
from reconciler.sandbox.oauth import Credentials, TokenIssuer
from reconciler.sandbox.owner import ensure_owner
from reconciler.sandbox.paging import Pager
from reconciler.sandbox.ratelimit import RateLimiter, Tier
from reconciler.sandbox.stall import Stall
from reconciler.sandbox.store import Store


@dataclass(frozen=True)
class SandboxOptions:
    """How a sandbox starts; `reset` returns to exactly this.

    `paid_account` None means "as the tier says": a Free account is not a paid one. Setting it
    to True on the Free tier lets a test reach Free's daily budgets for paid-only endpoints.
    """

    tier: Tier = Tier.PRO
    credentials: Credentials = field(default_factory=Credentials.generate)
    rate_limits: bool = True
    faults: FaultConfig = field(default_factory=FaultConfig)
    random_seed: int | None = None
    seed_path: Path | None = None
    paid_account: bool | None = None


class Sandbox:
    """The state behind the HTTP layer. Used from the server's event loop only (no locking)."""

    def __init__(self, options: SandboxOptions, clock: Clock | None = None) -> None:
        self.options = options
        self.clock = clock or Clock()
        self.credentials = options.credentials
        self.journal = Journal()
        self.pager = Pager(self.clock)
        self.limiter = RateLimiter(self.clock, options.tier, enabled=options.rate_limits)
        self.faults = FaultInjector(options.faults, options.random_seed)
        self.tokens = TokenIssuer(self.credentials, self.clock, self._token_lifetime)
        self.paid_override = options.paid_account
        self.withheld_scopes: frozenset[str] = frozenset()
        self.stall = Stall()
        self.store = self._initial_store()

    @property
    def paid_account(self) -> bool:
        """Whether paid-only features (groups, contact groups) answer, or refuse with code 200."""
        if self.paid_override is not None:
            return self.paid_override
        return self.limiter.tier is not Tier.FREE

    def _token_lifetime(self) -> float:
        ttl = self.faults.config.token_ttl_s
        return float("inf") if ttl is None else ttl

    def new_store(self) -> Store:
        return Store(
            account_id=self.credentials.account_id,
            clock=self.clock,
            seed=self.options.random_seed or 0,
        )

    def _initial_store(self) -> Store:
        store = self.new_store()
        if self.options.seed_path is not None:
            from reconciler.sandbox.seed import load_seed_file

            load_seed_file(store, self.options.seed_path)
        ensure_owner(store)
        return store

    def reset(self) -> None:
        """Back to the start: the start seed, options, faults and random seed; tokens stay valid."""
        self.clock.offset = 0.0
        self.journal.clear()
        self.pager.clear()
        self.limiter = RateLimiter(self.clock, self.options.tier, enabled=self.options.rate_limits)
        self.faults = FaultInjector(self.options.faults, self.options.random_seed)
        self.paid_override = self.options.paid_account
        self.withheld_scopes = frozenset()
        self.stall.release()
        self.stall = Stall()
        self.store = self._initial_store()

    def replace_store(self, fill: Callable[[Store], Any]) -> None:
        """Load a new account (a seed) in place of the current one; nothing half-loaded stays.

        Like the start account, it has exactly one owner (owner.py)."""
        store = self.new_store()
        fill(store)
        ensure_owner(store)
        self.store = store
        self.pager.clear()

    def config_json(self) -> dict[str, Any]:
        return {
            "tier": self.limiter.tier.value,
            "rate_limits": self.limiter.enabled,
            "paid_account": self.paid_account,
            "random_seed": self.faults.seed,
            "faults": self.faults.config.as_dict(),
            "clock_offset_s": self.clock.offset,
            "account_id": self.credentials.account_id,
            "withheld_scopes": sorted(self.withheld_scopes),
        }

    def configure(self, changes: dict[str, Any]) -> None:
        """Change tier, rate limits, paid account, faults or the random seed while running."""
        known = {"tier", "rate_limits", "paid_account", "faults", "random_seed", "withheld_scopes"}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        if "tier" in changes:
            self.limiter.tier = Tier(changes["tier"])
            self.limiter.reset()
        if "rate_limits" in changes:
            self.limiter.enabled = bool(changes["rate_limits"])
        if "paid_account" in changes:
            paid = changes["paid_account"]
            if paid is not None and not isinstance(paid, bool):
                raise ValueError("paid_account is true, false or null (as the tier says)")
            self.paid_override = paid
        faults = changes.get("faults") or {}
        storm_seconds = faults.pop("storm_seconds", None) if isinstance(faults, dict) else None
        if storm_seconds is not None:
            faults["storm_until"] = self.clock() + float(storm_seconds)
        if faults:
            self.faults.configure(faults)
        if "withheld_scopes" in changes:
            self.withheld_scopes = frozenset(str(s) for s in changes["withheld_scopes"] or ())
        if "random_seed" in changes:
            self.faults.reseed(changes["random_seed"])
