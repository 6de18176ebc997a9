"""The Action's inputs, as `action.yml` hands them over: `INPUT_*` environment variables.

Inputs reach the code only through the environment (never spliced into a shell script), and
are checked here once, so a typo in a workflow fails with a message naming the input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from reconciler.errors import ReconcilerError

E = TypeVar("E", bound=StrEnum)

LABEL_PATTERN = re.compile(r"[\w .:/@+-]{0,64}")
"""Labels name accounts in comments and file names: short, printable, no markup."""


class Command(StrEnum):
    VALIDATE = "validate"
    PLAN = "plan"
    APPLY = "apply"


class CommentMode(StrEnum):
    """`add_pr_comment`: how the plan reaches the pull request."""

    UPDATE = "true"
    """One comment per label, edited in place on every run."""
    CHANGES_ONLY = "changes-only"
    """Like `true`, but no new comment for a plan without changes (an existing one is still edited)."""
    ALWAYS_NEW = "always-new"
    """A new comment each run; the previous one is marked superseded and hidden as outdated."""
    OFF = "false"


class FailureReason(StrEnum):
    """The `failure_reason` output: why the step failed, for a workflow to branch on."""

    PLAN_CHANGED = "plan-changed"
    UNSAFE_PLAN = "unsafe-plan"
    APPLY_FAILED = "apply-failed"
    AUTH_FAILED = "auth-failed"
    INVALID_CONFIG = "invalid-config"


TRUE_WORDS = frozenset({"true", "yes", "1", "on"})
FALSE_WORDS = frozenset({"false", "no", "0", "off", ""})


def _flag(name: str, text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ReconcilerError(f"input `{name}` must be true or false (got {text!r})")


def _choice(name: str, text: str, kind: type[E]) -> E:
    try:
        return kind(text.strip().lower())
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise ReconcilerError(f"input `{name}` must be one of {choices} (got {text!r})") from None


@dataclass(frozen=True)
class ActionInputs:
    command: Command
    path: Path
    comment_mode: CommentMode = CommentMode.UPDATE
    auto_approve: bool = False
    label: str = ""
    args: tuple[str, ...] = ()
    """Extra CLI arguments, split on whitespace (no shell quoting, no globbing)."""
    plan_file: Path | None = None
    """`apply` only: run this saved plan (`apply --plan`) instead of planning again."""
    github_token: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ActionInputs:
        def value(name: str, default: str = "") -> str:
            return env.get(f"INPUT_{name.upper()}", default).strip() or default

        label = value("label")
        if not LABEL_PATTERN.fullmatch(label):
            raise ReconcilerError(
                "input `label` must be at most 64 letters, digits, spaces or . _ - : / @ +"
            )
        plan_file = value("plan_file")
        return cls(
            command=_choice("command", value("command", "plan"), Command),
            path=Path(value("path", ".")),
            comment_mode=_choice("add_pr_comment", value("add_pr_comment", "true"), CommentMode),
            auto_approve=_flag("auto_approve", value("auto_approve", "false")),
            label=label,
            args=tuple(value("args").split()),
            plan_file=Path(plan_file) if plan_file else None,
            github_token=value("github_token"),
        )

    @property
    def uses_sandbox(self) -> bool:
        return "--sandbox" in self.args

    @property
    def title_suffix(self) -> str:
        return f" · `{self.label}`" if self.label else ""
