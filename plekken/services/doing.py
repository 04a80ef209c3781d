"""What findings and actions share: who may write them, who may see them, and the checks of
their plain fields. Flask-free, like every service.

Who may write: moderators (opbouwwerker, beheerder) of the wijk's gemeente, whose writing is
public at once; and residents with the join code of an open workshop in that wijk whose
facilitator allowed it (``residents_write``), whose writing waits for approval when the
workshop is moderated. Who may see: the rule of :mod:`plekken.services.visibility`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from .. import storage
from ..checks import TextProblem, clean_text, parse_integer, parse_number
from ..errors import ValidationError
from ..i18n import gettext
from ..storage.models import Area
from .visibility import STATUSES, Viewer, can_see_record
from .workshops import is_open, normalise_code

__all__ = [
    "ACTION_STATUSES",
    "MAX_LINKS",
    "NotAllowed",
    "Writer",
    "check_choice",
    "check_codes",
    "check_date",
    "check_ids",
    "check_point",
    "check_text",
    "check_wijk",
    "checked_with",
    "delete_row",
    "may_change",
    "moderation_choice",
    "unknown_fields",
    "writer_for",
    "writer_of",
]

T = TypeVar("T")
#: An action's progress, in order; ``gestopt`` needs a reason.
ACTION_STATUSES = ("idee", "gepland", "bezig", "gedaan", "gestopt")
#: At most this many places, buurten or findings linked to one finding or action.
MAX_LINKS = 50
_TEXT_PROBLEMS = {
    "type": "Dit moet tekst zijn.",
    "surrogate": "Deze tekst bevat een ongeldig teken. Typ de tekst opnieuw.",
    "control": "Deze tekst bevat een onzichtbaar stuurteken. Haal het weg of typ de tekst opnieuw.",
}


class NotAllowed(PermissionError):
    """The viewer may not write or change this finding or action (401 without any login or
    token, 403 otherwise)."""


@dataclass(frozen=True)
class Writer:
    """Who writes a new finding or action, and what follows from it."""

    status: str
    user_id: int | None
    workshop_id: int | None


def unknown_fields(data: Any, known, lang: str) -> dict[str, str]:
    """A message for every key of ``data`` that is not one of ``known``."""
    if not isinstance(data, dict):
        return {}
    message = gettext("Dit veld bestaat niet. Wel: {known}.", lang, known=", ".join(known))
    return {str(key)[:40]: message for key in data if key not in known}


def check_text(
    data: dict, field: str, limit: int, lang: str, errors: dict, required: bool = False
) -> str:
    """The clean text of ``data[field]`` (``""`` when absent); problems go to ``errors``."""
    try:
        text = clean_text(data.get(field))
    except TextProblem as problem:
        errors[field] = gettext(_TEXT_PROBLEMS[problem.reason], lang)
        return ""
    if required and not text:
        errors[field] = gettext("Vul dit in.", lang)
    elif len(text) > limit:
        errors[field] = gettext(
            "Maximaal {limit} tekens; nu zijn het er {count}.", lang, limit=limit, count=len(text)
        )
    return text


def check_choice(value: Any, field: str, allowed, lang: str, errors: dict) -> str | None:
    """``value`` if it is one of ``allowed`` (``None`` when empty); problems go to ``errors``."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in allowed:
        errors[field] = gettext("Kies uit: {allowed}.", lang, allowed=", ".join(allowed))
        return None
    return value


def _as_list(value: Any) -> list | None:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value) if isinstance(value, list) else None


def check_ids(data: dict, field: str, lang: str, errors: dict) -> list[int]:
    """A list of ids (numbers, or a comma separated text), at most :data:`MAX_LINKS`."""
    values = _as_list(data.get(field))
    ids = []
    for value in values or []:
        number = (
            value
            if type(value) is int
            else parse_integer(value)
            if isinstance(value, str)
            else None
        )
        if number is None or not 0 < number < 2**31:
            values = None
            break
        ids.append(number)
    if values is None:
        errors[field] = gettext("Stuur een lijst met nummers (id's).", lang)
    elif len(ids) > MAX_LINKS:
        errors[field] = gettext("Hoogstens {n} stuks.", lang, n=MAX_LINKS)
    return list(dict.fromkeys(ids))


def check_codes(data: dict, field: str, lang: str, errors: dict) -> list[str]:
    """A list of area codes (texts, or one comma separated text), at most :data:`MAX_LINKS`."""
    values = _as_list(data.get(field))
    if values is None or not all(isinstance(v, str) and v.isascii() and v.isalnum()
                                 and len(v) <= 16 for v in values):  # fmt: skip
        errors[field] = gettext("Stuur een lijst met buurtcodes, zoals BU02680512.", lang)
        return []
    if len(values) > MAX_LINKS:
        errors[field] = gettext("Hoogstens {n} stuks.", lang, n=MAX_LINKS)
    return list(dict.fromkeys(v.upper() for v in values))


