"""Ownership is a filter: what the identity provider owns never reaches the differ, and the
differ's plan shows it (pure: desired and live states in, a plan out)."""

from __future__ import annotations

from dataclasses import replace

from reconciler.model import IdentityProvider
from reconciler.model.enums import UserPrune, UserStatus
from reconciler.model.live import LiveGroup, LiveState, LiveUser, ZoomUserStatus
from reconciler.plan import build_plan
from reconciler.plan.desired import (
    Desired,
    DesiredContactGroup,
    DesiredDivision,
    DesiredGroup,
    DesiredPolicy,
    DesiredUser,
)
from reconciler.plan.ownership import apply_ownership

ACTIVE = ZoomUserStatus.ACTIVE
OKTA = IdentityProvider(domains=["acme.example"], groups=["All Staff"])
LIVE = LiveState(
    users=(
        LiveUser("ann@acme.example", ACTIVE, 2, "u-ann", profile={"dept": "Eng"}),
        LiveUser("zed@acme.example", ACTIVE, 1, "u-zed", group_ids=("g-all",)),
        LiveUser("old@partner.example", ACTIVE, 1, "u-old"),
    ),
    groups=(LiveGroup("g-dev", "Developers", admins=frozenset()), LiveGroup("g-all", "All Staff")),
    contact_groups=(),
)


def _desired(provider: IdentityProvider | None) -> Desired:
    """A desired state no validate would pass: the filter must hold on its own."""
    return Desired(
        users=(
            DesiredUser(
                "ann@acme.example",
                profile={"dept": "Sales", "timezone": "UTC"},
                type=1,
                status=UserStatus.INACTIVE,
                groups=("Developers", "All Staff"),
            ),
            DesiredUser("bob@acme.example", groups=("Developers",), division="Eng"),
        ),
        groups=(
            DesiredGroup("Developers", admins=("bob@acme.example",)),
            DesiredGroup("All Staff", members=("ann@acme.example",)),
        ),
        divisions=(DesiredDivision("Eng", members=("bob@acme.example",)),),
        contact_groups=(
            DesiredContactGroup("Office", member_users=("ann@acme.example", "bob@acme.example")),
        ),
        policy=DesiredPolicy(prune_users=UserPrune.DEACTIVATE),
        identity_provider=provider,
    )


def test_the_filter_takes_out_owned_fields_idp_groups_and_waiting_users() -> None:
    owned = apply_ownership(_desired(OKTA), LIVE)
    assert owned.waiting == ("bob@acme.example",)
    (ann,) = owned.desired.users
    assert (ann.profile, ann.type, ann.status, ann.groups) == (
        {"timezone": "UTC"},
        None,
        None,
        ("Developers",),
    )
    assert [(g.name, g.members, g.admins) for g in owned.desired.groups] == [
        ("Developers", None, ()),
        ("All Staff", None, None),
    ]
    assert owned.desired.divisions[0].members == ()
    assert owned.desired.contact_groups[0].member_users == ("ann@acme.example",)
    assert owned.desired.unpruned_users == {"ann@acme.example", "zed@acme.example"}


def test_the_plan_leaves_the_idp_alone_and_prunes_only_the_rest() -> None:
    plan = build_plan(_desired(OKTA), LIVE)
    assert plan.waiting == ("bob@acme.example",)
    assert [c.ref.format() for c in plan.changes] == [
        "division:Eng",
        "user:ann@acme.example",
        "group_member:Developers/ann@acme.example",
        "contact_group:Office",
        "contact_group_member:Office/user:ann@acme.example",
        "user:old@partner.example",  # deactivated: prune passes only the IdP's users by
    ]
    ann_update = plan.changes[1]
    assert {f.field for f in ann_update.fields()} == {"timezone"}
    assert any("bob@acme.example is waiting for the identity provider" in n for n in plan.notes)


def test_without_an_identity_provider_nothing_is_filtered() -> None:
    desired = _desired(None)
    assert apply_ownership(desired, LIVE).desired is desired
    refs = {c.ref.format() for c in build_plan(desired, LIVE).changes}
    assert {"user:bob@acme.example", "user:zed@acme.example"} <= refs


def test_an_idp_users_id_pin_never_becomes_an_email_change() -> None:
    pinned = Desired(
        users=(DesiredUser("ann.archer@acme.example", id="u-ann"),),
        identity_provider=OKTA,
    )
    plan = build_plan(pinned, LIVE)
    assert plan.changes == ()
    assert plan.waiting == ("ann.archer@acme.example",)
    unbounded = build_plan(replace(pinned, identity_provider=None), LIVE)
    assert [c.ref.format() for c in unbounded.changes] == ["user:ann.archer@acme.example"]
