"""`zoom-reconciler github run`: the step `action.yml` runs; see docs/github-action.md."""

from __future__ import annotations

import os

import click


@click.group()
def github() -> None:
    """Run inside the GitHub Action (reads INPUT_* and GITHUB_* variables)."""


@github.command("run")
def github_run() -> int:
    """Validate, plan or apply as the Action's inputs say; report to the PR and job summary."""
    from reconciler.github import run_action

    return run_action(os.environ)
