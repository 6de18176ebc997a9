"""The models: derived membership views, the editor schema, emails, password rules, limits."""

from __future__ import annotations

import io
import string
from pathlib import Path
from typing import Any

import email_validator
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from reconciler.config import load_config
from reconciler.config.rules import password_problems
from reconciler.config.yaml_reader import read_yaml
from reconciler.errors import ConfigError
from reconciler.model import Config
from reconciler.model.fields import is_plain_email
from reconciler.schema.config_schema import config_schema

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def config(data: dict[str, Any]) -> Config:
    return Config.model_validate({"version": 1, **data})


def test_memberships_join_both_sides() -> None:
    c = config(
        {
            "groups": [
                {"name": "Dev", "members": ["Ann@acme.example"]},
                {"name": "QA"},
                {"name": "Idle"},
            ],
            "users": [
                {"email": "ann@acme.example"},
                {"email": "ben@acme.example", "groups": ["QA", "Dev"]},
                {"email": "cat@acme.example", "groups": []},
            ],
        }
    )
    view = c.memberships
    assert view.members == {
        "Dev": frozenset({"ann@acme.example", "ben@acme.example"}),
        "QA": frozenset({"ben@acme.example"}),
        "Idle": frozenset(),
    }
    assert view.managed == frozenset({"Dev", "QA"})
    assert view.primary == {"ben@acme.example": "QA"}
    assert view.groups_of("BEN@acme.example") == frozenset({"Dev", "QA"})


def test_division_assignments_join_both_sides() -> None:
    c = config(
        {
            "divisions": [{"name": "Eng", "members": ["ann@acme.example"]}, {"name": "Sales"}],
            "users": [
                {"email": "Ann@acme.example"},
                {"email": "ben@acme.example", "division": "Sales"},
            ],
        }
    )
    view = c.division_assignments
    assert view.division_of == {"ann@acme.example": "Eng", "ben@acme.example": "Sales"}
    assert view.members == {
        "Eng": frozenset({"ann@acme.example"}),
        "Sales": frozenset({"ben@acme.example"}),
    }


def test_summary_counts_each_kind() -> None:
    c = config(
        {
            "divisions": [{"name": "A"}],
            "users": [{"email": "a@acme.example"}, {"email": "b@acme.example"}],
        }
    )
    assert c.summary() == "1 division, 0 groups, 2 users, 0 contact groups"


def test_editor_schema_lists_names_and_numbers_and_no_nulls() -> None:
    schema = Config.model_json_schema()
    user = schema["$defs"]["User"]["properties"]
    assert user["type"]["enum"] == ["basic", "licensed", "no_meetings_license", 1, 2, 4]
    assert "licensed (2)" in user["type"]["description"]
    assert schema["$defs"]["ContactGroup"]["properties"]["privacy"]["enum"] == [
        "visible_to_anyone",
        "members_only_searchable_by_anyone",
        "members_only",
        1,
        2,
        3,
    ]
    assert user["dept"] == {"description": "Department.", "title": "Dept", "type": "string"}
    assert "null" not in str(schema)
    assert all(
        prop.get("description")
        for definition in schema["$defs"].values()
        for prop in definition["properties"].values()
    )


@pytest.mark.parametrize(
    "schema", [Config.model_json_schema(), config_schema()], ids=["model", "with-settings"]
)
def test_examples_satisfy_the_editor_schema(schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    for path in [*(EXAMPLES / "acme").rglob("*.yaml"), EXAMPLES / "sandbox-seed.yaml"]:
        document = read_yaml(path.read_text(encoding="utf-8")).value
        document.setdefault("version", 1)
        assert not list(validator.iter_errors(document)), path


def test_editor_schema_rejects_what_validate_rejects() -> None:
    validator = jsonschema.Draft202012Validator(config_schema())
    wrong = {"version": 1, "users": [{"email": "a@acme.example", "type": "licenced", "dept": None}]}
    assert len(list(validator.iter_errors(wrong))) == 2


@given(st.emails())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_fast_email_path_never_accepts_what_email_validator_refuses(email: str) -> None:
    if is_plain_email(email):
        email_validator.validate_email(email, check_deliverability=False)


@pytest.mark.parametrize(
    "email", ["a@b.test", "a@localhost", "a..b@acme.example", "a@-acme.example"]
)
def test_fast_email_path_defers_the_unusual(email: str) -> None:
    assert not is_plain_email(email)


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Sunny7Day", []),
        ("if42!LfH@", []),
        ("Abc1", ["must have 8 to 32 characters (it has 4)"]),
        (
            "abcdefg1X",
            ["cannot contain more than 5 consecutive characters such as 'abcdef' or '123456'"],
        ),
        (
            "Xy987654321",
            ["cannot contain more than 5 consecutive characters such as 'abcdef' or '123456'"],
        ),
        ("PASSWORD12", ["must contain both upper-case and lower-case letters"]),
        ("A" * 33 + "b1", ["must have 8 to 32 characters (it has 35)"]),
    ],
)
def test_password_rules(password: str, expected: list[str]) -> None:
    assert password_problems(password) == expected


