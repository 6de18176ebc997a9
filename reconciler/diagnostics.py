"""Diagnostics: a problem tied to a place in a file, collected so that every mistake is reported at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at FILE:LINE:COL (1-based line and column)."""

    file: str
    line: int
    col: int
    message: str

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


@dataclass
class Diagnostics:
    """An ordered, de-duplicated collector; callers add problems and fail once at the end."""

    _items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set)

    def add(self, file: str, line: int, col: int, message: str) -> None:
        diagnostic = Diagnostic(file, line, col, message)
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self._items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            self.add(d.file, d.line, d.col, d.message)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())
