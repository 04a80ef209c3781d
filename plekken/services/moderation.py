"""Changing places after they were added: approve, hide, edit and delete by professionals,
change and withdraw by their own contributor, and the moderation log of it all.

Every change is written to the moderation log (who, when, what, before -> after). Deleting
or withdrawing a place removes the row, its function types, its symbol image when no other
place uses it, and the content of its log entries: the log keeps only who did it and when.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import storage
from ..errors import ValidationError
from ..i18n import gettext
from ..storage.models import ModerationEntry, Place
from .places import check_input, outside_message
from .visibility import Viewer

__all__ = [
    "ACTIONS",
    "OWNER",
    "NotAllowed",
    "change_place",
    "delete_place",
    "history",
    "moderate",
    "pending_for",
    "place_values",
]

ACTIONS = ("approve", "hide", "delete")
#: How the log names a place's own contributor (who has no account).
OWNER = "bijdrager"
#: Fields a change may touch, as in the API.
FIELDS = (
    "name", "quote", "story", "function_types", "symbol_icon", "conditions",
    "contributor_role", "contributor_name", "show_name", "private",
    "access_free_entry", "access_costs", "access_wheelchair", "access_opening_hours",
    "access_notes", "lon", "lat",
)  # fmt: skip


class NotAllowed(PermissionError):
    """The viewer may not change this place (answered 403, or 401 without any login)."""


def place_values(place: Place) -> dict[str, Any]:
    """The changeable fields of a place, as the API takes them."""
    values = {name: getattr(place, name) for name in FIELDS if name not in ("lon", "lat")}
    values["function_types"] = place.function_types
    values["conditions"] = list(place.conditions or [])
    values["lon"], values["lat"] = round(place.lon, 7), round(place.lat, 7)
    return values


def _actor(viewer: Viewer, place: Place) -> tuple[int | None, str]:
    if viewer.user_id is not None and viewer.covers(place.gemeente_code):
        return viewer.user_id, viewer.email or ""
    return None, OWNER


def _log(session, place, viewer, action, reason="", before=None, after=None) -> None:
    user_id, actor = _actor(viewer, place)
    session.add(
        ModerationEntry(
            place_id=place.id, user_id=user_id, actor=actor, action=action,
            reason=reason or "", before=before, after=after,
        )
    )  # fmt: skip


def _require(viewer: Viewer, place: Place, owner_ok: bool = True) -> None:
    if viewer.may_moderate(place.gemeente_code) or (owner_ok and place.id in viewer.owned):
        return
    raise NotAllowed(place.id)


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def change_place(
    session: Session,
    place: Place,
    viewer: Viewer,
    data: dict[str, Any],
    *,
    image: bytes | None = None,
    lang: str = "nl",
    symbol_size: int = 256,
    owner_status: str = "pending",
) -> Place:
    """Change some fields of a place (the others stay) and log before -> after.

    The same checks as adding a place apply to the result. A contributor's change of a
    published place sends it back to ``owner_status`` (review again when places need it).
    """
    _require(viewer, place)
    unknown = sorted(set(data) - set(FIELDS) - {"consent", "buurt_pick"})
    if unknown:
        message = gettext("Dit veld bestaat niet: {names}.", lang, names=", ".join(unknown))
        raise ValidationError({name: message for name in unknown})
    before = place_values(place)
    merged = {**before, **{k: v for k, v in data.items() if k in FIELDS}, "consent": True}
    clean, png, errors = check_input(merged, image, lang, symbol_size)
    if clean is not None and (clean["lon"], clean["lat"]) != (before["lon"], before["lat"]):
        location = storage.locate(session, clean["lon"], clean["lat"])
        if location["wijk_code"] is None and location["buurt_code"] is None:
            errors["location"] = outside_message(lang)
        elif not viewer.may_moderate(location["gemeente_code"]) and place.id not in viewer.owned:
            raise NotAllowed(place.id)
    if errors:
        raise ValidationError(errors)
    old_image = place.symbol_image_id
    moved = (clean["lon"], clean["lat"]) != (before["lon"], before["lat"])
    location = storage.locate(session, clean["lon"], clean["lat"]) if moved else None
    storage.update_place(session, place, clean, location, symbol_png=png)
    after = place_values(place)
    if png is not None:
        after["symbol_image"] = "nieuw"
    old, new = _changes(before, after)
    by_owner = _actor(viewer, place)[1] == OWNER
    if by_owner and place.status == "published" and owner_status != "published" and new:
        old["status"], new["status"] = place.status, owner_status
        place.status = owner_status
    _log(session, place, viewer, "edit", before=old, after=new)
    storage.drop_unused_symbol(session, old_image)
    session.commit()
    return place


def moderate(
    session: Session, place: Place, viewer: Viewer, action: str, reason: str = "", lang="nl"
) -> Place | None:
    """Approve, hide or delete a place as a professional of its gemeente."""
    _require(viewer, place, owner_ok=False)
    if action not in ACTIONS:
        raise ValidationError(
            {"action": gettext("Kies uit: {allowed}.", lang, allowed=", ".join(ACTIONS))}
        )
    if action == "delete":
        delete_place(session, place, viewer, reason)
        return None
    status = "published" if action == "approve" else "hidden"
    before = place.status
    place.status = status
    _log(session, place, viewer, action, reason, {"status": before}, {"status": status})
    storage.assign_feed_number(session, place)
    session.commit()
    return place


def delete_place(session: Session, place: Place, viewer: Viewer, reason: str = "") -> None:
    """Delete a place (its contributor withdraws it, or a professional deletes it).

    Nothing of its content is left: the row, its function types, its symbol image when no
    other place uses it, and the content of its log entries go; the log keeps one line
    saying who deleted it and when.
    """
    _require(viewer, place)
    by_owner = _actor(viewer, place)[1] == OWNER
    image_id = place.symbol_image_id
    storage.forget_log_content(session, place.id)
    _log(session, place, viewer, "withdraw" if by_owner else "delete", "" if by_owner else reason)
    storage.delete_place(session, place)
    storage.drop_unused_symbol(session, image_id)
    session.commit()


def history(session: Session, place_id: int) -> list[ModerationEntry]:
    """The log of a place, oldest first."""
    return storage.log_of(session, place_id)


def pending_for(session: Session, viewer: Viewer) -> list[Place]:
    """Places waiting for review in the gemeenten of a moderator, newest first."""
    if viewer.role not in ("beheerder", "opbouwwerker"):
        return []
    gemeenten = None if viewer.role == "beheerder" else sorted(viewer.gemeenten)
    return storage.pending_places(session, gemeenten)
