"""Adding a place: validation, symbol processing, locating and storing in one step.

Either the whole place is stored or nothing is (a failed attempt leaves the data unchanged).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import storage
from ..errors import ValidationError
from ..i18n import gettext
from ..media import ImageRejected, process_symbol_image
from ..storage.models import Place
from ..validation import validate_place
from .visibility import PUBLIC, Viewer

__all__ = ["PROFESSIONAL_POSTERS", "add_place", "check_input", "outside_message"]

#: Contributor roles only logged-in professionals may post as.
PROFESSIONAL_POSTERS = ("opbouwwerker", "student")


def check_input(
    data: dict[str, Any], image: bytes | None, lang: str, symbol_size: int
) -> tuple[dict[str, Any] | None, bytes | None, dict[str, str]]:
    """The fields and the symbol image of a place checked together: ``(clean values or None,
    processed PNG or None, messages per wrong field)``."""
    errors: dict[str, str] = {}
    try:
        clean = validate_place(data, lang)
    except ValidationError as exc:
        errors.update(exc.errors)
        clean = None
    png = None
    if image:
        try:
            png = process_symbol_image(image, size=symbol_size)
        except ImageRejected as exc:
            errors["symbol_image"] = exc.message(lang)
    return clean, png, errors


def outside_message(lang: str) -> str:
    """The message for a point outside every imported wijk and buurt."""
    return gettext(
        "Deze plek ligt buiten de wijken op de kaart. Kies een plek binnen een wijk.", lang
    )


def add_place(
    session: Session,
    data: dict[str, Any],
    *,
    image: bytes | None = None,
    status: str = "published",
    lang: str = "nl",
    symbol_size: int = 256,
    viewer: Viewer = PUBLIC,
    owner_token_hash: str | None = None,
    extra: dict[str, Any] | None = None,
    within_wijk: str | None = None,
) -> Place:
    """Validate, locate and store a place, then commit.

    Only a logged-in professional (``viewer``) may post as opbouwwerker or student.
    ``owner_token_hash`` is the hash of the token that lets the contributor change or
    withdraw the place later (see :mod:`plekken.services.moderation`). ``extra`` holds
    checked column values to store with it (a workshop's, see
    :mod:`plekken.services.workshops`); ``within_wijk`` refuses a point outside that wijk.

    Raises :class:`ValidationError` (with messages per field) and stores nothing when
    any field is wrong, the symbol image is refused, or the point lies outside every
    imported wijk and buurt.
    """
    clean, png, errors = check_input(data, image, lang, symbol_size)
    posts_as_professional = clean is not None and clean["contributor_role"] in PROFESSIONAL_POSTERS
    if posts_as_professional and not viewer.is_professional:
        errors["contributor_role"] = gettext(
            "Alleen een ingelogde professional kan een plek als opbouwwerker of student "
            "toevoegen. Kies bewoner.",
            lang,
        )
    if clean is not None:
        location = storage.locate(session, clean["lon"], clean["lat"])
        if location["wijk_code"] is None and location["buurt_code"] is None:
            errors["location"] = outside_message(lang)
        elif within_wijk is not None and location["wijk_code"] != within_wijk:
            errors["location"] = gettext(
                "Deze plek ligt buiten de wijk van de workshop. Kies een plek in de wijk.", lang
            )
    if errors:
        raise ValidationError(errors)
    try:
        place = storage.create_place(session, clean, location, status, symbol_png=png)
        place.owner_token_hash = owner_token_hash
        for key, value in (extra or {}).items():
            setattr(place, key, value)
        storage.assign_feed_number(session, place)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return place
