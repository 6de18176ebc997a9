"""Runs `action.yml` the way a GitHub runner runs a composite action, without a runner.

Each `run:` step goes to `bash --noprofile --norc -eo pipefail` in order, with its `env:`
expressions resolved from the inputs (or their defaults), a fresh `GITHUB_OUTPUT` and
`GITHUB_STEP_SUMMARY` file per step, and the action's outputs resolved from the step outputs
afterwards. `uses:` steps (setting up Python) are recorded, not run: the test process's Python
and the installed package stand in for them. Unknown expressions are an error, so the action
cannot start using something this harness does not understand.

`in_process=True` runs the main step's `zoom-reconciler github run` as a call in this process
(same environment, same files), which saves starting Python twice per run; the tests of the
"Done when" list run every step in bash.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from reconciler.github import run_action

ROOT = Path(__file__).resolve().parents[2]
ACTION_FILE = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
COMPARISON = re.compile(r"^([\w.-]+)\s*(==|!=)\s*'([^']*)'$")


def load_action(path: Path = ACTION_FILE) -> dict[str, Any]:
    loaded = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def parse_output_file(text: str) -> dict[str, str]:
    """The runner's reading of `GITHUB_OUTPUT`: `name=value` lines and `name<<DELIM` blocks."""
    values: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        heredoc = line.find("<<")
        equals = line.find("=")
        if heredoc > 0 and (equals < 0 or heredoc < equals):
            name, delimiter = line[:heredoc], line[heredoc + 2 :]
            body: list[str] = []
            while True:
                if index >= len(lines):
                    raise ValueError(f"output {name!r}: delimiter {delimiter!r} never closed")
                current = lines[index]
                index += 1
                if current == delimiter:
                    break
                body.append(current)
            values[name] = "\n".join(body)
        elif equals > 0:
            values[line[:equals]] = line[equals + 1 :]
        else:
            raise ValueError(f"not an output line: {line!r}")
    return values


@dataclass
class StepRun:
    name: str
    step_id: str | None
    ran: bool
    exit_code: int = 0
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class ActionResult:
    steps: list[StepRun]
    outputs: dict[str, str]

    @property
    def ok(self) -> bool:
        return all(step.exit_code == 0 for step in self.steps)

    @property
    def summary(self) -> str:
        return "".join(step.summary for step in self.steps)

    @property
    def log(self) -> str:
        return "".join(step.stdout + step.stderr for step in self.steps)

    def step(self, name: str) -> StepRun:
        return next(step for step in self.steps if step.name == name)


