"""Each fault kind, over real HTTP, and seeded replay of a faulty run."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest

from reconciler.sandbox import DroppedConnection, ServerInfo
from reconciler.sandbox.app import SandboxApp
from reconciler.sandbox.faults import FaultConfig, FaultInjector
from tests.sandbox.support import http_client, in_process_client, token_for


def _configure(server: ServerInfo, **changes: Any) -> None:
    response = httpx.post(f"{server.root_url}/_sandbox/config", json=changes)
    assert response.status_code == 200, response.text


@pytest.fixture
def zoom(sandbox_server: ServerInfo) -> Iterator[httpx.Client]:
    with closing(http_client(sandbox_server)) as client:
        yield client


def _group_names(server: ServerInfo) -> list[str]:
    state = httpx.get(f"{server.root_url}/_sandbox/state").json()
    return [g["name"] for g in state["groups"]]


def test_server_errors_leave_nothing_behind(sandbox_server: ServerInfo, zoom: httpx.Client) -> None:
    _configure(
        sandbox_server,
        faults={"fault_rate": 1.0, "drop_share": 0.0, "applied_share": 0.0},
        random_seed=7,
    )
    answers = [zoom.post("/v2/groups", json={"name": f"G{i}"}) for i in range(5)]
    assert all(a.status_code in (500, 502, 503, 504) for a in answers)
    assert all(a.json()["code"] == a.status_code for a in answers)
    assert _group_names(sandbox_server) == []


def test_applied_then_failed_writes(sandbox_server: ServerInfo, zoom: httpx.Client) -> None:
    _configure(
        sandbox_server,
        faults={"fault_rate": 1.0, "drop_share": 0.0, "applied_share": 1.0},
        random_seed=7,
    )
    response = zoom.post("/v2/groups", json={"name": "Ghost"})
    assert response.status_code >= 500
    assert _group_names(sandbox_server) == ["Ghost"]  # the client saw an error, the change happened


def test_dropped_connections_are_transport_errors(
    sandbox_server: ServerInfo, zoom: httpx.Client
) -> None:
    _configure(sandbox_server, faults={"fault_rate": 1.0, "drop_share": 1.0}, random_seed=7)
    with pytest.raises(httpx.TransportError):
        zoom.get("/v2/groups")
    journal = httpx.get(f"{sandbox_server.root_url}/_sandbox/journal").json()["entries"]
    assert journal[-1]["path"] == "/v2/groups"
    assert journal[-1]["status"] == 0


def test_a_script_fails_exactly_the_requests_it_numbers(
    sandbox_server: ServerInfo, zoom: httpx.Client
) -> None:
    """Whatever the order of requests, the Nth fails as told and no other one fails."""
    script = {"2": 0, "3": 503, "4": 429, "5": 401, "7": 500}
    _configure(sandbox_server, faults={"script": script, "applied_share": 0.0})
    httpx.delete(f"{sandbox_server.root_url}/_sandbox/journal")
    statuses: list[int] = []
    for _ in range(8):
        try:
            statuses.append(zoom.get("/v2/groups").status_code)
        except httpx.TransportError:
            statuses.append(0)
        if statuses[-1] == 401:  # the token died: only a new one goes on
            assert zoom.get("/v2/groups").json()["message"] == "Access token is expired."
            zoom.headers["Authorization"] = f"Bearer {token_for(zoom, sandbox_server.credentials)}"
    assert statuses == [200, 0, 503, 429, 401, 200, 500, 200]
    journal = httpx.get(f"{sandbox_server.root_url}/_sandbox/journal").json()["entries"]
    # the request the dead token sent is refused before it is counted
    answered = [e["status"] for e in journal if e["path"] == "/v2/groups"]
    assert answered == [200, 0, 503, 429, 401, 401, 200, 500, 200]
    # given again, the script counts from one again
    _configure(sandbox_server, faults={"script": {"1": 502}})
    assert [zoom.get("/v2/groups").status_code for _ in range(2)] == [502, 200]


@pytest.mark.parametrize("script", [{"0": 500}, {"x": 500}, {"1": 404}, [1, 500]])
def test_a_script_names_request_numbers_and_known_failures(
    sandbox_server: ServerInfo, script: Any
) -> None:
    response = httpx.post(
        f"{sandbox_server.root_url}/_sandbox/config", json={"faults": {"script": script}}
    )
    assert response.status_code == 400
    assert "script" in response.text


def test_dropped_connection_in_process_raises(sandbox_app: SandboxApp) -> None:
    with closing(in_process_client(sandbox_app)) as zoom:
        sandbox_app.sandbox.configure({"faults": {"fault_rate": 1.0, "drop_share": 1.0}})
        with pytest.raises(DroppedConnection):
            zoom.get("/v2/groups")


def test_latency_fixed_and_jitter(sandbox_server: ServerInfo, zoom: httpx.Client) -> None:
    _configure(sandbox_server, faults={"latency_ms": 60, "jitter_ms": 40}, random_seed=7)
    started = time.perf_counter()
    for _ in range(3):
        assert zoom.get("/v2/groups").status_code == 200
    elapsed = time.perf_counter() - started
    journal = httpx.get(f"{sandbox_server.root_url}/_sandbox/journal").json()["entries"]
    delays = [e["delay_s"] for e in journal if e["path"] == "/v2/groups"]
    # Each answer waited 60 ms plus its own jitter: the seeded generator's draws, in order.
    seeded = FaultInjector(FaultConfig(latency_ms=60, jitter_ms=40), 7)
    assert delays == [seeded.delay_s() for _ in range(3)]
    assert all(0.060 <= d <= 0.100 for d in delays)
    assert len(set(delays)) == 3
    # ...and really slept them: a lower bound only, since a busy machine can only add to it.
    assert elapsed >= sum(delays)


def test_early_token_expiry(sandbox_server: ServerInfo, zoom: httpx.Client) -> None:
    _configure(sandbox_server, faults={"token_ttl_s": 30})
    assert zoom.get("/v2/groups").status_code == 200
    httpx.post(f"{sandbox_server.root_url}/_sandbox/clock", json={"advance": 31})
    expired = zoom.get("/v2/groups")
    assert expired.status_code == 401
    assert expired.json() == {"code": 124, "message": "Access token is expired."}
    with closing(http_client(sandbox_server)) as fresh:
        assert fresh.get("/v2/groups").status_code == 200


def test_429_storm_for_a_while(sandbox_server: ServerInfo, zoom: httpx.Client) -> None:
    _configure(sandbox_server, faults={"storm_seconds": 60})
    stormy = zoom.get("/v2/groups")
    assert stormy.status_code == 429
    assert stormy.headers["X-RateLimit-Type"] == "QPS"
    assert stormy.headers["Retry-After"] == "1"
    httpx.post(f"{sandbox_server.root_url}/_sandbox/clock", json={"advance": 61})
    with closing(http_client(sandbox_server)) as fresh:
        assert fresh.get("/v2/groups").status_code == 200


def test_429_storm_rate(sandbox_server: ServerInfo, zoom: httpx.Client) -> None:
    _configure(sandbox_server, faults={"storm_rate": 0.5}, random_seed=11)
    statuses = [zoom.get("/v2/groups").status_code for _ in range(40)]
    assert 5 < statuses.count(429) < 35
    assert statuses.count(200) == 40 - statuses.count(429)


DROPPED = 0


def _faulty_run(server: ServerInfo, seed: int) -> tuple[list[int], list[str]]:
    """Every fault kind at once; returns each answer's status (0: dropped) and the groups left."""
    httpx.post(f"{server.root_url}/_sandbox/reset")
    faults = {"fault_rate": 0.5, "drop_share": 0.3, "applied_share": 0.5, "storm_rate": 0.1}
    _configure(server, faults={**faults, "jitter_ms": 2}, random_seed=seed)
    statuses: list[int] = []
    with closing(http_client(server)) as zoom:
        for i in range(40):
            try:
                statuses.append(zoom.post("/v2/groups", json={"name": f"G{i}"}).status_code)
            except httpx.TransportError:
                statuses.append(DROPPED)
    return statuses, _group_names(server)


