"""The architecture's import brackets: pure modules stay pure, the sandbox stays separate."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reconciler"

# module prefix -> top-level imports it must never make
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "reconciler.plan": (
        "httpx",
        "reconciler.zoom",
        "reconciler.live",
        "reconciler.apply",
        "reconciler.cli",
        "reconciler.sandbox",
        "reconciler.config",
        "reconciler.render",
        "reconciler.export",
        "reconciler.github",
        "asyncio",
        "os",
        "time",
        "pathlib",
        "socket",
        "random",
        "datetime",
    ),
    "reconciler.model": (
        "httpx",
        "reconciler.zoom",
        "reconciler.live",
        "reconciler.apply",
        "reconciler.plan",
        "reconciler.cli",
        "reconciler.sandbox",
    ),
    "reconciler.render": ("httpx", "reconciler.zoom", "reconciler.sandbox"),
    # `validate` is offline: loading a configuration never reaches anything that talks to Zoom.
    "reconciler.config": (
        "httpx",
        "reconciler.zoom",
        "reconciler.live",
        "reconciler.apply",
        "reconciler.plan",
        "reconciler.sandbox",
        "reconciler.cli",
    ),
    "reconciler.schema": (
        "httpx",
        "reconciler.zoom",
        "reconciler.live",
        "reconciler.apply",
        "reconciler.sandbox",
        "reconciler.cli",
    ),
    "reconciler.sandbox": (
        "reconciler.model",
        "reconciler.config",
        "reconciler.zoom",
        "reconciler.plan",
        "reconciler.cli",
        "reconciler.live",
        "reconciler.apply",
        "reconciler.errors",
        "reconciler.render",
    ),
    # Zoom's operations and rate limits, as data: the client and the plan both read them.
    "reconciler.catalog": (
        "httpx",
        "reconciler.zoom",
        "reconciler.live",
        "reconciler.apply",
        "reconciler.plan",
        "reconciler.model",
        "reconciler.config",
        "reconciler.render",
        "reconciler.cli",
        "reconciler.github",
        "reconciler.sandbox",
        "reconciler.schema",
        "reconciler.export",
        "reconciler.errors",
        "reconciler.diagnostics",
        "reconciler.failure_file",
        "asyncio",
        "os",
        "time",
    ),
    # The client is the bottom of the stack that talks to Zoom: it knows nothing of what is
    # read, planned or applied with it.
    "reconciler.zoom": (
        "reconciler.live",
        "reconciler.plan",
        "reconciler.apply",
        "reconciler.config",
        "reconciler.render",
        "reconciler.export",
        "reconciler.github",
        "reconciler.cli",
        "reconciler.sandbox",
    ),
    # Reading the account is not applying to it, nor presenting it.
    "reconciler.live": (
        "reconciler.apply",
        "reconciler.config",
        "reconciler.render",
        "reconciler.export",
        "reconciler.github",
        "reconciler.cli",
        "reconciler.sandbox",
    ),
    "reconciler.apply": (
        "reconciler.config",
        "reconciler.render",
        "reconciler.export",
        "reconciler.github",
        "reconciler.cli",
        "reconciler.sandbox",
    ),
    "reconciler.export": (
        "reconciler.apply",
        "reconciler.github",
        "reconciler.cli",
        "reconciler.sandbox",
    ),
    "reconciler.diagnostics": ("reconciler",),
    "reconciler.errors": ("reconciler.zoom", "reconciler.cli", "reconciler.sandbox"),
    # The GitHub layer drives the CLI as a process; it shares only `reconciler.failure_file`.
    "reconciler.github": ("reconciler.cli",),
    "reconciler.failure_file": ("reconciler",),
}

# httpx is imported in exactly one module of the package (tests may use it freely).
HTTPX_HOME = "reconciler.zoom.http"


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), path))
    return found


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violates(imported: str, forbidden: str) -> bool:
    return imported == forbidden or imported.startswith(forbidden + ".")


@pytest.mark.parametrize(("module", "path"), _modules(), ids=lambda v: str(v))
def test_module_respects_its_bracket(module: str, path: Path) -> None:
    imported = _imports(path)
    for prefix, forbidden in FORBIDDEN.items():
        if module == prefix or module.startswith(prefix + "."):
            bad = sorted(i for i in imported for f in forbidden if _violates(i, f))
            assert not bad, f"{module} imports {bad}"
    uses_httpx = any(_violates(i, "httpx") for i in imported)
    if uses_httpx:
        assert module == HTTPX_HOME, f"{module} imports httpx; only {HTTPX_HOME} may"
