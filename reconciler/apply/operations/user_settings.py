"""A user's licences and own settings: PATCH /users/{userId}/settings, and POST /users/features
for licences the plan routed there (30 users a request, one request every 10 seconds)."""

from __future__ import annotations

from collections.abc import Sequence

from reconciler.apply.ids import IdBook
from reconciler.errors import ReconcilerError, ZoomAPIError
from reconciler.model.features import BULK_SUCCESS_REASONS, FEATURES
from reconciler.plan.changes import UserFeaturesUpdate, UserSettingsUpdate
from reconciler.schema import SettingsDocument, split_settings_by_option
from reconciler.zoom import ZoomClient
from reconciler.zoom.types import MemberRef, SettingsOption


class LicenceRefused(ReconcilerError):
    """POST /users/features answered 201 but named this user in `fail_details`."""


async def update_user_features(zoom: ZoomClient, ids: IdBook, change: UserFeaturesUpdate) -> None:
    """The licences not sent in bulk, in one PATCH (PATCH sets values: safe to repeat)."""
    body = change.patch_body()
    if body:
        await zoom.update_user_settings(ids.user_ref(change.email, change.user_id), body)


async def update_user_settings(zoom: ZoomClient, ids: IdBook, change: UserSettingsUpdate) -> None:
    """One PATCH per `option` part the written leaves fall in, as for a group's settings."""
    user = ids.user_ref(change.email, change.user_id)
    document = SettingsDocument.USER_SETTINGS
    for option, body in split_settings_by_option(document, change.patch_body()).items():
        await zoom.update_user_settings(user, body, SettingsOption(option) if option else None)


async def update_features_in_bulk(
    zoom: ZoomClient, ids: IdBook, changes: Sequence[UserFeaturesUpdate]
) -> list[Exception | None]:
    """One POST /users/features for up to 30 users sharing a licence value, then each user's
    PATCH for the rest of their licences. Zoom answers 201 even for users it did not update:
    `fail_details` makes those users' changes failed, with Zoom's reason ("No need to update"
    is a success: the user already holds the value)."""
    first = changes[0].bulk_change()
    assert first is not None
    feature = FEATURES[first.name]
    refs: list[MemberRef] = []
    for change in changes:
        known = change.user_id or ids.users.get(change.email.lower())
        refs.append({"id": known, "email": change.email} if known else {"email": change.email})
    try:
        answer = await zoom.update_users_features(first.name, feature.bulk_value(first.new), refs)
    except ZoomAPIError as refused_all:
        # A refusal of the request (not of a user) holds for every user in it: retrying them
        # one by one would only spend ten seconds each on the same answer.
        return [refused_all for _ in changes]
    refused: dict[str, str] = {}
    for detail in answer.get("fail_details") or []:
        why = str(detail.get("reason", ""))
        if why in BULK_SUCCESS_REASONS:
            continue
        for user_id in detail.get("user_ids") or []:
            refused[str(user_id).lower()] = why
    outcomes: list[Exception | None] = []
    for change, ref in zip(changes, refs, strict=True):
        reason = refused.get(ref.get("id", "").lower()) or refused.get(change.email.lower())
        if reason is not None:
            outcomes.append(LicenceRefused(f"Zoom did not set {first.name}: {reason}"))
            continue
        try:
            await update_user_features(zoom, ids, change)
        except Exception as error:  # this user's own PATCH: the others stand
            outcomes.append(error)
            continue
        outcomes.append(None)
    return outcomes
