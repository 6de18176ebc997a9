"""`validate` on what ties users together: the `id` pin, managed domains and assistants.

Whether a pinned user's email changes is known only against the account, so validate never
judges a pinned email by `managed_domains` (the plan does: tests/e2e/test_assistants_email.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.config import load_config
from reconciler.errors import ConfigError

CONFIG = """\
version: 1
policy:
  managed_domains: [acme.example, "@ACME.example", acme, bad domain.example]
users:
  - email: ann@acme.example
    id: SAME1
    type: basic
    assistants: [bob@acme.example, ann@acme.example, BOB@acme.example, cat@acme.example]
  - email: bob@other.example
    id: SAME1
  - email: cat@acme.example
    type: basic
  - email: dan@acme.example
    type: licensed
    assistants: [outside@partner.example]
"""


def test_every_problem_is_reported_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    found = {(d.line, d.col, d.message) for d in refused.value.diagnostics}
    assert found == {
        (
            7,
            11,
            "user 'ann@acme.example' has scheduling assistants, so it must be licensed "
            "(Zoom: the user as well as the assistant must have a Licensed license)",
        ),
        (8, 36, "a user cannot be their own scheduling assistant"),
        (8, 54, "'BOB@acme.example' is listed twice in assistants"),
        (
            8,
            72,
            "assistant 'cat@acme.example' is declared with type basic; "
            "a scheduling assistant must be licensed",
        ),
        (3, 35, "'@ACME.example' is listed twice in managed_domains"),
        (3, 52, "'acme' is not a domain name (such as acme.example)"),
        (3, 58, "'bad domain.example' is not a domain name (such as acme.example)"),
        (
            10,
            9,
            f"id 'SAME1' is pinned by both 'ann@acme.example' (at {path}:6:9) and "
            "'bob@other.example'",
        ),
    }


def test_pins_assistants_and_outside_emails_are_valid_when_they_agree(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(
        "version: 1\n"
        "policy: {managed_domains: [acme.example, '@acme.io']}\n"
        "users:\n"
        "  - {email: ann@acme.example, id: A1, type: licensed, assistants: [bob@acme.example]}\n"
        "  - {email: bob@acme.io, id: B1, assistants: [helper@partner.example]}\n"
        "  - {email: guest@partner.example, id: G1}\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert [u.id for u in config.users] == ["A1", "B1", "G1"]  # a pinned outsider is no error
    assert config.users[1].assistants == ["helper@partner.example"]
