"""Validate at the identity-provider boundary: what the IdP owns may not be written, and every
crossing is reported at its FILE:LINE:COL in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.cli.main import main

CONFIG = """\
version: 1
identity_provider:
  domains: [acme.example]
  fields: [first_name, dept, type]
  groups: [All Staff]
groups:
  - name: All Staff
    members: [ann@acme.example]
  - name: Developers
    admins: [ann@acme.example]
users:
  - email: ann@acme.example
    first_name: Ann
    last_name: Archer
    dept: Engineering
    type: licensed
    create_action: autoCreate
    password: Secret123abc
    groups: [Developers, All Staff]
  - email: cora@partner.example
    first_name: Cora
    dept: Sales
    groups: [All Staff]
"""


def validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(path)])
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.err.splitlines()


def test_every_crossing_of_the_boundary_is_an_error_at_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "zoom.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    code, lines = validate(path, capsys)
    assert code == 1
    owned = "the identity provider owns this field of user 'ann@acme.example'"
    created = "user 'ann@acme.example' is created by the identity provider"
    assert lines == [
        f"{path}:8:5: members: the identity provider owns the membership of group 'All Staff' "
        "(identity_provider.groups); remove members",
        f"{path}:13:5: first_name: {owned} (identity_provider.fields); remove it, or set it in "
        "the identity provider",
        f"{path}:15:5: dept: {owned} (identity_provider.fields); remove it, or set it in the "
        "identity provider",
        f"{path}:16:5: type: {owned} (identity_provider.fields); remove it, or set it in the "
        "identity provider",
        f"{path}:17:5: create_action: {created} (identity_provider.domains), not by this tool; "
        "remove it",
        f"{path}:18:5: password: {created} (identity_provider.domains), not by this tool; "
        "remove it",
        f"{path}:19:26: group 'All Staff': the identity provider owns its membership "
        "(identity_provider.groups); assign the user to it in the identity provider",
        f"{path}:23:14: group 'All Staff': the identity provider owns its membership "
        "(identity_provider.groups); assign the user to it in the identity provider",
        "8 error(s) found.",
    ]


def test_without_domains_every_user_is_the_identity_providers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "zoom.yaml"
    path.write_text(
        "version: 1\nidentity_provider: {}\nusers:\n  - email: cora@partner.example\n"
        "    job_title: Buyer\n    status: active\n    timezone: UTC\n",
        encoding="utf-8",
    )
    code, lines = validate(path, capsys)
    assert code == 1
    assert [line.split(": ", 2)[:2] for line in lines[:-1]] == [
        [f"{path}:5:5", "job_title"],
        [f"{path}:6:5", "status"],
    ]


def test_the_boundary_itself_is_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "zoom.yaml"
    path.write_text(
        "version: 1\nidentity_provider:\n  fields: [first_name, pmi]\n  domain: [acme.example]\n"
        "policy:\n  primary_groups: always\n",
        encoding="utf-8",
    )
    code, lines = validate(path, capsys)
    assert code == 1
    assert lines[0].startswith(f"{path}:3:24: fields[1] must be one of first_name, ")
    assert lines[1] == (
        f"{path}:4:3: unknown key 'domain' in identity provider; did you mean 'domains'?"
    )
    assert lines[2].startswith(f"{path}:6:19: primary_groups must be one of trust, verify")


def test_a_user_outside_the_domains_and_plain_groups_are_the_configurations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "zoom.yaml"
    path.write_text(
        "version: 1\nidentity_provider:\n  domains: [acme.example]\ngroups:\n"
        "  - name: Developers\n    members: [cora@partner.example]\nusers:\n"
        "  - email: cora@partner.example\n    first_name: Cora\n    create_action: custCreate\n"
        "    groups: [Developers]\n",
        encoding="utf-8",
    )
    code, lines = validate(path, capsys)
    assert code == 0
    assert lines == [f"{path}: valid (0 divisions, 1 group, 1 user, 0 contact groups)."]


def test_the_okta_example_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "okta-provisioned"
    code, lines = validate(example, capsys)
    assert code == 0, lines
