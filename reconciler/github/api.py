"""The few GitHub REST (and one GraphQL) calls the Action makes, with `GITHUB_TOKEN`.

The token travels only in the Authorization header; errors name the call and GitHub's message,
never the headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reconciler.errors import ReconcilerError
from reconciler.zoom.http import ApiResponse, send_json

API_VERSION = "2022-11-28"
PER_PAGE = 100
MAX_PAGES = 50
NEXT_LINK = re.compile(r'<([^>]+)>;\s*rel="next"')


class GitHubAPIError(ReconcilerError):
    def __init__(self, method: str, path: str, status: int, message: str) -> None:
        self.status = status
        hint = ""
        if status in (401, 403, 404):
            hint = (
                " (does the workflow grant `pull-requests: write`? A pull request from a fork"
                " gets a read-only token)"
            )
        super().__init__(f"GitHub {method} {path}: HTTP {status}: {message}{hint}")


@dataclass(frozen=True)
class IssueComment:
    id: int
    node_id: str
    body: str
    by_bot: bool
    """Written by a GitHub App or `github-actions[bot]`, never by a person."""


def _comment(raw: Any) -> IssueComment:
    user = raw.get("user") or {}
    return IssueComment(
        id=int(raw["id"]),
        node_id=str(raw.get("node_id") or ""),
        body=str(raw.get("body") or ""),
        by_bot=user.get("type") == "Bot",
    )


@dataclass
class GitHubAPI:
    api_url: str
    graphql_url: str
    repository: str
    token: str = field(repr=False)

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "zoom-reconciler",
        }

    def _call(
        self, method: str, url: str, json: dict[str, Any] | None = None, what: str = ""
    ) -> ApiResponse:
        response = send_json(method, url, headers=self._headers(), json=json)
        if response.status >= 400:
            body = response.body if isinstance(response.body, dict) else {}
            message = str(body.get("message") or "no message")
            raise GitHubAPIError(method, what or url, response.status, message)
        return response

    def _repo(self, path: str) -> str:
        return f"{self.api_url}/repos/{self.repository}{path}"

    def issue_comments(self, number: int) -> list[IssueComment]:
        """Every comment on the pull request, oldest first (following `Link: rel=next`)."""
        url: str | None = self._repo(f"/issues/{number}/comments?per_page={PER_PAGE}")
        found: list[IssueComment] = []
        for _ in range(MAX_PAGES):
            if url is None:
                break
            response = self._call("GET", url, what=f"issues/{number}/comments")
            found += [_comment(raw) for raw in response.body or []]
            link = NEXT_LINK.search(response.headers.get("link", ""))
            url = link.group(1) if link else None
        return found

    def create_comment(self, number: int, body: str) -> IssueComment:
        response = self._call(
            "POST",
            self._repo(f"/issues/{number}/comments"),
            {"body": body},
            what=f"issues/{number}/comments",
        )
        return _comment(response.body)

    def edit_comment(self, comment_id: int, body: str) -> IssueComment:
        response = self._call(
            "PATCH",
            self._repo(f"/issues/comments/{comment_id}"),
            {"body": body},
            what=f"issues/comments/{comment_id}",
        )
        return _comment(response.body)

    def minimize_comment(self, node_id: str) -> None:
        """Hide a superseded comment as outdated (GraphQL only; REST has no such call)."""
        query = (
            "mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED})"
            " { minimizedComment { isMinimized } } }"
        )
        response = self._call(
            "POST", self.graphql_url, {"query": query, "variables": {"id": node_id}}, "graphql"
        )
        errors = response.body.get("errors") if isinstance(response.body, dict) else None
        if errors:
            raise GitHubAPIError("POST", "graphql", response.status, str(errors[0].get("message")))

    def merged_pull_requests(self, sha: str) -> list[int]:
        """Numbers of the merged pull requests that brought in commit `sha` (its merge first)."""
        response = self._call(
            "GET", self._repo(f"/commits/{sha}/pulls"), what=f"commits/{sha}/pulls"
        )
        merged = [pr for pr in response.body or [] if pr.get("merged_at")]
        merged.sort(key=lambda pr: pr.get("merge_commit_sha") != sha)
        return [int(pr["number"]) for pr in merged]
