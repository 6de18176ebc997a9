"""Golden outputs of the three renderers for a plan that has every kind of change.

Set UPDATE_GOLDEN=1 to rewrite the files after an intended change, then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from reconciler.model.live import LiveGroup, LiveState
from reconciler.plan import Plan, plan_json_schema
from reconciler.plan.changes import ContactGroupCreate, GroupDelete, Kind, UserCreate
from reconciler.plan.estimate import Tier
from reconciler.plan.plan import make_plan
from reconciler.render import render_json, render_markdown, render_text
from tests.plan.acme import acme_plan

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
TOOL_VERSION = "0.0.0-test"


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plan() -> Plan:
    return acme_plan()


def test_text(plan: Plan) -> None:
    _check("plan.txt", render_text(plan))


def test_text_in_colour_differs_only_by_ansi_codes(plan: Plan) -> None:
    coloured = render_text(plan, color=True)
    assert "\x1b[32m+ division Engineering\x1b[0m" in coloured
    assert "\x1b[31m- group Temp\x1b[0m" in coloured
    import click

    assert click.unstyle(coloured) == render_text(plan)


def test_markdown(plan: Plan) -> None:
    _check("plan.md", render_markdown(plan))


def test_json(plan: Plan) -> None:
    _check("plan.json", render_json(plan, tool_version=TOOL_VERSION))


def test_json_matches_the_contract_and_the_schema(plan: Plan) -> None:
    document = json.loads(render_json(plan, tool_version=TOOL_VERSION))
    jsonschema.validate(document, plan_json_schema())
    assert document["format_version"] == 1
    assert document["summary"] == {"create": 8, "update": 7, "delete": 7}
    kinds = {c["kind"] for c in document["changes"]}
    assert kinds == {
        "user",
        "group",
        "group_member",
        "group_admin",
        "group_settings",
        "group_lock_settings",
        "division",
        "division_member",
        "contact_group",
        "contact_group_member",
    }
    for change in document["changes"]:
        assert set(change) >= {"kind", "action", "key", "before", "after"}


def test_no_changes() -> None:
    empty = Plan()
    assert render_text(empty) == "No changes.\n"
    assert "### No changes." in render_markdown(empty)
    assert json.loads(render_json(empty))["summary"] == {"create": 0, "update": 0, "delete": 0}


def test_markdown_folds_long_kinds_and_truncates_honestly(plan: Plan) -> None:
    from reconciler.model.live import LiveState
    from reconciler.plan import make_plan
    from reconciler.plan.changes import GroupCreate

    many = make_plan([GroupCreate(name=f"Group {i:03}") for i in range(40)], LiveState())
    folded = render_markdown(many)
    assert "<details><summary>group (40)</summary>" in folded
    cut = render_markdown(plan, max_chars=900)
    assert "more changes are not shown here" in cut
    assert len(cut) < 2000


def test_estimate_follows_the_tier(plan: Plan) -> None:
    assert "at the business tier" in render_text(plan, tier=Tier.BUSINESS)
    assert json.loads(render_json(plan, tier=Tier.FREE))["estimate"]["tier"] == "free"


def test_coded_fields_read_by_name_and_the_plan_data_keeps_zooms_numbers() -> None:
    from reconciler.model.live import LiveState
    from reconciler.plan import make_plan
    from reconciler.plan.changes import (
        ContactGroupUpdate,
        FieldChange,
        UserCreate,
        UserUpdate,
    )

    plan = make_plan(
        [
            UserUpdate(
                email="ann@acme.example",
                user_id="u-ann",
                profile=(FieldChange(field="pronouns_option", old=None, new=2),),
                type=FieldChange(field="type", old=99, new=4),
            ),
            UserCreate(
                email="jo@acme.example",
                create_action="create",
                type=1,
                profile={"pronouns_option": 3},
            ),
            ContactGroupUpdate(
                contact_group_id="c-1",
                name="Office",
                changes=(FieldChange(field="privacy", old=1, new=2),),
            ),
        ],
        LiveState(),
    )
    text = render_text(plan)
    assert '~ pronouns_option: (none) -> "always"' in text
    assert '~ type: "none" -> "no_meetings_license"' in text
    assert '+ pronouns_option: "never"' in text
    assert '+ type: "basic"' in text
    assert '~ privacy: "visible_to_anyone" -> "members_only_searchable_by_anyone"' in text
    assert render_markdown(plan).count('"always"') == 1
    document = json.loads(render_json(plan))
    ann = next(c for c in document["changes"] if c["key"] == "ann@acme.example")
    assert ann["after"] == {"pronouns_option": "always", "type": "no_meetings_license"}
    assert ann["data"]["profile"] == [{"field": "pronouns_option", "old": None, "new": 2}]


def test_markdown_sections_follow_the_kinds_not_where_deletes_run() -> None:
    """Deletes run last, yet a deleted group reads under "group", before the contact groups."""
    live = LiveState(groups=(LiveGroup(id="g1", name="Interns"),))
    plan = make_plan(
        [GroupDelete(name="Interns", group_id="g1"), ContactGroupCreate(name="Desk"), *_users()],
        live,
    )
    assert [c.kind for c in plan.changes][-1] is Kind.GROUP  # it runs last
    markdown = render_markdown(plan)
    titles = [line for line in markdown.splitlines() if line.startswith(("####", "<details>"))]
    assert titles == ["#### group (1)", "#### user (2)", "#### contact_group (1)"]


def _users() -> list[UserCreate]:
    return [
        UserCreate(email=f"u{i}@acme.example", create_action="custCreate", type=1) for i in (1, 2)
    ]
