"""`export --out DIR`: read the whole account and write it as configuration files.

The read shows its progress (see `read_progress`). Each user is read on their own too, unless
`--no-user-details`: job title, company and the like are only in a single user's record, and
an export that left them out would not be the account's configuration.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from reconciler.cli.console import Output
from reconciler.cli.plan_apply import Where, open_zoom
from reconciler.cli.read_progress import ReadProgressDisplay
from reconciler.config import load_config
from reconciler.errors import ReconcilerError
from reconciler.export import check_export_directory, write_export
from reconciler.live import ReadReport, ReadRequest, read_live_state
from reconciler.model.identity_provider import IdentityProvider
from reconciler.model.live import LiveState


async def read_everything(
    where: Where, out: Output, *, user_details: bool = True
) -> tuple[LiveState, ReadReport]:
    """The whole account, as export needs it, with progress on stderr."""
    request = ReadRequest.for_export(user_details=user_details)
    async with open_zoom(where, out) as zoom:
        with ReadProgressDisplay(out) as progress:
            return await read_live_state(zoom, request, progress)


def _boundary(path: Path | None) -> IdentityProvider | None:
    """The `identity_provider` block of an existing configuration (`--identity-provider`)."""
    if path is None:
        return None
    provider = load_config(path).identity_provider
    if provider is None:
        raise ReconcilerError(f"{path} has no identity_provider block to export within")
    return provider


def export_command(
    out: Output,
    out_dir: Path,
    *,
    schema_url: str | None,
    user_details: bool,
    sandbox: bool,
    sandbox_seed: Path | None,
    identity_provider_from: Path | None = None,
) -> int:
    """Write the live account into `out_dir`; 0 when written, errors go to the handler."""
    provider = _boundary(identity_provider_from)
    check_export_directory(out_dir)
    started = time.monotonic()
    where = Where(sandbox, sandbox_seed)
    state, report = asyncio.run(read_everything(where, out, user_details=user_details))
    result = write_export(
        state, out_dir, schema_url, refused=report.unavailable, identity_provider=provider
    )
    out.info(
        f"Read the account in {report.total_calls} API calls ({time.monotonic() - started:.1f} s)."
    )
    pending = f" ({result.pending} pending invitations)" if result.pending else ""
    out.info(
        f"Wrote {len(result.files)} files to {out_dir}: {result.users} users{pending},"
        f" {result.groups} groups. Pending invitations and the account owner are noted in"
        " comments."
    )
    if not user_details:
        out.info(
            "Users were not read one by one (--no-user-details): job titles and the other"
            " fields only a single user's record holds are not in the export."
        )
    return 0
