"""The applier: carries out a Plan's changes; it never decides what to change.

Changes run as soon as what they depend on is done, as many at once as the client's
rate-limit pacing lets through, so that the light, medium and heavy budgets are all in use
at the same time instead of one phase after another. Two stages keep Zoom's ordering rules:
every create, add and update first, then every removal, deactivation and delete, in reverse
dependency order (a group's members go before the group, a user's memberships before the user).

- A change whose dependency failed or was skipped is skipped, and says which one; anything
  independent still runs.
- Adds to one group, division or contact group travel together, as many as Zoom takes in one
  request; a batch is sent when full or when nothing more can join it. A batch Zoom refuses is
  split, so that only the change at fault fails.
- A new contact group is created with its first members (Zoom wants at least one).
- Refused credentials or a daily limit stop the run: nothing more is sent.
- An interrupted run (Ctrl-C cancels it) still returns its report: what was done, and every
  change left over, marked as skipped, the ones in flight saying they may have taken effect.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from reconciler.apply import operations
from reconciler.apply.ids import IdBook, UnresolvedError
from reconciler.apply.report import ApplyReport, ChangeResult, Outcome
from reconciler.errors import CredentialsError, ReconcilerError, ZoomAPIError
from reconciler.plan.changes import (
    Action,
    Bucket,
    Change,
    ContactGroupCreate,
    ContactGroupMemberAdd,
    Kind,
    UserUpdate,
)
from reconciler.plan.costs import CONTACT_MEMBERS_PER_REQUEST
from reconciler.zoom import DailyLimitReached, RateLimited, ServerError, ZoomClient
from reconciler.zoom.types import ContactMemberRef

ResultHook = Callable[[ChangeResult], None]

FORWARD, DESTRUCTIVE = 0, 1
RENAMED_KINDS = (Kind.GROUP, Kind.DIVISION, Kind.CONTACT_GROUP)

INTERRUPTED = "interrupted; run apply again to finish"
IN_FLIGHT = "interrupted before it finished; it may have taken effect"
NOT_STARTED = "not started: the run was interrupted"


@dataclass(eq=False)
class _Node:
    index: int
    change: Change
    stage: int
    hard: list[int] = field(default_factory=list)
    """Changes that must be done first; if one is not, this one is skipped."""
    soft: list[int] = field(default_factory=list)
    """Changes that must be over first, whatever their outcome."""
    batch: tuple[str, ...] | None = None
    result: ChangeResult | None = None
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    sends: Change | None = None
    """What this node sends, when only a part of its change (see `_split_email_change`)."""
    lead: int | None = None
    """The node that sends the first part of this node's change, in the forward stage."""
    hidden: bool = False
    """The first part of a change: settled like any node, reported through its change's node."""


def _stage(change: Change) -> int:
    return DESTRUCTIVE if change.bucket is Bucket.DELETE else FORWARD


def _split_email_change(nodes: list[_Node]) -> dict[int, int]:
    """A renamed user who is also deactivated: the email change, with the rest of the update,
    goes in the forward stage, before anything names the user by the new email; only the
    deactivation waits for the destructive stage. Returns main node -> its lead."""
    leads: dict[int, int] = {}
    for node in list(nodes):
        change = node.change
        if not (isinstance(change, UserUpdate) and change.renamed_from and change.deactivates):
            continue
        lead = _Node(len(nodes), change, FORWARD, sends=change.model_copy(update={"status": None}))
        lead.hidden = True
        nodes.append(lead)
        node.sends = change.model_copy(update={"renamed_from": None, "profile": (), "type": None})
        node.lead = lead.index
        node.soft.append(lead.index)
        leads[node.index] = lead.index
    return leads


