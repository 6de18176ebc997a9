"""`python -m reconciler.schema`: write the schema files, or with `--check` verify them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .files import default_out_dir, render_schema_files, stale_files


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory of the schema files (default: the repository's schemas/).",
)
@click.option("--check", is_flag=True, help="Compare instead of writing; exit 1 if any is stale.")
def main(out_dir: Path | None, check: bool) -> None:
    """Generate the configuration and Zoom settings JSON Schemas."""
    directory = out_dir if out_dir is not None else default_out_dir()
    rendered = render_schema_files()
    stale = stale_files(directory, rendered)
    if check:
        for path in stale:
            click.echo(f"{_shown(path)}: out of date; run `python -m reconciler.schema`", err=True)
        if stale:
            sys.exit(1)
        click.echo(f"{len(rendered)} schema files are up to date", err=True)
        return
    directory.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_text(rendered[path.name], encoding="utf-8", newline="\n")
        click.echo(f"wrote {_shown(path)}", err=True)
    if not stale:
        click.echo(f"{len(rendered)} schema files were already up to date", err=True)


def _shown(path: Path) -> Path:
    """The path relative to the working directory when it is under it, as a user typed it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


if __name__ == "__main__":
    main(prog_name="python -m reconciler.schema")
