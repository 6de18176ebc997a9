"""What earlier applies of a configuration were approved to do, so that a re-run may finish it.

An apply killed part way leaves the account half changed: users it created hold Zoom's
defaults (a time zone, for one) until the update it did not reach sets them. The next plan then
overwrites those values, which looks like a mass change to the safety caps, though it is only
the rest of what was approved. `Approved` holds what the approved plans promised per object
(each field's new value; each removal and delete); a change that promises nothing more is
*covered* and the caps do not count it. Anything else is capped as usual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reconciler.plan.changes import Action, Bucket, Change, Kind
from reconciler.plan.changes.base import JsonValue

APPROVAL_FORMAT = 1

_Object = tuple[Kind, str]


@dataclass(frozen=True)
class Approved:
    """Per object, the values approved plans set, and the removals and deletes they made."""

    promised: Mapping[_Object, Mapping[str, JsonValue]] = field(default_factory=dict)
    removals: frozenset[tuple[Kind, Action, str]] = frozenset()

    @classmethod
    def of(cls, changes: Iterable[Change]) -> Approved:
        promised: dict[_Object, dict[str, JsonValue]] = {}
        removals: set[tuple[Kind, Action, str]] = set()
        for change in changes:
            if change.bucket is Bucket.DELETE:
                removals.add((change.kind, change.action, change.key))
            for item in change.fields():
                promised.setdefault((change.kind, change.key), {})[item.field] = item.new
        return cls(promised, frozenset(removals))

    def merged(self, newer: Approved) -> Approved:
        """Both approvals; where both set a field, the newer value."""
        promised = {key: dict(values) for key, values in self.promised.items()}
        for key, values in newer.promised.items():
            promised.setdefault(key, {}).update(values)
        return Approved(promised, self.removals | newer.removals)

    def covers(self, change: Change) -> bool:
        """Whether the change only does what an approved plan already promised."""
        if (change.kind, change.action, change.key) in self.removals:
            return True
        if change.bucket is Bucket.DELETE and change.action is not Action.UPDATE:
            return False  # a delete or removal that was not approved
        return self._promises(change)

    def _promises(self, change: Change) -> bool:
        values = self.promised.get((change.kind, change.key))
        if values is None:
            return False
        return all(f.field in values and values[f.field] == f.new for f in change.fields())

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": APPROVAL_FORMAT,
            "promised": [
                {"kind": kind.value, "key": key, "fields": dict(values)}
                for (kind, key), values in sorted(self.promised.items())
            ],
            "removals": [
                {"kind": kind.value, "action": action.value, "key": key}
                for kind, action, key in sorted(self.removals)
            ],
        }

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Approved:
        """Raises ValueError (or KeyError) for a document this version cannot read."""
        if document.get("format_version") != APPROVAL_FORMAT:
            raise ValueError(f"unknown approval format {document.get('format_version')!r}")
        promised = {
            (Kind(item["kind"]), str(item["key"])): dict(item["fields"])
            for item in document["promised"]
        }
        removals = frozenset(
            (Kind(item["kind"]), Action(item["action"]), str(item["key"]))
            for item in document["removals"]
        )
        return cls(promised, removals)
