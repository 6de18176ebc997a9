"""Reading the live account: what to read, the calls that takes, and the concurrent reader."""

from reconciler.live.progress import ProgressCallback, ReadProgress, ReadReport
from reconciler.live.read import LiveReader, read_live_state
from reconciler.live.reads import Read, ReadKind, contact_reads, group_reads, listing_reads, pages
from reconciler.live.request import GroupSelection, ReadRequest

__all__ = [
    "GroupSelection",
    "LiveReader",
    "ProgressCallback",
    "Read",
    "ReadKind",
    "ReadProgress",
    "ReadReport",
    "ReadRequest",
    "contact_reads",
    "group_reads",
    "listing_reads",
    "pages",
    "read_live_state",
]
