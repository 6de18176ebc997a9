"""The export's files on disk: one per section, plus the schema editors use to check them."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reconciler.errors import ReconcilerError
from reconciler.export.account import export_sections
from reconciler.export.render import render_section
from reconciler.live.reads import ReadKind
from reconciler.model.identity_provider import IdentityProvider
from reconciler.model.live import LiveState

SCHEMA_FILE = "config.schema.json"
"""Written next to the files unless a schema URL is given, so editors check them offline."""


@dataclass(frozen=True)
class ExportResult:
    directory: Path
    files: tuple[Path, ...]
    users: int  # every user written, pending invitations included
    pending: int
    groups: int


def render_export(
    state: LiveState,
    schema_ref: str = SCHEMA_FILE,
    *,
    refused: Mapping[ReadKind, str] | None = None,
    identity_provider: IdentityProvider | None = None,
) -> dict[str, str]:
    """File name -> text, for every configuration file of the export."""
    sections = export_sections(state, refused, identity_provider)
    return {s.file_name: render_section(s, schema_ref) for s in sections}


def _foreign_yaml(directory: Path, ours: set[str]) -> list[str]:
    """YAML files that `plan DIR` would merge with the export, but that it did not write."""
    if not directory.exists():
        return []
    found = [*directory.rglob("*.yaml"), *directory.rglob("*.yml")]
    return sorted(
        str(p.relative_to(directory)) for p in found if p.name not in ours or p.parent != directory
    )


def write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step, so an interrupted export leaves no half-written file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


EXPORT_FILES = frozenset(
    {
        "policy.yaml",
        "identity-provider.yaml",
        "divisions.yaml",
        "groups.yaml",
        "users.yaml",
        "contact-groups.yaml",
    }
)


def check_export_directory(directory: Path) -> None:
    """Refuse a directory holding YAML the export would not replace: `plan` would merge it in."""
    if directory.exists() and not directory.is_dir():
        raise ReconcilerError(f"{directory} exists and is not a directory.")
    foreign = _foreign_yaml(directory, set(EXPORT_FILES))
    if foreign:
        raise ReconcilerError(
            f"{directory} already holds other YAML files ({', '.join(foreign[:5])}); `plan`"
            " would merge them with the export. Choose an empty directory."
        )


def write_export(
    state: LiveState,
    directory: Path,
    schema_url: str | None = None,
    *,
    refused: Mapping[ReadKind, str] | None = None,
    identity_provider: IdentityProvider | None = None,
) -> ExportResult:
    """Write the export into `directory`; refuse if it holds other configuration files.

    `refused`: the reader's `report.unavailable`, what the account's plan would not list.
    `identity_provider`: the boundary; what it owns is not written.
    """
    check_export_directory(directory)
    texts = render_export(
        state, schema_url or SCHEMA_FILE, refused=refused, identity_provider=identity_provider
    )
    for stale in EXPORT_FILES - set(texts):
        (directory / stale).unlink(missing_ok=True)  # e.g. contact groups, when not read
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts.items():
        write_atomically(directory / name, text)
        written.append(directory / name)
    if schema_url is None:
        from reconciler.schema.config_schema import config_schema
        from reconciler.schema.files import render

        write_atomically(directory / SCHEMA_FILE, render(config_schema()))
        written.append(directory / SCHEMA_FILE)
    return ExportResult(
        directory=directory,
        files=tuple(written),
        users=sum(1 for u in state.users if not u.is_owner),
        pending=sum(1 for u in state.users if u.is_pending and not u.is_owner),
        groups=len(state.groups),
    )
