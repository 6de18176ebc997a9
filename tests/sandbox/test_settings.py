"""Settings documents: complete defaults from the spec, deep partial merges, option variants."""

from __future__ import annotations

from contextlib import closing
from typing import Any

import pytest

from reconciler.sandbox import SandboxApp
from reconciler.sandbox.settings import Document, default_value, merge, only_fields, read
from reconciler.sandbox.spec import OperationKey, response_validator, settings_schema
from tests.sandbox.support import in_process_client


def _leaves(schema: dict[str, Any], prefix: str = "") -> set[str]:
    if "allOf" in schema:
        return set().union(*(_leaves(part, prefix) for part in schema["allOf"]))
    if schema.get("type") == "object" or "properties" in schema:
        return set().union(
            set(),
            *(
                _leaves(sub, f"{prefix}.{name}" if prefix else name)
                for name, sub in schema.get("properties", {}).items()
            ),
        )
    return {prefix}


def _doc_leaves(doc: Any, prefix: str = "") -> set[str]:
    if isinstance(doc, dict):
        return set().union(
            set(), *(_doc_leaves(v, f"{prefix}.{k}" if prefix else k) for k, v in doc.items())
        )
    return {prefix}


@pytest.mark.parametrize("document", list(Document))
def test_defaults_hold_every_key_of_the_get_schema(document: Document) -> None:
    schema = settings_schema(document.template, document.option)
    full = read(document, None)
    assert _doc_leaves(full) == _leaves(schema)
    validator = response_validator(
        OperationKey("users-api", "get", document.template), 200, document.option, closed=True
    )
    assert validator is not None
    assert [e.message for e in validator.iter_errors(full)] == []


def test_default_values_follow_the_spec() -> None:
    assert default_value({"type": "boolean"}) is False
    assert default_value({"type": "boolean", "default": True}) is True
    assert default_value({"type": "string", "enum": ["a", "b"]}) == "a"
    assert default_value({"type": "integer", "minimum": 3}) == 3
    assert default_value({"type": "array", "items": {"type": "string"}}) == []
    general = read(Document.SETTINGS, None)
    # facts §5: 244 leaves in the spec's GET settings, plus the 4 only Zoom's reference page lists
    assert len(_doc_leaves(general)) == 244 + 4
    assert general["general_setting"] == {"auto_zoom_room_proximity_connect": False}
    assert set(general["mail_calendar"]) == {
        "email_calendar_management",
        "email_management",
        "zoom_email_provider",
    }


def test_sections_only_the_reference_page_lists_are_patched_without_option(
    sandbox_app: SandboxApp,
) -> None:
    with closing(in_process_client(sandbox_app)) as zoom:
        group_id = zoom.post("/v2/groups", json={"name": "G"}).json()["id"]
        patched = zoom.patch(
            f"/v2/groups/{group_id}/settings",
            json={"general_setting": {"auto_zoom_room_proximity_connect": True}},
        )
        assert patched.status_code == 204, patched.text
        document = zoom.get(f"/v2/groups/{group_id}/settings").json()
        assert document["general_setting"]["auto_zoom_room_proximity_connect"] is True
        locked = zoom.patch(
            f"/v2/groups/{group_id}/lock_settings",
            json={"mail_calendar": {"email_management": True}},
        )
        assert locked.status_code == 400  # no lock is documented for them
        assert locked.json()["errors"] == [{"field": "mail_calendar", "message": "Invalid field."}]


def test_merge_is_deep_and_partial() -> None:
    base: dict[str, Any] = {
        "in_meeting": {"chat": False, "polling": True},
        "recording": {"auto": False},
    }
    merge(base, {"in_meeting": {"chat": True}, "recording": {"auto": True, "list": [1]}})
    assert base == {
        "in_meeting": {"chat": True, "polling": True},
        "recording": {"auto": True, "list": [1]},
    }
    merge(base, {"recording": {"list": [2]}})
    assert base["recording"]["list"] == [2]  # arrays are replaced, not appended


def test_custom_query_fields_keep_only_the_named_leaves() -> None:
    doc = {
        "in_meeting": {"chat": True, "polling": False},
        "recording": {"chat": 1},
        "profile": {"x": 1},
    }
    assert only_fields(doc, {"chat"}) == {"in_meeting": {"chat": True}, "recording": {"chat": 1}}


def test_option_documents_are_separate() -> None:
    assert set(read(Document.MEETING_SECURITY, None)) == {"meeting_security"}
    assert set(read(Document.LOCK_MEETING_SECURITY, None)) == {"meeting_security"}
    auth = read(Document.MEETING_AUTHENTICATION, None)
    assert auth["meeting_authentication"] is False
    assert auth["authentication_options"]
