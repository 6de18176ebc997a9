"""`export`: the live account written as configuration files that plan clean.

`render_export` is pure (a `LiveState` in, file names and texts out); `write_export` puts
the files in a directory. See docs/export.md for what is written and what is left out.
"""

from reconciler.export.account import Entry, Section, export_sections
from reconciler.export.files import (
    EXPORT_FILES,
    SCHEMA_FILE,
    ExportResult,
    check_export_directory,
    render_export,
    write_export,
)
from reconciler.export.settings import default_value, non_default

__all__ = [
    "EXPORT_FILES",
    "SCHEMA_FILE",
    "Entry",
    "ExportResult",
    "Section",
    "check_export_directory",
    "default_value",
    "export_sections",
    "non_default",
    "render_export",
    "write_export",
]
