"""The sandbox's user settings and licences: both write paths keep one `feature` object, Zoom's
refusals and `fail_details`, the 10-second limit on POST /users/features, and seats."""

from __future__ import annotations

from contextlib import closing

import httpx

from reconciler.model.features import FEATURES, FeatureKind
from reconciler.sandbox import SandboxOptions, create_app
from reconciler.sandbox.app import SandboxApp
from reconciler.sandbox.features import LICENCES
from reconciler.sandbox.seed import load_seed_text
from tests.sandbox.support import in_process_client

SEED = """\
version: 1
account:
  seats: {webinar: 2}
users:
  - {email: ann@acme.example, type: licensed, features: {webinar: 500, zoom_whiteboard: true}}
  - {email: bob@acme.example, type: licensed}
  - {email: cat@acme.example, type: licensed}
  - {email: dan@acme.example, type: basic, settings: {in_meeting: {chat: false}}}
"""


def _app(*, rate_limits: bool = False) -> SandboxApp:
    app = create_app(SandboxOptions(rate_limits=rate_limits, random_seed=3))
    load_seed_text(app.sandbox.store, SEED)
    return app


def _feature(client: httpx.Client, email: str) -> dict[str, object]:
    response = client.get(f"/v2/users/{email}/settings")
    assert response.status_code == 200, response.text
    feature: dict[str, object] = response.json()["feature"]
    return feature


def test_a_fresh_user_holds_no_licence_and_defaults_from_the_spec() -> None:
    with closing(in_process_client(_app())) as client:
        body = client.get("/v2/users/bob@acme.example/settings").json()
        assert body["feature"]["webinar"] is False
        assert body["feature"]["concurrent_meeting"] == "None"
        dan = client.get("/v2/users/dan@acme.example/settings").json()
        assert dan["in_meeting"]["chat"] is False


def test_patch_and_bulk_write_the_same_feature_object() -> None:
    with closing(in_process_client(_app())) as client:
        assert _feature(client, "ann@acme.example")["webinar_capacity"] == 500
        patched = client.patch(
            "/v2/users/bob@acme.example/settings",
            json={"feature": {"large_meeting": True, "large_meeting_capacity": 1000}},
        )
        assert patched.status_code == 204, patched.text
        bulk = client.post(
            "/v2/users/features",
            json={
                "feature_type": "large_meeting",
                "feature_value": "2048",
                "users": [{"email": "ann@acme.example"}, {"email": "bob@acme.example"}],
            },
        )
        assert bulk.status_code == 201, bulk.text
        assert len(bulk.json()["success_user_ids"]) == 2
        for email in ("ann@acme.example", "bob@acme.example"):
            feature = _feature(client, email)
            assert feature["large_meeting"] is True
            assert feature["large_meeting_capacity"] == 5000


def test_bulk_reports_each_users_reason_and_changes_only_the_others() -> None:
    with closing(in_process_client(_app())) as client:
        bob = client.get("/v2/users/bob@acme.example").json()["id"]
        answer = client.post(
            "/v2/users/features",
            json={
                "feature_type": "webinar",
                "feature_value": "1",
                "users": [
                    {"id": bob},
                    {"email": "cat@acme.example"},
                    {"email": "dan@acme.example"},
                    {"email": "ann@acme.example"},
                    {"email": "nobody@acme.example"},
                ],
            },
        )
        assert answer.status_code == 201
        body = answer.json()
        reasons = {d["reason"]: d["user_ids"] for d in body["fail_details"]}
        assert body["success_user_ids"] == [bob]
        assert set(reasons) == {
            "Not enough seats",
            "Unpaid user",
            "No need to update",
            "Users not found",
        }
        assert reasons["Users not found"] == ["nobody@acme.example"]
        assert _feature(client, "cat@acme.example")["webinar"] is False
        assert _feature(client, "dan@acme.example")["webinar"] is False


def test_patch_refuses_a_licence_beyond_the_seats_and_for_a_basic_user() -> None:
    with closing(in_process_client(_app())) as client:
        on = {"feature": {"webinar": True, "webinar_capacity": 500}}
        assert client.patch("/v2/users/bob@acme.example/settings", json=on).status_code == 204
        refused = client.patch("/v2/users/cat@acme.example/settings", json=on)
        assert refused.status_code == 400
        assert refused.json()["code"] == 200
        basic = client.patch("/v2/users/dan@acme.example/settings", json=on)
        assert basic.json()["code"] == 1122
        assert _feature(client, "cat@acme.example")["webinar"] is False


def test_post_users_features_takes_one_request_every_ten_seconds() -> None:
    app = _app(rate_limits=True)
    body = {
        "feature_type": "zoom_whiteboard",
        "feature_value": "true",
        "users": [{"email": "bob@acme.example"}],
    }
    with closing(in_process_client(app)) as client:
        assert client.post("/v2/users/features", json=body).status_code == 201
        again = client.post("/v2/users/features", json=body)
        assert again.status_code == 429
        assert 1 <= int(again.headers["Retry-After"]) <= 10
        app.sandbox.clock.advance(10)
        assert client.post("/v2/users/features", json=body).status_code == 201


def test_the_sandbox_licence_codes_agree_with_the_reconcilers_table() -> None:
    for name, feature in FEATURES.items():
        if not feature.bulk:
            continue
        licence = LICENCES[name]
        if feature.kind is FeatureKind.CAPACITY:
            assert feature.bulk_codes is not None
            assert licence.codes is not None
            for capacity, code in feature.bulk_codes.items():
                assert licence.codes[code] == capacity
            assert licence.capacity_key == feature.capacity_key
        assert licence.flag == feature.flag
        assert licence.plan == (feature.kind is FeatureKind.PLAN)
