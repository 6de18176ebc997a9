"""Protected users: what the configuration asks for them but no plan will ever do is said, not hidden."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.cli.main import main
from reconciler.config import load_config_with_sources, protected_user_warnings

CONFIG = """\
version: 1
policy:
  protected_users: [Owner@acme.example]
divisions:
  - name: HQ
    members: [ann@acme.example, owner@acme.example]
groups:
  - name: Admins
    members: [ann@acme.example, owner@acme.example]
    admins: [OWNER@acme.example]
users:
  - email: owner@acme.example
    type: basic
    first_name: Olive
  - email: ann@acme.example
    manager: owner@acme.example
contact_groups:
  - name: Everyone
    members: {users: [ann@acme.example, owner@acme.example]}
"""


def validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(path)])
    captured = capsys.readouterr()
    assert captured.out == ""
    return int(exited.value.code or 0), captured.err.splitlines()


def test_every_inert_line_about_a_protected_user_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    code, lines = validate(path, capsys)
    assert code == 0
    protected = "is protected (policy.protected_users)"
    assert lines == [
        f"{path}:6:33: warning: user 'owner@acme.example' {protected}: never added to or removed "
        "from the division 'HQ', so this entry has no effect",
        f"{path}:9:33: warning: user 'owner@acme.example' {protected}: never added to or removed "
        "from the members of group 'Admins', so this entry has no effect",
        f"{path}:10:14: warning: user 'OWNER@acme.example' {protected}: never added to or "
        "removed from the admins of group 'Admins', so this entry has no effect",
        f"{path}:12:12: warning: user 'owner@acme.example' {protected}, so first_name, type "
        "are never applied",
        f"{path}:19:41: warning: user 'owner@acme.example' {protected}: never added to or "
        "removed from the contact group 'Everyone', so this entry has no effect",
        f"{path}: valid (1 division, 1 group, 2 users, 1 contact group), 5 warning(s).",
    ]


def test_a_protected_user_declared_by_email_alone_is_quiet(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(
        "version: 1\npolicy: {protected_users: [owner@acme.example]}\n"
        "users:\n  - email: owner@acme.example\n  - email: ann@acme.example\n"
        "    manager: owner@acme.example\n    type: basic\n",
        encoding="utf-8",
    )
    config, sources = load_config_with_sources(path)
    assert protected_user_warnings(config, sources) == []


def test_without_protected_users_the_same_lines_are_not_warnings(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(CONFIG.replace("[Owner@acme.example]", "[]"), encoding="utf-8")
    config, sources = load_config_with_sources(path)
    assert protected_user_warnings(config, sources) == []


def test_quiet_hides_warnings_but_not_the_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["--quiet", "validate", str(path)])
    assert exited.value.code == 0
    assert capsys.readouterr().err == ""
