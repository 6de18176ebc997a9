"""Filling the sandbox: from the configuration format itself, from a state dump, or generated.

A YAML seed describes an existing account in the configuration format (version 1), read here
with its own small reader so the sandbox stays independent of the tool it tests. A seed may
also say what the configuration cannot: `id:` on any object keeps that id, a user may carry
`status: pending` (an invitation not yet accepted) and `role: owner|admin|member`, and a
top-level `account: {lock_settings: {...}, managed_domains: [...], seats: {webinar: 100}}`
holds the account's own locks, its managed domains and how many licences of each kind it bought
(seed-only: the configuration manages none of them). A user's `features` and `settings` are set
as PATCH /users/{userId}/settings would set them. A seed that names no owner with
`role: owner` may still name it in the configuration's own words: the first of its
`policy.protected_users` that it declares as an active user.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeGuard

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from reconciler.sandbox.assistants import add_assistants
from reconciler.sandbox.entities import (
    ContactMemberType,
    ContactPrivacy,
    CreateAction,
    Role,
    User,
    UserStatus,
    UserType,
)
from reconciler.sandbox.errors import SandboxError, SeedError
from reconciler.sandbox.features import feature_from_config
from reconciler.sandbox.settings import Document, split_by_option
from reconciler.sandbox.spec import OperationKey, field_errors, request_validator
from reconciler.sandbox.state import is_state, load_state, set_main_division
from reconciler.sandbox.store import MAIN_DIVISION_NAME, Store
from reconciler.sandbox.user_settings import USER_SETTINGS, patch_user_settings

USER_TYPES = {"basic": 1, "licensed": 2, "no_meetings_license": 4}
SECTIONS = {"version", "policy", "account", "divisions", "groups", "users", "contact_groups"}
ACCOUNT_KEYS = {"lock_settings", "managed_domains", "seats"}
PRIVACY = {"visible_to_anyone": 1, "members_only_searchable_by_anyone": 2, "members_only": 3}


def load_seed_file(store: Store, path: Path) -> None:
    """A `.json` state dump, or a YAML file (or directory of them) in the configuration format."""
    if path.is_dir():
        files = sorted([*path.rglob("*.yaml"), *path.rglob("*.yml")])
        with _as_seed_error():
            load_config(store, _merge([_read_yaml(p) for p in files]))
        return
    text = path.read_text(encoding="utf-8")
    load_seed_text(store, text, json_hint=path.suffix == ".json")


def load_seed_text(store: Store, text: str, *, json_hint: bool = False) -> None:
    with _as_seed_error():
        data = json.loads(text) if json_hint else YAML(typ="safe").load(text)
        if is_state(data):
            load_state(store, data)
        elif isinstance(data, dict):
            load_config(store, data)
        else:
            raise SeedError("a seed is a mapping: a configuration (version 1) or a state dump")


@contextmanager
def _as_seed_error() -> Iterator[None]:
    """Whatever breaks while loading a seed is reported as one SeedError naming the problem."""
    try:
        yield
    except SeedError:
        raise
    except SandboxError as refused:
        raise SeedError(refused.message) from None
    except KeyError as missing:
        raise SeedError(f"missing key {missing}") from None
    except (ValueError, TypeError, YAMLError) as invalid:
        raise SeedError(str(invalid)) from None


def _read_yaml(path: Path) -> dict[str, Any]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise SeedError(f"{path}: not a mapping")
    return data


def _merge(documents: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for document in documents:
        for key, value in document.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                merged[key] = value
    return merged


def _enum_value(value: Any, names: Mapping[str, int], what: str) -> int:
    if isinstance(value, int):
        return value
    if str(value) in names:
        return names[str(value)]
    raise SeedError(f"unknown {what}: {value!r}")


def _check_settings(document: Document, body: Any, where: str) -> dict[str, Any]:
    """A settings body as Zoom's PATCH would accept it, or a SeedError naming the bad keys."""
    validator = request_validator(
        OperationKey("users-api", "patch", document.template), document.option
    )
    assert validator is not None
    problems = field_errors(validator, body)
    if problems:
        option = f" (option {document.option})" if document.option else ""
        raise SeedError(
            f"{where}{option}: unknown or invalid settings: {', '.join(p.field for p in problems)}"
        )
    return dict(body)


