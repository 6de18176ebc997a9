"""What an apply did: one result per change (done, failed with Zoom's message, or skipped and
why), what it cost in API calls, and whether the run was stopped early."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from reconciler.plan.changes import Change


class Outcome(StrEnum):
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class ChangeResult:
    change: Change
    outcome: Outcome
    message: str = ""
    """Zoom's message for a failure, the reason for a skip; empty when done."""

    def describe(self) -> str:
        change = self.change
        text = f"{change.kind.value} {change.action.value} {change.key}"
        return f"{text}: {self.message}" if self.message else text


@dataclass
class ApplyReport:
    results: list[ChangeResult] = field(default_factory=list)
    calls: int = 0
    """API requests sent, retries included."""
    throttled: int = 0
    """Of those, how many Zoom answered with 429."""
    seconds: float = 0.0
    stopped: str | None = None
    """Why the run stopped before the end (a daily limit, refused credentials), if it did."""

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def ok(self) -> bool:
        return self.stopped is None and all(r.outcome is Outcome.DONE for r in self.results)

    def by_outcome(self) -> dict[Outcome, list[ChangeResult]]:
        grouped: dict[Outcome, list[ChangeResult]] = {o: [] for o in Outcome}
        for result in self.results:
            grouped[result.outcome].append(result)
        return grouped

    def summary(self) -> str:
        counts = Counter(r.outcome for r in self.results)
        text = (
            f"Apply: {counts[Outcome.DONE]} done, {counts[Outcome.FAILED]} failed, "
            f"{counts[Outcome.SKIPPED]} skipped ({self.calls} API calls"
        )
        if self.throttled:
            text += f", {self.throttled} throttled"
        return text + f", {self.seconds:.1f} s)."

    def text(self) -> str:
        """Every change with its outcome (failures with Zoom's message, skips with the reason),
        then the summary line; what `apply` prints on stdout."""
        lines = [f"{r.outcome.value:<8} {r.describe()}" for r in self.results]
        if self.stopped:
            lines.append(f"Stopped early: {self.stopped}")
        lines.append(self.summary())
        return "\n".join(lines) + "\n"
