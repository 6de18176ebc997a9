"""Scheduling assistants and email changes, end to end against the sandbox over real HTTP:
three renames (one a domain change) and assistants plan exactly those changes, apply, keep the
users' ids, and then plan clean; an admin's email change is refused before any write; Zoom's
three-a-day limit fails one user's change while the rest goes on; an email change the account
cannot take (a new email outside the managed domains, or held by another user) stops the plan
at the configuration's line, while a pinned user outside the managed domains whose email does
not change is no error."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Cli

SEED: dict[str, Any] = {
    "version": 1,
    "account": {"managed_domains": ["acme.example", "acme.io"]},
    "groups": [{"name": "Sales"}, {"name": "Support"}],
    "users": [
        {"email": "owner@acme.example", "id": "OWNER1", "role": "owner", "type": "licensed"},
        {"email": "admin@acme.example", "id": "ADMIN1", "role": "admin", "type": "licensed"},
        {"email": "ann@acme.example", "id": "ANN1", "type": "licensed", "groups": ["Sales"]},
        {"email": "bob@acme.example", "id": "BOB1", "type": "licensed"},
        {"email": "cat@acme.example", "id": "CAT1", "type": "licensed"},
        {
            "email": "dan@acme.example",
            "id": "DAN1",
            "type": "licensed",
            "assistants": ["cat@acme.example"],
        },
        {"email": "guest@partner.example", "id": "GUEST1", "type": "licensed"},
    ],
}

CONFIG = """
version: 1
policy:
  prune: {users: deactivate}
  protected_users: [owner@acme.example]
  managed_domains: [acme.example, acme.io]
groups:
  - name: Sales
  - name: Support
users:
  - email: admin@acme.example
    id: ADMIN1
  - email: ann.lee@acme.example
    id: ANN1
    groups: [Sales, Support]
  - email: bob@acme.io
    id: BOB1
    assistants: [ann.lee@acme.example]
  - email: catherine@acme.example
    id: CAT1
  - email: dan@acme.example
    id: DAN1
    assistants: [bob@acme.io]
  - email: guest@partner.example
    id: GUEST1
"""


@pytest.fixture
def config(cli: Cli, tmp_path: Path) -> Path:
    cli.control("POST", "seed", SEED)
    path = tmp_path / "org.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _changes(cli: Cli, path: Path) -> tuple[dict[str, Any], set[tuple[str, str, str]]]:
    planned = cli("plan", str(path), "--format", "json")
    assert planned.code == 0, planned.out + planned.err
    document = planned.json()
    return document, {(c["kind"], c["action"], c["key"]) for c in document["changes"]}


def test_renames_and_assistants_apply_keep_ids_and_then_plan_clean(cli: Cli, config: Path) -> None:
    document, changes = _changes(cli, config)
    assert changes == {
        ("user", "update", "ann.lee@acme.example"),
        ("user", "update", "bob@acme.io"),
        ("user", "update", "catherine@acme.example"),
        ("group_member", "add", "Support/ann.lee@acme.example"),
        ("user_assistant", "add", "bob@acme.io/ann.lee@acme.example"),
        ("user_assistant", "add", "dan@acme.example/bob@acme.io"),
        ("user_assistant", "remove", "dan@acme.example/catherine@acme.example"),
    }
    renames = {
        c["key"]: (c["before"], c["after"]) for c in document["changes"] if c["kind"] == "user"
    }
    assert renames["bob@acme.io"] == ({"email": "bob@acme.example"}, {"email": "bob@acme.io"})
    assert document["summary"] == {"create": 3, "update": 3, "delete": 1}

    cli.clear_journal()
    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    made = Counter(w["category"].lower() for w in cli.writes())
    assert dict(made) == {k.lower(): v for k, v in document["estimate"]["calls"].items()}

    store = cli.store
    for email, user_id in (
        ("ann.lee@acme.example", "ANN1"),
        ("bob@acme.io", "BOB1"),
        ("catherine@acme.example", "CAT1"),
    ):
        assert store.user(email).id == user_id
    assert not store.has_email("ann@acme.example")
    assert set(store.assistants["BOB1"]) == {"ANN1"}
    assert set(store.assistants["DAN1"]) == {"BOB1"}
    assert [store.groups[g].name for g in store.user("ANN1").group_ids] == ["Sales", "Support"]
    assert store.user("CAT1").status.value == "active"  # renamed, not pruned

    again = cli("plan", str(config), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err
    assert "No changes." in again.out


def test_an_admins_email_change_is_refused_before_any_write(cli: Cli, config: Path) -> None:
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("admin@acme.example", "boss@acme.example"), encoding="utf-8")
    planned = cli("plan", str(config))
    assert planned.code == 0
    assert "~ user boss@acme.example" in planned.out
    assert "Zoom refuses to change an admin's email (code 1000)" in planned.out
    cli.clear_journal()
    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 1
    assert "admin@acme.example is an account owner or admin" in applied.out + applied.err
    assert cli.writes() == []
    assert cli.store.user("ADMIN1").email == "admin@acme.example"


def test_the_third_change_of_a_day_is_refused_for_that_user_and_the_rest_goes_on(
    cli: Cli, config: Path
) -> None:
    now = cli.store.clock()
    cli.store.email_changes["BOB1"] = [now - 60, now - 30, now - 10]
    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 1
    assert "up to 3 times in any 24 hour period" in applied.out + applied.err
    store = cli.store
    assert store.user("BOB1").email == "bob@acme.example"
    assert store.user("ANN1").email == "ann.lee@acme.example"
    assert store.user("CAT1").email == "catherine@acme.example"
    # What names bob by the new email waits for its email change, so it is skipped, not sent.
    assert "BOB1" not in store.assistants or not store.assistants["BOB1"]


PINS_REFUSED = """\
version: 1
policy:
  managed_domains: [acme.example, acme.io]