def load_config(store: Store, config: Mapping[str, Any]) -> None:
    """Build the account a configuration (version 1) describes."""
    with _as_seed_error():
        _check_shape(config)
        _load_config(store, config)


# The lists of names each kind of object may carry; a contact group's `members` is a mapping
# of two such lists.
_NAME_LISTS = {
    "divisions": ("members",),
    "groups": ("members", "admins"),
    "users": ("groups",),
    "contact_groups": (),
}
_CONTACT_MEMBER_LISTS = ("users", "groups")


def _is_name_list(value: Any) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_shape(config: Mapping[str, Any]) -> None:
    """Every object where the format puts one, so a malformed seed is named, not a traceback."""
    problems: list[str] = []
    for section, name_lists in _NAME_LISTS.items():
        items = config.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(f"{section}: must be a list")
            continue
        identity = "email" if section == "users" else "name"
        for index, item in enumerate(items):
            where = f"{section}[{index}]"
            if not isinstance(item, dict):
                problems.append(f"{where}: must be a mapping")
                continue
            if not isinstance(item.get(identity), str):
                problems.append(f"{where}: `{identity}` is required")
                continue
            where = f"{where} ({item[identity]})"
            for key in name_lists:
                if item.get(key) is not None and not _is_name_list(item[key]):
                    problems.append(f"{where} {key}: must be a list of names")
            members = item.get("members") if section == "contact_groups" else None
            if members is not None and not (
                isinstance(members, dict)
                and set(members) <= set(_CONTACT_MEMBER_LISTS)
                and all(_is_name_list(v) for v in members.values() if v is not None)
            ):
                problems.append(f"{where} members: must be a mapping of `users` and `groups` lists")
    if problems:
        raise SeedError("; ".join(problems))


