"""YAML text to plain Python values, fast enough for a 50,000-user configuration.

ruamel.yaml's libyaml-based parser emits events; building dicts and lists from them directly
is several times faster than composing node objects first. Positions are not kept here: they
are looked up afterwards, only for the few places a message points at (see `sources.py`).
Only the safe YAML types are produced; explicit application tags are refused.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.error import MantissaNoDotYAML1_1Warning, MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.nodes import ScalarNode

try:  # the C parser ships as ruamel.yaml.clibz; the pure-Python loader is the same grammar
    from ruamel.yaml.cyaml import CSafeLoader

    SafeEventLoader: type = CSafeLoader
except ImportError:  # pragma: no cover - depends on the platform's wheels
    from ruamel.yaml.loader import SafeLoader

    SafeEventLoader = SafeLoader

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SAFE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_COLLECTION_TAGS = frozenset(("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "!"))
# A plain scalar can only be a number, null or date if it starts with one of these...
_MAYBE_NUMERIC = frozenset("0123456789+-.~")
# ...and, starting with a letter, only one of these words (YAML 1.2 core schema).
_WORDS: dict[str, Any] = {
    **dict.fromkeys(("null", "Null", "NULL"), None),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}


class YAMLSyntaxError(Exception):
    """The file is not YAML; carries the 1-based place the parser gave up."""

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


@dataclass
class Problem:
    """A structural problem found while reading (a duplicate key, a tag), at a 1-based place."""

    line: int
    col: int
    message: str


@dataclass
class YAMLDocument:
    """The value of a file's single document, plus the problems that did not stop reading."""

    value: Any
    problems: list[Problem] = field(default_factory=list)


