"""Markers, redaction and cutting: the pieces of the comment, without a server."""

from __future__ import annotations

import json

from reconciler.github.approval_note import APPROVAL_PREFIX, finishes, read_approval
from reconciler.github.markdown import (
    Marker,
    fence_for,
    fit_lines,
    review_lines,
)
from reconciler.github.pages import NO_APPROVAL_NOTE, RunInfo, plan_comment, plan_summary
from reconciler.github.planview import PlanView, SafetyVerdict
from reconciler.github.runner_files import SUMMARY_LIMIT_BYTES
from reconciler.model.enums import CreateAction
from reconciler.plan.changes import FieldChange, UserCreate, UserUpdate
from reconciler.plan.estimate import Tier
from reconciler.plan.plan import Plan


def test_markers_round_trip_and_nothing_in_a_label_closes_the_comment() -> None:
    marker = Marker(label="prod --> <b>x</b>", plan_checksum="ab" * 32, truncated=True)
    line = marker.line()
    assert line.startswith("<!-- zoom-reconciler {")
    assert line.count("-->") == 1
    assert line.endswith(" -->")
    assert "<b>" not in line
    assert Marker.parse(line + "\nrest of the body") == marker


def test_markers_of_another_format_or_elsewhere_are_not_ours() -> None:
    assert Marker.parse('<!-- zoom-reconciler {"format_version": 2} -->') is None
    assert Marker.parse("hello\n" + Marker(label="x").line()) is None
    assert Marker.parse("<!-- zoom-reconciler {not json} -->") is None
    plain = Marker.parse('<!-- zoom-reconciler {"format_version": 1, "plan_checksum": "c"} -->')
    assert plain == Marker(label="", plan_checksum="c")


def test_user_changes_show_emails_types_and_status_but_no_other_personal_data() -> None:
    update = UserUpdate(
        email="Jill@Acme.example",
        profile=(
            FieldChange(field="first_name", old="Jill", new="Gillian"),
            FieldChange(field="phone_number", old=None, new="+1 555 0100"),
        ),
        type=FieldChange(field="type", old=1, new=2),
        status=FieldChange(field="status", old="active", new="inactive"),
    )
    text = "\n".join(review_lines(update))
    assert "jill@acme.example" in text
    assert "Gillian" not in text
    assert 'Jill"' not in text
    assert "555" not in text
    assert "~ first_name: (changed)" in text
    assert '~ type: "basic" -> "licensed"' in text
    assert '~ status: "active" -> "inactive"' in text

    create = UserCreate(
        email="new@acme.example",
        create_action=CreateAction("custCreate"),
        type=2,
        profile={"last_name": "Secretname"},
        password_set=True,
    )
    text = "\n".join(review_lines(create))
    assert "Secretname" not in text
    assert "+ last_name: (set)" in text
    assert '+ password: "(set)"' in text


def test_fit_lines_keeps_whole_lines_within_the_byte_budget() -> None:
    lines = ["aaaa", "ééé", "b"]  # 5, 7 and 2 bytes with newlines
    assert fit_lines(lines, 12) == (["aaaa", "ééé"], 1)
    assert fit_lines(lines, 11) == (["aaaa"], 2)
    assert fit_lines(lines, 14) == (lines, 0)
    assert fit_lines([], 0) == ([], 0)


def test_fences_outgrow_backticks_in_the_plan() -> None:
    assert fence_for(["plain"]) == "```"
    assert fence_for(["a ```` b"]) == "`````"


def big_view(count: int) -> PlanView:
    changes = tuple(
        UserCreate(
            email=f"user{n:06d}@acme.example",
            create_action=CreateAction("custCreate"),
            type=1,
            profile={"first_name": f"F{n}", "last_name": f"L{n}", "dept": "Engineering"},
        )
        for n in range(count)
    )
    return PlanView(Plan(changes=changes), "c" * 64, Tier.PRO, SafetyVerdict())


def test_pages_stay_within_githubs_limits_and_say_they_were_cut() -> None:
    view = big_view(9_000)
    info = RunInfo(label="us", path="zoom", short_sha="abc1234", run_url="https://x/runs/1")

    comment = plan_comment(view, info)
    assert comment.truncated
    assert len(comment.body) < 65_536
    assert Marker.parse(comment.body) == Marker("us", "c" * 64, truncated=True)
    assert "more plan lines are not shown here" in comment.body
    assert "[job summary](https://x/runs/1)" in comment.body

    summary = plan_summary(view, info, "/tmp/plan.txt")
    assert summary.truncated
    assert len(summary.body.encode()) <= SUMMARY_LIMIT_BYTES
    assert len(summary.body.encode()) > SUMMARY_LIMIT_BYTES * 0.9
    assert "`/tmp/plan.txt`" in summary.body
    # Both are cut on whole lines, and the fenced block is closed.
    for page in (comment.body, summary.body):
        block = page.split("```diff\n", 1)[1].split("\n```\n", 1)[0]
        assert all(line.startswith(("+ user user", "    + ")) for line in block.split("\n"))
        assert "</details>" in page


def test_a_short_plan_is_shown_whole_and_open() -> None:
    view = big_view(1)
    page = plan_comment(view, RunInfo())
    assert not page.truncated
    assert "<details open>" in page.body
    assert "+ user user000000@acme.example" in page.body
    assert "F0" not in page.body


def test_the_comment_keeps_what_the_plan_approves_sealed_while_it_fits() -> None:
    view = big_view(200)
    page = plan_comment(view, RunInfo(label="us"))
    approved = read_approval(page.body)
    assert approved is not None
    assert approved.sealed
    assert finishes(approved, view.plan.changes)
    assert not finishes(approved, big_view(201).plan.changes)  # one user it never approved
    packed = json.dumps(approved.to_json())
    assert "user000007@acme.example" in packed  # keys stay: emails show on the comment anyway
    assert '"L7"' not in packed  # values only as digests
    visible = page.body.split(APPROVAL_PREFIX)[0]
    assert "L7" not in visible
    assert len(page.body.encode()) < 65_536
    assert NO_APPROVAL_NOTE not in page.body
    line = next(x for x in page.body.splitlines() if x.startswith(APPROVAL_PREFIX))
    assert read_approval(page.body.replace(line, line[:-20] + " -->")) is None  # damaged

    huge = plan_comment(big_view(9_000), RunInfo(label="us"))
    assert read_approval(huge.body) is None  # too large to keep: a re-run needs a new review
    assert NO_APPROVAL_NOTE in huge.body