@dataclass
class ActionRunner:
    """One invocation of the action: `inputs` as a workflow's `with:`, `env` as the job's."""

    workdir: Path
    env: Mapping[str, str]
    inputs: Mapping[str, str]
    github_token: str = ""
    in_process: bool = False
    lose_runner_when: Callable[[], bool] | None = None
    """Polled while a bash step runs: once true, the step is killed (SIGKILL) with its children."""
    action: dict[str, Any] = field(default_factory=load_action)

    def input_value(self, name: str) -> str:
        declared = self.action["inputs"]
        if name not in declared:
            raise KeyError(f"action.yml declares no input {name!r}")
        if name in self.inputs:
            return self.inputs[name]
        return self.evaluate(str(declared[name].get("default", "")), {})

    def lookup(self, expression: str, step_outputs: Mapping[str, Mapping[str, str]]) -> str:
        parts = expression.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return self.input_value(parts[1])
        if expression == "github.token":
            return self.github_token
        if expression == "github.action_path":
            return str(ROOT)
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return step_outputs.get(parts[1], {}).get(parts[3], "")
        raise ValueError(f"expression the harness does not know: {expression!r}")

    def evaluate(self, text: str, step_outputs: Mapping[str, Mapping[str, str]]) -> str:
        return EXPRESSION.sub(lambda m: self.lookup(m.group(1), step_outputs), text)

    def condition(self, text: str, step_outputs: Mapping[str, Mapping[str, str]]) -> bool:
        expression = EXPRESSION.sub(lambda m: m.group(1), text).strip()
        found = COMPARISON.match(expression)
        if found is None:
            raise ValueError(f"condition the harness does not know: {text!r}")
        left = self.lookup(found.group(1), step_outputs)
        return (left == found.group(3)) == (found.group(2) == "==")

    def run(self) -> ActionResult:
        runs = self.action["runs"]
        assert runs["using"] == "composite"
        temp = self.workdir / "runner-temp"
        temp.mkdir(exist_ok=True)
        step_outputs: dict[str, dict[str, str]] = {}
        done: list[StepRun] = []
        for number, step in enumerate(runs["steps"]):
            name = step.get("name", f"step {number}")
            if "if" in step and not self.condition(str(step["if"]), step_outputs):
                done.append(StepRun(name, step.get("id"), ran=False))
                continue
            if "uses" in step:
                done.append(StepRun(name, step.get("id"), ran=False))
                continue
            assert step.get("shell") == "bash", f"{name}: only bash steps are expected"
            result = self._run_step(step, number, temp, step_outputs)
            done.append(result)
            if result.step_id:
                step_outputs[result.step_id] = result.outputs
            if result.exit_code != 0:
                break
        outputs = {
            name: self.evaluate(str(spec["value"]), step_outputs)
            for name, spec in self.action.get("outputs", {}).items()
        }
        return ActionResult(done, outputs)

    def _run_step(
        self,
        step: Mapping[str, Any],
        number: int,
        temp: Path,
        step_outputs: Mapping[str, Mapping[str, str]],
    ) -> StepRun:
        files = {
            kind: temp / f"{kind}_{number}"
            for kind in ("output", "summary", "env", "path", "script")
        }
        for path in files.values():
            path.write_text("", encoding="utf-8")
        files["script"].write_text(str(step["run"]), encoding="utf-8")
        step_env = {
            key: self.evaluate(str(value), step_outputs)
            for key, value in (step.get("env") or {}).items()
        }
        env = {
            **self.env,
            "GITHUB_OUTPUT": str(files["output"]),
            "GITHUB_STEP_SUMMARY": str(files["summary"]),
            "GITHUB_ENV": str(files["env"]),
            "GITHUB_PATH": str(files["path"]),
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_ACTION": str(step.get("id") or f"__run_{number}"),
            "RUNNER_TEMP": str(temp),
            **step_env,
        }
        if self.in_process and step.get("id") == "run":
            exit_code, stdout, stderr = self._call_in_process(env)
        else:
            exit_code, stdout, stderr = self._run_bash(files["script"], env)
        return StepRun(
            name=str(step.get("name")),
            step_id=step.get("id"),
            ran=True,
            exit_code=exit_code,
            stdout=stdout,
            stderr=stderr,
            outputs=parse_output_file(files["output"].read_text(encoding="utf-8")),
            summary=files["summary"].read_text(encoding="utf-8"),
            env=step_env,
        )

    def _run_bash(self, script: Path, env: Mapping[str, str]) -> tuple[int, str, str]:
        """The step in bash; with `lose_runner_when`, the whole step (bash and every process it
        started) is killed the moment that says so, as when a runner is lost."""
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            process = subprocess.Popen(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=self.workdir,
                env=env,
                stdout=out,
                stderr=err,
                text=True,
                start_new_session=True,
            )
            deadline = time.monotonic() + 300  # a hang, not a speed limit
            while process.poll() is None:
                if self.lose_runner_when is not None and self.lose_runner_when():
                    os.killpg(process.pid, signal.SIGKILL)
                    break
                if time.monotonic() > deadline:
                    os.killpg(process.pid, signal.SIGKILL)
                    raise AssertionError(f"{script}: the step hung")
                time.sleep(0.02)
            code = process.wait()
            out.seek(0)
            err.seek(0)
            return code, out.read(), err.read()

    def _call_in_process(self, env: Mapping[str, str]) -> tuple[int, str, str]:
        """What `"$exe" github run` does, as a call (the tests give absolute paths, so the
        working directory does not matter)."""
        assert "github run" in str(self._main_step()["run"])
        out, err = io.StringIO(), io.StringIO()
        code = run_action(env, stdout=out, stderr=err)
        return code, out.getvalue(), err.getvalue()

    def _main_step(self) -> Mapping[str, Any]:
        return next(s for s in self.action["runs"]["steps"] if s.get("id") == "run")


def base_env(extra: Mapping[str, str]) -> dict[str, str]:
    """A runner's job environment: PATH with this project's virtualenv first, no stray tokens."""
    venv_bin = str(Path(sys.executable).parent)
    keep = {name: os.environ[name] for name in ("HOME", "LANG", "TMPDIR") if name in os.environ}
    return {
        **keep,
        "PATH": venv_bin + os.pathsep + os.environ.get("PATH", ""),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        **extra,
    }