def build_graph(changes: Sequence[Change]) -> list[_Node]:
    """Nodes with their waits: the plan's own dependencies, reversed among destructive changes,
    plus renames before creates of the same kind and a contact group's members before it."""
    nodes = [
        _Node(i, change, _stage(change), batch=operations.batch_key(change))
        for i, change in enumerate(changes)
    ]
    by_ref = {node.change.ref: node.index for node in nodes}
    leads = _split_email_change(nodes)
    for node in nodes[: len(changes)]:
        for ref in node.change.depends_on():
            j = by_ref.get(ref)
            if j is None or j == node.index:
                continue
            other = nodes[j]
            if node.stage == FORWARD and other.stage == FORWARD:
                node.hard.append(j)
            elif node.stage == FORWARD and j in leads:
                node.hard.append(leads[j])  # what names a renamed user waits for its email
            elif node.stage == DESTRUCTIVE and other.stage == DESTRUCTIVE:
                other.soft.append(node.index)  # take the dependant away before what it leans on
    for kind in RENAMED_KINDS:
        renames = [
            n.index for n in nodes if n.change.kind is kind and n.change.action is Action.UPDATE
        ]
        for node in nodes:
            if node.change.kind is kind and node.change.action is Action.CREATE:
                node.soft.extend(renames)
    creates = {n.change.name: n for n in nodes if isinstance(n.change, ContactGroupCreate)}
    for node in nodes:
        change = node.change
        if isinstance(change, ContactGroupMemberAdd) and change.contact_group in creates:
            create = creates[change.contact_group]
            create.soft.extend(j for j in node.hard if j != create.index)
    _check_acyclic(nodes)
    return nodes


def _check_acyclic(nodes: Sequence[_Node]) -> None:
    waiting = {n.index: len(set(n.hard) | set(n.soft)) for n in nodes}
    dependants: dict[int, list[int]] = {}
    for node in nodes:
        for j in set(node.hard) | set(node.soft):
            dependants.setdefault(j, []).append(node.index)
    ready = deque(i for i, count in waiting.items() if count == 0)
    seen = 0
    while ready:
        i = ready.popleft()
        seen += 1
        for k in dependants.get(i, ()):
            waiting[k] -= 1
            if waiting[k] == 0:
                ready.append(k)
    if seen != len(nodes):
        raise ReconcilerError("the plan's changes depend on each other in a circle")


def _creates_batches_wait_for(nodes: Sequence[_Node]) -> dict[tuple[str, ...], set[int]]:
    """Per batch, the unbatched changes it waits for, also through the batches it waits for
    (a user's other groups wait for the batch of their primary group, which waits for creates)."""
    direct: dict[tuple[str, ...], set[int]] = {}
    after: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for node in nodes:
        if node.batch is None:
            continue
        needed = direct.setdefault(node.batch, set())
        earlier = after.setdefault(node.batch, set())
        for j in node.hard:
            batch = nodes[j].batch
            if batch is None:
                needed.add(j)
            elif batch != node.batch:
                earlier.add(batch)
    waits: dict[tuple[str, ...], set[int]] = {}
    for start in direct:
        stack = [start]
        while stack:  # depth first, each batch once the batches it waits for are done
            key = stack[-1]
            pending = [k for k in after[key] if k not in waits and k not in stack]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            if key not in waits:
                waits[key] = direct[key].union(*(waits[k] for k in after[key] if k in waits))
    return waits


def launch_order(nodes: Sequence[_Node]) -> list[int]:
    """The order changes start in: first what completes whole batches soonest, then the rest.

    A batch goes when nothing more can join it, so the creates its members wait for are
    ordered to finish one batch at a time (greedily, the batch missing the fewest first);
    meanwhile every category's budget stays busy, since nothing else waits behind them.
    """
    waits = _creates_batches_wait_for(nodes)
    keys_of: dict[int, list[tuple[str, ...]]] = {}
    for key, needed in waits.items():
        for j in needed:
            keys_of.setdefault(j, []).append(key)
    left = {key: len(needed) for key, needed in waits.items()}
    first = {key: min(needed, default=-1) for key, needed in waits.items()}  # ties: plan order
    heap = [(count, first[key], key) for key, count in left.items()]
    heapq.heapify(heap)
    order: list[int] = []
    placed: set[int] = set()
    while heap:
        count, _, key = heapq.heappop(heap)
        if count != left[key]:
            continue  # stale: some of its creates were placed for another batch
        for j in sorted(waits[key] - placed):
            placed.add(j)
            order.append(j)
            for other in keys_of[j]:
                left[other] -= 1
                if other != key:
                    heapq.heappush(heap, (left[other], first[other], other))
        left[key] = -1
    order += [n.index for n in nodes if n.index not in placed]
    return order


def _splittable(error: Exception) -> bool:
    """A refusal of one item may sink its whole batch: retry the items one by one."""
    if isinstance(error, RateLimited | ServerError):
        return False
    return isinstance(error, ZoomAPIError | UnresolvedError | operations.OperationError)


def _fatal(error: BaseException) -> bool:
    return isinstance(error, CredentialsError | DailyLimitReached)


def _message(error: BaseException) -> str:
    if isinstance(error, ReconcilerError):
        return str(error)
    return f"{type(error).__name__}: {error}"


