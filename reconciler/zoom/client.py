"""`ZoomClient`: typed calls for every endpoint the reconciler reads or writes.

The pacing, retries and paging are `ZoomCaller`'s; each method here says which operation it
is, builds Zoom's request body (checking Zoom's per-request limits first) and types the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from reconciler.catalog import ACCOUNT_ME, BatchLimit, Operation
from reconciler.zoom.caller import CallStats, PagingError, RetryPolicy, ZoomCaller
from reconciler.zoom.scim import ScimUser, parse_user
from reconciler.zoom.types import (
    AddedContactMembers,
    AddedIds,
    Assistant,
    ContactGroup,
    ContactGroupMember,
    ContactGroupPrivacy,
    ContactMemberRef,
    ContactMemberType,
    CreateAction,
    CreatedUser,
    DeleteAction,
    Division,
    DivisionUser,
    DivisionUserRef,
    FeaturesUpdated,
    Group,
    GroupAdmin,
    GroupMember,
    MemberAction,
    MemberRef,
    NewUserInfo,
    Settings,
    SettingsOption,
    StatusAction,
    User,
    UserStatus,
    UserUpdate,
)

__all__ = ["CallStats", "PagingError", "RetryPolicy", "ZoomClient"]


def _option(option: SettingsOption | None) -> dict[str, str] | None:
    """`?option=` selects which part of the settings a settings call reads or writes."""
    return {"option": option.value} if option else None


def _check_batch(items: Sequence[object], limit: int, what: str) -> None:
    if len(items) > limit:
        raise ValueError(f"Zoom accepts at most {limit} {what} per request, got {len(items)}")


class ZoomClient(ZoomCaller):
    """The async Zoom client; use as `async with ZoomClient(connection) as zoom:`."""

    # -- users ---------------------------------------------------------------------------

    async def list_users(self, status: UserStatus = UserStatus.ACTIVE) -> list[User]:
        """Every user with this status (Zoom lists one status per call)."""
        return cast(list[User], await self._all(Operation.LIST_USERS, params={"status": status}))

    async def get_user(self, user_id: str) -> User:
        """One user by id or email."""
        return cast(User, await self.call(Operation.GET_USER, {"user_id": user_id}))

    async def create_user(self, action: CreateAction, user_info: NewUserInfo) -> CreatedUser:
        body = {"action": action.value, "user_info": dict(user_info)}
        return cast(CreatedUser, await self.call(Operation.CREATE_USER, json=body))

    async def update_user(self, user_id: str, changes: UserUpdate) -> None:
        await self.call(Operation.UPDATE_USER, {"user_id": user_id}, json=dict(changes))

    async def delete_user(
        self, user_id: str, action: DeleteAction = DeleteAction.DISASSOCIATE
    ) -> None:
        """Remove a user; `disassociate` (the default) is also how a pending invite goes."""
        await self.call(
            Operation.DELETE_USER, {"user_id": user_id}, params={"action": action.value}
        )

    async def set_user_status(self, user_id: str, action: StatusAction) -> None:
        await self.call(
            Operation.SET_USER_STATUS, {"user_id": user_id}, json={"action": action.value}
        )

    async def update_user_email(self, user_id: str, email: str) -> None:
        """Change the user's email in place (managed domains only; 3 times a day at most)."""
        await self.call(Operation.UPDATE_USER_EMAIL, {"user_id": user_id}, json={"email": email})

    async def list_user_assistants(self, user_id: str) -> list[Assistant]:
        found = await self.call(Operation.LIST_USER_ASSISTANTS, {"user_id": user_id})
        return cast(list[Assistant], (found or {}).get("assistants") or [])

    async def add_user_assistants(self, user_id: str, assistants: Sequence[Assistant]) -> None:
        """Add up to 30 scheduling assistants in one request."""
        _check_batch(assistants, BatchLimit.USER_ASSISTANTS_ADD, "assistants")
        body = {"assistants": [dict(assistant) for assistant in assistants]}
        await self.call(Operation.ADD_USER_ASSISTANTS, {"user_id": user_id}, json=body)

    async def delete_user_assistants(self, user_id: str) -> None:
        """Remove every scheduling assistant of the user in one request."""
        await self.call(Operation.DELETE_USER_ASSISTANTS, {"user_id": user_id})

    async def delete_user_assistant(self, user_id: str, assistant_id: str) -> None:
        await self.call(
            Operation.DELETE_USER_ASSISTANT, {"user_id": user_id, "assistant_id": assistant_id}
        )

    # -- groups --------------------------------------------------------------------------

    async def list_groups(self) -> list[Group]:
        return cast(list[Group], await self._all(Operation.LIST_GROUPS))

    async def get_group(self, group_id: str) -> Group:
        return cast(Group, await self.call(Operation.GET_GROUP, {"group_id": group_id}))

    async def create_group(self, name: str) -> Group:
        return cast(Group, await self.call(Operation.CREATE_GROUP, json={"name": name}))

    async def update_group(self, group_id: str, *, name: str) -> None:
        await self.call(Operation.UPDATE_GROUP, {"group_id": group_id}, json={"name": name})

    async def delete_group(self, group_id: str) -> None:
        await self.call(Operation.DELETE_GROUP, {"group_id": group_id})

    async def list_group_members(self, group_id: str) -> list[GroupMember]:
        found = await self._all(Operation.LIST_GROUP_MEMBERS, {"group_id": group_id})
        return cast(list[GroupMember], found)

    async def add_group_members(self, group_id: str, members: Sequence[MemberRef]) -> AddedIds:
        """Add up to 30 members in one request."""
        _check_batch(members, BatchLimit.GROUP_MEMBERS_ADD, "group members")
        body = {"members": [dict(member) for member in members]}
        added = await self.call(Operation.ADD_GROUP_MEMBERS, {"group_id": group_id}, json=body)
        return cast(AddedIds, added or {})

    async def remove_group_member(self, group_id: str, member_id: str) -> None:
        await self.call(
            Operation.REMOVE_GROUP_MEMBER, {"group_id": group_id, "member_id": member_id}
        )

    async def update_group_member(
        self,
        group_id: str,
        member_id: str,
        action: MemberAction,
        *,
        target_group_id: str | None = None,
    ) -> None:
        """`set_primary`, or `move` to `target_group_id`."""
        if action is MemberAction.MOVE and not target_group_id:
            raise ValueError("moving a group member needs target_group_id")
        body: dict[str, str] = {"action": action.value}
        if target_group_id:
            body["target_group_id"] = target_group_id
        await self.call(
            Operation.UPDATE_GROUP_MEMBER,
            {"group_id": group_id, "member_id": member_id},
            json=body,
        )

    async def list_group_admins(self, group_id: str) -> list[GroupAdmin]:
        found = await self._all(Operation.LIST_GROUP_ADMINS, {"group_id": group_id})
        return cast(list[GroupAdmin], found)

    async def add_group_admins(self, group_id: str, admins: Sequence[MemberRef]) -> AddedIds:
        """Add up to 10 admins in one request."""
        _check_batch(admins, BatchLimit.GROUP_ADMINS_ADD, "group admins")
        body = {"admins": [dict(admin) for admin in admins]}
        added = await self.call(Operation.ADD_GROUP_ADMINS, {"group_id": group_id}, json=body)
        return cast(AddedIds, added or {})

    async def remove_group_admin(self, group_id: str, user_id: str) -> None:
        await self.call(Operation.REMOVE_GROUP_ADMIN, {"group_id": group_id, "user_id": user_id})

    async def get_group_settings(
        self, group_id: str, option: SettingsOption | None = None
    ) -> Settings:
        found = await self.call(
            Operation.GET_GROUP_SETTINGS, {"group_id": group_id}, params=_option(option)
        )
        return cast(Settings, found or {})

    async def update_group_settings(
        self, group_id: str, settings: Settings, option: SettingsOption | None = None
    ) -> None:
        """Change only the keys given; `option` selects the authentication or security body."""
        await self.call(
            Operation.UPDATE_GROUP_SETTINGS,
            {"group_id": group_id},
            params=_option(option),
            json=settings,
        )

    async def get_group_lock_settings(
        self, group_id: str, option: SettingsOption | None = None
    ) -> Settings:
        found = await self.call(
            Operation.GET_GROUP_LOCK_SETTINGS, {"group_id": group_id}, params=_option(option)
        )
        return cast(Settings, found or {})

    async def update_group_lock_settings(
        self, group_id: str, settings: Settings, option: SettingsOption | None = None
    ) -> None:
        await self.call(
            Operation.UPDATE_GROUP_LOCK_SETTINGS,
            {"group_id": group_id},
            params=_option(option),
            json=settings,
        )

    async def get_account_lock_settings(self, account_id: str = ACCOUNT_ME) -> Settings:
        """The account's lock settings (Zoom's Accounts API): a lock here overrides groups'.

        Needs `account:read:lock_settings:admin` (or `account:read:admin`); Zoom refuses
        without it, and callers that can do without the answer should let it go.
        """
        found = await self.call(Operation.GET_ACCOUNT_LOCK_SETTINGS, {"account_id": account_id})
        return cast(Settings, found or {})

    # -- a user's own settings and licences ------------------------------------------------

    async def get_user_settings(
        self, user_id: str, option: SettingsOption | None = None
    ) -> Settings:
        """The user's settings; without `option` they hold the `feature` object (licences)."""
        found = await self.call(
            Operation.GET_USER_SETTINGS, {"user_id": user_id}, params=_option(option)
        )
        return cast(Settings, found or {})

    async def update_user_settings(
        self, user_id: str, settings: Settings, option: SettingsOption | None = None
    ) -> None:
        """Change only the keys given (`feature` sets licences); `option` as for groups."""
        await self.call(
            Operation.UPDATE_USER_SETTINGS,
            {"user_id": user_id},
            params=_option(option),
            json=settings,
        )

    async def update_users_features(
        self, feature_type: str, feature_value: str, users: Sequence[MemberRef]
    ) -> FeaturesUpdated:
        """One licence value for up to 30 users; Zoom answers 201 even for users it refused,
        naming them in `fail_details`. The endpoint takes one request every 10 seconds."""
        _check_batch(users, BatchLimit.USERS_FEATURES, "users")
        body = {
            "feature_type": feature_type,
            "feature_value": feature_value,
            "users": [dict(user) for user in users],
        }
        answer = await self.call(Operation.UPDATE_USERS_FEATURES, json=body)
        return cast(FeaturesUpdated, answer or {})

    # -- SCIM2 ---------------------------------------------------------------------------

    async def get_scim2_user(self, user_id: str) -> ScimUser:
        """SCIM2 Get User (scope `scim2`/`scim2:admin`): the one call that names the primary group."""
        return parse_user(await self.call(Operation.GET_SCIM2_USER, {"user_id": user_id}))

    # -- divisions -----------------------------------------------------------------------

    async def list_divisions(self) -> list[Division]:
        return cast(list[Division], await self._all(Operation.LIST_DIVISIONS))

    async def get_division(self, division_id: str) -> Division:
        found = await self.call(Operation.GET_DIVISION, {"division_id": division_id})
        return cast(Division, found)

    async def create_division(self, name: str, description: str | None = None) -> Division:
        body = {"division_name": name}
        if description is not None:
            body["division_description"] = description
        return cast(Division, await self.call(Operation.CREATE_DIVISION, json=body))

    async def update_division(
        self, division_id: str, *, name: str | None = None, description: str | None = None
    ) -> None:
        body: dict[str, str] = {}
        if name is not None:
            body["division_name"] = name
        if description is not None:
            body["division_description"] = description
        await self.call(Operation.UPDATE_DIVISION, {"division_id": division_id}, json=body)

    async def delete_division(self, division_id: str) -> None:
        """Zoom refuses while users remain (42012): move them to the main division first."""
        await self.call(Operation.DELETE_DIVISION, {"division_id": division_id})

    async def list_division_users(self, division_id: str) -> list[DivisionUser]:
        found = await self._all(Operation.LIST_DIVISION_USERS, {"division_id": division_id})
        return cast(list[DivisionUser], found)

    async def assign_division_users(
        self, division_id: str, users: Sequence[DivisionUserRef]
    ) -> AddedIds:
        """Move up to 30 users into a division (a user belongs to exactly one)."""
        _check_batch(users, BatchLimit.DIVISION_USERS_ASSIGN, "division users")
        body = {"users": [dict(user) for user in users]}
        added = await self.call(
            Operation.ASSIGN_DIVISION_USERS, {"division_id": division_id}, json=body
        )
        return cast(AddedIds, added or {})

    # -- contact groups ------------------------------------------------------------------

    async def list_contact_groups(self) -> list[ContactGroup]:
        return cast(list[ContactGroup], await self._all(Operation.LIST_CONTACT_GROUPS))

    async def get_contact_group(self, group_id: str) -> ContactGroup:
        found = await self.call(Operation.GET_CONTACT_GROUP, {"group_id": group_id})
        return cast(ContactGroup, found)

    async def create_contact_group(
        self,
        name: str,
        privacy: ContactGroupPrivacy,
        *,
        description: str | None = None,
        members: Sequence[ContactMemberRef] = (),
    ) -> ContactGroup:
        """Create with `group_name`/`group_privacy` (PATCH spells them `name`/`privacy`)."""
        _check_contact_members(members)
        body: dict[str, Any] = {"group_name": name, "group_privacy": int(privacy)}
        if description is not None:
            body["description"] = description
        if members:
            body["group_members"] = [_contact_member(m) for m in members]
        return cast(ContactGroup, await self.call(Operation.CREATE_CONTACT_GROUP, json=body))

    async def update_contact_group(
        self,
        group_id: str,
        *,
        name: str | None = None,
        privacy: ContactGroupPrivacy | None = None,
        description: str | None = None,
    ) -> None:
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if privacy is not None:
            body["privacy"] = int(privacy)
        if description is not None:
            body["description"] = description
        await self.call(Operation.UPDATE_CONTACT_GROUP, {"group_id": group_id}, json=body)

    async def delete_contact_group(self, group_id: str) -> None:
        await self.call(Operation.DELETE_CONTACT_GROUP, {"group_id": group_id})

    async def list_contact_group_members(self, group_id: str) -> list[ContactGroupMember]:
        found = await self._all(Operation.LIST_CONTACT_GROUP_MEMBERS, {"group_id": group_id})
        return cast(list[ContactGroupMember], found)

    async def add_contact_group_members(
        self, group_id: str, members: Sequence[ContactMemberRef]
    ) -> AddedContactMembers:
        """Add up to 50 users and 3 groups in one request."""
        _check_contact_members(members)
        body = {"group_members": [_contact_member(m) for m in members]}
        added = await self.call(
            Operation.ADD_CONTACT_GROUP_MEMBERS, {"group_id": group_id}, json=body
        )
        return cast(AddedContactMembers, added or {})

    async def remove_contact_group_members(self, group_id: str, member_ids: Sequence[str]) -> None:
        """Remove up to 20 members; Zoom refuses to remove a group's last member."""
        _check_batch(member_ids, BatchLimit.CONTACT_GROUP_MEMBERS_REMOVE, "member ids")
        await self.call(
            Operation.REMOVE_CONTACT_GROUP_MEMBERS,
            {"group_id": group_id},
            params={"member_ids": ",".join(member_ids)},
        )


def _contact_member(member: ContactMemberRef) -> dict[str, Any]:
    return {"id": member["id"], "type": int(member["type"])}


def _check_contact_members(members: Sequence[ContactMemberRef]) -> None:
    users = [m for m in members if m["type"] == ContactMemberType.USER]
    groups = [m for m in members if m["type"] == ContactMemberType.GROUP]
    _check_batch(users, BatchLimit.CONTACT_GROUP_USERS_ADD, "contact-group users")
    _check_batch(groups, BatchLimit.CONTACT_GROUP_GROUPS_ADD, "contact-group groups")
