"""Settings sections that Zoom documents in its reference pages but not in its OpenAPI spec.

The reference page of `GET /groups/{groupId}/settings` lists `general_setting` and
`mail_calendar`, with the keys below, while the spec has neither and the page of
`PATCH /groups/{groupId}/settings` does not list them in its body. They are accepted in a
group's `settings` and sent in the default PATCH body, as the GET response shows them next
to the other default sections; that Zoom applies them there is an assumption, not documented.
They have no locks.
"""

from __future__ import annotations

from .convert import JSONSchema


def _boolean(description: str) -> JSONSchema:
    return {"type": "boolean", "description": description}


def _section(description: str, keys: dict[str, JSONSchema]) -> JSONSchema:
    return {
        "type": "object",
        "description": description
        + " Documented only in the GET settings reference, not in Zoom's OpenAPI spec.",
        "properties": keys,
        "additionalProperties": False,
    }


SEED_SECTIONS: dict[str, JSONSchema] = {
    "general_setting": _section(
        "General settings.",
        {
            "auto_zoom_room_proximity_connect": _boolean(
                "Allow automatic direct sharing and connecting to Zoom Rooms using ultrasonic"
                " proximity signal."
            ),
        },
    ),
    "mail_calendar": _section(
        "Email and calendar related settings.",
        {
            "email_calendar_management": _boolean(
                "Allow the Zoom client to manage both emails and calendar events for the user."
            ),
            "email_management": _boolean("Allow the Zoom client to manage user emails."),
            "zoom_email_provider": _boolean(
                "Allow users to select Zoom as their email service provider."
            ),
        },
    ),
}
