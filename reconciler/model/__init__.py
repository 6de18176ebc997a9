"""The desired state: pydantic models of the configuration, importable without any I/O."""

from reconciler.model.base import ConfigJsonSchema, ConfigModel
from reconciler.model.config import CONFIG_VERSION, Config, DivisionAssignments, Memberships
from reconciler.model.contact_group import ContactGroup, ContactGroupMembers
from reconciler.model.division import Division
from reconciler.model.enums import (
    ContactGroupPrivacy,
    CreateAction,
    PhoneLabel,
    PronounsOption,
    UserPrune,
    UserStatus,
    UserType,
    readable_name,
)
from reconciler.model.group import Group
from reconciler.model.identity_provider import IdentityField, IdentityProvider
from reconciler.model.policy import Policy, PrimaryGroups, Prune, Safety
from reconciler.model.user import CustomAttribute, PhoneNumber, User

__all__ = [
    "CONFIG_VERSION",
    "Config",
    "ConfigJsonSchema",
    "ConfigModel",
    "ContactGroup",
    "ContactGroupMembers",
    "ContactGroupPrivacy",
    "CreateAction",
    "CustomAttribute",
    "Division",
    "DivisionAssignments",
    "Group",
    "IdentityField",
    "IdentityProvider",
    "Memberships",
    "PhoneLabel",
    "PhoneNumber",
    "Policy",
    "PrimaryGroups",
    "PronounsOption",
    "Prune",
    "Safety",
    "User",
    "UserPrune",
    "UserStatus",
    "UserType",
    "readable_name",
]
