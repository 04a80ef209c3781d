"""Workshops: an opbouwwerker's evening session in which residents add places to one wijk.

A workshop has a short join code that is easy to read aloud and type, may close (by hand or
at a set time), and decides whether its places wait for approval. Its public places form a
numbered feed that the wall map follows with a cursor. Flask-free, like every service.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from .. import storage
from ..errors import ValidationError
from ..i18n import gettext
from ..storage.models import Place, Workshop
from .contributors import check_contributor
from .places import add_place, check_input
from .visibility import PUBLIC, Viewer, visible_places

__all__ = [
    "CODE_ALPHABET",
    "DEFAULT_QUESTION",
    "PLACEMENTS",
    "Feed",
    "add_workshop_place",
    "create_workshop",
    "feed",
    "find_workshop",
    "is_open",
    "may_facilitate",
    "normalise_code",
    "open_workshop",
    "set_closed",
    "workshops_for",
]

#: Letters and digits that cannot be mistaken for one another: no 0/O, no 1/l/I (nor L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
#: The De Goffert question, asked unless the opbouwwerker asks another.
DEFAULT_QUESTION = "Welke plek in de wijk is belangrijk voor jou, en waarom?"
#: How a resident placed the point: tapped on the map, chose a buurt, or used their location.
PLACEMENTS = ("map", "list", "gps")
TITLE_LIMIT = 200
QUESTION_LIMIT = 500
FACILITATORS = ("beheerder", "opbouwwerker")


def normalise_code(raw: str | None) -> str:
    """A join code as typed (any case, spaces or dashes) in its stored form; ``""`` for
    anything but text."""
    if not isinstance(raw, str):
        return ""
    return "".join(ch for ch in raw.upper() if ch.isascii() and ch.isalnum())


def _new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if storage.workshop_by_code(session, code) is None:
            return code


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)  # SQLite gives naive datetimes back


def is_open(workshop: Workshop, now: datetime | None = None) -> bool:
    """Whether the workshop takes contributions: not closed, and not past its closing time."""
    if workshop.closed:
        return False
    closes = _aware(workshop.closes_at)
    return closes is None or (now or datetime.now(UTC)) < closes


def may_facilitate(viewer: Viewer, workshop: Workshop) -> bool:
    """Whether the viewer may run the workshop: moderators of its gemeente."""
    return viewer.may_moderate(workshop.gemeente_code)


def _checked_text(value: Any, field: str, limit: int, lang: str, errors: dict) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        errors[field] = gettext("Vul dit in.", lang)
    elif len(text) > limit:
        errors[field] = gettext(
            "Maximaal {limit} tekens; nu zijn het er {count}.", lang, limit=limit, count=len(text)
        )
    return text


def create_workshop(
    session: Session,
    owner: Viewer,
    *,
    wijk: str,
    title: str,
    held_on: date | None = None,
    closes_at: datetime | None = None,
    moderated: bool = True,
    question: str | None = None,
    residents_write: bool = False,
    lang: str = "nl",
) -> Workshop:
    """Create a workshop for ``wijk`` run by ``owner`` (a moderator of its gemeente); commit.

    Raises :class:`ValidationError` naming each wrong field: an unknown wijk, an empty or
    too long title or question, an owner without the right to moderate in that gemeente.
    With ``residents_write`` the residents who join may write findings and actions too.
    """
    errors: dict[str, str] = {}
    area = storage.wijk_outline(session, (wijk or "").strip().upper())
    if area is None or area.level != "wijk":
        errors["wijk"] = gettext("Deze wijk bestaat niet. Geef een wijkcode zoals WK026805.", lang)
    title = _checked_text(title, "title", TITLE_LIMIT, lang, errors)
    question = _checked_text(
        question or gettext(DEFAULT_QUESTION, lang), "question", QUESTION_LIMIT, lang, errors
    )
    if area is not None and not owner.may_moderate(area.gemeente_code):
        errors["owner"] = gettext(
            "Alleen een opbouwwerker of beheerder van deze gemeente kan hier een workshop houden.",
            lang,
        )
    if errors:
        raise ValidationError(errors)
    workshop = storage.add_workshop(
        session, code=_new_code(session), title=title, wijk_code=area.code,
        gemeente_code=area.gemeente_code, held_on=held_on or date.today(),
        closes_at=closes_at, moderated=moderated, question=question, owner_id=owner.user_id,
        residents_write=residents_write,
    )  # fmt: skip
    session.commit()
    return workshop


def find_workshop(session: Session, code: str | None) -> Workshop | None:
    """The workshop with this join code (as typed), or ``None``."""
    code = normalise_code(code)
    return storage.workshop_by_code(session, code) if code else None


def open_workshop(
    session: Session, code: str | None, lang: str = "nl", now: datetime | None = None
) -> Workshop:
    """The open workshop ``code``; :class:`ValidationError` on ``workshop`` otherwise."""
    workshop = find_workshop(session, code)
    if workshop is None:
        message = "Deze workshopcode kennen we niet. Kijk de code nog eens na."
    elif not is_open(workshop, now):
        message = "Deze workshop is gesloten: er kunnen geen plekken meer bij."
    else:
        return workshop
    raise ValidationError({"workshop": gettext(message, lang)})


def _placement(data: dict, lang: str, errors: dict) -> dict[str, Any]:
    """The ``placement`` and ``map_zoom`` of a workshop place, checked."""
    extra: dict[str, Any] = {"placement": None, "map_zoom": None}
    placement = data.get("placement")
    if placement not in (None, ""):
        if placement not in PLACEMENTS:
            errors["placement"] = gettext(
                "Kies uit: {allowed}.", lang, allowed=", ".join(PLACEMENTS)
            )
        else:
            extra["placement"] = placement
    zoom = data.get("map_zoom")
    if zoom not in (None, ""):
        try:
            value = float(zoom)
        except (TypeError, ValueError):
            value = math.nan
        if isinstance(zoom, bool) or not math.isfinite(value) or not 0 <= value <= 24:
            errors["map_zoom"] = gettext(
                "Dit moet een getal tussen {low} en {high} zijn.", lang, low=0, high=24
            )
        else:
            extra["map_zoom"] = value
    return extra


def add_workshop_place(
    session: Session, data: dict[str, Any], *, now: datetime | None = None, **options: Any
) -> Place:
    """Add a place in the workshop named by ``data["workshop"]`` (its join code).

    The place must lie in the workshop's wijk and gets the workshop's moderation setting:
    it waits for approval, or is public at once. ``options`` go to
    :func:`plekken.services.places.add_place`. Raises :class:`ValidationError` (on
    ``workshop`` for an unknown or closed code) and stores nothing when anything is wrong.
    """
    lang = options.get("lang", "nl")
    errors: dict[str, str] = {}
    try:
        workshop = open_workshop(session, data.get("workshop"), lang, now)
    except ValidationError as exc:
        errors.update(exc.errors)
        workshop = None
    fields = {k: v for k, v in data.items() if k not in ("workshop", "placement", "map_zoom")}
    extra = _placement(data, lang, errors)
    if errors:  # name every wrong field at once
        image, size = options.get("image"), options.get("symbol_size", 256)
        others = {
            **check_input(fields, image, lang, size)[2],
            **check_contributor(session, data, lang)[1],
        }
        raise ValidationError({**others, **errors})
    options["status"] = "pending" if workshop.moderated else "published"
    return add_place(
        session, fields, extra={**extra, "workshop_id": workshop.id},
        within_wijk=workshop.wijk_code, **options,
    )  # fmt: skip


def set_closed(session: Session, workshop: Workshop, closed: bool) -> Workshop:
    """Close (or reopen) a workshop: closing stops new places, the places stay; commit."""
    workshop.closed = closed
    if not closed and not is_open(workshop):
        workshop.closes_at = None  # reopening after the set time lifts that time
    session.commit()
    return workshop


@dataclass(frozen=True)
class Feed:
    """New public places of a workshop after a cursor, the next cursor and counts per type."""

    places: list[Place]
    cursor: int
    counts: dict[str, int]


def feed(session: Session, workshop: Workshop, since: int = 0) -> Feed:
    """The workshop's public places numbered after ``since``, each place exactly once over
    successive calls that pass the returned cursor on."""
    found = visible_places(session, PUBLIC, workshop=workshop.id, after=since)
    cursor = max([since, *(p.workshop_seq for p in found)])
    return Feed(found, cursor, storage.type_counts(session, workshop.id, ("published",)))


def workshops_for(session: Session, viewer: Viewer) -> list[Workshop]:
    """The workshops a facilitator may run, newest first."""
    if viewer.role not in FACILITATORS:
        return []
    gemeenten = None if viewer.role == "beheerder" else sorted(viewer.gemeenten)
    return storage.workshops_in(session, gemeenten)
