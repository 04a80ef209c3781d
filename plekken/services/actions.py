"""Actions (acties): what someone will do about one or more findings, and how far it got.

An action has a title, a description, who does it (free text), perhaps a location, a start
and a due date, a progress status (``idee`` → ``gepland`` → ``bezig`` → ``gedaan``, or
``gestopt`` with a reason) and a log of updates (date, text, perhaps a photo through the
symbol images' checks). Whoever creates it gets a private link (owner token, stored hashed)
that changes the action and posts updates, without an account.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from shapely.geometry import Point
from sqlalchemy.orm import Session

from .. import storage
from ..errors import NotFoundError, ValidationError
from ..i18n import gettext
from ..media import ImageRejected, process_symbol_image
from ..storage.doing_models import Action, ActionUpdate
from . import doing
from .accounts import new_token
from .findings import finding_matches
from .visibility import STATUSES, Viewer

__all__ = [
    "FIELDS",
    "OWNER_FIELDS",
    "PHOTO_SIZE",
    "action_values",
    "add_update",
    "change_action",
    "create_action",
    "delete_action",
    "visible_action",
    "visible_actions",
]

LIMITS = {"title": 200, "description": 4000, "who": 200, "stop_reason": 1000}
UPDATE_LIMIT = 2000
#: Width and height of a photo with an update.
PHOTO_SIZE = 800
#: Fields of an action, as in the API.
FIELDS = ("wijk", "title", "description", "who", "findings", "lon", "lat", "starts", "due",
          "status", "stop_reason")  # fmt: skip
#: What the holder of the private link may change.
OWNER_FIELDS = ("title", "description", "who", "lon", "lat", "starts", "due", "status",
                "stop_reason")  # fmt: skip


def _findings(session, viewer, ids: list[int], wijk: str | None, lang: str, errors: dict):
    found = storage.list_findings(session, statuses=STATUSES, ids=ids) if ids else []
    known = {
        f.id for f in found
        if doing.can_see(viewer, f.status, f.gemeente_code) and f.wijk_code == wijk
    }  # fmt: skip
    if unknown := [str(i) for i in ids if i not in known]:
        errors["findings"] = gettext(
            "Deze bevindingen bestaan niet in deze wijk: {ids}.", lang, ids=", ".join(unknown)
        )


def _checked(
    session: Session, viewer: Viewer, data: Any, lang: str, links: bool = True
) -> tuple[dict, Any]:
    """Clean values of an action and its wijk, or :class:`ValidationError` naming each field
    (its findings only looked up with ``links``: a change that keeps them need not see them)."""
    if not isinstance(data, Mapping):
        raise ValidationError({"body": gettext("Stuur een JSON-object met de velden.", lang)})
    errors: dict[str, str] = {}
    area = doing.check_wijk(session, data, lang, errors)
    clean: dict[str, Any] = {
        key: doing.check_text(data, key, limit, lang, errors, required=key == "title")
        for key, limit in LIMITS.items()
    }
    clean["finding_ids"] = doing.check_ids(data, "findings", lang, errors)
    point = doing.check_point(data, lang, errors)
    clean["geom"] = Point(point) if point else None
    clean["starts"] = doing.check_date(data, "starts", lang, errors)
    clean["due"] = doing.check_date(data, "due", lang, errors)
    if clean["starts"] and clean["due"] and clean["due"] < clean["starts"]:
        errors["due"] = gettext("De einddatum ligt vóór de startdatum.", lang)
    status = doing.check_choice(data.get("status"), "status", doing.ACTION_STATUSES, lang, errors)
    clean["status"] = status or "idee"
    if clean["status"] == "gestopt" and not clean["stop_reason"] and "stop_reason" not in errors:
        errors["stop_reason"] = gettext("Schrijf op waarom de actie gestopt is.", lang)
    if links and "findings" not in errors:
        wijk = area.code if area is not None else None
        _findings(session, viewer, clean["finding_ids"], wijk, lang, errors)
    if errors:
        raise ValidationError(errors)
    return clean, area


def create_action(
    session: Session, viewer: Viewer, data: Mapping[str, Any], lang: str = "nl"
) -> tuple[Action, str]:
    """Check and store an action (see :data:`FIELDS`; ``workshop`` is a join code); commit.

    Returns the action and the token of its private link (only its hash is stored).
    Raises :class:`plekken.services.doing.NotAllowed` for someone who may not write in the
    wijk and :class:`ValidationError` naming every wrong field; stores nothing then.
    """
    writer, errors = doing.writer_of(session, viewer, data, lang)
    errors.update(doing.unknown_fields(data, (*FIELDS, "workshop"), lang))
    clean, area = doing.checked_with(lambda: _checked(session, viewer, data, lang), errors)
    token, digest = new_token()
    action = Action(
        gemeente_code=area.gemeente_code, wijk_code=area.code, moderation=writer.status,
        created_by=writer.user_id, workshop_id=writer.workshop_id, owner_token_hash=digest,
    )  # fmt: skip
    for key, value in clean.items():
        setattr(action, key, value)
    storage.add_row(session, action)
    session.commit()
    return action, token


def action_values(action: Action) -> dict[str, Any]:
    """The fields of an action as the API takes them."""
    return {
        "wijk": action.wijk_code, "title": action.title, "description": action.description,
        "who": action.who, "findings": action.finding_ids,
        "lon": action.geom.x if action.geom is not None else None,
        "lat": action.geom.y if action.geom is not None else None,
        "starts": action.starts.isoformat() if action.starts else None,
        "due": action.due.isoformat() if action.due else None,
        "status": action.status, "stop_reason": action.stop_reason,
    }  # fmt: skip


def _owns(viewer: Viewer, action: Action) -> bool:
    return action.id in viewer.owned_actions


def change_action(
    session: Session, viewer: Viewer, action: Action, data: Mapping[str, Any], lang: str = "nl"
) -> Action:
    """Change fields of an action (the others stay): its moderators (also ``findings`` and
    ``moderation``) or the holder of its private link (:data:`OWNER_FIELDS`). A change of
    status is written to the action's log. Commit; nothing changes on an error."""
    owner = _owns(viewer, action)
    doing.may_change(viewer, action.gemeente_code, owner=owner)
    moderator = viewer.may_moderate(action.gemeente_code)
    if not isinstance(data, Mapping):
        raise ValidationError({"body": gettext("Stuur een JSON-object met de velden.", lang)})
    allowed = (*FIELDS[1:], "moderation") if moderator else OWNER_FIELDS
    errors = doing.unknown_fields(data, allowed, lang)
    moderation = doing.moderation_choice(data.get("moderation"), lang, errors, "moderation")
    merged = {**action_values(action), **{k: v for k, v in data.items() if k in allowed}}
    if merged["status"] != "gestopt" and "stop_reason" not in data:
        merged["stop_reason"] = ""
    links = "findings" in data
    clean, _area = doing.checked_with(
        lambda: _checked(session, viewer, merged, lang, links), errors
    )
    if clean["status"] != action.status:
        _log_status(action, clean["status"], "")
    for key, value in clean.items():
        setattr(action, key, value)
    action.moderation = moderation or action.moderation
    session.commit()
    return action


