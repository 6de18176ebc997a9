"""The in-memory Zoom account and Zoom's rules over it: no HTTP here, and the clock is injected.

Every rule that Zoom documents is enforced by raising `SandboxError` with Zoom's status, code and
message; the ambiguous ones are decided once and written down in docs/sandbox.md. Users are
indexed by id and by lower-case email, so 100,000 of them cost two dict lookups per request.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from reconciler.sandbox import errors
from reconciler.sandbox.contacts import ContactGroupRules
from reconciler.sandbox.entities import (
    EXTRA_PROFILE_FIELDS,
    ContactGroup,
    ContactMemberType,
    CreateAction,
    Division,
    Group,
    Role,
    User,
    UserStatus,
    UserType,
)
from reconciler.sandbox.errors import FieldError, SandboxError
from reconciler.sandbox.settings import (
    AUTHENTICATION_DOCUMENTS,
    Document,
    apply_authentication_patch,
    merge,
)

ID_ALPHABET = string.ascii_letters + string.digits + "-_"
MAX_GROUPS = 5000  # "a maximum of 5000 groups in one account" (S001:525)
MAX_DIVISIONS = 500  # error 42006 (S001:295,323)
MAX_GROUP_MEMBERS_PER_CALL = 30  # RS, S001:1324
MAX_DIVISION_USERS_PER_CALL = 30  # S001:444
MAIN_DIVISION_NAME = "Main Division"
ACCOUNT_TIMEZONE = "America/Los_Angeles"
"""The account's time zone, which Zoom gives a user it creates until an update sets another
(docs/sandbox.md: Zoom documents no default; an empty time zone would hide what an update of a
new user overwrites)."""
PROTECTED_ROLES = (Role.OWNER, Role.ADMIN)


class Store(ContactGroupRules):
    """One Zoom account: users, groups, divisions and contact groups, with their invariants.

    Invariants kept by every method: a user's `group_ids` and each group's `members` agree; every
    user is in exactly one division (the main division unless assigned elsewhere) and that
    division's `members` agree; deleting an object removes every reference to it.
    """

    def __init__(self, *, account_id: str, clock: Callable[[], float], seed: int = 0) -> None:
        self.account_id = account_id
        self.clock = clock
        self._rng = random.Random(seed)
        self.users: dict[str, User] = {}
        self._by_email: dict[str, User] = {}
        self._by_status: dict[UserStatus, dict[str, User]] = {status: {} for status in UserStatus}
        self.groups: dict[str, Group] = {}
        self.divisions: dict[str, Division] = {}
        self.contact_groups: dict[str, ContactGroup] = {}
        self.account_settings: dict[str, dict[str, Any]] = {}
        self.account_timezone = ACCOUNT_TIMEZONE
        """What a created user's `timezone` holds until an update sets it."""
        self.managed_domains: list[str] = []
        """The account's managed (associated) domains, lower case; see sandbox/email.py."""
        self.assistants: dict[str, dict[str, bool]] = {}
        """User id -> assistant id -> can_manage_host_private_event; see sandbox/assistants.py."""
        self.email_changes: dict[str, list[float]] = {}
        """User id -> when its email was changed through PUT /users/{userId}/email."""
        """The account's own lock settings overrides, per document, as groups keep theirs."""
        self.seats: dict[str, int] = {}
        """Licences the account bought, by `feature_type` (a seed's `account.seats`); a licence
        not listed has no limit."""
        self.main_division = self.add_division_record(
            Division(self.new_id(), MAIN_DIVISION_NAME, "", is_main=True)
        )

    # ---- ids -------------------------------------------------------------------------------

    def new_id(self) -> str:
        """A Zoom-looking 22-character id, reproducible from the store's seed."""
        return "".join(self._rng.choices(ID_ALPHABET, k=22))

    def new_pmi(self) -> int:
        return self._rng.randrange(1_000_000_000, 9_999_999_999)

    # ---- users -----------------------------------------------------------------------------

    def user(self, id_or_email: str) -> User:
        """Find a user by id or by email (case-insensitive), as every `{userId}` path allows."""
        found = self.users.get(id_or_email) or self._by_email.get(id_or_email.lower())
        if found is None:
            raise errors.user_not_found(id_or_email)
        return found

    def usable_user(self, id_or_email: str) -> User:
        """`user`, refusing a pending user whose invitation expired as Zoom does (code 1120)."""
        found = self.user(id_or_email)
        if found.invitation_expired:
            raise errors.invitation_not_found()
        return found

    def has_email(self, email: str) -> bool:
        return email.lower() in self._by_email

    def add_user_record(self, user: User) -> User:
        """Insert a fully formed user (creation, seeding) and index it everywhere."""
        if user.email.lower() in self._by_email:
            raise errors.email_in_use(user.email)
        if not user.division_id:
            user.division_id = self.main_division.id
        self.users[user.id] = user
        self._by_email[user.email.lower()] = user
        self._by_status[user.status][user.id] = user
        self.division(user.division_id).members[user.id] = None
        for group_id in user.group_ids:
            self.group(group_id).members[user.id] = None
        return user

    def change_email(self, user: User, email: str) -> None:
        if self.has_email(email):
            raise errors.email_in_use(email)
        del self._by_email[user.email.lower()]
        user.email = email
        self._by_email[email.lower()] = user

    def create_user(self, action: CreateAction, info: Mapping[str, Any]) -> User:
        email = str(info["email"])
        if self.has_email(email):
            raise errors.email_in_use(email)
        user_type = UserType(info["type"])
        if user_type is UserType.NONE and action is not CreateAction.SSO_CREATE:
            raise SandboxError(400, 300, "The user type 99 is only available with ssoCreate.")
        if action is CreateAction.AUTO_CREATE and not info.get("password"):
            raise SandboxError(400, 300, "Invalid parameter: password.")
        division_id = self._one_division(info.get("division_ids"))
        first, last = str(info.get("first_name", "")), str(info.get("last_name", ""))
        user = User(
            id=self.new_id(),
            email=email,
            first_name=first,
            last_name=last,
            display_name=str(info.get("display_name") or f"{first} {last}".strip()),
            type=user_type,
            status=UserStatus.PENDING if action is CreateAction.CREATE else UserStatus.ACTIVE,
            created_at=self.clock(),
            pmi=self.new_pmi(),
            create_action=action,
            timezone=self.account_timezone,
            division_id=division_id,
        )
        return self.add_user_record(user)

    def _one_division(self, division_ids: Any) -> str:
        if not division_ids:
            return ""
        if len(division_ids) > 1:
            raise errors.validation_failed(
                [FieldError("division_ids", "Only one division is supported.")]
            )
        return self.division(str(division_ids[0])).id

    def update_user(self, user: User, patch: Mapping[str, Any]) -> None:
        """PATCH /users/{id}: every field optional; omitted fields stay (merge semantics).

        The owner's licence cannot be lowered by an admin (S001:4132, code 1108)."""
        if user.role is Role.OWNER and "type" in patch:
            wanted = UserType(patch["type"])
            if wanted is not user.type and wanted is not UserType.LICENSED:
                raise SandboxError(
                    400,
                    1108,
                    "Permission requirements to change the user type of this user were not met.",
                )
        if "type" in patch and ("plan_united_type" in patch or "zoom_one_type" in patch):
            raise SandboxError(
                400,
                300,
                'You can\'t change the "type" or "plan_united_type" or "zoom_one_type" at the same time.',
            )
        if "group_id" in patch:
            if user.status is not UserStatus.PENDING:
                raise SandboxError(400, 300, "The group_id can only be set for a pending user.")
            self.add_members(self.group(str(patch["group_id"])), [user])
        if "division_ids" in patch:
            target = self._one_division(patch["division_ids"]) or self.main_division.id
            self._move_to_division(user, target)
        for name in ("first_name", "last_name", "dept", "job_title", "timezone", "language"):
            if name in patch:
                setattr(user, name, str(patch[name]))
        if "type" in patch:
            user.type = UserType(patch["type"])
        if "display_name" in patch:
            user.display_name = (
                str(patch["display_name"]) or f"{user.first_name} {user.last_name}".strip()
            )
        if "pmi" in patch:
            user.pmi = int(patch["pmi"])
        extra = {k: patch[k] for k in EXTRA_PROFILE_FIELDS if k in patch}
        if extra:
            user.extra = {**(user.extra or {}), **extra}

    def set_status(self, user: User, action: str) -> None:
        """PUT /users/{id}/status. Deactivating removes the user's licences (S001:6419)."""
        if action in ("clock_in", "clock_out"):
            return
        if user.role in PROTECTED_ROLES:
            raise SandboxError(
                400, 200, "Zoom Room and Admin users' status cannot be activated or deactivated."
            )
        if user.status is UserStatus.PENDING:
            raise SandboxError(400, 300, "The user has not accepted the invitation yet.")
        if action == "deactivate":
            self._set_user_status(user, UserStatus.INACTIVE)
            user.type = UserType.BASIC
        elif action == "activate":
            self._set_user_status(user, UserStatus.ACTIVE)

    def accept_invitation(self, user: User) -> None:
        """What the invited person does by clicking the confirmation link (control endpoint)."""
        if user.status is UserStatus.PENDING and not user.invitation_expired:
            self._set_user_status(user, UserStatus.ACTIVE)
            user.created_at = self.clock()

    def expire_invitation(self, user: User) -> None:
        """The invitation ran out before it was accepted (control endpoint)."""
        if user.status is UserStatus.PENDING:
            user.invitation_expired = True

    def delete_user(self, user: User, action: str) -> None:
        """DELETE /users/{id}: `disassociate` (the default) or `delete`; both leave the account.

        A pending user whose invitation expired can still be disassociated, which is how an
        account gets rid of it; `delete` answers 1120 as for any other use of its id.
        """
        if user.role in PROTECTED_ROLES:
            raise SandboxError(400, 1117, "You can not disassociate an Admin user.")
        if user.invitation_expired and action == "delete":
            raise errors.invitation_not_found()
        if user.status is UserStatus.PENDING and action == "delete":
            raise SandboxError(
                400, 300, "A pending user can only be removed with action=disassociate."
            )
        for group_id in user.group_ids:
            group = self.groups[group_id]
            group.members.pop(user.id, None)
        for group in self.groups.values():
            group.admins.pop(user.id, None)
        self.divisions[user.division_id].members.pop(user.id, None)
        for contact in self.contact_groups.values():
            contact.members.pop((ContactMemberType.USER, user.id), None)
        del self.users[user.id]
        del self._by_email[user.email.lower()]
        del self._by_status[user.status][user.id]

    def users_with_status(self, status: UserStatus) -> list[User]:
        return list(self._by_status[status].values())

    def _set_user_status(self, user: User, status: UserStatus) -> None:
        del self._by_status[user.status][user.id]
        user.status = status
        self._by_status[status][user.id] = user

    # ---- groups ----------------------------------------------------------------------------

    def group(self, group_id: str, wording: str = errors.GROUP_NOT_FOUND) -> Group:
        """A group by id; `wording` is the endpoint's own words for code 4130."""
        found = self.groups.get(group_id)
        if found is None:
            raise errors.group_not_found(group_id, wording)
        return found

    def check_group_name(self, name: str, *, ignore: Group | None = None) -> str:
        name = name.strip()
        if not name:
            raise SandboxError(400, 300, "Invalid parameter: name.")
        wanted = name.lower()
        if any(g.name.lower() == wanted and g is not ignore for g in self.groups.values()):
            raise errors.group_name_in_use(name)
        return name

    def create_group(self, name: str) -> Group:
        name = self.check_group_name(name)
        if len(self.groups) >= MAX_GROUPS:
            raise SandboxError(
                400,
                300,
                "It has reached the maximum number of groups. You can clean up some groups then add.",
            )
        group = Group(self.new_id(), name, self.clock())
        self.groups[group.id] = group
        return group

    def add_group_record(self, group: Group) -> Group:
        self.check_group_name(group.name)
        self.groups[group.id] = group
        return group

    def rename_group(self, group: Group, name: str) -> None:
        group.name = self.check_group_name(name, ignore=group)

    def delete_group(self, group: Group) -> None:
        for user_id in group.members:
            self.users[user_id].group_ids.remove(group.id)
        for contact in self.contact_groups.values():
            contact.members.pop((ContactMemberType.GROUP, group.id), None)
        del self.groups[group.id]

    def resolve_users(
        self, refs: Iterable[Mapping[str, Any]], id_key: str, email_key: str
    ) -> list[User]:
        """Members given as `{id}` or `{email}`; the id wins when both are present (RS)."""
        found: list[User] = []
        for ref in refs:
            key = ref.get(id_key) or ref.get(email_key)
            if not key:
                raise errors.validation_failed([FieldError(id_key)])
            found.append(self.user(str(key)))
        return found

    def add_members(self, group: Group, users: list[User]) -> list[str]:
        """Add users to a group; adding an existing member is accepted and changes nothing."""
        for user in users:
            if user.id not in group.members:
                group.members[user.id] = None
                user.group_ids.append(group.id)
        return [u.id for u in users]

    def _member(self, group: Group, member: str) -> User:
        try:
            user = self.user(member)
        except SandboxError:
            raise errors.group_member_not_found() from None
        if user.id not in group.members:
            raise errors.group_member_not_found()
        return user

    def remove_member(self, group: Group, member: str) -> None:
        user = self._member(group, member)
        del group.members[user.id]
        user.group_ids.remove(group.id)

    def move_member(self, group: Group, member: str, target_id: str | None) -> None:
        """`move`: the target group takes the source's place in the user's list (primary stays primary)."""
        if not target_id:
            raise SandboxError(400, 300, "The target_group_id can not be empty.")
        user = self._member(group, member)
        target = self.group(target_id)
        del group.members[user.id]
        position = user.group_ids.index(group.id)
        if target.id in user.group_ids:
            user.group_ids.pop(position)
        else:
            user.group_ids[position] = target.id
            target.members[user.id] = None

    def set_primary(self, group: Group, member: str, target_id: str | None) -> None:
        """`set_primary`: target_group_id names the new primary group (S001:1397), which the user must be in."""
        if not target_id:
            raise SandboxError(400, 300, "The target_group_id can not be empty.")
        user = self._member(group, member)
        target = self.group(target_id)
        if target.id not in user.group_ids:
            raise errors.group_member_not_found()
        user.group_ids.remove(target.id)
        user.group_ids.insert(0, target.id)

    def add_admins(self, group: Group, users: list[User]) -> list[str]:
        for user in users:
            group.admins[user.id] = None
        return [u.id for u in users]

    def remove_admin(self, group: Group, user_ref: str) -> None:
        try:
            user = self.user(user_ref)
        except SandboxError:
            raise errors.not_group_admin(group.id) from None
        if user.id not in group.admins:
            raise errors.not_group_admin(group.id)
        del group.admins[user.id]

    def patch_settings(self, group: Group, document: Document, body: dict[str, Any]) -> None:
        self._patch_overrides(group.settings, document, body)

    def patch_account_settings(self, document: Document, body: dict[str, Any]) -> None:
        self._patch_overrides(self.account_settings, document, body)

    @staticmethod
    def _patch_overrides(
        held: dict[str, dict[str, Any]], document: Document, body: dict[str, Any]
    ) -> None:
        overrides = held.setdefault(document.state_key, {})
        if document in AUTHENTICATION_DOCUMENTS:
            apply_authentication_patch(document, overrides, body)
        else:
            merge(overrides, body)

    # ---- divisions -------------------------------------------------------------------------

    def division(self, division_id: str, *, on_assign: bool = False) -> Division:
        found = self.divisions.get(division_id)
        if found is None:
            raise errors.division_not_found(on_assign=on_assign)
        return found

    def _check_division_name(self, name: str, *, ignore: Division | None = None) -> str:
        name = name.strip()
        if not name:
            raise SandboxError(400, 40005, "Invalid field.")
        wanted = name.lower()
        if any(d.name.lower() == wanted and d is not ignore for d in self.divisions.values()):
            raise errors.division_name_in_use()
        return name

    def add_division_record(self, division: Division) -> Division:
        if division.is_main and any(d.is_main for d in self.divisions.values()):
            raise ValueError("an account has one main division")
        self._check_division_name(division.name)
        self.divisions[division.id] = division
        return division

    def create_division(self, name: str, description: str = "") -> Division:
        name = self._check_division_name(name)
        if len(self.divisions) >= MAX_DIVISIONS:
            raise SandboxError(
                400,
                42006,
                "You've reached the maximum number of divisions reached. You can clean up some divisions then try again.",
            )
        return self.add_division_record(Division(self.new_id(), name, description))

    def update_division(
        self, division: Division, name: str | None, description: str | None
    ) -> None:
        if name is not None:
            division.name = self._check_division_name(name, ignore=division)
        if description is not None:
            division.description = description

    def delete_division(self, division: Division) -> None:
        if division.is_main:
            raise SandboxError(400, 42011, "Main division can't be deleted.")
        if division.members:
            raise SandboxError(
                400, 42012, "Please remove all users from this division before deleting."
            )
        del self.divisions[division.id]

    def assign_division(self, division: Division, users: list[User]) -> list[str]:
        """A user belongs to one division only: assigning moves the user (S001:368)."""
        for user in users:
            self._move_to_division(user, division.id)
        return [u.id for u in users]

    def _move_to_division(self, user: User, division_id: str) -> None:
        self.divisions[user.division_id].members.pop(user.id, None)
        user.division_id = division_id
        self.divisions[division_id].members[user.id] = None
