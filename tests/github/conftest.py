"""Fixtures for the Action's tests: the fake GitHub API, the sandbox's env, event files."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.sandbox import ServerInfo
from tests.github.action_runner import ActionResult, ActionRunner, base_env
from tests.github.fake_github import FakeGitHub, serving

REPOSITORY = "acme/zoom-config"
HEAD_SHA = "1f2e3d4c5b6a79880123456789abcdef01234567"
MERGE_SHA = "9a8b7c6d5e4f30211234567890abcdef76543210"

ORG_YAML = """\
version: 1
policy:
  safety:
    max_deletes: 10
groups:
  - name: Developers
    settings:
      in_meeting: {chat: true}
users:
  - email: ann@acme.example
    first_name: Annabelle
    last_name: Quarterhouse
    type: licensed
    create_action: custCreate
    groups: [Developers]
  - email: bob@acme.example
    first_name: Bob
    last_name: Bricklayer
    type: basic
    create_action: custCreate
"""


@pytest.fixture(scope="session")
def _fake_github_server() -> Iterator[FakeGitHub]:
    with serving(FakeGitHub()) as fake:
        yield fake


@pytest.fixture
def github(_fake_github_server: FakeGitHub) -> FakeGitHub:
    _fake_github_server.reset()
    return _fake_github_server


def zoom_env(server: ServerInfo) -> dict[str, str]:
    env = {}
    for line in server.exports():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value
    env["ZOOM_RATE_LIMIT_TIER"] = "business"
    return env


def pull_request_event(number: int, *, fork: bool = False) -> dict[str, Any]:
    base = {"repo": {"full_name": REPOSITORY}}
    head_repo = "someone/zoom-config" if fork else REPOSITORY
    return {
        "action": "synchronize",
        "number": number,
        "pull_request": {
            "number": number,
            "head": {"sha": HEAD_SHA, "repo": {"full_name": head_repo}},
            "base": base,
        },
    }


def push_event() -> dict[str, Any]:
    return {"ref": "refs/heads/main", "after": MERGE_SHA, "repository": {"full_name": REPOSITORY}}


@dataclass
class Workspace:
    """A checkout of a configuration repository, and a way to run the action in it."""

    root: Path
    github: FakeGitHub
    sandbox: ServerInfo

    def write_config(self, text: str = ORG_YAML, name: str = "zoom") -> Path:
        folder = self.root / name
        folder.mkdir(exist_ok=True)
        (folder / "org.yaml").write_text(text, encoding="utf-8")
        return folder

    def run(
        self,
        event_name: str,
        event: dict[str, Any],
        inputs: dict[str, str],
        *,
        zoom: dict[str, str] | None = None,
        token: str | None = None,
        in_process: bool = False,
        lose_runner_when: Callable[[], bool] | None = None,
    ) -> ActionResult:
        event_file = self.root / f"event-{len(list(self.root.glob('event-*')))}.json"
        event_file.write_text(json.dumps(event), encoding="utf-8")
        sha = HEAD_SHA if event_name == "pull_request" else MERGE_SHA
        env = base_env(
            {
                **(zoom_env(self.sandbox) if zoom is None else zoom),
                "GITHUB_EVENT_NAME": event_name,
                "GITHUB_EVENT_PATH": str(event_file),
                "GITHUB_REPOSITORY": REPOSITORY,
                "GITHUB_SHA": sha,
                "GITHUB_API_URL": self.github.base_url,
                "GITHUB_GRAPHQL_URL": f"{self.github.base_url}/graphql",
                "GITHUB_SERVER_URL": "https://github.example",
                "GITHUB_RUN_ID": "4242",
            }
        )
        runner = ActionRunner(
            workdir=self.root,
            env=env,
            inputs={"install": "false", **inputs},
            github_token=self.github.token if token is None else token,
            in_process=in_process,
            lose_runner_when=lose_runner_when,
        )
        return runner.run()

    def seed_zoom(self, config_text: str) -> None:
        """Make the live account what `config_text` describes, as if applied (or edited by hand)."""
        response = httpx.post(
            f"{self.sandbox.root_url}/_sandbox/seed",
            content=config_text.encode(),
            headers={"content-type": "application/yaml"},
            timeout=10,
        )
        assert response.status_code == 200, response.text

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(
            method, f"{self.sandbox.root_url}/_sandbox/{path}", json=body, timeout=10
        )
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def zoom(self, method: str, path: str, body: Any = None) -> Any:
        """A call to the sandbox's Zoom API, as a person editing the account by hand makes."""
        credentials = self.sandbox.credentials
        token = httpx.post(
            self.sandbox.token_url,
            data={"grant_type": "account_credentials", "account_id": credentials.account_id},
            auth=(credentials.client_id, credentials.client_secret),
            timeout=10,
        ).json()["access_token"]
        response = httpx.request(
            method,
            f"{self.sandbox.base_url}{path}",
            json=body,
            headers={"authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def journal_writes(self) -> list[dict[str, Any]]:
        response = httpx.get(f"{self.sandbox.root_url}/_sandbox/journal", timeout=10)
        entries = response.json()["entries"]
        return [e for e in entries if e["method"] != "GET" and e["path"].startswith("/v2/")]


@pytest.fixture
def workspace(tmp_path: Path, github: FakeGitHub, sandbox_server: ServerInfo) -> Workspace:
    return Workspace(tmp_path, github, sandbox_server)