def _log_status(action: Action, new: str | None, text: str, image_id: int | None = None) -> None:
    old = action.status if new and new != action.status else None
    action.updates.append(ActionUpdate(
        happened_on=date.today(), text=text, image_id=image_id, status_from=old,
        status_to=new if old else None,
    ))  # fmt: skip


def add_update(
    session: Session,
    viewer: Viewer,
    action: Action,
    data: Mapping[str, Any],
    *,
    image: bytes | None = None,
    lang: str = "nl",
) -> ActionUpdate:
    """Add a line to the action's log: ``text``, perhaps ``date`` (default today), a new
    ``status`` (with ``stop_reason`` when it stops) and a photo. The action's moderators or
    the holder of its private link; commit; nothing changes on an error."""
    doing.may_change(viewer, action.gemeente_code, owner=_owns(viewer, action))
    if not isinstance(data, Mapping):
        raise ValidationError({"body": gettext("Stuur een JSON-object met de velden.", lang)})
    errors = doing.unknown_fields(data, ("text", "date", "status", "stop_reason"), lang)
    text = doing.check_text(data, "text", UPDATE_LIMIT, lang, errors, required=True)
    when = doing.check_date(data, "date", lang, errors) or date.today()
    status = doing.check_choice(data.get("status"), "status", doing.ACTION_STATUSES, lang, errors)
    reason = doing.check_text(data, "stop_reason", LIMITS["stop_reason"], lang, errors)
    if status == "gestopt" and not (reason or action.stop_reason) and "stop_reason" not in errors:
        errors["stop_reason"] = gettext("Schrijf op waarom de actie gestopt is.", lang)
    png = None
    if image:
        try:
            png = process_symbol_image(image, size=PHOTO_SIZE)
        except ImageRejected as exc:
            errors["image"] = exc.message(lang)
    if errors:
        raise ValidationError(errors)
    image_id = storage.store_symbol_image(session, png).id if png else None
    _log_status(action, status, text, image_id)
    update = action.updates[-1]
    update.happened_on = when
    if status:
        action.status = status
        action.stop_reason = reason or action.stop_reason if status == "gestopt" else ""
    session.commit()
    return update


def delete_action(session: Session, viewer: Viewer, action: Action) -> None:
    """Delete an action with its log (moderators of its gemeente); commit."""
    doing.delete_row(session, viewer, action)


def visible_action(session: Session, viewer: Viewer, action_id: int) -> Action:
    """Action ``action_id`` if the viewer may see it, else :class:`NotFoundError`."""
    action = storage.get_action(session, action_id)
    if not doing.can_see(viewer, action.moderation, action.gemeente_code, _owns(viewer, action)):
        raise NotFoundError(action_id)
    return action


def visible_actions(
    session: Session,
    viewer: Viewer,
    *,
    gemeente: str | None = None,
    wijk: str | None = None,
    statuses=None,
    function_type: str | None = None,
    condition: str | None = None,
    public_only: bool = False,
) -> list[Action]:
    """The actions the viewer may see (only published ones with ``public_only``), newest
    first, narrowed by progress ``statuses`` and by the function type and condition of the
    findings they are about."""
    moderation = ("published",) if public_only else STATUSES
    found = storage.list_actions(
        session, gemeente=gemeente, wijk=wijk, moderation=moderation, statuses=statuses
    )
    found = [
        a for a in found if doing.can_see(viewer, a.moderation, a.gemeente_code, _owns(viewer, a))
    ]
    if function_type is None and condition is None:
        return found
    ids = sorted({fid for action in found for fid in action.finding_ids})
    findings = {f.id: f for f in storage.list_findings(session, statuses=STATUSES, ids=ids)}
    return [
        a for a in found
        if any(finding_matches(findings[i], function_type, condition)
               for i in a.finding_ids if i in findings)
    ]  # fmt: skip