users:
  - email: bob@partner.example
    id: BOB1
  - email: dan@acme.example
    id: CAT1
  - email: guest@partner.example
    id: GUEST1
"""


def test_pins_the_account_cannot_honour_stop_the_plan_at_their_lines(
    cli: Cli, config: Path
) -> None:
    config.write_text(PINS_REFUSED, encoding="utf-8")
    assert cli("validate", str(config)).code == 0  # offline, no email is known to change
    cli.clear_journal()
    for command in (("plan", str(config)), ("apply", str(config), "--auto-approve")):
        refused = cli(*command)
        assert refused.code == 1, refused.out + refused.err
        assert refused.err.splitlines()[-3:] == [
            f"{config}:5:12: user 'bob@partner.example' cannot be the new email of "
            "bob@acme.example: its domain is not one of policy.managed_domains (acme.example, "
            "acme.io), and Zoom changes an email only within the account's managed domains",
            f"{config}:7:12: user 'dan@acme.example' cannot be the new email of "
            "cat@acme.example: another user of the account has it; change or remove that "
            "user first",
            "2 error(s) found.",
        ]
    assert cli.writes() == []
    assert cli.store.user("BOB1").email == "bob@acme.example"


def _assistant_reads(cli: Cli) -> set[str]:
    entries = cli.control("GET", "journal")["entries"]
    return {
        e["path"] for e in entries if e["method"] == "GET" and e["path"].endswith("/assistants")
    }


@pytest.mark.parametrize(
    ("target", "wanted", "reads"),
    [
        (
            "user_assistant",
            {
                ("user_assistant", "add", "bob@acme.io/ann.lee@acme.example"),
                ("user_assistant", "add", "dan@acme.example/bob@acme.io"),
                ("user_assistant", "remove", "dan@acme.example/catherine@acme.example"),
                # what the adds name by a new email comes along: its email change
                ("user", "update", "ann.lee@acme.example"),
                ("user", "update", "bob@acme.io"),
            },
            {"/v2/users/BOB1/assistants", "/v2/users/DAN1/assistants"},
        ),
        (
            "user_assistant:DAN@acme.example",
            {
                ("user_assistant", "add", "dan@acme.example/bob@acme.io"),
                ("user_assistant", "remove", "dan@acme.example/catherine@acme.example"),
                ("user", "update", "bob@acme.io"),
            },
            {"/v2/users/DAN1/assistants"},
        ),
        (
            "user_assistant:dan@acme.example/bob@acme.io",
            {
                ("user_assistant", "add", "dan@acme.example/bob@acme.io"),
                ("user", "update", "bob@acme.io"),
            },
            {"/v2/users/DAN1/assistants"},
        ),
        (
            "user:Bob@acme.io",
            {
                ("user", "update", "bob@acme.io"),
                ("user_assistant", "add", "bob@acme.io/ann.lee@acme.example"),
                ("user", "update", "ann.lee@acme.example"),
            },
            {"/v2/users/BOB1/assistants"},
        ),
        (
            "group:Support",
            {
                ("group_member", "add", "Support/ann.lee@acme.example"),
                ("user", "update", "ann.lee@acme.example"),
            },
            set(),
        ),
    ],
)
def test_target_scopes_assistants_and_reads_only_the_assistants_it_needs(
    cli: Cli, config: Path, target: str, wanted: set[tuple[str, str, str]], reads: set[str]
) -> None:
    cli.clear_journal()
    planned = cli("plan", str(config), "--format", "json", "--target", target)
    assert planned.code == 0, planned.out + planned.err
    assert {(c["kind"], c["action"], c["key"]) for c in planned.json()["changes"]} == wanted
    assert "warning" not in planned.err
    assert _assistant_reads(cli) == reads


def test_a_targeted_apply_sets_one_users_assistants_and_leaves_the_rest(
    cli: Cli, config: Path
) -> None:
    cli.clear_journal()
    applied = cli(
        "apply", str(config), "--auto-approve", "--target", "user_assistant:dan@acme.example"
    )
    assert applied.code == 0, applied.out + applied.err
    store = cli.store
    assert set(store.assistants["DAN1"]) == {"BOB1"}
    assert store.user("BOB1").email == "bob@acme.io"  # the add named it so
    assert store.user("ANN1").email == "ann@acme.example"  # untouched
    assert "BOB1" not in store.assistants or not store.assistants["BOB1"]
    again = cli(
        "plan", str(config), "--format", "json", "--target", "user_assistant:dan@acme.example"
    )
    assert again.json()["changes"] == []


def _rename_and_deactivate_ann(config: Path) -> None:
    """ann becomes ann.lee, inactive, and moves from Sales (which bob joins) to Support."""
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "    id: ANN1\n    groups: [Sales, Support]\n",
            "    id: ANN1\n    status: inactive\n    groups: [Support]\n",
        ).replace("    id: BOB1\n", "    id: BOB1\n    groups: [Sales]\n"),
        encoding="utf-8",
    )


def test_a_renamed_and_deactivated_users_email_changes_before_anything_touches_it(
    cli: Cli, config: Path
) -> None:
    _rename_and_deactivate_ann(config)
    document, changes = _changes(cli, config)
    assert {
        ("user", "update", "ann.lee@acme.example"),
        ("group_member", "add", "Support/ann.lee@acme.example"),
        ("group_member", "remove", "Sales/ann.lee@acme.example"),
        ("user_assistant", "add", "bob@acme.io/ann.lee@acme.example"),
    } <= changes
    cli.clear_journal()
    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    writes = cli.writes()
    made = Counter(w["category"].lower() for w in writes)
    assert dict(made) == {k.lower(): v for k, v in document["estimate"]["calls"].items()}
    ids = {group.name: group_id for group_id, group in cli.store.groups.items()}
    support, sales = ids["Support"], ids["Sales"]
    order = [(w["method"], w["path"]) for w in writes]
    email = order.index(("PUT", "/v2/users/ANN1/email"))
    touching = [
        i
        for i, (method, path) in enumerate(order)
        if path
        in (
            f"/v2/groups/{support}/members",
            f"/v2/groups/{sales}/members/ANN1",
            "/v2/users/ANN1/status",
            "/v2/users/BOB1/assistants",
        )
    ]
    assert len(touching) == 4, order
    assert all(email < i for i in touching), order
    assert order.index(("PUT", "/v2/users/ANN1/status")) == max(touching), order
    ann = cli.store.user("ANN1")
    assert (ann.email, ann.status.value) == ("ann.lee@acme.example", "inactive")


def test_a_refused_email_change_of_a_leaving_user_skips_what_needs_it_and_keeps_it_active(
    cli: Cli, config: Path
) -> None:
    _rename_and_deactivate_ann(config)
    now = cli.store.clock()
    cli.store.email_changes["ANN1"] = [now - 60, now - 30, now - 10]
    cli.clear_journal()
    applied = cli("apply", str(config), "--auto-approve")
    assert applied.code == 1
    lines = applied.out.splitlines()
    (failed,) = [line for line in lines if line.startswith("failed")]
    assert failed.startswith("failed   user update ann.lee@acme.example: PUT /users/ANN1/email")
    assert "up to 3 times in any 24 hour period" in failed
    for added in ("group_member add Support/", "user_assistant add bob@acme.io/"):
        assert (
            f"skipped  {added}ann.lee@acme.example: needs user update ann.lee@acme.example, "
            "which failed"
        ) in lines
    ann = cli.store.user("ANN1")
    assert (ann.email, ann.status.value) == ("ann@acme.example", "active")  # not deactivated
    sent = [(w["method"], w["path"]) for w in cli.writes() if "ANN1" in w["path"]]
    sales = next(i for i, g in cli.store.groups.items() if g.name == "Sales")
    # the removal from Sales goes by id and is wanted whatever the email: it goes on
    assert sorted(sent) == [
        ("DELETE", f"/v2/groups/{sales}/members/ANN1"),
        ("PUT", "/v2/users/ANN1/email"),
    ]
    assert cli.store.user("BOB1").email == "bob@acme.io"  # the rest went on


@pytest.mark.parametrize(
    ("target", "assistant_reads"),
    [((), 2), (("--target", "user_assistant:dan@acme.example"), 1), (("--target", "group"), 0)],
)
def test_the_estimate_counts_the_assistant_reads_the_plan_made(
    cli: Cli, config: Path, target: tuple[str, ...], assistant_reads: int
) -> None:
    cli.clear_journal()
    planned = cli("plan", str(config), "--format", "json", *target)
    assert planned.code == 0, planned.out + planned.err
    entries = cli.control("GET", "journal")["entries"]
    made = Counter(
        e["category"].lower() for e in entries if e["method"] == "GET" and e["path"][:4] == "/v2/"
    )
    assert planned.json()["estimate"]["reads"] == dict(made)
    assert len(_assistant_reads(cli)) == assistant_reads
