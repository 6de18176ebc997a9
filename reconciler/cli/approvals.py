"""The approval journal: what `apply` was approved to do, kept until it has all been done.

`apply` writes it before its first request and deletes it once every change is done, so it
exists only while an apply of this configuration to this account is unfinished (killed, or
stopped by a failure). The next `apply` reads it, and the safety caps let it finish exactly what
was approved (see `reconciler.plan.approval`). It lives in `.zoom-reconciler/` beside the
configuration (inside it when PATH is a directory), or in `$ZOOM_RECONCILER_STATE_DIR`; one
file per account, named by a hash of the account id and the API's address. It holds the
approved changes' kinds, keys and new values (emails and settings, never a secret: a password
is recorded only as "(set)").
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from reconciler.errors import ReconcilerError
from reconciler.export.files import write_atomically
from reconciler.plan.approval import Approved

STATE_DIR_VARIABLE = "ZOOM_RECONCILER_STATE_DIR"
STATE_DIR_NAME = ".zoom-reconciler"


def journal_path(config_path: Path, account_id: str, api_base_url: str) -> Path:
    folder = os.environ.get(STATE_DIR_VARIABLE)
    if folder:
        state = Path(folder)
    else:
        state = (config_path if config_path.is_dir() else config_path.parent) / STATE_DIR_NAME
    account = hashlib.sha256(f"{account_id}\n{api_base_url}".encode()).hexdigest()[:16]
    return state / f"approved-{account}.json"


def load_approved(path: Path) -> Approved | None:
    """The unfinished approval at `path`, if any; an unreadable one is an error, not ignored."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as unreadable:
        raise ReconcilerError(f"cannot read the approval journal {path}: {unreadable}") from None
    try:
        return Approved.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError) as bad:
        raise ReconcilerError(
            f"the approval journal {path} cannot be read ({bad}); delete it to go on"
        ) from None


def record_approved(path: Path, approved: Approved) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(approved.to_json(), indent=1, sort_keys=True) + "\n")


def clear_approved(path: Path) -> None:
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()  # only when empty
