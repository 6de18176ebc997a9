"""What the workflow run is about, from the runner's `GITHUB_*` variables and the event file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconciler.errors import ReconcilerError


@dataclass(frozen=True)
class PullRequest:
    number: int
    head_sha: str
    from_fork: bool
    """Opened from another repository: its workflow runs get no secrets and a read-only token."""


@dataclass(frozen=True)
class GitHubContext:
    event_name: str = ""
    repository: str = ""
    sha: str = ""
    api_url: str = "https://api.github.com"
    graphql_url: str = "https://api.github.com/graphql"
    server_url: str = "https://github.com"
    run_id: str = ""
    pull_request: PullRequest | None = None

    @property
    def run_url(self) -> str | None:
        if not (self.repository and self.run_id):
            return None
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"

    @property
    def short_sha(self) -> str:
        return self.sha[:7]

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> GitHubContext:
        event_name = env.get("GITHUB_EVENT_NAME", "")
        event = _read_event(env.get("GITHUB_EVENT_PATH", ""))
        pull_request = _pull_request(event) if event_name.startswith("pull_request") else None
        sha = env.get("GITHUB_SHA", "")
        if pull_request is not None:
            sha = pull_request.head_sha or sha
        return cls(
            event_name=event_name,
            repository=env.get("GITHUB_REPOSITORY", ""),
            sha=sha,
            api_url=env.get("GITHUB_API_URL", "").rstrip("/") or cls.api_url,
            graphql_url=env.get("GITHUB_GRAPHQL_URL", "") or cls.graphql_url,
            server_url=env.get("GITHUB_SERVER_URL", "").rstrip("/") or cls.server_url,
            run_id=env.get("GITHUB_RUN_ID", ""),
            pull_request=pull_request,
        )


def _read_event(path: str) -> dict[str, Any]:
    if not path:
        return {}
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as bad:
        raise ReconcilerError(f"cannot read the event file GITHUB_EVENT_PATH: {bad}") from None
    return event if isinstance(event, dict) else {}


def _repo_name(side: Any) -> str | None:
    repo = side.get("repo") if isinstance(side, dict) else None
    name = repo.get("full_name") if isinstance(repo, dict) else None
    return name if isinstance(name, str) else None


def _pull_request(event: Mapping[str, Any]) -> PullRequest | None:
    pr = event.get("pull_request")
    if not isinstance(pr, dict) or not isinstance(pr.get("number"), int):
        return None
    head = pr.get("head")
    head = head if isinstance(head, dict) else {}
    head_repo, base_repo = _repo_name(head), _repo_name(pr.get("base"))
    # A deleted fork has no head repository at all: still not this repository.
    from_fork = head_repo is None or (base_repo is not None and head_repo != base_repo)
    return PullRequest(
        number=pr["number"], head_sha=str(head.get("sha") or ""), from_fork=from_fork
    )
