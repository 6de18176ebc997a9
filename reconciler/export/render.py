"""Sections to YAML text with ruamel's round-trip dumper, which can place comments.

Short lists of names (a user's groups, a group's admins) are written inline, everything else
as blocks; key order is the order the sections give, so the same account always gives the
same bytes and a re-export shows only what changed.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from reconciler.export.account import Section

SCHEMA_VERSION = 1
_ENTRY_INDENT = 2
_WIDTH = 100

# Lists of names under these keys are written inline: `groups: [Developers, Sales]`.
_INLINE_LISTS = frozenset({"groups", "admins", "users", "protected_users"})


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = _WIDTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _node(value: Any, key: str | None = None) -> Any:
    """Plain data as ruamel nodes; inline style for short lists of names."""
    if isinstance(value, Mapping):
        mapping = CommentedMap()
        for name, sub in value.items():
            mapping[name] = _node(sub, str(name))
        return mapping
    if isinstance(value, list | tuple):
        seq = CommentedSeq([_node(item) for item in value])
        if key in _INLINE_LISTS and all(isinstance(item, str) for item in value):
            seq.fa.set_flow_style()
        return seq
    return value


def _wrapped(notes: list[str], margin: int) -> list[str]:
    """Notes cut into lines that fit the width after a comment mark; indents are kept."""
    lines = []
    for note in notes:
        indent = note[: len(note) - len(note.lstrip())]
        width = _WIDTH - margin
        lines += textwrap.wrap(note, width=width, subsequent_indent=indent + "  ") or [""]
    return lines


def render_section(section: Section, schema_ref: str) -> str:
    """One file's text: the schema line, a header, the data, and the notes as comments."""
    root = CommentedMap()
    root["version"] = SCHEMA_VERSION
    if section.unmanaged:
        pass
    elif section.mapping is not None:
        root[section.key] = _node(section.mapping)
    else:
        entries = CommentedSeq([_node(entry.data) for entry in section.entries])
        for index, entry in enumerate(section.entries):
            if entry.comments:
                entries.yaml_set_comment_before_after_key(
                    index,
                    before="\n".join(_wrapped(entry.comments, _ENTRY_INDENT + 2)),
                    indent=_ENTRY_INDENT,
                )
        root[section.key] = entries
    body = io.StringIO()
    _yaml().dump(root, body)
    header = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# {section.title}",
        "# Exported from Zoom by `zoom-reconciler export`: `plan` on these files finds no changes.",
        "",
    ]
    text = "\n".join(header) + body.getvalue()
    if section.notes:
        text += "\n" + "".join(f"# {line}".rstrip() + "\n" for line in _wrapped(section.notes, 2))
    return text
