"""A canary run: every failure path, logs at DEBUG, and no secret anywhere in what comes out."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest

from reconciler.errors import ReconcilerError
from reconciler.zoom.types import CreateAction
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
