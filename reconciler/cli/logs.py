"""`-v` and `-vv`: the library's log records, on stderr next to the rest of the human output.

`-v` shows what a run cost (the client's summary) and each retry; `-vv` adds one line per
request. Only our own loggers are shown: their records are built from methods, paths, status
codes and Zoom's messages, never from headers or bodies, so no secret can reach them. httpx's
and httpcore's loggers stay silent, since they speak about raw requests.
"""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler

_LOGGER = "reconciler"


class _CliHandler(RichHandler):
    """Marks the handler this module installed, so a second run in one process replaces it."""


def configure_logging(verbose: int, console: Console) -> None:
    """Route `reconciler.*` records to `console` at INFO (`-v`) or DEBUG (`-vv`)."""
    logger = logging.getLogger(_LOGGER)
    for handler in [h for h in logger.handlers if isinstance(h, _CliHandler)]:
        logger.removeHandler(handler)
    if verbose <= 0:
        logger.setLevel(logging.NOTSET)
        logger.propagate = True
        return
    handler = _CliHandler(
        console=console, show_time=False, show_path=False, markup=False, rich_tracebacks=False
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose >= 2 else logging.INFO)
    logger.propagate = False
