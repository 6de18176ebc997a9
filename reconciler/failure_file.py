"""The one contract between a CLI run and the process that drives it (the GitHub Action).

A run that stops on an error writes the error's class name (`StalePlanError`, ...) to the file
named by `ZOOM_RECONCILER_FAILURE_FILE`, so a driver classifies a failure by what was raised,
never by reading error messages. Both sides import this module; neither imports the other.
"""

from __future__ import annotations

import os
from pathlib import Path

FAILURE_FILE_VARIABLE = "ZOOM_RECONCILER_FAILURE_FILE"


def record_failure(failure: BaseException) -> None:
    """Name the failure's class in the file the driver asked for, if it asked."""
    target = os.environ.get(FAILURE_FILE_VARIABLE)
    if target:
        Path(target).write_text(type(failure).__name__ + "\n", encoding="utf-8")


def read_failure(path: Path) -> str | None:
    """The class name a finished run recorded, or None when it recorded nothing."""
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").strip() or None
