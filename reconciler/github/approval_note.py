"""What the reviewed plan approved, kept on its pull-request comment for a re-run to finish.

An apply on merge that dies part way (a lost runner, a daily limit) leaves a plan that differs
from the reviewed one, because part of it was done. The comment carries, in a hidden line, the
reviewed plan's approval, sealed (`Approved.as_sealed`: keys, and digests of the values, so no
name or setting is shown that the comment hides), compressed and base64-encoded. A re-run whose
fresh plan it covers change by change only finishes what was reviewed, and may run.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Iterable

from reconciler.plan.approval import Approved
from reconciler.plan.changes import Change

APPROVAL_PREFIX = "<!-- zoom-reconciler-approved "
APPROVAL_PATTERN = re.compile(r"^<!-- zoom-reconciler-approved ([A-Za-z0-9+/=]+) -->$", re.M)
APPROVAL_LIMIT_BYTES = 24_000
"""The most a comment gives the approval line; a larger plan's comment goes without one (and a
re-run of its interrupted apply then needs a new review)."""
_UNPACKED_LIMIT_BYTES = 8 * 1024 * 1024
"""No approval that fits on a comment unpacks to more; a line that would is not ours."""


def approval_line(changes: Iterable[Change]) -> str | None:
    """The hidden line for a plan's comment, or None when it would not fit."""
    document = Approved.of(changes).as_sealed().to_json()
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    packed = base64.b64encode(zlib.compress(text.encode(), 9)).decode("ascii")
    line = f"{APPROVAL_PREFIX}{packed} -->"
    return line if len(line) <= APPROVAL_LIMIT_BYTES else None


def read_approval(body: str) -> Approved | None:
    """The sealed approval a comment carries; None if it has none, or none this version reads."""
    found = APPROVAL_PATTERN.search(body)
    if found is None:
        return None
    try:
        unpacker = zlib.decompressobj()
        text = unpacker.decompress(
            base64.b64decode(found.group(1), validate=True), _UNPACKED_LIMIT_BYTES
        )
        if unpacker.unconsumed_tail:
            return None
        approved = Approved.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError, zlib.error, binascii.Error):
        return None
    return approved if approved.sealed else None


def finishes(approved: Approved, changes: Iterable[Change]) -> bool:
    """Whether every change only does what the approval promised (`Approved.covers`)."""
    return all(approved.covers(change) for change in changes)