def _load_config(store: Store, config: Mapping[str, Any]) -> None:
    unknown = set(config) - SECTIONS
    if unknown:
        raise SeedError(f"unknown top-level keys: {', '.join(sorted(map(str, unknown)))}")
    _load_account(store, config.get("account") or {})
    division_ids: dict[str, str] = {MAIN_DIVISION_NAME.lower(): store.main_division.id}
    for item in config.get("divisions") or []:
        if item.get("main"):
            set_main_division(
                store,
                item.get("id", store.main_division.id),
                item["name"],
                item.get("description", ""),
            )
            division_ids[item["name"].lower()] = store.main_division.id
            continue
        division = store.create_division(item["name"], item.get("description", ""))
        if "id" in item:
            _rekey(store.divisions, division, item["id"])
        division_ids[item["name"].lower()] = division.id

    group_ids: dict[str, str] = {}
    for item in config.get("groups") or []:
        group = store.create_group(item["name"])
        if "id" in item:
            _rekey(store.groups, group, item["id"])
        group_ids[item["name"].lower()] = group.id
        for kind in ("settings", "lock_settings"):
            if not item.get(kind):
                continue
            if not isinstance(item[kind], dict):
                raise SeedError(f"group {item['name']!r} {kind}: not a mapping")
            for document, body in split_by_option(kind, item[kind]).items():
                where = f"group {item['name']!r} {kind}"
                store.patch_settings(group, document, _check_settings(document, body, where))

    def group_id(name: str, where: str) -> str:
        try:
            return group_ids[name.lower()]
        except KeyError:
            raise SeedError(f"{where}: unknown group {name!r}") from None

    def user(email: str, where: str) -> User:
        try:
            return store.user(email)
        except SandboxError:
            raise SeedError(f"{where}: unknown user {email!r}") from None

    named_owner = _protected_owner(config)
    for item in config.get("users") or []:
        email = item["email"]
        role = item.get("role", "owner" if email.lower() == named_owner else "member")
        action = CreateAction(item.get("create_action", "create"))
        user_type = UserType(_enum_value(item.get("type", 1), USER_TYPES, "user type"))
        division_name = str(item.get("division", MAIN_DIVISION_NAME)).lower()
        if division_name not in division_ids:
            raise SeedError(f"user {email}: unknown division {item.get('division')!r}")
        first, last = str(item.get("first_name", "")), str(item.get("last_name", ""))
        store.add_user_record(
            User(
                id=str(item.get("id") or store.new_id()),
                email=email,
                first_name=first,
                last_name=last,
                display_name=str(item.get("display_name") or f"{first} {last}".strip()),
                type=user_type,
                status=UserStatus(item.get("status", "active")),
                created_at=store.clock(),
                pmi=store.new_pmi(),
                role=Role[str(role).upper()],
                create_action=action,
                dept=str(item.get("dept", "")),
                job_title=str(item.get("job_title", "")),
                timezone=str(item.get("timezone", "")),
                group_ids=[group_id(g, f"user {email}") for g in item.get("groups") or []],
                division_id=division_ids[division_name],
            )
        )
        _load_user_settings(store, store.user(email), item)

    for item in config.get("divisions") or []:
        division = store.division(division_ids[item["name"].lower()])
        where = f"division {item['name']!r} members"
        store.assign_division(division, [user(e, where) for e in item.get("members") or []])

    for item in config.get("groups") or []:
        group = store.group(group_ids[item["name"].lower()])
        where = f"group {item['name']!r}"
        store.add_members(group, [user(e, where + " members") for e in item.get("members") or []])
        store.add_admins(group, [user(e, where + " admins") for e in item.get("admins") or []])

    for item in config.get("users") or []:
        if not item.get("assistants"):
            continue
        owner = user(item["email"], f"user {item['email']}")
        where = f"user {item['email']} assistants"
        try:
            add_assistants(store, owner, [{"email": e} for e in item.get("assistants") or []])
        except SandboxError as refused:
            raise SeedError(f"{where}: {refused.message}") from None

    for item in config.get("contact_groups") or []:
        members = item.get("members") or {}
        where = f"contact group {item['name']!r}"
        chosen = [(ContactMemberType.USER, user(e, where).id) for e in members.get("users") or []]
        chosen += [
            (ContactMemberType.GROUP, group_id(g, where)) for g in members.get("groups") or []
        ]
        privacy = _enum_value(item.get("privacy", 1), PRIVACY, "contact group privacy")
        contact = store.create_contact_group(
            item["name"], privacy, str(item.get("description", "")), []
        )
        contact.members = dict.fromkeys(chosen)
        contact.privacy = ContactPrivacy(privacy)
        if "id" in item:
            _rekey(store.contact_groups, contact, item["id"])


def _protected_owner(config: Mapping[str, Any]) -> str | None:
    """The owner a configuration seed names by protecting it, as a configuration that cannot
    say `role: owner` does; None when a user says `role: owner` or no protected user fits."""
    users = [u for u in config.get("users") or [] if isinstance(u, dict)]
    if any(str(u.get("role", "")).lower() == Role.OWNER.name.lower() for u in users):
        return None
    policy = config.get("policy")
    protected = policy.get("protected_users") if isinstance(policy, dict) else None
    if not _is_name_list(protected):
        return None
    candidates = {
        str(u["email"]).lower()
        for u in users
        if "role" not in u and u.get("status", UserStatus.ACTIVE.value) == UserStatus.ACTIVE.value
    }
    return next((e.lower() for e in protected if e.lower() in candidates), None)


