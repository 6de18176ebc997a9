"""Field types shared by the models: emails, enum inputs that take names or numbers, names.

Kept apart from the models so each model file reads as a list of fields.
"""

from __future__ import annotations

import difflib
import re
from enum import Enum, IntEnum
from functools import lru_cache
from typing import Annotated, Any

import email_validator
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from reconciler.model.enums import (
    ContactGroupPrivacy,
    CreateAction,
    PhoneLabel,
    PronounsOption,
    UserPrune,
    UserStatus,
    UserType,
    api_numbers,
    readable_name,
    readable_names,
)

# Plain ASCII addresses, the overwhelming majority, are accepted by this pattern without the cost
# of a full email_validator run (about 25 us each, too slow for 50,000 users); anything else,
# and anything under a special-use top-level domain, gets email_validator's verdict and message.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}")
_SPECIAL_USE = frozenset(email_validator.SPECIAL_USE_DOMAIN_NAMES)


@lru_cache(maxsize=4096)
def _full_email_check(value: str) -> str | None:
    """email_validator's reason for refusing `value`, or None; cached since references repeat."""
    try:
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError as refused:
        return str(refused)
    return None


def is_plain_email(value: str) -> bool:
    """True when the fast pattern alone accepts the address."""
    if _PLAIN_EMAIL.fullmatch(value) is None or len(value.split("@", 1)[0]) > 64:
        return False
    return value.rsplit(".", 1)[-1].lower() not in _SPECIAL_USE


def check_email(value: str) -> str:
    if is_plain_email(value):
        return value
    reason = _full_email_check(value)
    if reason is not None:
        raise PydanticCustomError("email", f"invalid email address {value!r}: {reason}")
    return value


# Zoom's POST /users limits `user_info.email` to 128 characters (users-api.json).
Email = Annotated[
    str,
    Field(max_length=128, json_schema_extra={"format": "email"}),
    AfterValidator(check_email),
]


def suggest(word: str, choices: list[str]) -> str:
    """A ` did you mean 'x'?` suffix when a choice is close to `word`, else an empty string."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lowered = {choice.lower(): choice for choice in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f"; did you mean '{close[0]}'?" if close else ""


def _enum_parser(enum: type[Enum], what: str) -> BeforeValidator:
    """Accept the readable name or, for numbered enums, the API's number, and say what is allowed."""
    by_name: dict[object, Enum] = {readable_name(member): member for member in enum}
    numbered = issubclass(enum, IntEnum)
    if numbered:
        by_name.update({int(member.value): member for member in enum})
    names = readable_names(enum)
    allowed = ", ".join(names)
    if numbered:
        allowed += " (or " + ", ".join(str(n) for n in api_numbers(enum)) + ")"  # type: ignore[arg-type]

    def parse(value: Any) -> Any:
        if isinstance(value, enum):
            return value
        if not isinstance(value, bool) and isinstance(value, int | str) and value in by_name:
            return by_name[value]
        hint = suggest(value, names) if isinstance(value, str) else ""
        raise PydanticCustomError("enum_name", f"must be one of {allowed}, not {value!r}{hint}")

    return BeforeValidator(parse)


def _enum_schema(enum: type[Enum]) -> WithJsonSchema:
    """List names and numbers, so editors complete either."""
    values: list[object] = list(readable_names(enum))
    if issubclass(enum, IntEnum):
        values += api_numbers(enum)
    return WithJsonSchema({"enum": values})


def enum_field(enum: type[Enum], what: str) -> tuple[BeforeValidator, WithJsonSchema]:
    return _enum_parser(enum, what), _enum_schema(enum)


def _strip_check(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank_name", "a name cannot be empty or blank")
    return value


# A name that identifies an object; Zoom requires group names "less than 128 characters"
# (PATCH /groups/{groupId}, seed 001); divisions and contact groups get the same bound.
Name = Annotated[str, Field(max_length=127), AfterValidator(_strip_check)]

# A Zoom object id pinned in the configuration, so that a changed name is a rename.
ZoomId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-.]+$")]

_user_type = enum_field(UserType, "type")
UserTypeInput = Annotated[UserType, _user_type[0], _user_type[1]]
_user_status = enum_field(UserStatus, "status")
UserStatusInput = Annotated[UserStatus, _user_status[0], _user_status[1]]
_create_action = enum_field(CreateAction, "create_action")
CreateActionInput = Annotated[CreateAction, _create_action[0], _create_action[1]]
_privacy = enum_field(ContactGroupPrivacy, "privacy")
PrivacyInput = Annotated[ContactGroupPrivacy, _privacy[0], _privacy[1]]
_pronouns = enum_field(PronounsOption, "pronouns_option")
PronounsOptionInput = Annotated[PronounsOption, _pronouns[0], _pronouns[1]]
_phone_label = enum_field(PhoneLabel, "label")
PhoneLabelInput = Annotated[PhoneLabel, _phone_label[0], _phone_label[1]]
_user_prune = enum_field(UserPrune, "prune.users")
UserPruneInput = Annotated[UserPrune, _user_prune[0], _user_prune[1]]
