"""Export, load and diff: the round trip every export must survive."""

from __future__ import annotations

from pathlib import Path

from reconciler.config import load_config
from reconciler.export import write_export
from reconciler.live import ReadRequest, read_live_state
from reconciler.plan import Change, desired_from_config, diff
from reconciler.sandbox.app import SandboxApp
from reconciler.zoom import ZoomClient
from tests.live.support import in_process_client

SCHEMA_URL = "https://example.test/config.schema.json"


async def export_then_plan_with(
    client: ZoomClient, directory: Path
) -> tuple[list[Change], list[str]]:
    """Export what `client` reads (users one by one too), load the files, read, and diff."""
    state, report = await read_live_state(client, ReadRequest.for_export())
    write_export(state, directory, SCHEMA_URL, refused=report.unavailable)
    desired = desired_from_config(load_config(directory))
    live, _ = await read_live_state(client, ReadRequest.for_desired(desired))
    return diff(desired, live)


async def export_then_plan(app: SandboxApp, directory: Path) -> tuple[list[Change], list[str]]:
    """Export the sandbox's account, load the files, read what they need, and diff."""
    async with in_process_client(app) as client:
        return await export_then_plan_with(client, directory)
