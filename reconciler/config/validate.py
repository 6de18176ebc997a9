"""Checks that span items: duplicates, references, membership rules, Zoom's limits, settings keys.

Runs on the items that passed their own validation; identities of items that did not are
passed in `Declared`, so a reference to a broken item is not reported a second time.
Every check reports all it finds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from reconciler.config.identity_provider import check_identity_provider
from reconciler.config.rules import (
    MAX_DIVISIONS,
    MAX_GROUPS,
    password_problems,
)
from reconciler.config.sources import ConfigPath, Location, SourceMap
from reconciler.config.user_links import check_user_links
from reconciler.diagnostics import Diagnostic
from reconciler.model import Config, CreateAction, UserStatus
from reconciler.model.features import feature_problems
from reconciler.model.fields import suggest
from reconciler.schema import SettingsDocument, check_settings


@dataclass
class Declared:
    """Identities written by items that failed validation (lower-case emails, names as written)."""

    users: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    divisions: set[str] = field(default_factory=set)
    contact_groups: set[str] = field(default_factory=set)
    # False when a file could not be read: whatever it declares is unknown, so a reference
    # that looks undeclared may well be declared there, and is not reported.
    complete: bool = True

    def add(self, section: str, identity: str) -> None:
        target: set[str] = getattr(self, section)
        target.add(identity.lower() if section == "users" else identity)


def check_config(
    config: Config,
    sources: SourceMap,
    declared: Declared | None = None,
    index_maps: dict[str, list[int]] | None = None,
) -> list[Diagnostic]:
    """Every cross-item problem in `config`, located through `sources`."""
    checker = _Checker(config, sources, declared or Declared(), index_maps)
    checker.run()
    return checker.found


@dataclass
class _Checker:
    config: Config
    sources: SourceMap
    declared: Declared
    index_maps: dict[str, list[int]] | None
    found: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._group_names = {g.name for g in self.config.groups} | self.declared.groups
        self._division_names = {d.name for d in self.config.divisions} | self.declared.divisions

    # -- plumbing ---------------------------------------------------------------------------

    def where(self, section: str, index: int, *rest: str | int, key: bool = False) -> Location:
        """The position of item `index` of the validated `section` (or a path inside it)."""
        merged = self.index_maps[section][index] if self.index_maps else index
        return self.sources.locate((section, merged, *rest), key=key)

    def _written(self, index: int, key: str) -> bool:
        """Whether user `index` has `key` in its YAML (a path past it stops at the user)."""
        return self.where("users", index, key, key=True) != self.where("users", index, key=True)

    def report(self, location: Location, message: str) -> None:
        self.found.append(Diagnostic(location.file, location.line, location.col, message))

    def run(self) -> None:
        self.check_duplicates()
        self.check_id_pins()
        self.check_limits()
        self.check_user_references()
        self.check_group_references()
        self.check_divisions()
        self.check_contact_groups()
        self.check_users()
        self.check_protected()
        self.check_settings()
        check_identity_provider(self.config, self.where, self.report)
        check_user_links(self)

    # -- identities -------------------------------------------------------------------------

    def check_duplicates(self) -> None:
        """Each identity once per section; emails compared ignoring case, shown as written."""
        identities = {
            "divisions": [d.name for d in self.config.divisions],
            "groups": [g.name for g in self.config.groups],
            "users": [u.key for u in self.config.users],
            "contact_groups": [c.name for c in self.config.contact_groups],
        }
        for section, names in identities.items():
            if len(set(names)) < len(names):  # a set finds the common case, no repeat, at C speed
                self._report_duplicates(section, names)

    def _report_duplicates(self, section: str, names: list[str]) -> None:
        what = {
            "divisions": "division",
            "groups": "group",
            "users": "user",
            "contact_groups": "contact group",
        }[section]
        key = "email" if section == "users" else "name"
        first: dict[str, int] = {}
        for index, identity in enumerate(names):
            if identity not in first:
                first[identity] = index
                continue
            shown = self.config.users[index].email if section == "users" else identity
            earlier = self.where(section, first[identity], key)
            self.report(
                self.where(section, index, key),
                f"duplicate {what} '{shown}'; also defined at {earlier.format()}",
            )

    def check_id_pins(self) -> None:
        pinned: dict[str, Iterable[tuple[int, str | None, str]]] = {
            "divisions": ((i, d.id, d.name) for i, d in enumerate(self.config.divisions)),
            "groups": ((i, g.id, g.name) for i, g in enumerate(self.config.groups)),
            "contact_groups": ((i, c.id, c.name) for i, c in enumerate(self.config.contact_groups)),
        }
        for section, items in pinned.items():
            owners: dict[str, tuple[int, str]] = {}
            for index, pin, name in items:
                if pin is None:
                    continue
                if pin in owners:
                    other_index, other = owners[pin]
                    earlier = self.where(section, other_index, "id")
                    self.report(
                        self.where(section, index, "id"),
                        f"id '{pin}' is pinned by both '{other}' (at {earlier.format()}) and '{name}'",
                    )
                else:
                    owners[pin] = (index, name)

    def check_limits(self) -> None:
        # POST /divisions: "a maximum of 500 divisions in one account" (error 42006, seed 001).
        if len(self.config.divisions) > MAX_DIVISIONS:
            self.report(
                self.where("divisions", MAX_DIVISIONS),
                f"{len(self.config.divisions)} divisions; Zoom allows at most {MAX_DIVISIONS} per account",
            )
        # POST /groups: "a maximum of 5000 groups in one account" (seed 001).
        if len(self.config.groups) > MAX_GROUPS:
            self.report(
                self.where("groups", MAX_GROUPS),
                f"{len(self.config.groups)} groups; Zoom allows at most {MAX_GROUPS} per account",
            )

    # -- references -------------------------------------------------------------------------

    def _unknown_name(self, location: Location, kind: str, name: str, known: set[str]) -> None:
        if not self.declared.complete:
            return
        hint = suggest(name, sorted(known)) if len(known) < 5000 else ""
        self.report(location, f"{kind} '{name}' is not declared in {kind}s{hint}")

    def _listed_twice(
        self, section: str, index: int, attribute: str, values: list[str], *, fold: bool
    ) -> Iterator[tuple[int, str]]:
        """Each value of a list with its position, reporting repeats within the list."""
        if not fold and len(set(values)) == len(values):  # the common case, without a loop
            yield from enumerate(values)
            return
        seen: set[str] = set()
        for position, value in enumerate(values):
            identity = value.lower() if fold else value
            if identity in seen:
                self.report(
                    self.where(section, index, attribute, position),
                    f"'{value}' is listed twice in {attribute}",
                )
                continue
            seen.add(identity)
            yield position, value

    def _check_repeats(self, section: str, index: int, attribute: str, emails: list[str]) -> None:
        """Reports emails listed twice in one list (ignoring case)."""
        for _ in self._listed_twice(section, index, attribute, emails, fold=True):
            pass

    def check_group_references(self) -> None:
        for index, group in enumerate(self.config.groups):
            for attribute in ("members", "admins"):
                emails: list[str] | None = getattr(group, attribute)
                # A member or admin may be a user the configuration does not manage; it only
                # has to exist in the account (see config/undeclared.py).
                self._check_repeats("groups", index, attribute, emails or [])

    def check_user_references(self) -> None:
        groups, divisions = self._group_names, self._division_names
        for index, user in enumerate(self.config.users):
            if user.groups:
                if groups.issuperset(user.groups) and len(set(user.groups)) == len(user.groups):
                    pass  # the common case, checked without a loop
                else:
                    for position, name in self._listed_twice(
                        "users", index, "groups", user.groups, fold=False
                    ):
                        if name not in groups:
                            self._unknown_name(
                                self.where("users", index, "groups", position),
                                "group",
                                name,
                                groups,
                            )
            if user.division is not None and user.division not in divisions:
                self._unknown_name(
                    self.where("users", index, "division"), "division", user.division, divisions
                )

    def check_divisions(self) -> None:
        """Nobody is in two divisions ("A user can belong to only one division")."""
        placed: dict[str, tuple[str, int, int]] = {}  # email -> (division, its index, position)
        for index, division in enumerate(self.config.divisions):
            for position, email in self._listed_twice(
                "divisions", index, "members", division.members or [], fold=True
            ):
                key = email.lower()
                if key in placed and placed[key][0] != division.name:
                    earlier = self.where("divisions", placed[key][1], "members", placed[key][2])
                    self.report(
                        self.where("divisions", index, "members", position),
                        f"user '{email}' is already in division '{placed[key][0]}' (at {earlier.format()}); "
                        "a user can belong to only one division",
                    )
                placed.setdefault(key, (division.name, index, position))
        if not placed:
            return  # no division lists members: nobody can be in two
        for index, user in enumerate(self.config.users):
            if user.division is None or user.key not in placed:
                continue
            other, division_index, position = placed[user.key]
            if other != user.division:
                earlier = self.where("divisions", division_index, "members", position)
                self.report(
                    self.where("users", index, "division"),
                    f"user '{user.email}' is also listed in division '{other}' at {earlier.format()}; "
                    "a user can belong to only one division",
                )

    def check_contact_groups(self) -> None:
        for index, contact_group in enumerate(self.config.contact_groups):
            members = contact_group.members
            if members is None:
                continue
            if not members.users and not members.groups:
                # DELETE /contacts/groups/{groupId}/members: "A group must have at least one member."
                self.report(
                    self.where("contact_groups", index, "members"),
                    f"contact group '{contact_group.name}' needs at least one member; Zoom refuses to empty one",
                )
            for position, name in enumerate(members.groups or []):
                if name not in self._group_names:
                    self._unknown_name(
                        self.where("contact_groups", index, "members", "groups", position),
                        "group",
                        name,
                        self._group_names,
                    )

    # -- users ------------------------------------------------------------------------------

    def check_users(self) -> None:
        for index, user in enumerate(self.config.users):
            if (
                user.create_action is CreateAction.AUTO_CREATE
                and user.password is None
                and not self._written(index, "password")  # an unset ${VAR} is reported already
            ):
                # POST /users answers 400 code 300 "Invalid parameter: password" (seed 001)
                self.report(
                    self.where("users", index, "create_action"),
                    f"user '{user.email}' is created with autoCreate, which needs a password; "
                    "Zoom refuses it without one",
                )
            if user.password is not None:
                if user.create_action is not CreateAction.AUTO_CREATE:
                    self.report(
                        self.where("users", index, "password", key=True),
                        "password is only used with create_action: autoCreate",
                    )
                problems = password_problems(user.password.get_secret_value())
                if problems:
                    self.report(
                        self.where("users", index, "password"),
                        "password breaks Zoom's rules: "
                        + "; ".join(f"it {problem}" for problem in problems),
                    )
            if user.manager is not None and user.manager.lower() == user.key:
                self.report(
                    self.where("users", index, "manager"), "a user cannot be their own manager"
                )
            if user.custom_attributes:
                seen: set[str] = set()
                for position, attribute in enumerate(user.custom_attributes):
                    if attribute.key in seen:
                        self.report(
                            self.where("users", index, "custom_attributes", position, "key"),
                            f"custom attribute '{attribute.key}' is given twice",
                        )
                    seen.add(attribute.key)
            if user.timezone is not None:
                zones = _timezones()
                if zones and user.timezone not in zones:
                    hint = suggest(user.timezone, sorted(zones))
                    self.report(
                        self.where("users", index, "timezone"),
                        f"unknown time zone '{user.timezone}'{hint}",
                    )

    def check_protected(self) -> None:
        protected = {email.lower() for email in self.config.policy.protected_users}
        if not protected:
            return
        inactive = UserStatus.INACTIVE  # looked up once: an enum member lookup is not free
        for index, user in enumerate(self.config.users):
            if user.status is inactive and user.key in protected:
                self.report(
                    self.where("users", index, "status"),
                    f"user '{user.email}' is protected (policy.protected_users) and cannot be deactivated",
                )

    # -- settings ---------------------------------------------------------------------------

    def check_settings(self) -> None:
        """Each distinct pair of blocks is checked once: groups often share one settings template."""
        checked: dict[str, list[tuple[ConfigPath, bool, str]]] = {}
        for index, group in enumerate(self.config.groups):
            if group.settings is None and group.lock_settings is None:
                continue
            blocks = json.dumps([group.settings, group.lock_settings])  # keeps key order
            problems = checked.get(blocks)
            if problems is None:
                problems = checked[blocks] = settings_problems(group.settings, group.lock_settings)
            for path, at_key, message in problems:
                self.report(self.where("groups", index, *path, key=at_key), message)
        for index, user in enumerate(self.config.users):
            for path, at_key, message in user_settings_problems(user.features, user.settings):
                self.report(self.where("users", index, *path, key=at_key), message)


def settings_problems(settings: Any, lock_settings: Any) -> list[tuple[ConfigPath, bool, str]]:
    """Problems in a group's settings blocks: (path inside the group, points at a key, message).

    Shared with the loader, which checks the settings of groups that failed validation
    for other reasons, so that every mistake is still reported in one run.
    """
    problems: list[tuple[ConfigPath, bool, str]] = []
    blocks = (
        ("settings", settings, SettingsDocument.SETTINGS),
        ("lock_settings", lock_settings, SettingsDocument.LOCK_SETTINGS),
    )
    for attribute, value, document in blocks:
        if not isinstance(value, dict):
            continue
        for problem in check_settings(document, value):
            at_key = problem.message.startswith("unknown")
            problems.append(((attribute, *problem.path), at_key, f"{attribute}: {problem.message}"))
    return problems


def user_settings_problems(features: Any, settings: Any) -> list[tuple[ConfigPath, bool, str]]:
    """Problems in a user's `features` (the licence table) and `settings` (Zoom's schema)."""
    problems: list[tuple[ConfigPath, bool, str]] = []
    if features is not None:
        problems += [
            (("features", *path), at_key, message)
            for path, at_key, message in feature_problems(features)
        ]
    if isinstance(settings, dict):
        for problem in check_settings(SettingsDocument.USER_SETTINGS, settings):
            at_key = problem.message.startswith("unknown")
            problems.append((("settings", *problem.path), at_key, f"settings: {problem.message}"))
    return problems


@cache
def _timezones() -> frozenset[str]:
    import zoneinfo

    try:
        return frozenset(zoneinfo.available_timezones())
    except Exception:  # no time zone database on this machine: skip the check
        return frozenset()