def check_point(data: dict, lang: str, errors: dict, prefix: str = "") -> tuple | None:
    """``(lon, lat)`` from ``data`` (both or neither); problems on ``<prefix>lon``/``lat``."""
    raw = {axis: data.get(axis) for axis in ("lon", "lat")}
    given = {axis: value not in (None, "") for axis, value in raw.items()}
    if not any(given.values()):
        return None
    point = []
    for axis, bound in (("lon", 180), ("lat", 90)):
        value = parse_number(raw[axis]) if given[axis] else None
        if value is None or not -bound <= value <= bound:
            errors[prefix + axis] = gettext(
                "Dit moet een getal tussen {low} en {high} zijn.", lang, low=-bound, high=bound
            )
        point.append(value)
    return tuple(point) if None not in point else None


def check_date(data: dict, field: str, lang: str, errors: dict) -> date | None:
    """A day written as YYYY-MM-DD, or ``None`` when absent."""
    value = data.get(field)
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, str) or len(value.strip()) != 10:
            raise ValueError(value)
        return date.fromisoformat(value.strip())
    except ValueError:
        errors[field] = gettext("Schrijf een datum als JJJJ-MM-DD, bijvoorbeeld 2027-03-01.", lang)
        return None


def check_wijk(session: Session, data: dict, lang: str, errors: dict) -> Area | None:
    """The stored wijk named by ``data["wijk"]``; a problem goes to ``errors``."""
    raw = data.get("wijk")
    code = raw.strip().upper() if isinstance(raw, str) else ""
    area = storage.wijk_outline(session, code) if code and code.isascii() else None
    if area is None:
        errors["wijk"] = gettext("Deze wijk bestaat niet. Geef een wijkcode zoals WK026805.", lang)
    return area


def writer_for(session: Session, viewer: Viewer, area: Area, code: Any, lang: str = "nl") -> Writer:
    """Who writes in wijk ``area``: a moderator of its gemeente, or a resident with the join
    ``code`` of an open workshop there that lets residents write.

    Raises :class:`NotAllowed` for anyone else without a code, and :class:`ValidationError`
    on ``workshop`` for a code that does not open the door.
    """
    if code in (None, ""):
        if viewer.may_moderate(area.gemeente_code):
            return Writer("published", viewer.user_id, None)
        raise NotAllowed(area.code)
    workshop = (
        storage.workshop_by_code(session, normalise_code(code)) if isinstance(code, str) else None
    )
    moderator = viewer.may_moderate(area.gemeente_code)
    if workshop is None:
        message = gettext("Deze workshopcode kennen we niet. Kijk de code nog eens na.", lang)
    elif not is_open(workshop):
        message = gettext("Deze workshop is gesloten: er kan niets meer bij.", lang)
    elif workshop.wijk_code != area.code:
        message = gettext("Deze workshop gaat over een andere wijk.", lang)
    elif not workshop.residents_write and not moderator:
        message = gettext(
            "In deze workshop schrijven alleen de begeleiders bevindingen en acties.", lang
        )
    else:
        status = "published" if moderator or not workshop.moderated else "pending"
        return Writer(status, viewer.user_id, workshop.id)
    raise ValidationError({"workshop": message})


def writer_of(
    session: Session, viewer: Viewer, data: Any, lang: str = "nl"
) -> tuple[Writer | None, dict[str, str]]:
    """:func:`writer_for` the wijk of ``data``: the writer, or the problem with the workshop
    code (to name with the other fields). Raises :class:`NotAllowed` at once."""
    if not isinstance(data, dict):
        return None, {}
    area = check_wijk(session, data, lang, {})
    if area is None:
        return None, {}
    try:
        return writer_for(session, viewer, area, data.get("workshop"), lang), {}
    except ValidationError as exc:
        return None, exc.errors


def checked_with(check: Callable[[], T], errors: dict[str, str]) -> T:
    """``check()``'s result; its :class:`ValidationError` and ``errors`` are raised together,
    so that every wrong field is named at once."""
    try:
        result = check()
    except ValidationError as exc:
        raise ValidationError({**exc.errors, **errors}) from None
    if errors:
        raise ValidationError(errors)
    return result


def delete_row(session: Session, viewer: Viewer, row: Any) -> None:
    """Delete a finding or action (moderators of its gemeente); commit."""
    may_change(viewer, row.gemeente_code)
    session.delete(row)
    session.commit()


def may_change(viewer: Viewer, gemeente_code: str, owner: bool = False) -> None:
    """Moderators of the gemeente (and, where the caller says so, the owner) may change."""
    if not (owner or viewer.may_moderate(gemeente_code)):
        raise NotAllowed(gemeente_code)


def moderation_choice(value: Any, lang: str, errors: dict, field: str) -> str | None:
    """A moderation status (published, pending, hidden) to set, or ``None``."""
    return check_choice(value, field, STATUSES, lang, errors)


def can_see(viewer: Viewer, status: str, gemeente_code: str, owner: bool = False) -> bool:
    """:func:`plekken.services.visibility.can_see_record` for findings and actions."""
    return can_see_record(viewer, status, gemeente_code, owner)
