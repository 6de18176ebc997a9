"""Where each part of the merged configuration was written: FILE:LINE:COL for any path.

Positions are found on demand: the first lookup in a file composes that file's node tree
(ruamel.yaml keeps the line and column of every node) and keeps it. A valid configuration is
therefore read once, without the cost of positions, and only files with something to point at
are composed again.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from reconciler.config.yaml_reader import SafeEventLoader

ConfigPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based place in a file."""

    file: str
    line: int
    col: int

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass
class SourceFile:
    """One configuration file: its name as shown in messages and its text."""

    path: Path
    text: str
    _root: Node | None = field(default=None, init=False, repr=False)
    _composed: bool = field(default=False, init=False, repr=False)

    @property
    def name(self) -> str:
        return str(self.path)

    def root(self) -> Node | None:
        if not self._composed:
            self._composed = True
            try:
                self._root = SafeEventLoader(self.text).get_single_node()
            except Exception:  # a file that does not parse has no tree to point into
                self._root = None
        return self._root

    def locate(self, path: ConfigPath, *, key: bool = False) -> Location:
        """The position of `path` in this file: the key itself when `key`, else its value.

        A path that goes further than the file (a missing key, an index past the end) stops
        at the deepest node that exists, which is where the reader should look.
        """
        node = self.root()
        if node is None:
            return Location(self.name, 1, 1)
        mark = node.start_mark
        for depth, part in enumerate(path):
            last = depth == len(path) - 1
            if isinstance(node, MappingNode):
                found = _mapping_entry(node, part)
                if found is None:
                    break
                key_node, node = found
                mark = key_node.start_mark if last and key else node.start_mark
            elif (
                isinstance(node, SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return Location(self.name, mark.line + 1, mark.column + 1)


def _mapping_entry(node: MappingNode, part: str | int) -> tuple[Node, Node] | None:
    wanted = str(part)
    for key_node, value_node in node.value:
        if str(key_node.value) == wanted:
            return key_node, value_node
    return None


@dataclass
class _Run:
    """Items start..start+count-1 of a merged section came from file `file`, in order."""

    start: int
    file: int
    count: int


class SourceMap:
    """Maps paths of the merged configuration, e.g. ("users", 3, "email"), to file positions."""

    def __init__(self) -> None:
        self.files: list[SourceFile] = []
        self._runs: dict[str, list[_Run]] = {}
        self._sizes: dict[str, int] = {}
        self._singles: dict[str, int] = {}

    def add_file(self, source: SourceFile) -> int:
        self.files.append(source)
        return len(self.files) - 1

    def add_items(self, section: str, file: int, count: int) -> None:
        """Record that `file` contributed the next `count` items of `section`."""
        start = self._sizes.get(section, 0)
        self._runs.setdefault(section, []).append(_Run(start, file, count))
        self._sizes[section] = start + count

    def add_single(self, key: str, file: int) -> None:
        """Record the file that holds a key given once (policy) or first (version)."""
        self._singles.setdefault(key, file)

    def origin(self, section: str, index: int) -> tuple[SourceFile, int]:
        """The file and in-file index of item `index` of a merged section."""
        runs = self._runs[section]
        position = bisect.bisect_right([run.start for run in runs], index) - 1
        run = runs[position]
        return self.files[run.file], index - run.start

    def locate(self, path: ConfigPath, *, key: bool = False) -> Location:
        """The FILE:LINE:COL of a path in the merged configuration."""
        if not path:
            return Location(self.files[0].name if self.files else "", 1, 1)
        head = str(path[0])
        if head in self._runs and len(path) > 1 and isinstance(path[1], int):
            source, local = self.origin(head, path[1])
            return source.locate((head, local, *path[2:]), key=key)
        if head in self._singles:
            return self.files[self._singles[head]].locate(path, key=key)
        if head in self._runs:
            return self.files[self._runs[head][0].file].locate(path, key=key)
        return Location(self.files[0].name if self.files else "", 1, 1)

    def file_of(self, section: str, index: int) -> SourceFile:
        return self.origin(section, index)[0]
