"""The live account as configuration sections: what to write, and what to say instead.

Pure: a `LiveState` in, plain data with comments out. Everything here serves one promise:
`plan` on the result finds no changes. Where the format cannot say what Zoom holds (a pending
invitation's status, the protected owner, a member nobody can name), that part is left
unmanaged and a comment says what was there, rather than writing something the next plan
would "fix".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from reconciler.export.settings import non_default
from reconciler.live.reads import ReadKind
from reconciler.model.enums import (
    ContactGroupPrivacy,
    PhoneLabel,
    PronounsOption,
    UserType,
    readable_name,
)
from reconciler.model.features import FEATURES
from reconciler.model.identity_provider import IdentityProvider
from reconciler.model.live import (
    ContactMemberType,
    LiveContactGroup,
    LiveDivision,
    LiveGroup,
    LiveState,
    LiveUser,
)
from reconciler.schema import SettingsDocument

_USER_TYPES = {int(member): readable_name(member) for member in UserType}
_PRIVACY = {int(member): readable_name(member) for member in ContactGroupPrivacy}
_PRONOUNS_OPTIONS = {int(member): readable_name(member) for member in PronounsOption}
# Profile fields written as they are. From `job_title` to `vanity_name` only a user's own record
# (`GET /users/{id}`) holds them; the listing has the rest.
_PROFILE_ORDER = (
    "first_name",
    "last_name",
    "display_name",
    "dept",
    "job_title",
    "company",
    "location",
    "manager",
    "cost_center",
    "pronouns",
    "vanity_name",
    "timezone",
)


@dataclass(frozen=True)
class _ItemList:
    """A profile list written item by item with the keys the configuration has; Zoom's own
    (`verified`, for one) stay out, and the differ compares only the keys written."""

    what: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    choices: Mapping[str, frozenset[str]] = field(default_factory=dict)


_ITEM_LISTS = {
    "phone_numbers": _ItemList(
        "phone number",
        ("country", "code", "number"),
        ("label",),
        {"label": frozenset(label.value for label in PhoneLabel)},
    ),
    "custom_attributes": _ItemList("custom attribute", ("key", "value"), ("name",)),
}


@dataclass
class Entry:
    """One list item of a section, with comment lines to print above it."""

    data: dict[str, Any]
    comments: list[str] = field(default_factory=list)


@dataclass
class Section:
    """One file: a top-level key holding a list of entries (or the policy mapping)."""

    file_name: str
    key: str
    title: str
    entries: list[Entry] = field(default_factory=list)
    mapping: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)
    """Comment lines after the data: what is in Zoom but not written above."""
    unmanaged: bool = False
    """The key is left out and only the notes say why (Zoom would not let it be read)."""


@dataclass
class _Names:
    """How the export refers to live objects: emails of written users, names of groups."""

    users_by_id: dict[str, str]
    written_users: set[str]
    protected: set[str]
    groups: dict[str, str]
    divisions: dict[str, str]
    provider: IdentityProvider | None = None
    """The identity provider's boundary: its users' owned fields and its groups' members are left out."""

    def provisioned(self, user: LiveUser) -> bool:
        """Whether the identity provider provisions this user."""
        return self.provider is not None and self.provider.owns_user(user.key)

    def owned(self, user: LiveUser) -> frozenset[str]:
        """The fields of this user that are the identity provider's."""
        if self.provider is None or not self.provisioned(user):
            return frozenset()
        return self.provider.owned_fields


def export_sections(
    state: LiveState,
    refused: Mapping[ReadKind, str] | None = None,
    identity_provider: IdentityProvider | None = None,
) -> list[Section]:
    """Every file of the export, in the order they are written.

    `refused` holds Zoom's answer for the listings the account's plan does not have (groups
    and contact groups on a free account): their files then say so instead of declaring any.
    """
    refused = refused or {}
    owners = sorted(u.key for u in state.users if u.is_owner)
    written = {u.key for u in state.users if _writable(u)}
    main = state.main_division
    names = _Names(
        users_by_id={u.id: u.key for u in state.users if u.id is not None},
        written_users=written,
        protected=set(owners),
        groups={g.id: g.name for g in _unique(state.groups, "group")[0]},
        divisions={
            d.id: d.name for d in _unique((d for d in state.divisions if d is not main), "")[0]
        },
        provider=identity_provider,
    )
    groups = _groups(state.groups, names)
    if ReadKind.GROUPS in refused:
        groups = _refused(groups, "Groups", refused[ReadKind.GROUPS])
    sections = [_policy(owners)]
    if identity_provider is not None:
        sections.append(_identity_provider(identity_provider))
    sections += [_divisions(state.divisions, main), groups]
    sections.append(_users(state.users, names, main))
    if state.contact_groups is not None:
        sections.append(_contact_groups(state.contact_groups, names))
    elif ReadKind.CONTACT_GROUPS in refused:
        empty = Section("contact-groups.yaml", "contact_groups", "Contact groups.")
        sections.append(_refused(empty, "Contact groups", refused[ReadKind.CONTACT_GROUPS]))
    return sections


