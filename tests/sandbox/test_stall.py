"""`/_sandbox/stall`: the Nth accepted write is made and its answer held until released; nothing
the client sends after it is ever made."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from reconciler.sandbox import ServerInfo
from tests.sandbox.support import http_client


def _until(check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30  # a hang, not a speed limit
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def _in_thread(call: Callable[[], Any], into: list[Any]) -> threading.Thread:
    def run() -> None:
        try:
            into.append(call().status_code)
        except httpx.TransportError as problem:
            into.append(type(problem).__name__)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_the_nth_write_is_made_and_its_answer_held_until_released(
    sandbox_server: ServerInfo,
) -> None:
    control = f"{sandbox_server.root_url}/_sandbox/stall"
    client, late = http_client(sandbox_server), http_client(sandbox_server)
    try:
        assert httpx.post(control, json={"after_writes": 2}).json()["stalled"] is False
        first = client.post("/v2/groups", json={"name": "One"})
        assert first.status_code == 201
        answers: list[Any] = []
        second = _in_thread(lambda: client.post("/v2/groups", json={"name": "Two"}), answers)
        _until(lambda: bool(httpx.get(control).json()["stalled"]))
        names = {g.name for g in sandbox_server.app.sandbox.store.groups.values()}
        assert names == {"One", "Two"}  # made, though not answered
        assert answers == []
        assert httpx.get(control).json() == {
            "after_writes": 2,
            "writes": 2,
            "stalled": True,
            "held": 1,
            "waiting": 0,
        }
        released = httpx.delete(control).json()
        assert released["stalled"] is False
        second.join(30)
        assert answers == [201]
    finally:
        client.close()
        late.close()


def test_a_request_sent_after_the_cut_is_never_made(sandbox_server: ServerInfo) -> None:
    """A client that sends more while the Nth answer is held has made its last write: what it
    sent later is dropped on release, unmade, so it cannot land in a later run."""
    control = f"{sandbox_server.root_url}/_sandbox/stall"
    client, late = http_client(sandbox_server), http_client(sandbox_server)
    try:
        httpx.post(control, json={"after_writes": 1}).raise_for_status()
        held: list[Any] = []
        dropped: list[Any] = []
        first = _in_thread(lambda: client.post("/v2/groups", json={"name": "One"}), held)
        _until(lambda: bool(httpx.get(control).json()["stalled"]))
        second = _in_thread(lambda: late.post("/v2/groups", json={"name": "Two"}), dropped)
        _until(lambda: httpx.get(control).json()["waiting"] == 1)
        names = {g.name for g in sandbox_server.app.sandbox.store.groups.values()}
        assert names == {"One"}
        httpx.delete(control).raise_for_status()
        first.join(30)
        second.join(30)
        assert held == [201]
        assert dropped == ["RemoteProtocolError"]  # the connection closed without an answer
        names = {g.name for g in sandbox_server.app.sandbox.store.groups.values()}
        assert names == {"One"}
        journal = httpx.get(f"{sandbox_server.root_url}/_sandbox/journal").json()["entries"]
        writes = sorted(e["status"] for e in journal if e["path"] == "/v2/groups")
        assert writes == [0, 201]  # the later one journalled as dropped
    finally:
        client.close()
        late.close()