def _load_account(store: Store, account: Any) -> None:
    """The account's lock settings, in the shape of a group's `lock_settings`."""
    if not isinstance(account, dict) or set(account) - ACCOUNT_KEYS:
        raise SeedError(
            "account: a mapping with only `lock_settings`, `managed_domains` and `seats`"
        )
    domains = account.get("managed_domains") or []
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise SeedError("account managed_domains: a list of domains")
    store.managed_domains = [domain.lower() for domain in domains]
    seats = account.get("seats") or {}
    if not isinstance(seats, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in seats.values()
    ):
        raise SeedError("account seats: a mapping of licence names to numbers of seats")
    store.seats.update({str(name): count for name, count in seats.items()})
    locks = account.get("lock_settings") or {}
    if not isinstance(locks, dict):
        raise SeedError("account lock_settings: not a mapping")
    for document, body in split_by_option("lock_settings", locks).items():
        store.patch_account_settings(
            document, _check_settings(document, body, "account lock_settings")
        )


def _load_user_settings(store: Store, user: User, item: Mapping[str, Any]) -> None:
    """A user's `features` and `settings`, as PATCH /users/{userId}/settings would set them."""
    where = f"user {user.email}"
    feature: dict[str, Any] = {}
    for name, value in (item.get("features") or {}).items():
        try:
            feature.update(feature_from_config(str(name), value))
        except (ValueError, SandboxError) as wrong:
            raise SeedError(f"{where}: {wrong}") from None
    settings = item.get("settings") or {}
    if not isinstance(settings, dict):
        raise SeedError(f"{where} settings: not a mapping")
    for document, body in split_by_option("settings", settings).items():
        checked = _check_user_settings(document, body, f"{where} settings")
        patch_user_settings(store, user, document.option, checked)
    if feature:
        patch_user_settings(store, user, None, {"feature": feature})


def _check_user_settings(document: Document, body: Any, where: str) -> dict[str, Any]:
    validator = request_validator(
        OperationKey("users-api", "patch", USER_SETTINGS), document.option
    )
    assert validator is not None
    problems = field_errors(validator, body)
    if problems:
        raise SeedError(
            f"{where}: unknown or invalid settings: {', '.join(p.field for p in problems)}"
        )
    return dict(body)


def _rekey(table: dict[str, Any], obj: Any, new_id: str) -> None:
    """Keep a seed's `id:` (objects are created empty, so nothing refers to the old id yet)."""
    if new_id in table:
        raise SeedError(f"duplicate id {new_id!r}")
    del table[obj.id]
    obj.id = str(new_id)
    table[obj.id] = obj


def generate_account(
    store: Store,
    *,
    users: int,
    groups: int = 20,
    divisions: int = 5,
    contact_groups: int = 5,
    seed: int = 0,
    domain: str = "example.com",
) -> None:
    """A large, plausible account for benchmarks: an owner, mostly active users, some inactive
    and pending ones, each in zero to two groups and one division."""
    rng = random.Random(seed)
    division_ids = [store.main_division.id] + [
        store.create_division(f"Division {i:03d}", f"Generated division {i}").id
        for i in range(divisions)
    ]
    group_ids = [store.create_group(f"Group {i:04d}").id for i in range(groups)]
    now = store.clock()
    for i in range(users):
        roll = rng.random()
        status = (
            UserStatus.INACTIVE
            if roll < 0.05
            else UserStatus.PENDING
            if roll < 0.07
            else UserStatus.ACTIVE
        )
        first, last = f"First{i}", f"Last{i}"
        store.add_user_record(
            User(
                id=store.new_id(),
                email=f"user{i:06d}@{domain}",
                first_name=first,
                last_name=last,
                display_name=f"{first} {last}",
                type=UserType.LICENSED if rng.random() < 0.6 else UserType.BASIC,
                status=status,
                created_at=now,
                pmi=store.new_pmi(),
                role=Role.OWNER if i == 0 else Role.MEMBER,
                dept=f"Dept {i % 50}",
                group_ids=rng.sample(group_ids, k=min(len(group_ids), rng.choice((0, 1, 1, 2)))),
                division_id=rng.choice(division_ids),
            )
        )
    user_ids = list(store.users)
    for i in range(contact_groups):
        members = [{"type": 1, "id": uid} for uid in rng.sample(user_ids, k=min(len(user_ids), 10))]
        store.create_contact_group(f"Contacts {i:03d}", 1 + i % 3, "", members)
