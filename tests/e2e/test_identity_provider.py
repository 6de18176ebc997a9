"""Living beside an identity provider: the test plays the IdP, speaking SCIM2 to the sandbox
between plan and apply runs of a configuration with `identity_provider`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from ruamel.yaml import YAML

from reconciler.sandbox.entities import UserStatus
from tests.e2e.conftest import Cli, edit
from tests.sandbox.support import http_client

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

CONFIG = """\
version: 1
policy:
  prune:
    users: deactivate
  primary_groups: trust
identity_provider:
  domains: [acme.example]
  groups: [All Staff]
divisions:
  - name: Engineering
groups:
  - name: All Staff
  - name: Developers
    admins: [ann@acme.example]
  - name: Support
users:
  - email: ann@acme.example
    groups: [Developers, Support]
    division: Engineering
  - email: bob@acme.example
    groups: [Support]
    division: Engineering
  - email: cora@partner.example
    first_name: Cora
    create_action: custCreate
    groups: [Support]
"""

OWNED = {"first_name", "last_name", "display_name", "dept", "job_title", "type", "status"}


class IdentityProvider:
    """Okta, as far as Zoom can tell: SCIM2 requests with the account's own token."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def _send(self, method: str, path: str, body: Any = None) -> Any:
        response = self.client.request(method, f"/scim2{path}", json=body)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def create(self, email: str, given: str, family: str, dept: str) -> str:
        created = self._send(
            "POST",
            "/Users",
            {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
                "userName": email,
                "name": {"givenName": given, "familyName": family},
                "displayName": f"{given} {family}",
                "emails": [{"type": "work", "value": email, "primary": True}],
                "userType": "Licensed",
                "active": True,
                ENTERPRISE: {"department": dept},
            },
        )
        return str(created["id"])

    def set_department(self, user_id: str, dept: str) -> None:
        self._send(
            "PUT",
            f"/Users/{user_id}",
            {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                ENTERPRISE: {"department": dept},
            },
        )

    def deactivate(self, user_id: str) -> None:
        self._send(
            "PATCH",
            f"/Users/{user_id}",
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "value": {"active": False}}],
            },
        )

    def push_member(self, group: str, user_id: str) -> None:
        found = self.client.get(
            "/scim2/Groups", params={"filter": f'displayName eq "{group}"'}
        ).json()["Resources"][0]
        self._send(
            "PATCH",
            f"/Groups/{found['id']}",
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "add", "path": "members", "value": [{"value": user_id}]}],
            },
        )


@pytest.fixture
def idp(cli: Cli) -> Iterator[IdentityProvider]:
    with closing(http_client(cli.server)) as client:
        yield IdentityProvider(client)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "zoom.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _plan(cli: Cli, config: Path) -> dict[str, Any]:
    planned = cli("plan", str(config), "--format", "json")
    assert planned.code == 0, planned.out + planned.err
    document: dict[str, Any] = planned.json()
    return document


def _never_touches_what_the_idp_owns(document: dict[str, Any], idp_users: set[str]) -> None:
    for change in document["changes"]:
        if change["kind"] == "user":
            assert change["key"] not in idp_users, change
        if change["kind"] == "group_member":
            assert not change["key"].startswith("All Staff/"), change
        assert not (OWNED & set(change["after"]) and change["key"] in idp_users), change


def _group_id(cli: Cli, name: str) -> str:
    return str(next(g.id for g in cli.store.groups.values() if g.name == name))


def _scim_calls(cli: Cli) -> int:
    entries = cli.control("GET", "journal")["entries"]
    return sum(1 for e in entries if e["path"].startswith("/scim2/"))


