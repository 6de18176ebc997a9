"""Who came from the identity provider: users created through SCIM2 log in with SSO (101),
as Zoom gives a SCIM-provisioned user; users created through v2 with a work email (100)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import pytest

from reconciler.sandbox import ServerInfo
from tests.sandbox.support import Contract, http_client


@pytest.fixture
def zoom(sandbox_server: ServerInfo) -> Iterator[Contract]:
    with closing(http_client(sandbox_server)) as client:
        yield Contract(client)


def test_scim2_users_carry_sso_and_v2_users_a_work_email(zoom: Contract) -> None:
    provisioned = zoom(
        "POST",
        "/scim2/Users",
        json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "ann@acme.example",
            "name": {"givenName": "Ann", "familyName": "Archer"},
        },
        expect=201,
    ).json()
    invited = zoom(
        "POST",
        "/users",
        json={"action": "custCreate", "user_info": {"email": "cora@partner.example", "type": 1}},
        expect=201,
    ).json()
    types = {
        user_id: zoom("GET", "/users/{userId}", path={"userId": user_id}).json()["login_types"]
        for user_id in (provisioned["id"], invited["id"])
    }
    assert types == {provisioned["id"]: [101], invited["id"]: [100]}
