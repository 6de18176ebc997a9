"""action.yml, the install lock, the example workflows and the pre-commit hook, read as files."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from ruamel.yaml import YAML

from tests.github.action_runner import ROOT, load_action

SHA_PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
WORKFLOWS = sorted((ROOT / "examples" / "workflows").glob("*.yml"))


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_inputs_and_outputs_are_the_documented_ones() -> None:
    action = load_action()
    assert set(action["inputs"]) >= {
        "command",
        "path",
        "add_pr_comment",
        "auto_approve",
        "label",
        "python_version",
        "args",
    }
    assert set(action["outputs"]) == {
        "changes",
        "to_create",
        "to_update",
        "to_delete",
        "plan_path",
        "json_plan_path",
        "exitcode",
        "failure_reason",
    }


def test_inputs_reach_scripts_only_through_env() -> None:
    steps = load_action()["runs"]["steps"]
    for step in steps:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]
    run_env = next(step for step in steps if step.get("id") == "run")["env"]
    passed = {name.removeprefix("INPUT_").lower() for name in run_env}
    assert passed >= set(load_action()["inputs"]) - {"python_version"}


def test_uses_are_pinned_by_commit() -> None:
    for step in load_action()["runs"]["steps"]:
        if "uses" in step:
            assert SHA_PINNED.match(step["uses"]), step["uses"]


def test_the_install_step_installs_the_hashed_lock_then_the_action_offline() -> None:
    install = next(s for s in load_action()["runs"]["steps"] if s["name"].startswith("Install"))
    script = " ".join(install["run"].replace("\\\n", " ").split())
    assert "--require-hashes --only-binary :all:" in script
    assert '-r "$GITHUB_ACTION_PATH/action-requirements.txt"' in script
    assert '--no-deps --no-build-isolation --no-index "$GITHUB_ACTION_PATH"' in script
    assert 'if [ "$INPUT_INSTALL" = "false" ]' in script


def _locked() -> dict[str, tuple[str, list[str]]]:
    text = (ROOT / "action-requirements.txt").read_text(encoding="utf-8")
    entries: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=[A-Za-z])", text):
        head = block.split(" ", 1)[0]
        if "==" not in head:
            continue
        name, version = head.split("==")
        entries[canonicalize_name(name)] = (version, re.findall(r"--hash=sha256:\w{64}", block))
    return entries


def test_the_lock_pins_and_hashes_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    locked = _locked()
    needed = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    for line in needed:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is missing from action-requirements.txt; regenerate it"
        version = locked[name][0]
        assert requirement.specifier.contains(version), f"{name}=={version} vs {requirement}"
    assert all(hashes for _, hashes in locked.values())


def test_example_workflows_follow_the_hardening_rules() -> None:
    assert {p.name for p in WORKFLOWS} == {"zoom-plan.yml", "zoom-apply.yml", "zoom-drift.yml"}
    for path in WORKFLOWS:
        workflow = load(path)
        triggers = workflow[True] if True in workflow else workflow["on"]
        assert "pull_request_target" not in triggers
        assert workflow["permissions"] == {}
        for job in workflow["jobs"].values():
            assert job["permissions"]
            for step in job["steps"]:
                if "uses" in step:
                    assert SHA_PINNED.match(step["uses"]), step["uses"]
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False


def test_apply_runs_in_a_protected_environment_one_at_a_time_per_account() -> None:
    apply = load(ROOT / "examples" / "workflows" / "zoom-apply.yml")
    triggers = apply[True] if True in apply else apply["on"]
    assert list(triggers) == ["push"]
    job = apply["jobs"]["apply"]
    assert job["environment"].startswith("zoom-")
    assert job["concurrency"]["cancel-in-progress"] is False
    assert "matrix.account" in job["concurrency"]["group"]
    step = next(s for s in job["steps"] if s.get("with", {}).get("command") == "apply")
    assert "auto_approve" not in step["with"]
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}


def test_the_drift_check_fails_on_detailed_exit_code_2() -> None:
    drift = load(ROOT / "examples" / "workflows" / "zoom-drift.yml")
    triggers = drift[True] if True in drift else drift["on"]
    assert "schedule" in triggers
    steps = drift["jobs"]["drift"]["steps"]
    report = next(s for s in steps if s.get("name") == "Report drift")
    assert report["if"] == "steps.plan.outputs.exitcode == '2'"
    assert "exit 1" in report["run"]


def test_the_pre_commit_hook() -> None:
    [hook] = load(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "zoom-reconciler-validate"
    assert hook["entry"] == "zoom-reconciler validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False


def test_the_examples_mark_the_action_sha_as_a_placeholder_to_replace() -> None:
    for path in WORKFLOWS:
        lines = path.read_text(encoding="utf-8").splitlines()
        uses = [n for n, line in enumerate(lines) if "zoom-reconciler/zoom-reconciler@" in line]
        assert uses, path.name
        for n in uses:
            assert lines[n].endswith("@" + "0" * 40 + " # vX.Y.Z"), lines[n]
            above = "\n".join(lines[max(0, n - 4) : n])
            assert "PLACEHOLDER: replace the zeros with the full commit SHA" in above, path.name
