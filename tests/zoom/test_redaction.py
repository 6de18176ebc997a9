"""Canary runs: every failure path, logs at DEBUG, and no secret anywhere in what comes out."""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import stamina
from rich.console import Console

from reconciler.cli.logs import configure_logging
from reconciler.cli.main import main
from reconciler.errors import ReconcilerError
from reconciler.sandbox import ServerInfo
from reconciler.zoom.types import CreateAction
from tests.live.support import seed_server
from tests.zoom.fakes import BASIC, CLIENT_SECRET, FakeZoom, make_client, zoom_error

pytestmark = pytest.mark.anyio


async def test_no_secret_or_token_in_errors_reprs_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    zoom = FakeZoom(lambda request: httpx.Response(200, json={"id": "g1", "name": "G"}))
    texts: list[str] = []
    async with make_client(zoom) as client:
        texts.append(repr(client.stats))
        zoom.queue(
            zoom_error(500, None, "boom"),
            httpx.ReadTimeout("timed out"),
            zoom_error(429, 429, "slow down", **{"Retry-After": "1"}),
        )
        await client.get_group("g1")  # retried through all three
        failures: list[httpx.Response | Exception] = [
            zoom_error(500, None, "boom"),
            httpx.RemoteProtocolError("dropped"),
            zoom_error(404, 4130, "Group does not exist: g1."),
            zoom_error(401, 124, "Invalid access token."),
        ]
        for failure in failures:
            zoom.queue(failure, zoom_error(401, 124, "Invalid access token."))
            try:
                await client.create_user(CreateAction.CREATE, {"email": "a@x", "type": 1})
            except ReconcilerError as error:
                texts.append(str(error))
                texts.append(repr(error))
                texts.append("".join(traceback.format_exception(error)))
            zoom.script.clear()
        zoom.token_answer = httpx.Response(400, json={"reason": "bad", "error": "invalid_client"})
        zoom.revoked.update({"tok-1", "tok-2", "tok-3", "tok-4", "tok-5", "tok-6"})
        with pytest.raises(ReconcilerError) as refused:
            await client.get_group("g1")
        texts.append("".join(traceback.format_exception(refused.value)))
    tokens = set(zoom.tokens_used) - {""}
    assert tokens, "the run used real tokens"
    output = "\n".join([*texts, caplog.text])
    assert "may or may not" in output  # the failures really happened
    assert "GET /groups/g1 -> 200" in caplog.text  # and were logged at DEBUG
    for secret in (CLIENT_SECRET, BASIC, *tokens):
        assert secret not in output


def _run_cli(*argv: str) -> int:
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    code = done.value.code
    assert isinstance(code, int)
    return code


@pytest.fixture
def zoom_env(sandbox_server: ServerInfo, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerInfo]:
    for line in sandbox_server.exports():
        name, _, value = line.removeprefix("export ").partition("=")
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CI", "1")
    yield sandbox_server
    configure_logging(0, Console())


def test_the_command_line_at_vv_never_shows_a_secret_or_token(
    zoom_env: ServerInfo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Export, plan, apply and a refused secret over real HTTP, every log line shown."""
    server = zoom_env
    seed_server(server, {"generate": {"users": 12, "groups": 2, "divisions": 2, "seed": 1}})
    httpx.post(
        f"{server.root_url}/_sandbox/config",
        # a 5xx, a token that dies mid-run and a dropped connection, by request number: a
        # fault rate would leave to chance whether any retry is logged at all
        json={"faults": {"script": {"2": 503, "3": 401, "5": 0}}},
        timeout=10,
    ).raise_for_status()
    out = tmp_path / "account"
    config = tmp_path / "more.yaml"
    config.write_text("version: 1\ngroups: [{name: Sales}]\n", encoding="utf-8")
    with stamina.set_testing(True, attempts=8):  # every retry still happens, without backoff
        codes = [_run_cli("-vv", "export", "--out", str(out))]
        codes.append(_run_cli("-vv", "plan", str(config)))
        codes.append(_run_cli("-vv", "apply", str(config), "--auto-approve"))
        os.environ["ZOOM_CLIENT_SECRET"] = "not-" + server.credentials.client_secret
        codes.append(_run_cli("-vv", "plan", str(config)))
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert codes[:2] == [0, 0]
    assert codes[3] == 1
    assert "GET /users -> 200" in output  # one line per request at -vv
    assert "Zoom API: " in output  # and what the run cost
    assert "invalid_client" in output  # the refused secret was reported
    assert "retrying after" in output  # faults were retried, and said so
    assert output.count("fetched an access token") >= 2  # tokens died and were renewed
    tokens = list(server.app.sandbox.tokens._issued)  # what the sandbox handed out
    assert len(tokens) >= 2
    secret = server.credentials.client_secret
    for forbidden in (secret, *tokens, "Bearer", "Basic "):
        assert forbidden not in output
