"""The applier's operations: for each kind of change, the ZoomClient call(s) that carry it out.

An operation either returns (the change is done) or raises (it failed, with Zoom's message, or
an `OperationError` for a reason of our own). Changes Zoom takes several at a time have an
operation over a list of changes of one target, which returns a failure (or None) per change for
any step after the shared request.

How the pieces fit: `users`, `groups` (members, admins and settings too), `divisions` and
`contacts` hold one operation per change kind; `common` holds what they share; `dispatch` maps
a change to its operation.

Writes of unclear outcome (`AmbiguousWriteError`, `common`), each tried at most
`AMBIGUOUS_ATTEMPTS` times before the last such error is raised:
- a write not safe to repeat (a create, a contact-group delete) is never blindly sent again:
  the object is read back, and only if the write did not happen is it sent once more
  (`resolve_ambiguous`);
- a batch add or removal reads back and sends again only for who is still missing or still
  there (`add_with_read_back`);
- a write that sets a state (assign a division, set a primary group) is simply sent again
  (`resend_state`);
- if reading back fails, the change fails with an `OperationError` that says the write may or
  may not have happened.

Single or batch (`dispatch`): `batch_key` gives changes that may share one request a common
key, and None to those that go alone; the applier queues changes by key up to `batch_limit`
(Zoom's limit per request; for contact-group adds, per member type) and hands each batch to
`run_batch`, the others to `run_single`. A group member add goes alone only for a pending user,
whom Zoom places through PATCH /users instead. Keys and limits come from the plan's cost table
(`reconciler.plan.costs`), which the estimate counts from, so apply makes the calls it promised.
"""

from __future__ import annotations

from reconciler.apply.operations.common import OperationError, resend_state, resolve_ambiguous
from reconciler.apply.operations.contacts import contact_member_ref, create_contact_group
from reconciler.apply.operations.dispatch import (
    batch_key,
    batch_limit,
    run_batch,
    run_single,
)

__all__ = [
    "OperationError",
    "batch_key",
    "batch_limit",
    "contact_member_ref",
    "create_contact_group",
    "resend_state",
    "resolve_ambiguous",
    "run_batch",
    "run_single",
]
