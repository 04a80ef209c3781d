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

__all__ = ["add_place"]


def add_place(
    session: Session,
    data: dict[str, Any],
    *,
    image: bytes | None = None,
    status: str = "published",
    lang: str = "nl",
    symbol_size: int = 256,
) -> Place:
    """Validate, locate and store a place, then commit.

    Raises :class:`ValidationError` (with messages per field) and stores nothing when
    any field is wrong, the symbol image is refused, or the point lies outside every
    imported wijk and buurt.
    """
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
    if clean is not None:
        location = storage.locate(session, clean["lon"], clean["lat"])
        if location["wijk_code"] is None and location["buurt_code"] is None:
            errors["location"] = gettext(
                "Deze plek ligt buiten de wijken op de kaart. Kies een plek binnen een wijk.",
                lang,
            )
    if errors:
        raise ValidationError(errors)
    try:
        place = storage.create_place(session, clean, location, status, symbol_png=png)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return place
