"""`--target KIND[:NAME]`: scope a plan or an apply to some objects, as Terraform's `-target`.

A target names a kind of the plan's JSON (`user`, `group`, `group_member`, ...), optionally
with the object's name or email. `group` also covers the group's members, admins, settings and
lock settings; `division` its members; `contact_group` its members; `user` the user's
assistants. Users are named by email in any case. The changes a selected change depends on come
along (a membership of a user this plan creates needs that create; an assistant added under a
changed email needs that email change).

Scoping also narrows what is read: settings, admins and contact groups are read only when a
target asks for them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reconciler.errors import ReconcilerError
from reconciler.model.live import LiveState
from reconciler.plan.changes import Change, ChangeRef, Kind
from reconciler.plan.desired import Desired, DesiredGroup

FAMILIES: dict[Kind, frozenset[Kind]] = {
    Kind.USER: frozenset({Kind.USER, Kind.USER_ASSISTANT, Kind.USER_FEATURES, Kind.USER_SETTINGS}),
    Kind.GROUP: frozenset(
        {
            Kind.GROUP,
            Kind.GROUP_MEMBER,
            Kind.GROUP_ADMIN,
            Kind.GROUP_SETTINGS,
            Kind.GROUP_LOCK_SETTINGS,
        }
    ),
    Kind.DIVISION: frozenset({Kind.DIVISION, Kind.DIVISION_MEMBER}),
    Kind.CONTACT_GROUP: frozenset({Kind.CONTACT_GROUP, Kind.CONTACT_GROUP_MEMBER}),
}

# The kind whose object a name of each kind starts with (`group_member:Engineering/a@x.com`).
_NAMED_BY: dict[Kind, Kind] = {kind: owner for owner, kinds in FAMILIES.items() for kind in kinds}


@dataclass(frozen=True)
class Target:
    kind: Kind
    name: str | None = None

    @classmethod
    def parse(cls, text: str) -> Target:
        kind_text, _, name = text.partition(":")
        try:
            kind = Kind(kind_text.strip())
        except ValueError:
            choices = ", ".join(k.value for k in Kind)
            raise ReconcilerError(
                f"--target {text!r}: unknown kind {kind_text!r} (one of {choices})"
            ) from None
        name = name.strip()
        return cls(kind, name or None)

    @property
    def kinds(self) -> frozenset[Kind]:
        return FAMILIES.get(self.kind, frozenset({self.kind}))

    @property
    def wanted(self) -> str | None:
        """The name as keys spell it: users' emails in lower case, as they are matched."""
        if self.name is None or _NAMED_BY.get(self.kind, self.kind) is not Kind.USER:
            return self.name
        return self.name.lower()

    def selects(self, change: Change) -> bool:
        if change.kind not in self.kinds:
            return False
        wanted = self.wanted
        if wanted is None:
            return True
        key = change.key
        return key == wanted or key.startswith(wanted + "/")

    def __str__(self) -> str:
        return self.kind.value + (f":{self.name}" if self.name else "")

    def covers(self, kind: Kind, name: str | None = None) -> bool:
        """Whether this target may produce changes of `kind` for the object `name` (spelt as
        the configuration does; a user's email in any case)."""
        wanted = self.wanted
        if kind not in self.kinds or wanted is None or name is None:
            return kind in self.kinds
        named = name.lower() if _NAMED_BY.get(kind, kind) is Kind.USER else name
        return wanted == named or wanted.startswith(named + "/")  # `user_assistant:a@x/b@x`


def select(changes: Sequence[Change], targets: Sequence[Target]) -> list[Change]:
    """The changes the targets name, and every change those depend on (transitively)."""
    if not targets:
        return list(changes)
    by_ref: dict[ChangeRef, Change] = {c.ref: c for c in changes}
    chosen: dict[ChangeRef, Change] = {}
    todo = [c for c in changes if any(t.selects(c) for t in targets)]
    while todo:
        change = todo.pop()
        if change.ref in chosen:
            continue
        chosen[change.ref] = change
        todo.extend(by_ref[ref] for ref in change.depends_on() if ref in by_ref)
    return [c for c in changes if c.ref in chosen]


def _wants(targets: Iterable[Target], kind: Kind, name: str) -> bool:
    return any(t.covers(kind, name) for t in targets)


def _scoped_group(group: DesiredGroup, targets: Sequence[Target]) -> DesiredGroup:
    return dataclasses.replace(
        group,
        settings=group.settings if _wants(targets, Kind.GROUP_SETTINGS, group.name) else None,
        lock_settings=(
            group.lock_settings if _wants(targets, Kind.GROUP_LOCK_SETTINGS, group.name) else None
        ),
        admins=group.admins if _wants(targets, Kind.GROUP_ADMIN, group.name) else None,
    )


def scope_desired(desired: Desired, targets: Sequence[Target]) -> Desired:
    """Stop managing what no target asks for, so that it is neither read nor compared."""
    if not targets:
        return desired
    contacts = any(
        t.covers(Kind.CONTACT_GROUP_MEMBER) or t.covers(Kind.CONTACT_GROUP) for t in targets
    )
    policy = desired.policy
    if not contacts:
        policy = dataclasses.replace(policy, prune_contact_groups=False)
    users = tuple(
        dataclasses.replace(
            u,
            assistants=u.assistants if _wants(targets, Kind.USER_ASSISTANT, u.email) else None,
            features=u.features if _wants(targets, Kind.USER_FEATURES, u.email) else None,
            settings=u.settings if _wants(targets, Kind.USER_SETTINGS, u.email) else None,
        )
        for u in desired.users
    )
    return dataclasses.replace(
        desired,
        users=users,
        groups=tuple(_scoped_group(g, targets) for g in desired.groups),
        contact_groups=desired.contact_groups if contacts else (),
        policy=policy,
    )


def _names(kind: Kind, desired: Desired, live: LiveState) -> set[str]:
    if kind is Kind.USER:
        return {u.email.lower() for u in desired.users} | {u.email.lower() for u in live.users}
    if kind is Kind.DIVISION:
        return {d.name for d in desired.divisions} | {d.name for d in live.divisions}
    if kind is Kind.CONTACT_GROUP:
        live_contacts = live.contact_groups or ()
        return {c.name for c in desired.contact_groups} | {c.name for c in live_contacts}
    return {g.name for g in desired.groups} | {g.name for g in live.groups}


def unknown_targets(targets: Sequence[Target], desired: Desired, live: LiveState) -> list[Target]:
    """Named targets whose object is in neither the configuration nor the account.

    Such a target selects nothing, and "No changes." alone would hide the typo.
    """
    unknown = []
    for target in targets:
        if target.name is None:
            continue
        owner = _NAMED_BY.get(target.kind, target.kind)
        wanted = target.wanted or ""
        names = _names(owner, desired, live)
        if not any(wanted == name or wanted.startswith(name + "/") for name in names):
            unknown.append(target)
    return unknown
