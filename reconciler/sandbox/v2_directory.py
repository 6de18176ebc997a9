"""v2 handlers for divisions and contact groups: the account's other ways of grouping users."""

from __future__ import annotations

from typing import Any

from reconciler.sandbox import views
from reconciler.sandbox.endpoint import Call, Reply
from reconciler.sandbox.entities import ContactMemberType
from reconciler.sandbox.errors import SandboxError
from reconciler.sandbox.listing import PageKeys, added, listing
from reconciler.sandbox.store import MAX_DIVISION_USERS_PER_CALL

# ---- divisions ---------------------------------------------------------------------------


def list_divisions(call: Call) -> Reply:
    divisions = call.store.divisions
    return listing(
        call,
        "divisions",
        lambda: list(divisions.values()),
        "divisions",
        views.division_item,
        PageKeys.SIZED,
    )


def create_division(call: Call) -> Reply:
    division = call.store.create_division(
        str(call.body["division_name"]), str(call.body.get("division_description", ""))
    )
    item = views.division_item(division)
    return Reply(
        201, {k: item[k] for k in ("division_id", "division_name", "division_description")}
    )


def get_division(call: Call) -> Reply:
    item = views.division_item(call.store.division(call.params["divisionId"]))
    del item["total_members"]
    return Reply(body=item)


def update_division(call: Call) -> Reply:
    division = call.store.division(call.params["divisionId"])
    name = call.body.get("division_name")
    description = call.body.get("division_description")
    call.store.update_division(
        division,
        None if name is None else str(name),
        None if description is None else str(description),
    )
    return Reply(204)


def delete_division(call: Call) -> Reply:
    call.store.delete_division(call.store.division(call.params["divisionId"]))
    return Reply(204)


def list_division_users(call: Call) -> Reply:
    division = call.store.division(call.params["divisionId"])
    users = call.store.users
    return listing(
        call,
        f"division-users:{division.id}",
        lambda: [users[i] for i in division.members],
        "users",
        views.division_user,
        PageKeys.SIZED,
    )


def assign_division(call: Call) -> Reply:
    division = call.store.division(call.params["divisionId"], on_assign=True)
    refs = call.body.get("users", [])
    if len(refs) > MAX_DIVISION_USERS_PER_CALL:
        raise SandboxError(400, None, "Invalid parameters.")
    users = call.store.resolve_users(refs, "user_id", "user_email")
    return added(call.store.assign_division(division, users), call)


# ---- contact groups ----------------------------------------------------------------------


def list_contact_groups(call: Call) -> Reply:
    contact_groups = call.store.contact_groups
    return listing(
        call,
        "contact-groups",
        lambda: list(contact_groups.values()),
        "groups",
        lambda group: views.contact_group(group, with_total=False),
        PageKeys.BARE,
    )


def create_contact_group(call: Call) -> Reply:
    body = call.body
    group = call.store.create_contact_group(
        str(body.get("group_name", "")),
        int(body.get("group_privacy", 1)),
        str(body.get("description", "")),
        body.get("group_members", []),
    )
    return Reply(201, views.contact_group(group))


def get_contact_group(call: Call) -> Reply:
    return Reply(body=views.contact_group(call.store.contact_group(call.params["groupId"])))


def update_contact_group(call: Call) -> Reply:
    call.store.update_contact_group(call.store.contact_group(call.params["groupId"]), call.body)
    return Reply(204)


def delete_contact_group(call: Call) -> Reply:
    call.store.delete_contact_group(call.store.contact_group(call.params["groupId"]))
    return Reply(204)


def list_contact_members(call: Call) -> Reply:
    group = call.store.contact_group(call.params["groupId"])
    store = call.store

    def view(member: tuple[ContactMemberType, str]) -> dict[str, Any]:
        kind, member_id = member
        return {"type": int(kind), "id": member_id, "name": store.contact_member_name(*member)}

    return listing(
        call,
        f"contact-members:{group.id}",
        lambda: list(group.members),
        "group_members",
        view,
        PageKeys.BARE,
    )


def add_contact_members(call: Call) -> Reply:
    group = call.store.contact_group(call.params["groupId"])
    added_ids = call.store.add_contact_members(group, call.body.get("group_members", []))
    return Reply(201, {"member_ids": added_ids})


def remove_contact_members(call: Call) -> Reply:
    group = call.store.contact_group(call.params["groupId"])
    raw = str(call.query.get("member_ids", ""))
    call.store.remove_contact_members(group, [m for m in raw.split(",") if m])
    return Reply(204)
