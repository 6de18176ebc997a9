"""The read plan: which calls a request makes, as a pure function of the request and listings."""

from __future__ import annotations

import pytest

from reconciler.live import GroupSelection, Read, ReadKind, ReadRequest, pages
from reconciler.live.reads import (
    account_reads,
    contact_reads,
    detail_reads,
    group_reads,
    listing_reads,
)
from reconciler.model.live import LiveContactGroup, LiveGroup, LiveUser, ZoomUserStatus
from reconciler.plan.desired import (
    Desired,
    DesiredContactGroup,
    DesiredGroup,
    DesiredPolicy,
    DesiredUser,
)

GROUPS = [LiveGroup("g1", "Developers"), LiveGroup("g2", "Sales"), LiveGroup("g3", "Support")]


def test_listings_are_one_per_user_status_plus_groups_and_divisions() -> None:
    reads = listing_reads(ReadRequest())
    assert reads == [
        Read(ReadKind.USERS, status=ZoomUserStatus.ACTIVE),
        Read(ReadKind.USERS, status=ZoomUserStatus.INACTIVE),
        Read(ReadKind.USERS, status=ZoomUserStatus.PENDING),
        Read(ReadKind.GROUPS),
        Read(ReadKind.DIVISIONS),
    ]
    with_contacts = listing_reads(ReadRequest(contact_groups=True))
    assert with_contacts[-1] == Read(ReadKind.CONTACT_GROUPS)


def test_a_request_for_nothing_reads_no_group_or_contact_details() -> None:
    request = ReadRequest()
    assert group_reads(request, GROUPS) == []
    assert contact_reads(request, [LiveContactGroup("c1", "Office")]) == []


def test_everything_reads_each_settings_option_and_admins_of_every_group() -> None:
    reads = group_reads(ReadRequest.everything(), GROUPS[:1])
    assert reads == [
        Read(ReadKind.GROUP_SETTINGS, "g1", option=None),
        Read(ReadKind.GROUP_SETTINGS, "g1", option="meeting_authentication"),
        Read(ReadKind.GROUP_SETTINGS, "g1", option="meeting_security"),
        Read(ReadKind.GROUP_SETTINGS, "g1", option="recording_authentication"),
        Read(ReadKind.GROUP_LOCK_SETTINGS, "g1", option=None),
        Read(ReadKind.GROUP_LOCK_SETTINGS, "g1", option="meeting_security"),
        Read(ReadKind.GROUP_ADMINS, "g1"),
    ]
    assert len(group_reads(ReadRequest.everything(), GROUPS)) == 3 * 7


def test_groups_are_selected_by_name_or_by_pinned_id() -> None:
    request = ReadRequest(admins=GroupSelection(names=frozenset({"Sales"}), ids=frozenset({"g3"})))
    targets = [read.target for read in group_reads(request, GROUPS)]
    assert targets == ["g2", "g3"]


def test_the_desired_state_asks_only_for_what_it_compares() -> None:
    desired = Desired(
        users=(
            DesiredUser("ann@acme.example", profile={"first_name": "Ann"}),
            DesiredUser("Bob@Acme.example", profile={"job_title": "Lead"}),
            # custom attributes come with the listing: no per-user read for them
            DesiredUser("cy@acme.example", profile={"custom_attributes": [{"key": "k"}]}),
        ),
        groups=(
            DesiredGroup("Developers", settings={"meeting_security": {"waiting_room": True}}),
            DesiredGroup("Sales", id="g2", lock_settings={"in_meeting": {"chat": True}}),
            DesiredGroup("Support", admins=("lead@acme.example",)),
        ),
    )
    request = ReadRequest.for_desired(desired)
    reads = group_reads(request, GROUPS)
    assert reads == [
        Read(ReadKind.GROUP_SETTINGS, "g1", option="meeting_security"),
        Read(ReadKind.GROUP_LOCK_SETTINGS, "g2", option=None),
        Read(ReadKind.GROUP_ADMINS, "g3"),
    ]
    assert not request.contact_groups
    assert request.user_details == {"bob@acme.example"}
    assert detail_reads(request, _users("bob@acme.example")) == [
        Read(ReadKind.USER_DETAILS, "bob@acme.example")
    ]
    assert detail_reads(request, []) == []