class _EventReader:
    """Turns the parser's event stream into values; one instance per file."""

    def __init__(self, text: str) -> None:
        self.loader = SafeEventLoader(text)
        self.get_event = self.loader.get_event
        self.anchors: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.dispatch: dict[type, Callable[[Any], Any]] = {
            ScalarEvent: self._scalar,
            MappingStartEvent: self._mapping,
            SequenceStartEvent: self._sequence,
            AliasEvent: self._alias,
        }

    def read(self) -> YAMLDocument:
        loader = self.loader
        loader.get_event()  # stream start
        value: Any = None
        if not loader.check_event(StreamEndEvent):
            loader.get_event()  # document start
            value = self._value(loader.get_event())
            loader.get_event()  # document end
            if not loader.check_event(StreamEndEvent):
                event = loader.peek_event()
                mark = event.start_mark
                raise YAMLSyntaxError(
                    mark.line + 1, mark.column + 1, "only one YAML document per file is allowed"
                )
        return YAMLDocument(value, self.problems)

    def _value(self, event: Any) -> Any:
        return self.dispatch[type(event)](event)

    def _problem(self, event: Any, message: str) -> None:
        mark = event.start_mark
        self.problems.append(Problem(mark.line + 1, mark.column + 1, message))

    def _remember(self, event: Any, value: Any) -> Any:
        if event.anchor is not None:
            self.anchors[event.anchor] = value
        return value

    def _scalar(self, event: Any) -> Any:
        # The fast path covers nearly every scalar: no anchor, no tag, text or a YAML word.
        if event.anchor is None and event.ctag is None:
            value: str = event.value
            if not event.implicit[0]:  # quoted: always text
                return value
            if not value:  # `key:` with nothing after it
                return None
            if value[0] not in _MAYBE_NUMERIC:
                return _WORDS.get(value, value)
        return self._remember(event, self._typed_scalar(event))

    def _typed_scalar(self, event: Any) -> Any:
        value = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return value
            if not value:
                return None
            if value[0] not in _MAYBE_NUMERIC:
                return _WORDS.get(value, value)
            tag = self.loader.resolve(ScalarNode, value, event.implicit)
        tag = str(tag)
        if tag in (_STR, _TIMESTAMP):  # dates are only ever text in this format
            return value
        if tag not in _SAFE_TAGS:
            self._problem(event, f"unsupported YAML tag {event.tag!s}")
            return value
        if tag == _NULL:
            return None
        node = ScalarNode(tag, value, event.start_mark, event.end_mark, style=event.style)
        with warnings.catch_warnings():  # YAML 1.1 advice about `1e5`; this format is YAML 1.2
            warnings.simplefilter("ignore", MantissaNoDotYAML1_1Warning)
            return self.loader.construct_object(node)

    def _alias(self, event: Any) -> Any:
        if event.anchor not in self.anchors:
            mark = event.start_mark
            raise YAMLSyntaxError(mark.line + 1, mark.column + 1, f"unknown alias *{event.anchor}")
        return self.anchors[event.anchor]

    def _start_collection(self, event: Any, value: Any) -> None:
        """Report a foreign tag on a collection and remember its anchor, if it has either."""
        if event.tag is not None and str(event.tag) not in _COLLECTION_TAGS:
            self._problem(event, f"unsupported YAML tag {event.tag!s}")
        self._remember(event, value)

    # `_sequence` and `_mapping` see nearly every event of a file (1.2 million at 50,000
    # users), so the common case of `_scalar`, plain text without anchor or tag, is inlined,
    # and what is rare (an anchor or tag on a collection) costs a call only when it occurs.

    def _sequence(self, event: Any) -> list[Any]:
        items: list[Any] = []
        if event.anchor is not None or event.ctag is not None:
            self._start_collection(event, items)
        get_event = self.get_event
        while True:
            item = get_event()
            kind = type(item)
            if kind is ScalarEvent and item.anchor is None and item.ctag is None:
                text = item.value  # the common case of `_scalar`, inlined
                if not item.implicit[0]:
                    items.append(text)
                elif text and text[0] not in _MAYBE_NUMERIC:
                    items.append(_WORDS.get(text, text))
                else:
                    items.append(self._typed_scalar(item))
            elif kind is SequenceEndEvent:
                return items
            else:
                items.append(self.dispatch[kind](item))

    def _mapping(self, event: Any) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        if event.anchor is not None or event.ctag is not None:
            self._start_collection(event, mapping)
        get_event = self.get_event
        merges: list[Any] = []
        while True:
            key_event = get_event()
            kind = type(key_event)
            if kind is ScalarEvent:
                # Keys are names here: `1:`, `true:` or `null:` mean the text as written.
                key = key_event.value
                if key_event.anchor is not None or key_event.ctag is not None:
                    self._scalar(key_event)  # remember the anchor, report a foreign tag
                elif key == "<<" and key_event.implicit[0]:
                    merges.append((key_event, self._value(get_event())))
                    continue
            elif kind is MappingEndEvent:
                break
            else:
                self._value(key_event)
                key = None
                self._problem(key_event, "mapping keys must be plain scalars")
            value_event = get_event()
            kind = type(value_event)
            if kind is ScalarEvent and value_event.anchor is None and value_event.ctag is None:
                text = value_event.value  # as in `_sequence`
                if not value_event.implicit[0]:
                    value = text
                elif text and text[0] not in _MAYBE_NUMERIC:
                    value = _WORDS.get(text, text)
                else:
                    value = self._typed_scalar(value_event)
            else:
                value = self.dispatch[kind](value_event)
            if key is None:
                continue
            if key in mapping:
                self._problem(key_event, f"duplicate key '{key}'")
                continue
            mapping[key] = value
        for merge_event, merged in merges:
            self._merge(mapping, merged, merge_event)
        return mapping

    def _merge(self, mapping: dict[Any, Any], merged: Any, event: Any) -> None:
        sources = merged if isinstance(merged, list) else [merged]
        for source in sources:
            if not isinstance(source, dict):
                self._problem(event, "a merge key '<<' takes a mapping")
                continue
            for key, value in source.items():
                mapping.setdefault(key, value)


def read_yaml(text: str) -> YAMLDocument:
    """Parse one file's text; raises YAMLSyntaxError with the parser's place and reason."""
    try:
        return _EventReader(text).read()
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        reason = error.problem or error.context or "invalid YAML"
        if error.context and error.problem:
            reason = f"{error.problem} ({error.context})"
        raise YAMLSyntaxError(line, col, f"YAML syntax error: {reason}") from None