def _refused(section: Section, what: str, reason: str) -> Section:
    """The file of a kind Zoom would not list: no key, and a note saying why."""
    section.unmanaged = True
    section.entries = []
    section.notes = [
        f"{what} were not exported: Zoom answered {reason!r} (HTTP 400, code 200), so this"
        " account's plan has none. Nothing here manages them."
    ]
    return section


def _writable(user: LiveUser) -> bool:
    return not user.is_owner


_Named = TypeVar("_Named", LiveGroup, LiveDivision, LiveContactGroup)


def _unique(items: Iterable[_Named], what: str) -> tuple[list[_Named], list[str]]:
    """Objects sorted by name; a repeated name keeps its first holder, the rest become notes."""
    kept: dict[str, _Named] = {}
    notes = []
    for item in sorted(items, key=lambda i: (i.name, i.id)):
        if item.name in kept:
            notes.append(
                f"another {what} named {item.name!r} (id {item.id}) is not written:"
                " names identify objects in the configuration"
            )
            continue
        kept[item.name] = item
    return list(kept.values()), notes


# policy ------------------------------------------------------------------------------------


def _policy(owners: list[str]) -> Section:
    policy: dict[str, Any] = {}
    if owners:
        policy["protected_users"] = owners
    section = Section("policy.yaml", "policy", "What may be changed, and how much at once.")
    section.mapping = policy
    section.notes = [
        "prune is not written: its defaults leave undeclared users, groups, divisions and",
        "contact groups alone, and keep each declared group's members exactly as declared.",
    ]
    if owners:
        section.notes.append(
            "The account owner is protected: never changed, deactivated or deleted."
        )
    return section


def _identity_provider(provider: IdentityProvider) -> Section:
    section = Section(
        "identity-provider.yaml",
        "identity_provider",
        "What the identity provider provisions through SCIM2; none of it is written below.",
    )
    section.mapping = provider.model_dump(mode="json", exclude_unset=True)
    return section


# divisions ---------------------------------------------------------------------------------


def _divisions(divisions: Iterable[LiveDivision], main: LiveDivision | None) -> Section:
    section = Section("divisions.yaml", "divisions", "Divisions; every user belongs to one.")
    kept, notes = _unique((d for d in divisions if d is not main), "division")
    for division in kept:
        data: dict[str, Any] = {"name": division.name}
        if division.description:
            data["description"] = division.description
        section.entries.append(Entry(data))
    if main is not None:
        section.notes.append(
            f"{main.name!r} is the main division: Zoom keeps it and places every user not"
            " assigned elsewhere in it, so it is not written, nor is it named by those users."
        )
    section.notes += notes
    return section


# groups ------------------------------------------------------------------------------------


def _groups(groups: Iterable[LiveGroup], names: _Names) -> Section:
    section = Section(
        "groups.yaml",
        "groups",
        "User groups. Members are written on each user (users.yaml), first group primary.",
    )
    kept, notes = _unique(groups, "group")
    for group in kept:
        section.entries.append(_group(group, names))
    section.notes += notes
    return section


def _group(group: LiveGroup, names: _Names) -> Entry:
    entry = Entry({"name": group.name})
    if group.admins:
        admins = sorted(group.admins - names.protected)
        unknown = [a for a in admins if a not in names.written_users]
        if unknown:
            entry.comments.append(
                f"admins not managed: {', '.join(unknown)} is not a user of this account's"
                " listings; current admins: " + ", ".join(sorted(group.admins))
            )
        elif admins:
            entry.data["admins"] = admins
    for document, live in (
        (SettingsDocument.SETTINGS, group.settings),
        (SettingsDocument.LOCK_SETTINGS, group.lock_settings),
    ):
        if not live:
            continue
        written = non_default(document, live)
        if written.values:
            entry.data[document.value] = written.values
        for path, value, why in written.refused:
            entry.comments.append(
                f"{document.value}.{'.'.join(path)} = {value!r} is not written: {why}"
            )
    return entry


# users -------------------------------------------------------------------------------------


def _users(users: Iterable[LiveUser], names: _Names, main: LiveDivision | None) -> Section:
    section = Section(
        "users.yaml", "users", "Users, by email. Pending invitations carry a comment and no status."
    )
    for user in sorted(users, key=lambda u: u.key):
        if user.is_owner:
            section.notes.append(
                f"{user.key} is the account owner: protected (policy.yaml), so not written here."
            )
        else:
            section.entries.append(_user(user, names, main))
    return section