def _users(*emails: str) -> list[LiveUser]:
    return [LiveUser(email, ZoomUserStatus.ACTIVE, 2, id=f"id-{email}") for email in emails]


@pytest.mark.parametrize(
    "desired",
    [
        Desired(contact_groups=(DesiredContactGroup("Office"),)),
        Desired(policy=DesiredPolicy(prune_contact_groups=True)),
    ],
)
def test_contact_groups_are_read_when_declared_or_pruned(desired: Desired) -> None:
    request = ReadRequest.for_desired(desired)
    assert request.contact_groups
    assert contact_reads(request, [LiveContactGroup("c1", "Office")]) == [
        Read(ReadKind.CONTACT_GROUP_MEMBERS, "c1")
    ]


@pytest.mark.parametrize(
    ("kind", "items", "calls"),
    [
        (ReadKind.USERS, 0, 1),
        (ReadKind.USERS, 1, 1),
        (ReadKind.USERS, 300, 1),
        (ReadKind.USERS, 301, 2),
        (ReadKind.USERS, 10_000, 34),
        (ReadKind.CONTACT_GROUPS, 50, 1),
        (ReadKind.CONTACT_GROUPS, 51, 2),
        (ReadKind.GROUP_SETTINGS, 0, 1),
    ],
)
def test_listing_calls_follow_the_page_size(kind: ReadKind, items: int, calls: int) -> None:
    assert pages(kind, items) == calls


def test_an_export_reads_every_user_and_does_without_what_the_plan_lacks() -> None:
    request = ReadRequest.for_export()
    assert group_reads(request, GROUPS) == group_reads(ReadRequest.everything(), GROUPS)
    assert detail_reads(request, _users("b@acme.example", "a@acme.example")) == [
        Read(ReadKind.USER_DETAILS, "a@acme.example"),
        Read(ReadKind.USER_DETAILS, "b@acme.example"),
    ]
    assert request.groups_optional
    assert request.contact_groups_optional
    assert detail_reads(ReadRequest.for_export(user_details=False), _users("a@acme.example")) == []
    strict = ReadRequest.everything()
    assert not strict.groups_optional
    assert not strict.contact_groups_optional


@pytest.mark.parametrize(
    ("desired", "optional"),
    [
        (Desired(users=(DesiredUser("a@acme.example"),)), True),
        (Desired(users=(DesiredUser("a@acme.example", groups=()),)), True),
        (Desired(users=(DesiredUser("a@acme.example", groups=("Sales",)),)), False),
        (Desired(groups=(DesiredGroup("Sales"),)), False),
        (Desired(policy=DesiredPolicy(prune_groups=True)), False),
        (Desired(contact_groups=(DesiredContactGroup("Office", member_groups=("Sales",)),)), False),
        (
            Desired(contact_groups=(DesiredContactGroup("Office", member_users=("a@x.example",)),)),
            True,
        ),
    ],
)
def test_a_plan_may_do_without_groups_only_when_it_never_names_one(
    desired: Desired, optional: bool
) -> None:
    request = ReadRequest.for_desired(desired)
    assert request.groups_optional is optional
    assert not request.contact_groups_optional


@pytest.mark.parametrize(
    ("desired", "reads_locks"),
    [
        (Desired(groups=(DesiredGroup("Sales", settings={"in_meeting": {"chat": True}}),)), True),
        (Desired(groups=(DesiredGroup("Sales", settings={}),)), True),
        (
            Desired(groups=(DesiredGroup("Sales", lock_settings={"in_meeting": {"chat": True}}),)),
            False,
        ),
        (Desired(groups=(DesiredGroup("Sales", admins=()),)), False),
        (Desired(users=(DesiredUser("a@acme.example"),)), False),
    ],
)
def test_the_account_locks_are_read_once_only_when_group_settings_are_managed(
    desired: Desired, reads_locks: bool
) -> None:
    request = ReadRequest.for_desired(desired)
    expected = [Read(ReadKind.ACCOUNT_LOCK_SETTINGS)] if reads_locks else []
    assert account_reads(request) == expected


def test_an_export_never_reads_the_account_locks() -> None:
    assert account_reads(ReadRequest.for_export()) == []
    assert account_reads(ReadRequest.everything()) == []
