"""Loading: directory merges, source positions, secrets from the environment, examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reconciler.cli.main import main
from reconciler.config import config_files, load_config, load_config_with_sources
from reconciler.errors import ConfigError
from reconciler.model import UserType

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VALID = Path(__file__).parent / "valid"


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def messages(error: ConfigError) -> list[str]:
    return [d.format() for d in error.diagnostics]


def test_directory_files_are_merged_in_path_order(tmp_path: Path) -> None:
    write(tmp_path, "b/users.yml", "users:\n  - email: b@acme.example\n")
    write(tmp_path, "a.yaml", "version: 1\nusers:\n  - email: a@acme.example\n")
    write(tmp_path, "c/empty.yaml", "")
    write(tmp_path, "c/only-comments.yaml", "# nothing here yet\n")
    write(tmp_path, "notes.txt", "users: not yaml config\n")
    write(tmp_path, ".hidden/skip.yaml", "users:\n  - email: hidden@acme.example\n")
    config = load_config(tmp_path)
    assert [user.email for user in config.users] == ["a@acme.example", "b@acme.example"]
    assert [path.name for path in config_files(tmp_path)] == [
        "a.yaml",
        "users.yml",
        "empty.yaml",
        "only-comments.yaml",
    ]


def test_version_may_repeat_when_equal(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "version: 1\n")
    write(tmp_path, "b.yaml", "version: 1\ngroups:\n  - name: Developers\n")
    assert load_config(tmp_path).summary() == "0 divisions, 1 group, 0 users, 0 contact groups"


def test_missing_path_is_a_diagnostic(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "nope.yaml")
    assert messages(raised.value) == [f"{tmp_path / 'nope.yaml'}:1:1: no such file or directory"]


def test_empty_directory_is_a_diagnostic(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert "no *.yaml or *.yml files" in messages(raised.value)[0]


def test_source_map_points_into_the_right_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        "1.yaml",
        "version: 1\nusers:\n  - email: a@acme.example\n  - email: b@acme.example\n",
    )
    write(tmp_path, "2.yaml", "# second file\nusers:\n  - email: c@acme.example\n    dept: Sales\n")
    write(tmp_path, "3.yaml", "policy:\n  prune:\n    users: delete\n")
    config, sources = load_config_with_sources(tmp_path)
    assert config.users[2].email == "c@acme.example"
    where = sources.locate(("users", 2, "dept"))
    assert (where.file, where.line, where.col) == (str(tmp_path / "2.yaml"), 4, 11)
    key = sources.locate(("users", 2, "dept"), key=True)
    assert (key.line, key.col) == (4, 5)
    assert sources.locate(("users", 1)).format() == f"{tmp_path / '1.yaml'}:4:5"
    assert sources.locate(("policy", "prune", "users")).format() == f"{tmp_path / '3.yaml'}:3:12"
    # a path past what was written stops at the deepest node that exists
    assert sources.locate(("users", 0, "job_title")).format() == f"{tmp_path / '1.yaml'}:3:5"


def test_password_comes_from_the_environment_and_is_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "Zx9-Quartz-Lamp"
    path = write(
        tmp_path,
        "users.yaml",
        "version: 1\nusers:\n  - email: a@acme.example\n    create_action: autoCreate\n"
        "    password: ${ACME_INITIAL_PASSWORD}\n",
    )
    config = load_config(path, environ={"ACME_INITIAL_PASSWORD": secret})
    password = config.users[0].password
    assert password is not None
    assert password.get_secret_value() == secret
    for shown in (
        repr(config),
        str(config),
        config.model_dump_json(),
        json.dumps(config.model_dump(mode="json")),
    ):
        assert secret not in shown
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(path)])
    assert exited.value.code == 1  # the variable is not set in this process's environment
    captured = capsys.readouterr()
    assert "environment variable ACME_INITIAL_PASSWORD is not set" in captured.err
    assert secret not in captured.out + captured.err


def test_a_password_that_breaks_the_rules_is_not_repeated(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    weak = "aaaaaaaaaaaa"
    path = write(
        tmp_path,
        "users.yaml",
        f"version: 1\nusers:\n  - email: a@acme.example\n    create_action: autoCreate\n    password: {weak}\n"
        "  - email: b@acme.example\n    password: [not, text]\n",
    )
    with pytest.raises(SystemExit):
        main(["validate", str(path)])
    err = capsys.readouterr().err
    assert "password breaks Zoom's rules" in err
    assert "password must be a string" in err
    assert weak not in err
    assert "not, text" not in err


def test_enum_fields_take_names_and_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.yaml",
        "version: 1\nusers:\n  - {email: a@acme.example, type: 2}\n  - {email: b@acme.example, type: licensed}\n"
        "  - {email: c@acme.example, type: no_meetings_license, pronouns_option: 3}\n"
        "contact_groups:\n  - {name: A, privacy: 3, members: {users: [a@acme.example]}}\n"
        "  - {name: B, privacy: members_only, members: {users: [b@acme.example]}}\n",
    )
    config = load_config(path)
    assert [user.type for user in config.users] == [
        UserType.LICENSED,
        UserType.LICENSED,
        UserType.NO_MEETINGS_LICENSE,
    ]
    assert config.contact_groups[0].privacy == config.contact_groups[1].privacy == 3


def test_unwritten_differs_from_written_empty(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.yaml",
        "version: 1\ngroups:\n  - name: G\n  - name: H\n    members: []\n"
        "users:\n  - email: a@acme.example\n  - email: b@acme.example\n    dept: ''\n    groups: []\n",
    )
    config = load_config(path)
    unwritten, empty = config.users
    assert unwritten.dept is None
    assert unwritten.groups is None
    assert not {"dept", "groups"} & unwritten.written()
    assert empty.dept == ""
    assert empty.groups == []
    assert {"dept", "groups"} <= empty.written()
    assert config.groups[0].members is None
    assert config.groups[1].members == []


def test_examples_validate_clean(capsys: pytest.CaptureFixture[str]) -> None:
    for path in (EXAMPLES / "acme", EXAMPLES / "sandbox-seed.yaml"):
        with pytest.raises(SystemExit) as exited:
            main(["validate", str(path)])
        err = capsys.readouterr().err
        assert exited.value.code == 0, err
        # clean: no warnings either, only the one line that says it is valid
        assert err.startswith(f"{path}: valid ("), err
        assert err.count("\n") == 1, err


def test_example_is_a_realistic_organisation() -> None:
    config = load_config(EXAMPLES / "acme")
    assert 3 <= len(config.divisions) <= 4
    assert 6 <= len(config.groups) <= 10
    assert 40 <= len(config.users) <= 60
    assert 2 <= len(config.contact_groups) <= 3
    assert config.policy.protected_users
    assert all(group.settings for group in config.groups)
    assert sum(1 for group in config.groups if group.lock_settings) >= 4
    headers = {
        path: path.read_text(encoding="utf-8").splitlines()[0]
        for path in (EXAMPLES / "acme").rglob("*.yaml")
    }
    for path, header in headers.items():
        depth = len(path.relative_to(EXAMPLES).parts)
        assert (
            header == f"# yaml-language-server: $schema={'../' * depth}schemas/config.schema.json"
        )


def test_sandbox_seed_differs_from_acme_in_every_way_a_plan_shows() -> None:
    acme = load_config(EXAMPLES / "acme")
    seed = load_config(EXAMPLES / "sandbox-seed.yaml")
    acme_users, seed_users = acme.users_by_email, seed.users_by_email
    assert set(acme_users) - set(seed_users)  # to create
    assert set(seed_users) - set(acme_users)  # to prune
    assert any(
        acme_users[key].job_title != seed_users[key].job_title
        or acme_users[key].dept != seed_users[key].dept
        for key in set(acme_users) & set(seed_users)
    )
    acme_settings = {group.name: group.settings for group in acme.groups}
    assert any(
        group.settings != acme_settings.get(group.name)
        for group in seed.groups
        if group.name in acme_settings
    )


@pytest.mark.parametrize("case", sorted(VALID.iterdir()), ids=lambda case: case.name)
def test_valid_configurations_pass(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECONCILER_TEST_KIOSK_PASSWORD", "Kiosk4Lobby!")
    with pytest.raises(SystemExit) as exited:
        main(["validate", str(case)])
    captured = capsys.readouterr()
    assert exited.value.code == 0, captured.err
    assert "Kiosk4Lobby!" not in captured.out + captured.err


def test_yaml_shortcuts_resolve_like_plain_yaml() -> None:
    config = load_config(VALID / "anchors_and_flow_style.yaml")
    ann, ben, cat = config.users
    assert ben.dept == ann.dept == "Engineering"
    assert ben.groups == ["Developers"]
    assert ben.first_name == "Ben"
    assert ann.first_name is None
    assert cat.type == UserType.BASIC
    assert config.groups[1].settings == {"in_meeting": {"chat": True, "polling": True}}


def test_quoted_scalars_stay_text() -> None:
    [user] = load_config(VALID / "unicode_and_quoting.yaml").users
    assert user.dept == "1.5"
    assert user.job_title == "null"
    assert user.display_name == "Jürgen: the tester"
