"""`/_sandbox/stall`: the API holds its answers from the Nth accepted write on, until released."""

from __future__ import annotations

import threading
import time

import httpx

from reconciler.sandbox import ServerInfo
from tests.sandbox.support import http_client


def test_the_nth_write_is_made_and_its_answer_held_until_released(
    sandbox_server: ServerInfo,
) -> None:
    control = f"{sandbox_server.root_url}/_sandbox/stall"
    client = http_client(sandbox_server)
    try:
        assert httpx.post(control, json={"after_writes": 2}).json()["stalled"] is False
        first = client.post("/v2/groups", json={"name": "One"})
        assert first.status_code == 201
        answers: list[int] = []
        second = threading.Thread(
            target=lambda: answers.append(
                client.post("/v2/groups", json={"name": "Two"}).status_code
            )
        )
        second.start()
        deadline = time.monotonic() + 30  # a hang, not a speed limit
        while not httpx.get(control).json()["stalled"]:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        names = {g.name for g in sandbox_server.app.sandbox.store.groups.values()}
        assert names == {"One", "Two"}  # made, though not answered
        assert answers == []
        assert httpx.get(control).json() == {
            "after_writes": 2,
            "writes": 2,
            "stalled": True,
            "held": 1,
        }
        released = httpx.delete(control).json()
        assert released["stalled"] is False
        second.join(30)
        assert answers == [201]
    finally:
        client.close()