def _user(user: LiveUser, names: _Names, main: LiveDivision | None) -> Entry:
    entry = Entry({"email": user.key})
    owned = names.owned(user)
    profile = {k: v for k, v in user.profile.items() if k not in owned}
    if user.id is not None and not names.provisioned(user):
        # Pinned, so that a later email change is a rename, not a new user. Not for the
        # identity provider's users: their email is the identity provider's to change.
        entry.data["id"] = user.id
    derived = f"{profile.get('first_name', '')} {profile.get('last_name', '')}".strip()
    for name in _PROFILE_ORDER:
        value = profile.get(name)
        if not isinstance(value, str) or not value:
            continue
        if name == "display_name" and value == derived:
            continue
        entry.data[name] = value
        option = profile.get("pronouns_option")
        if name == "pronouns" and isinstance(option, int) and option in _PRONOUNS_OPTIONS:
            # Without pronouns the option is Zoom's default, not anyone's choice.
            entry.data["pronouns_option"] = _PRONOUNS_OPTIONS[option]
    for name, kind in _ITEM_LISTS.items():
        held = profile.get(name)
        if not isinstance(held, list) or not held:
            continue
        items = _items(held, kind)
        if items is not None:
            entry.data[name] = items
        else:
            entry.comments.append(
                f"{name} not exported: Zoom holds {len(held)} {kind.what}"
                f"{'s' if len(held) > 1 else ''} the configuration cannot write, left unmanaged."
            )
    if "type" not in owned:
        if user.type in _USER_TYPES:
            entry.data["type"] = _USER_TYPES[user.type]
        else:
            entry.comments.append(f"type {user.type} is not one the configuration can set")
    if user.is_pending:
        entry.comments.append(
            "pending: invited, has not accepted yet. `status` is not written: a configuration"
            " says active or inactive, and Zoom changes neither until the invitation is accepted."
        )
    elif "status" not in owned:
        entry.data["status"] = user.status.value
    groups = [names.groups[g] for g in user.group_ids if g in names.groups]
    if names.provider is not None:
        groups = [name for name in groups if not names.provider.owns_group(name)]
    if groups:
        entry.data["groups"] = groups
    elsewhere = [d for d in user.division_ids if main is None or d != main.id]
    if elsewhere and elsewhere[0] in names.divisions:
        entry.data["division"] = names.divisions[elsewhere[0]]
    if user.assistants:  # none: left unmanaged, so a plan need not read every user's
        entry.data["assistants"] = sorted(user.assistants)
    _user_settings(user, entry)
    return entry


def _user_settings(user: LiveUser, entry: Entry) -> None:
    """The licences the user holds and their own settings that differ from Zoom's defaults."""
    held = {
        name: value
        for name, value in (user.features or {}).items()
        if name in FEATURES and value != FEATURES[name].off
    }
    features = {name: value for name, value in held.items() if FEATURES[name].accepts(value)}
    for name, value in held.items():
        if name not in features:
            entry.comments.append(
                f"features.{name} = {value!r} is not written: not a value the configuration"
                " can set, left unmanaged"
            )
    if features:
        entry.data["features"] = features
    if user.settings:
        written = non_default(SettingsDocument.USER_SETTINGS, user.settings)
        if written.values:
            entry.data["settings"] = written.values
        for path, value, why in written.refused:
            entry.comments.append(f"settings.{'.'.join(path)} = {value!r} is not written: {why}")


def _items(held: list[Any], kind: _ItemList) -> list[dict[str, str]] | None:
    """The items as the configuration writes them, or None if one cannot be written: a
    required key missing or not text, or a value the configuration does not accept."""
    written: list[dict[str, str]] = []
    for item in held:
        if not isinstance(item, Mapping):
            return None
        if not all(isinstance(item.get(key), str) for key in kind.required):
            return None
        values = {key: item[key] for key in kind.required}
        values |= {
            key: item[key] for key in kind.optional if isinstance(item.get(key), str) and item[key]
        }
        if any(
            key in values and values[key] not in allowed for key, allowed in kind.choices.items()
        ):
            return None
        written.append(values)
    return written


# contact groups ----------------------------------------------------------------------------


def _contact_groups(contacts: Iterable[LiveContactGroup], names: _Names) -> Section:
    section = Section("contact-groups.yaml", "contact_groups", "Contact groups and who is in them.")
    kept, notes = _unique(contacts, "contact group")
    for contact in kept:
        section.entries.append(_contact_group(contact, names))
    section.notes += notes
    return section


def _contact_group(contact: LiveContactGroup, names: _Names) -> Entry:
    entry = Entry({"name": contact.name})
    if contact.privacy in _PRIVACY:
        entry.data["privacy"] = _PRIVACY[contact.privacy]
    if contact.description:
        entry.data["description"] = contact.description
    if contact.members is None:
        return entry
    users: list[str] = []
    groups: list[str] = []
    unknown: list[str] = []
    for member in sorted(contact.members, key=lambda m: (m.type.value, m.id)):
        if member.type is ContactMemberType.GROUP:
            _sort_member(names.groups.get(member.id), member.id, groups, unknown)
            continue
        email = names.users_by_id.get(member.id)
        if email in names.protected:
            continue  # the owner: protected, and left alone by every plan
        _sort_member(email if email in names.written_users else None, member.id, users, unknown)
    if unknown:
        entry.comments.append(
            "members not managed: Zoom lists members that cannot be named here"
            f" ({', '.join(unknown)})"
        )
        return entry
    members: dict[str, Any] = {}
    if users:
        members["users"] = sorted(users)
    if groups:
        members["groups"] = sorted(groups)
    if members:
        entry.data["members"] = members
    return entry


def _sort_member(name: str | None, member_id: str, into: list[str], unknown: list[str]) -> None:
    if name is None:
        unknown.append(member_id)
    else:
        into.append(name)
