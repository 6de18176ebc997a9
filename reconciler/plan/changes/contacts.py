"""Changes to a contact group: the group itself and its members (users and user groups)."""

from __future__ import annotations

from reconciler.model.live import ContactMemberType, LiveObjectKind, LiveRef
from reconciler.plan.changes.base import (
    Action,
    Change,
    ChangeRef,
    FieldChange,
    Kind,
    NamedCreate,
    NamedDelete,
    NamedExisting,
    contact_ref,
    privacy_name,
    readable_field,
)


class ContactGroupCreate(NamedCreate):
    """POST /contacts/groups; Zoom wants at least one member, so the applier folds in the first adds."""

    kind = Kind.CONTACT_GROUP
    action = Action.CREATE
    name_kind = LiveObjectKind.CONTACT_GROUP_NAME

    privacy: int = 1
    description: str | None = None

    def fields(self) -> tuple[FieldChange, ...]:
        found = [
            FieldChange(field="name", new=self.name),
            FieldChange(field="privacy", new=privacy_name(self.privacy)),
        ]
        if self.description is not None:
            found.append(FieldChange(field="description", new=self.description))
        return tuple(found)


class ContactGroupUpdate(NamedExisting):
    """PATCH name, privacy (Zoom's code, shown by name) and description."""

    kind = Kind.CONTACT_GROUP
    action = Action.UPDATE
    live_kind = LiveObjectKind.CONTACT_GROUP

    contact_group_id: str
    changes: tuple[FieldChange, ...]

    @property
    def live_id(self) -> str:
        return self.contact_group_id

    def fields(self) -> tuple[FieldChange, ...]:
        return tuple(readable_field(c) for c in self.changes)


class ContactGroupDelete(NamedDelete):
    kind = Kind.CONTACT_GROUP
    action = Action.DELETE
    live_kind = LiveObjectKind.CONTACT_GROUP

    contact_group_id: str

    @property
    def live_id(self) -> str:
        return self.contact_group_id


class ContactMembership(Change):
    """A user (by email) or a user group (by name) in a contact group."""

    contact_group: str
    contact_group_id: str | None = None
    member_type: ContactMemberType
    member: str
    member_id: str | None = None

    @property
    def key(self) -> str:
        member = self.member.lower() if self.member_type is ContactMemberType.USER else self.member
        return f"{self.contact_group}/{self.member_type.value}:{member}"

    def touches(self) -> tuple[LiveRef, ...]:
        return (contact_ref(self.contact_group_id, self.contact_group),)

    def depends_on(self) -> tuple[ChangeRef, ...]:
        member_kind = Kind.USER if self.member_type is ContactMemberType.USER else Kind.GROUP
        member = self.member.lower() if self.member_type is ContactMemberType.USER else self.member
        return (
            ChangeRef(kind=Kind.CONTACT_GROUP, key=self.contact_group),
            ChangeRef(kind=member_kind, key=member),
        )


class ContactGroupMemberAdd(ContactMembership):
    """POST members: at most 50 users and 3 groups a call."""

    kind = Kind.CONTACT_GROUP_MEMBER
    action = Action.ADD

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="contact_group", new=self.contact_group),
            FieldChange(field=self.member_type.value, new=self.member),
        )


class ContactGroupMemberRemove(ContactMembership):
    """DELETE members (≤20 a call); Zoom refuses to remove a group's last member."""

    kind = Kind.CONTACT_GROUP_MEMBER
    action = Action.REMOVE

    def fields(self) -> tuple[FieldChange, ...]:
        return (
            FieldChange(field="contact_group", old=self.contact_group),
            FieldChange(field=self.member_type.value, old=self.member),
        )