def test_the_identity_provider_and_the_configuration_share_the_account(
    cli: Cli, idp: IdentityProvider, config: Path
) -> None:
    cli.store.create_group("All Staff")
    ann = idp.create("ann@acme.example", "Ann", "Archer", "Engineering")
    stray = idp.create("zed@acme.example", "Zed", "Zimmer", "Sales")  # nobody declared Zed yet
    idp_users = {"ann@acme.example", "bob@acme.example", "zed@acme.example"}

    # Bob is declared but not provisioned yet: he waits, and nothing is created for him.
    first = _plan(cli, config)
    assert first["waiting_for_identity_provider"] == ["bob@acme.example"]
    _never_touches_what_the_idp_owns(first, idp_users)
    keys = {(c["kind"], c["action"], c["key"]) for c in first["changes"]}
    assert ("user", "create", "cora@partner.example") in keys
    assert ("group_member", "add", "Developers/ann@acme.example") in keys
    assert ("group_admin", "add", "Developers/ann@acme.example") in keys
    assert not any("bob@acme.example" in key for _, _, key in keys)
    shown = cli("plan", str(config))
    assert "waiting for the identity provider: bob@acme.example" in shown.err

    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    store = cli.store
    assert store.user("zed@acme.example").status is UserStatus.ACTIVE  # prune passed Zed by
    ann_user = store.users[ann]
    assert ann_user.dept == "Engineering"
    assert ann_user.first_name == "Ann"
    assert ann_user.group_ids[0] == _group_id(cli, "Developers")

    # The IdP changes a department and pushes a group member: the plan leaves both alone.
    idp.set_department(ann, "Platform")
    idp.push_member("All Staff", ann)
    quiet = cli("plan", str(config), "--detailed-exitcode")
    assert quiet.code == 0, quiet.out + quiet.err
    assert store.users[ann].dept == "Platform"

    # The IdP creates Bob: the first apply completes him (groups and division).
    bob = idp.create("bob@acme.example", "Bob", "Baker", "Support")
    second = _plan(cli, config)
    assert second["waiting_for_identity_provider"] == []
    _never_touches_what_the_idp_owns(second, idp_users)
    assert {(c["kind"], c["key"]) for c in second["changes"]} == {
        ("group_member", "Support/bob@acme.example"),
        ("division_member", "Engineering/bob@acme.example"),
    }
    assert cli("apply", str(config), "--auto-approve").code == 0
    assert store.users[bob].group_ids == [_group_id(cli, "Support")]

    # The IdP deactivates Zed: still not ours to touch.
    idp.deactivate(stray)
    settled = cli("plan", str(config), "--detailed-exitcode")
    assert settled.code == 0, settled.out + settled.err
    assert store.users[stray].status is UserStatus.INACTIVE


