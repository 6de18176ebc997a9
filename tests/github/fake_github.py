"""A fake of the GitHub REST API calls the Action makes, served over HTTP on 127.0.0.1.

Like the real API it pages comments with `Link` headers, refuses comment bodies over 65,536
characters, refuses writes with a read-only token, and answers `/commits/{sha}/pulls`. Every
request is recorded so tests can check what was sent (and that no secret was).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

MAX_BODY = 65_536
BOT = {"login": "github-actions[bot]", "type": "Bot"}


@dataclass
class Recorded:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeGitHub:
    token: str = "ghs_faketoken0123456789abcdefghijklmnopq"
    read_only_tokens: set[str] = field(default_factory=set)
    per_page_cap: int = 100
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    pulls: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    minimized: set[str] = field(default_factory=set)
    requests: list[Recorded] = field(default_factory=list)
    base_url: str = ""
    _next_id: int = 1000

    def reset(self) -> None:
        self.comments.clear()
        self.pulls.clear()
        self.minimized.clear()
        self.requests.clear()
        self.read_only_tokens.clear()
        self.per_page_cap = 100

    def add_comment(self, issue: int, body: str, user: dict[str, str] | None = None) -> int:
        self._next_id += 1
        comment_id = self._next_id
        self.comments[comment_id] = {
            "id": comment_id,
            "node_id": f"IC_{comment_id}",
            "issue": issue,
            "body": body,
            "user": user or BOT,
        }
        return comment_id

    def comments_on(self, issue: int) -> list[dict[str, Any]]:
        return [c for _, c in sorted(self.comments.items()) if c["issue"] == issue]

    def merged(self, sha: str, number: int) -> None:
        self.pulls.setdefault(sha, []).append(
            {"number": number, "merged_at": "2026-01-01T00:00:00Z", "merge_commit_sha": sha}
        )

    # the app ---------------------------------------------------------------------------

    def _auth(self, request: Request, write: bool) -> Response | None:
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ")
        if token != self.token and token not in self.read_only_tokens:
            return JSONResponse({"message": "Bad credentials"}, status_code=401)
        if write and token in self.read_only_tokens:
            return JSONResponse(
                {"message": "Resource not accessible by integration"}, status_code=403
            )
        return None

    async def _record(self, request: Request) -> Any:
        raw = await request.body()
        body = None
        if raw:
            import json

            body = json.loads(raw)
        self.requests.append(
            Recorded(
                request.method, request.url.path, request.url.query, dict(request.headers), body
            )
        )
        return body

    def _public(self, comment: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in comment.items() if k != "issue"}

    async def list_or_create(self, request: Request) -> Response:
        body = await self._record(request)
        issue = int(request.path_params["number"])
        refused = self._auth(request, write=request.method == "POST")
        if refused:
            return refused
        if request.method == "POST":
            text = str((body or {}).get("body", ""))
            if len(text) > MAX_BODY:
                return JSONResponse({"message": "Body is too long"}, status_code=422)
            comment_id = self.add_comment(issue, text)
            return JSONResponse(self._public(self.comments[comment_id]), status_code=201)
        per_page = min(int(request.query_params.get("per_page", "30")), self.per_page_cap)
        page = int(request.query_params.get("page", "1"))
        everything = self.comments_on(issue)
        chunk = everything[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(everything):
            nxt = f"{self.base_url}{request.url.path}?per_page={per_page}&page={page + 1}"
            headers["Link"] = f'<{nxt}>; rel="next"'
        return JSONResponse([self._public(c) for c in chunk], headers=headers)

    async def edit(self, request: Request) -> Response:
        body = await self._record(request)
        refused = self._auth(request, write=True)
        if refused:
            return refused
        comment = self.comments.get(int(request.path_params["comment_id"]))
        if comment is None:
            return JSONResponse({"message": "Not Found"}, status_code=404)
        text = str((body or {}).get("body", ""))
        if len(text) > MAX_BODY:
            return JSONResponse({"message": "Body is too long"}, status_code=422)
        comment["body"] = text
        return JSONResponse(self._public(comment))

    async def commit_pulls(self, request: Request) -> Response:
        await self._record(request)
        refused = self._auth(request, write=False)
        return refused or JSONResponse(self.pulls.get(request.path_params["sha"], []))

    async def graphql(self, request: Request) -> Response:
        body = await self._record(request)
        refused = self._auth(request, write=True)
        if refused:
            return refused
        node_id = body["variables"]["id"]
        self.minimized.add(node_id)
        return JSONResponse(
            {"data": {"minimizeComment": {"minimizedComment": {"isMinimized": True}}}}
        )

    def app(self) -> Starlette:
        repo = "/repos/{owner}/{repo}"
        return Starlette(
            routes=[
                Route(
                    repo + "/issues/{number:int}/comments",
                    self.list_or_create,
                    methods=["GET", "POST"],
                ),
                Route(repo + "/issues/comments/{comment_id:int}", self.edit, methods=["PATCH"]),
                Route(repo + "/commits/{sha}/pulls", self.commit_pulls, methods=["GET"]),
                Route("/graphql", self.graphql, methods=["POST"]),
            ]
        )


@contextmanager
def serving(fake: FakeGitHub) -> Iterator[FakeGitHub]:
    """The fake on a free port of 127.0.0.1, in a background thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(fake.app(), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the fake GitHub server did not start")
        time.sleep(0.01)
    fake.base_url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
