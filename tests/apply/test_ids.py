"""`IdBook`: ids a change needs but the plan could not know, read at most once and only on a miss."""

from __future__ import annotations

import pytest

from reconciler.apply.ids import IdBook, UnresolvedError
from reconciler.sandbox import SandboxApp
from tests.apply.support import requests, seed, zoom_client

pytestmark = pytest.mark.anyio

ACCOUNT = """
version: 1
users:
  - {email: owner@acme.example, role: owner}
  - {email: ann@acme.example}
groups:
  - {name: Sales, id: g-sales}
  - {name: Support, id: g-support}
divisions:
  - {name: EMEA, id: d-emea}
contact_groups:
  - {name: Helpdesk, id: c-help, members: {users: [ann@acme.example]}}
"""


async def test_names_are_resolved_from_one_listing_read_only_on_a_miss(
    sandbox_app: SandboxApp,
) -> None:
    seed(sandbox_app, ACCOUNT)
    async with zoom_client(sandbox_app) as zoom:
        ids = IdBook(zoom, groups={"New": "g-new"})
        assert await ids.group_id("New") == "g-new"  # created by this run: no read
        assert await ids.group_id("Sales", known="g-known") == "g-known"
        assert requests(sandbox_app, "GET", "/v2/groups") == 0
        assert await ids.group_id("sales") == "g-sales"  # names compare without case
        assert await ids.group_id("Support") == "g-support"
        with pytest.raises(UnresolvedError, match="group Gone does not exist"):
            await ids.group_id("Gone")
        assert requests(sandbox_app, "GET", "/v2/groups") == 1
        assert await ids.division_id("EMEA") == "d-emea"
        with pytest.raises(UnresolvedError, match="division APAC does not exist"):
            await ids.division_id("APAC")
        assert requests(sandbox_app, "GET", "/v2/divisions") == 1
        assert await ids.contact_group_id("Helpdesk") == "c-help"
        with pytest.raises(UnresolvedError, match="contact group Nope does not exist"):
            await ids.contact_group_id("Nope")
        assert requests(sandbox_app, "GET", "/v2/contacts/groups") == 1


async def test_a_user_id_is_read_by_email_once(
    sandbox_app: SandboxApp,
) -> None:
    store = seed(sandbox_app, ACCOUNT)
    ann = next(u for u in store.users.values() if u.email == "ann@acme.example")
    async with zoom_client(sandbox_app) as zoom:
        ids = IdBook(zoom)
        assert ids.user_ref("Ann@acme.example") == "Ann@acme.example"  # Zoom takes an email
        assert await ids.user_id("Ann@acme.example") == ann.id
        assert await ids.user_id("ann@acme.example") == ann.id
        assert ids.user_ref("ann@acme.example") == ann.id
        assert requests(sandbox_app, "GET", "/v2/users/") == 1
        with pytest.raises(UnresolvedError, match=r"user nobody@acme\.example does not exist"):
            await ids.user_id("nobody@acme.example")