def test_a_primary_group_changed_behind_our_back_is_found_only_with_verify(
    cli: Cli, idp: IdentityProvider, config: Path
) -> None:
    ann = idp.create("ann@acme.example", "Ann", "Archer", "Engineering")
    idp.create("bob@acme.example", "Bob", "Baker", "Support")
    assert cli("apply", str(config), "--auto-approve").code == 0
    store = cli.store
    developers, support = _group_id(cli, "Developers"), _group_id(cli, "Support")
    assert store.users[ann].group_ids[0] == developers
    store.set_primary(store.groups[support], ann, support)  # someone clicks in the web portal
    assert store.users[ann].group_ids[0] == support

    cli.clear_journal()
    trusted = cli("plan", str(config), "--detailed-exitcode")
    assert trusted.code == 0, trusted.out + trusted.err  # invisible to v2
    assert _scim_calls(cli) == 0
    trusted_reads = _plan(cli, config)["estimate"]["reads"]

    edit(config, "primary_groups: trust", "primary_groups: verify")
    cli.clear_journal()
    verified = _plan(cli, config)
    assert [
        (c["kind"], c["action"], c["key"], c["before"], c["after"]) for c in verified["changes"]
    ] == [
        (
            "group_member",
            "update",
            "Developers/ann@acme.example",
            {"primary_group": "Support"},
            {"primary_group": "Developers"},
        )
    ]
    assert _scim_calls(cli) == 1  # Ann alone is in two managed groups
    # The plan counts the SCIM2 read: one more Light call (Get User is LIGHT, seed 000).
    assert verified["estimate"]["reads"] == {**trusted_reads, "light": trusted_reads["light"] + 1}
    assert verified["estimate"]["calls"] == {"medium": 1}  # the set_primary apply makes

    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    assert store.users[ann].group_ids[0] == developers
    again = cli("plan", str(config), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err


def test_verify_without_the_scim2_scope_names_the_scope(
    cli: Cli, idp: IdentityProvider, config: Path
) -> None:
    idp.create("ann@acme.example", "Ann", "Archer", "Engineering")
    idp.create("bob@acme.example", "Bob", "Baker", "Support")
    assert cli("apply", str(config), "--auto-approve").code == 0
    edit(config, "primary_groups: trust", "primary_groups: verify")
    cli.control("POST", "config", {"withheld_scopes": ["scim2", "scim2:admin"]})
    refused = cli("plan", str(config))
    assert refused.code == 1
    assert "scim2" in refused.err
    assert "scim2:admin" in refused.err
    assert "policy.primary_groups" in refused.err


def test_export_within_the_boundary_writes_nothing_the_idp_owns_and_plans_clean(
    cli: Cli, idp: IdentityProvider, config: Path, tmp_path: Path
) -> None:
    cli.store.create_group("All Staff")
    ann = idp.create("ann@acme.example", "Ann", "Archer", "Engineering")
    idp.create("bob@acme.example", "Bob", "Baker", "Support")
    assert cli("apply", str(config), "--auto-approve").code == 0
    idp.push_member("All Staff", ann)

    out = tmp_path / "export"
    exported = cli("export", "--out", str(out), "--identity-provider", str(config))
    assert exported.code == 0, exported.out + exported.err
    users = YAML(typ="safe").load((out / "users.yaml").read_text(encoding="utf-8"))["users"]
    by_email = {user["email"]: user for user in users}
    assert by_email["ann@acme.example"] == {
        "email": "ann@acme.example",
        "groups": ["Developers", "Support"],
        "division": "Engineering",
    }
    assert by_email["cora@partner.example"]["first_name"] == "Cora"  # not the IdP's
    assert by_email["cora@partner.example"]["status"] == "active"
    boundary = YAML(typ="safe").load((out / "identity-provider.yaml").read_text(encoding="utf-8"))
    assert boundary["identity_provider"] == {"domains": ["acme.example"], "groups": ["All Staff"]}

    replanned = cli("plan", str(out), "--detailed-exitcode")
    assert replanned.code == 0, replanned.out + replanned.err


def test_a_saved_verify_plan_rereads_the_primary_groups_it_touches(
    cli: Cli, idp: IdentityProvider, config: Path, tmp_path: Path
) -> None:
    ann = idp.create("ann@acme.example", "Ann", "Archer", "Engineering")
    idp.create("bob@acme.example", "Bob", "Baker", "Support")
    assert cli("apply", str(config), "--auto-approve").code == 0
    store = cli.store
    support = _group_id(cli, "Support")
    store.set_primary(store.groups[support], ann, support)
    edit(config, "primary_groups: trust", "primary_groups: verify")
    saved = tmp_path / "plan.json"
    assert cli("plan", str(config), "--out", str(saved)).code == 0

    applied = cli("apply", "--plan", str(saved), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    assert store.users[ann].group_ids[0] == _group_id(cli, "Developers")

    # Wrong again, planned, then fixed by hand before the apply: the saved plan is stale.
    store.set_primary(store.groups[support], ann, support)
    assert cli("plan", str(config), "--out", str(saved)).code == 0
    developers = _group_id(cli, "Developers")
    store.set_primary(store.groups[developers], ann, developers)
    stale = cli("apply", "--plan", str(saved), "--auto-approve")
    assert stale.code == 1
    assert "stale" in stale.err