def _numbered(kind: str, count: int) -> str:
    return f"{kind}:\n" + "".join(f"  - name: {kind[:-1]} {n}\n" for n in range(count))


@pytest.mark.parametrize(("kind", "limit"), [("divisions", 500), ("groups", 5000)])
def test_account_limits(tmp_path: Path, kind: str, limit: int) -> None:
    at_limit = tmp_path / "ok.yaml"
    at_limit.write_text("version: 1\n" + _numbered(kind, limit), encoding="utf-8")
    load_config(at_limit)
    over = tmp_path / "over.yaml"
    over.write_text("version: 1\n" + _numbered(kind, limit + 1), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(over)
    [problem] = raised.value.diagnostics
    assert (problem.line, problem.col) == (limit + 3, 5)
    assert f"Zoom allows at most {limit} per account" in problem.message


# -- round trip: any configuration the models accept survives YAML and validates clean ------

_names = (
    st.text(string.ascii_letters + string.digits + " -", min_size=1, max_size=20)
    .filter(str.strip)
    .map(str.strip)
)
_emails = st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,8})?@[a-z]{2,8}\.example", fullmatch=True)


@st.composite
def configurations(draw: st.DrawFn) -> dict[str, Any]:
    divisions = draw(st.lists(_names, max_size=3, unique=True))
    groups = draw(st.lists(_names, max_size=4, unique=True))
    emails = draw(st.lists(_emails, max_size=6, unique_by=str.lower))
    users = []
    for email in emails:
        user: dict[str, Any] = {"email": email}
        if draw(st.booleans()):
            user["type"] = draw(
                st.sampled_from(["basic", "licensed", "no_meetings_license", 1, 2, 4])
            )
        if draw(st.booleans()):
            user["first_name"] = draw(_names)
        if draw(st.booleans()):
            user["dept"] = draw(
                st.sampled_from(["", "Sales", "R&D: Platform", "yes", "null", "1.5"])
            )
        if draw(st.booleans()) and groups:
            user["groups"] = draw(st.lists(st.sampled_from(groups), unique=True))
        if draw(st.booleans()) and divisions:
            user["division"] = draw(st.sampled_from(divisions))
        users.append(user)
    group_items = [
        {
            "name": name,
            **({"members": draw(st.lists(st.sampled_from(emails), unique=True))} if emails else {}),
        }
        for name in groups
    ]
    return {
        "version": 1,
        "divisions": [{"name": name} for name in divisions],
        "groups": group_items,
        "users": users,
    }


@given(configurations())
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_generated_configurations_round_trip(tmp_path: Path, data: dict[str, Any]) -> None:
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, stream)
    path = tmp_path / "generated.yaml"
    path.write_text(stream.getvalue(), encoding="utf-8")
    loaded = load_config(path)
    assert loaded.model_dump(mode="json", exclude_unset=True)["users"] == [
        {**user, **({"type": _type_number(user["type"])} if "type" in user else {})}
        for user in data["users"]
    ]
    assert [group.name for group in loaded.groups] == [group["name"] for group in data["groups"]]


def _type_number(value: str | int) -> int:
    """Readable names are kept as the API's number once validated."""
    return (
        {"basic": 1, "licensed": 2, "no_meetings_license": 4}[value]
        if isinstance(value, str)
        else value
    )
