"""`${ENV_VAR}` substitution, allowed only where the configuration holds a secret.

Secrets (autoCreate passwords) should not be committed to git, so they may name environment
variables instead. Substitution happens nowhere else, so a `${...}` in any other field is an
error rather than a silent literal. Messages name the variable, never its value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_REFERENCE = re.compile(r"\$\{([^}]*)\}")
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# (section, key) pairs whose string values may reference environment variables.
SECRET_FIELDS: frozenset[tuple[str, str]] = frozenset({("users", "password")})


@dataclass(frozen=True)
class Substitution:
    """The substituted text, or the reasons it could not be substituted."""

    value: str
    problems: tuple[str, ...] = ()


def has_reference(text: str) -> bool:
    return "${" in text


def substitute(text: str, environ: Mapping[str, str]) -> Substitution:
    """Replace every `${NAME}` in `text` with the variable's value."""
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if not _VARIABLE_NAME.fullmatch(name):
            problems.append(f"'${{{name}}}' is not a valid environment variable reference")
            return ""
        if name not in environ:
            problems.append(f"environment variable {name} is not set")
            return ""
        return environ[name]

    value = _REFERENCE.sub(replace, text)
    return Substitution(value, tuple(problems))