def test_same_seed_replays_the_same_faults(sandbox_server: ServerInfo) -> None:
    first, first_groups = _faulty_run(sandbox_server, 1234)
    second, second_groups = _faulty_run(sandbox_server, 1234)
    assert (first, first_groups) == (second, second_groups)
    assert {201, 429, DROPPED} <= set(first)
    assert any(s >= 500 for s in first)
    created = {f"G{i}" for i, status in enumerate(first) if status == 201}
    assert created < set(first_groups)  # plus the failed writes that were applied anyway
    other, _ = _faulty_run(sandbox_server, 4321)
    assert other != first


def test_jitter_is_drawn_from_the_seed() -> None:
    def delays(seed: int) -> list[float]:
        injector = FaultInjector(FaultConfig(latency_ms=50, jitter_ms=20), seed)
        return [injector.delay_s() for _ in range(50)]

    first = delays(3)
    assert all(0.050 <= d <= 0.070 for d in first)
    assert len(set(first)) == 50
    assert delays(3) == first
    assert delays(4) != first


def test_faults_are_off_by_default(sandbox_server: ServerInfo, zoom: httpx.Client) -> None:
    config = httpx.get(f"{sandbox_server.root_url}/_sandbox/config").json()
    assert config["faults"]["fault_rate"] == 0
    assert config["faults"]["latency_ms"] == 0
    assert all(zoom.get("/v2/groups").status_code == 200 for _ in range(20))
    journal = httpx.get(f"{sandbox_server.root_url}/_sandbox/journal").json()["entries"]
    assert [e["delay_s"] for e in journal if e["path"] == "/v2/groups"] == [0.0] * 20
