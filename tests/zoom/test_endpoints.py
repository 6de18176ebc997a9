"""The endpoint table agrees with Zoom's own API reference, and its retry rules hold together."""

from __future__ import annotations

import re

import pytest

from reconciler.catalog import OUTSIDE_USERS_API, Api
from reconciler.openapi import load_spec
from reconciler.zoom import ENDPOINTS, Category, Endpoint, HttpMethod, Operation

SPEC = load_spec("users-api")
SCIM_SPEC = load_spec("scim2-api")
SCIM2 = [e for e in ENDPOINTS.values() if e.api is Api.SCIM2]
IN_USERS_API = [
    e for e in ENDPOINTS.values() if e.operation not in OUTSIDE_USERS_API and e.api is Api.V2
]


def _spec_path(endpoint: Endpoint) -> str:
    """Our snake_case placeholders back to the spec's camelCase ones."""
    return re.sub(r"\{(\w+)\}", lambda m: "{" + _camel(m.group(1)) + "}", endpoint.path)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _operation(endpoint: Endpoint) -> dict[str, object]:
    item = SPEC["paths"][_spec_path(endpoint)]
    found: dict[str, object] = item[endpoint.method.value.lower()]
    return found


def test_operations_outside_the_users_api_are_listed_and_really_outside() -> None:
    """The allow-list names only operations the Users API document lacks, so a typo in a
    Users API path cannot hide behind it."""
    assert set(OUTSIDE_USERS_API) == {Operation.GET_ACCOUNT_LOCK_SETTINGS}
    for operation in OUTSIDE_USERS_API:
        assert _spec_path(ENDPOINTS[operation]) not in SPEC["paths"]


def test_account_lock_settings_is_a_medium_get_of_the_accounts_api() -> None:
    endpoint = ENDPOINTS[Operation.GET_ACCOUNT_LOCK_SETTINGS]
    assert endpoint.method is HttpMethod.GET
    assert endpoint.category is Category.MEDIUM
    assert endpoint.idempotent
    assert endpoint.page is None
    assert endpoint.render(account_id="me") == "/accounts/me/lock_settings"


def test_every_operation_has_one_endpoint() -> None:
    assert set(ENDPOINTS) == set(Operation)


@pytest.mark.parametrize("endpoint", IN_USERS_API, ids=lambda e: e.operation.value)
def test_method_and_path_exist_in_the_users_api(endpoint: Endpoint) -> None:
    assert _operation(endpoint)


@pytest.mark.parametrize("endpoint", IN_USERS_API, ids=lambda e: e.operation.value)
def test_category_is_zoom_rate_limit_label(endpoint: Endpoint) -> None:
    description = str(_operation(endpoint)["description"])
    label = re.search(r"Rate Limit Label.*?`(\w[\w-]*)`", description)
    assert label, "the spec names a label for every operation we use"
    assert Category.from_label(label.group(1)) is endpoint.category


@pytest.mark.parametrize("endpoint", IN_USERS_API, ids=lambda e: e.operation.value)
def test_page_size_is_within_what_the_spec_allows(endpoint: Endpoint) -> None:
    if endpoint.page is None:
        return
    params = {p["name"]: p for p in _operation(endpoint).get("parameters", [])}  # type: ignore[attr-defined]
    assert "next_page_token" in params
    maximum = params["page_size"]["schema"].get("maximum")
    assert maximum is None or endpoint.page.size <= maximum


# POSTs that set a value rather than add something: sent twice, the second finds it done
# (POST /users/features answers "No need to update" for those users, which is a success).
SETTING_POSTS = {Operation.UPDATE_USERS_FEATURES}


def test_creates_and_adds_are_never_idempotent() -> None:
    for endpoint in ENDPOINTS.values():
        if endpoint.method is HttpMethod.POST:
            assert endpoint.idempotent is (endpoint.operation in SETTING_POSTS), endpoint.operation
        if endpoint.method is HttpMethod.GET:
            assert endpoint.idempotent, endpoint.operation


def test_only_deletes_may_treat_not_found_as_done() -> None:
    for endpoint in ENDPOINTS.values():
        if endpoint.gone:
            assert endpoint.method is HttpMethod.DELETE, endpoint.operation


def test_paths_escape_ids_but_keep_emails_readable() -> None:
    endpoint = ENDPOINTS[Operation.REMOVE_GROUP_MEMBER]
    rendered = endpoint.render(group_id="g/1", member_id="ann+zoom@acme.example")
    assert rendered == "/groups/g%2F1/members/ann%2Bzoom@acme.example"


@pytest.mark.parametrize("endpoint", SCIM2, ids=lambda e: e.operation.value)
def test_scim2_operations_exist_with_zoom_rate_limit_label(endpoint: Endpoint) -> None:
    """SCIM2 paths are relative to `/scim2`; their labels are the SCIM2 document's (seed 000)."""
    item = SCIM_SPEC["paths"]["/scim2" + _spec_path(endpoint)][endpoint.method.value.lower()]
    label = re.search(r"Rate Limit Label.*?`(\w[\w-]*)`", str(item["description"]))
    assert label
    assert Category.from_label(label.group(1)) is endpoint.category


def test_there_is_a_scim2_operation() -> None:
    assert [e.operation for e in SCIM2] == [Operation.GET_SCIM2_USER]
