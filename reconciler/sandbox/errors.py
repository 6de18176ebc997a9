"""Zoom's error answers, as the sandbox raises them: one exception type and one factory per rule.

Zoom's `code` is not the HTTP status (HTTP 400 can carry code 200 "Only available for paid
account"), so both travel together. The messages are Zoom's own, from the seeds and the official
spec's response descriptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


@dataclass(frozen=True, slots=True)
class FieldError:
    """One entry of a validation failure's `errors` list: the dotted field and what is wrong."""

    field: str
    message: str = "Invalid field."


@dataclass(eq=False)
class SandboxError(Exception):
    """A rule of Zoom's was broken; the HTTP layer turns it into Zoom's JSON error body."""

    status: int
    code: int | None
    message: str
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(f"HTTP {self.status} code {self.code}: {self.message}")

    def body(self) -> dict[str, Any]:
        """Zoom's error shape: `{code, message}`, plus `errors` for validation failures."""
        body: dict[str, Any] = {"message": self.message}
        if self.code is not None:
            body = {"code": self.code, "message": self.message}
        if self.errors:
            body["errors"] = [{"field": e.field, "message": e.message} for e in self.errors]
        return body

    def scim_body(self) -> dict[str, Any]:
        """The same refusal under /scim2, where Zoom answers with SCIM's error schema (RFC 7644
        §3.12), the status a number: `{"schemas": [...Error], "detail": ..., "status": 400}`."""
        return scim_error_body(self.status, self.message)


def scim_error_body(status: int, detail: str) -> dict[str, Any]:
    return {"schemas": [SCIM_ERROR_SCHEMA], "detail": detail, "status": status}


def validation_failed(errors: list[FieldError]) -> SandboxError:
    return SandboxError(400, 300, "Validation Failed.", errors=errors)


def bad_page_token() -> SandboxError:
    return SandboxError(400, 300, "The next page token is invalid or expired.")


def user_not_found(user_id: str) -> SandboxError:
    return SandboxError(404, 1001, f"User does not exist: {user_id}.")


def email_in_use(email: str) -> SandboxError:
    return SandboxError(409, 1005, f'Email "{email}" has already been used.')


# How each endpoint words code 4130 (S001: admins 653-709, lock settings 1009 and 1272,
# settings 2397 and 3266); every other group endpoint says "A group with this {id} ...".
GROUP_NOT_FOUND = "A group with this {id} does not exist."
GROUP_NOT_FOUND_ADMINS = 'A group with the "{id}" ID does not exist.'
GROUP_NOT_FOUND_SETTINGS = "Group does not exist: {id}."
GROUP_NOT_FOUND_LOCKS_GET = "Group does not exist: {id}"
GROUP_NOT_FOUND_LOCKS_PATCH = "This group does not exist."


def group_not_found(group_id: str, wording: str = GROUP_NOT_FOUND) -> SandboxError:
    return SandboxError(404, 4130, wording.format(id=group_id))


def group_name_in_use(name: str) -> SandboxError:
    return SandboxError(409, 4132, f'The group name "{name}" is already in use.')


def group_member_not_found() -> SandboxError:
    return SandboxError(404, 4131, "Group member does not exist.")


def not_group_admin(group_id: str) -> SandboxError:
    return SandboxError(
        400, 4138, f'That user is not an administrator for the group: "{group_id}".'
    )


def division_not_found(*, on_assign: bool = False) -> SandboxError:
    return SandboxError(404, 40406 if on_assign else None, "Division not found.")


def division_name_in_use() -> SandboxError:
    return SandboxError(409, None, "This name is already in use. Please try another.")


def invitation_not_found() -> SandboxError:
    return SandboxError(
        400, 1120, "A valid invitation to join the Zoom account was not found for this user."
    )


def missing_scopes(scopes: tuple[str, ...]) -> SandboxError:
    """The app's token lacks every scope the endpoint accepts (facts: code 4711)."""
    return SandboxError(
        400, 4711, f"Invalid access token, does not contain scopes:[{', '.join(scopes)}]."
    )


def only_for_paid_accounts(account_id: str) -> SandboxError:
    """Zoom writes this one with a colon or a comma depending on the page; the colon is kept."""
    return SandboxError(400, 200, f"Only available for paid account: {account_id}")


def contact_group_not_found(group_id: str) -> SandboxError:
    return SandboxError(400, 300, f"A group with this groupId: {group_id} does not exist.")


def contact_member_not_found(member_id: str) -> SandboxError:
    return SandboxError(400, 300, f"A member with this memberId: {member_id} does not exist.")


def invalid_access_token(*, expired: bool = False) -> SandboxError:
    message = "Access token is expired." if expired else "Invalid access token."
    return SandboxError(401, 124, message)


def divisions_token_error(*, missing: bool) -> SandboxError:
    if missing:
        return SandboxError(401, 30031002, "Missing token")
    return SandboxError(401, 30031004, "Invalid or expired token")


def scim_error(status: int, message: str) -> SandboxError:
    """A SCIM2 refusal: the seed lists the HTTP status as its "Error Code" (S000)."""
    return SandboxError(status, status, message)


def in_scim_words(error: SandboxError) -> SandboxError:
    """A request the spec check refused, as SCIM2 words it: the field named, no `errors` list.

    Zoom's SCIM2 document gives one message per bad field, `The "userName" of the request is
    invalid.` (S000:1129) or `The "Operations" of the request is invalid.` (S000:388); the
    field is the top-level key the first problem is under.
    """
    if not error.errors:
        return error
    name = re.split(r"[.\[]", error.errors[0].field, maxsplit=1)[0]
    return scim_error(400, f'The "{name}" of the request is invalid.')


class SeedError(ValueError):
    """A seed that does not describe a possible account; the message names the object."""
