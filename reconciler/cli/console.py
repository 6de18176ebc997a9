"""Terminal output: results on stdout, everything for humans (progress, errors) on stderr via rich."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from rich.console import Console


def in_ci() -> bool:
    """True on CI runners, where nothing may wait for an answer and progress is plain lines."""
    return bool(os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS"))


@dataclass
class Output:
    """What every command prints through: the chosen colour, verbosity and the two streams."""

    color: bool = True
    quiet: bool = False
    verbose: int = 0
    err: Console = field(init=False)

    def __post_init__(self) -> None:
        no_color = not self.color or bool(os.environ.get("NO_COLOR"))
        self.err = Console(stderr=True, no_color=no_color, highlight=False, soft_wrap=True)

    def result(self, text: str) -> None:
        """The command's product (a plan, a report): stdout, never decorated."""
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")

    def info(self, message: str) -> None:
        if not self.quiet:
            self.err.print(message, markup=False)

    def warning(self, message: str) -> None:
        """Something the user must know even with --quiet, such as an overridden safety cap."""
        self.err.print(f"warning: {message}", markup=False, style="yellow")

    def debug(self, message: str) -> None:
        if self.verbose and not self.quiet:
            self.err.print(message, markup=False, style="dim")

    def error(self, message: str) -> None:
        self.err.print(f"error: {message}", markup=False, style="bold red")