class Applier:
    """Runs a plan's changes against Zoom and reports each one; `apply` never raises for a
    failed change (the report says), only for a plan it cannot run at all."""

    def __init__(
        self,
        zoom: ZoomClient,
        *,
        passwords: Mapping[str, str] | None = None,
        on_result: ResultHook | None = None,
    ) -> None:
        self._zoom = zoom
        self._passwords = {k.lower(): v for k, v in (passwords or {}).items()}
        self._on_result = on_result

    async def apply(self, changes: Iterable[Change]) -> ApplyReport:
        run = _Run(
            self._zoom,
            IdBook(self._zoom, passwords=self._passwords),
            build_graph(list(changes)),
            self._on_result,
        )
        return await run.execute()


class _Run:
    """One apply: the graph, the open batches, and the results so far."""

    def __init__(
        self,
        zoom: ZoomClient,
        ids: IdBook,
        nodes: list[_Node],
        on_result: ResultHook | None,
    ) -> None:
        self.zoom = zoom
        self.ids = ids
        self.nodes = nodes
        self.on_result = on_result
        self.stopped: str | None = None
        self.forward_left = sum(1 for n in nodes if n.stage == FORWARD)
        self.forward_done = asyncio.Event()
        if not self.forward_left:
            self.forward_done.set()
        self.queued: dict[tuple[str, ...], list[_Node]] = {}
        self.open: dict[tuple[str, ...], int] = {}
        for node in nodes:
            if node.batch is not None:
                self.open[node.batch] = self.open.get(node.batch, 0) + 1
        self.contact_adds: dict[str, list[_Node]] = {}
        for node in nodes:
            if isinstance(node.change, ContactGroupMemberAdd):
                self.contact_adds.setdefault(node.change.contact_group, []).append(node)
        self.tasks: set[asyncio.Task[None]] = set()
        self.sending: set[int] = set()
        """Changes under way (sent, or waiting for the pacing): interrupted, they may have taken effect."""

    async def execute(self) -> ApplyReport:
        started = time.monotonic()
        stats = self.zoom.stats
        calls_before = stats.total_calls
        throttled_before = sum(stats.throttled.values())
        try:
            await asyncio.gather(*(self._node(self.nodes[i]) for i in launch_order(self.nodes)))
            while self.tasks:
                await asyncio.gather(*list(self.tasks))
        except asyncio.CancelledError:
            self._interrupted()
        finally:
            for task in self.tasks:
                task.cancel()
        stats = self.zoom.stats
        return ApplyReport(
            results=[n.result for n in self.nodes if n.result is not None and not n.hidden],
            calls=stats.total_calls - calls_before,
            throttled=sum(stats.throttled.values()) - throttled_before,
            seconds=time.monotonic() - started,
            stopped=self.stopped,
        )

    def _interrupted(self) -> None:
        """Settle whatever the cancellation cut short, so the report accounts for every change.

        The cancellation is taken back on this task: the caller gets a report, not an error.
        """
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
        self.stopped = INTERRUPTED
        for node in self.nodes:
            if node.index in self.sending:
                self._settle(node, Outcome.SKIPPED, IN_FLIGHT)
        for node in self.nodes:
            lead = None if node.lead is None else self.nodes[node.lead].result
            if lead is not None and lead.outcome is Outcome.FAILED:
                self._settle(node, lead.outcome, lead.message)
            elif lead is not None and (lead.outcome is Outcome.DONE or lead.message == IN_FLIGHT):
                self._settle(node, Outcome.SKIPPED, IN_FLIGHT)  # its email change went out
            self._settle(node, Outcome.SKIPPED, NOT_STARTED)

    # settling ----------------------------------------------------------------------------

    def _settle(self, node: _Node, outcome: Outcome, message: str = "") -> None:
        if node.result is not None:
            return
        self.sending.discard(node.index)
        node.result = ChangeResult(node.change, outcome, message)
        if node.stage == FORWARD:
            self.forward_left -= 1
            if not self.forward_left:
                self.forward_done.set()
        if self.on_result is not None and not node.hidden:
            self.on_result(node.result)
        node.settled.set()

    def _fail(self, node: _Node, error: BaseException) -> None:
        if _fatal(error) and self.stopped is None:
            self.stopped = _message(error)
        self._settle(node, Outcome.FAILED, _message(error))

    def _blocker(self, node: _Node) -> str | None:
        if self.stopped is not None:
            return f"the run stopped: {self.stopped}"
        for j in node.hard:
            needed = self.nodes[j]
            assert needed.result is not None
            if needed.result.outcome is not Outcome.DONE:
                change = needed.change
                return (
                    f"needs {change.kind.value} {change.action.value} {change.key}, "
                    f"which {'failed' if needed.result.outcome is Outcome.FAILED else 'was skipped'}"
                )
        return None

    # one change --------------------------------------------------------------------------

    async def _node(self, node: _Node) -> None:
        for j in (*node.hard, *node.soft):
            await self.nodes[j].settled.wait()
        if node.stage == DESTRUCTIVE:
            await self.forward_done.wait()
        if node.result is not None:  # folded into its contact group's create
            return
        lead = None if node.lead is None else self.nodes[node.lead].result
        if lead is not None and lead.outcome is not Outcome.DONE:
            self._settle(node, lead.outcome, lead.message)  # its first part failed: it did
            return
        blocked = self._blocker(node)
        if blocked is not None:
            self._settle(node, Outcome.SKIPPED, blocked)
            self._withdraw(node)
            return
        if node.batch is not None:
            self._offer(node)
            return
        self.sending.add(node.index)
        try:
            if isinstance(node.change, ContactGroupCreate):
                await self._create_contact_group(node)
            else:
                await operations.run_single(self.zoom, self.ids, node.sends or node.change)
        except Exception as error:
            self._fail(node, error)
            return
        self._settle(node, Outcome.DONE)

    async def _create_contact_group(self, node: _Node) -> None:
        """Create with the first members whose users and groups are ready (at most one batch)."""
        change = node.change
        assert isinstance(change, ContactGroupCreate)
        limits = dict(CONTACT_MEMBERS_PER_REQUEST)
        folded: list[tuple[_Node, ContactMemberRef]] = []
        for member in self.contact_adds.get(change.name, []):
            add = member.change
            assert isinstance(add, ContactGroupMemberAdd)
            others = [self.nodes[j] for j in member.hard if j != node.index]
            if member.result is not None or limits[add.member_type] == 0:
                continue
            if any(o.result is None or o.result.outcome is not Outcome.DONE for o in others):
                continue
            try:
                ref = await operations.contact_member_ref(self.ids, add)
            except ReconcilerError:
                continue  # its own batch will report why
            limits[add.member_type] -= 1
            folded.append((member, ref))
            if not any(limits.values()):
                break
        await operations.create_contact_group(
            self.zoom, self.ids, change, [ref for _, ref in folded]
        )
        for member, _ in folded:
            self._settle(member, Outcome.DONE)
            self._withdraw(member)

    # batches -----------------------------------------------------------------------------

    def _offer(self, node: _Node) -> None:
        key = node.batch
        assert key is not None
        queue = self.queued.setdefault(key, [])
        queue.append(node)
        self.open[key] -= 1
        if len(queue) >= operations.batch_limit(node.change) or self.open[key] == 0:
            self._flush(key)

    def _withdraw(self, node: _Node) -> None:
        """A batched change that will not be offered (skipped, or folded into a create)."""
        key = node.batch
        if key is None:
            return
        self.open[key] -= 1
        if self.open[key] == 0 and self.queued.get(key):
            self._flush(key)

    def _flush(self, key: tuple[str, ...]) -> None:
        batch = self.queued.pop(key, [])
        if batch:
            self._spawn(self._batch(batch))

    def _spawn(self, work: Coroutine[None, None, None]) -> None:
        task = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _batch(self, batch: list[_Node]) -> None:
        if self.stopped is not None:
            for node in batch:
                self._settle(node, Outcome.SKIPPED, f"the run stopped: {self.stopped}")
            return
        self.sending.update(node.index for node in batch)
        try:
            outcomes = await operations.run_batch(self.zoom, self.ids, [n.change for n in batch])
        except Exception as error:
            if len(batch) > 1 and _splittable(error):
                for node in batch:
                    self._spawn(self._batch([node]))
                return
            for node in batch:
                self._fail(node, error)
            return
        for node, outcome in zip(batch, outcomes, strict=True):
            if outcome is None:
                self._settle(node, Outcome.DONE)
            else:
                self._fail(node, outcome)


async def apply_changes(
    zoom: ZoomClient,
    changes: Iterable[Change],
    *,
    passwords: Mapping[str, str] | None = None,
    on_result: ResultHook | None = None,
) -> ApplyReport:
    """Carry out `changes` (a Plan's, in any order) and report every one."""
    return await Applier(zoom, passwords=passwords, on_result=on_result).apply(changes)
