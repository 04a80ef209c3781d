"""Endorsements: "ook voor mij" — a resident says that a place someone else pinned matters
to them too, optionally with their own quote and types.

One endorsement per resident and place. A resident has no account: their browser keeps a
random key (sent as ``resident``; only its hash is stored). Each endorsement comes with its
own token that withdraws it. Only public places can be endorsed. Flask-free.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import storage
from ..errors import NotFoundError, ValidationError
from ..i18n import gettext
from ..storage.models import Endorsement
from ..vocab import FUNCTION_TYPES
from .accounts import hash_token, new_token
from .contributors import check_contributor
from .visibility import PUBLIC, visible_place

__all__ = ["RESIDENT_KEY_LENGTH", "count_for", "endorse", "withdraw"]

#: Length bounds of the random key a resident's browser sends.
RESIDENT_KEY_LENGTH = (16, 128)
QUOTE_LIMIT = 280


def _checked(data: Any, lang: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError({"body": gettext("Stuur een JSON-object.", lang)})
    errors: dict[str, str] = {}
    key = data.get("resident")
    low, high = RESIDENT_KEY_LENGTH
    if not isinstance(key, str) or not low <= len(key) <= high or not key.isascii():
        errors["resident"] = gettext(
            "Stuur de sleutel van deze bewoner: {low} tot {high} tekens.", lang, low=low, high=high
        )
    quote = data.get("quote") or ""
    if not isinstance(quote, str) or len(quote.strip()) > QUOTE_LIMIT:
        errors["quote"] = gettext("Maximaal {limit} tekens.", lang, limit=QUOTE_LIMIT)
    types = data.get("function_types") or []
    if not isinstance(types, list) or not all(t in FUNCTION_TYPES for t in types):
        errors["function_types"] = gettext(
            "Kies uit: {allowed}.", lang, allowed=", ".join(FUNCTION_TYPES)
        )
    if errors:
        raise ValidationError(errors)
    clean_types = [key for key in FUNCTION_TYPES if key in types]
    return {"resident_hash": hash_token(key), "quote": quote.strip(), "function_types": clean_types}


def endorse(
    session: Session, place_id: int, data: Any, lang: str = "nl"
) -> tuple[Endorsement, str]:
    """Add the resident's endorsement of public place ``place_id``; commit.

    Returns the endorsement and the token that withdraws it. Raises :class:`NotFoundError`
    for a place that is not public and :class:`ValidationError` for wrong fields or a
    resident who endorsed this place already.
    """
    place = visible_place(session, PUBLIC, place_id)
    contributor, problems = check_contributor(session, data, lang)
    try:
        values = _checked(data, lang)
    except ValidationError as exc:
        raise ValidationError({**exc.errors, **problems}) from None
    if problems:
        raise ValidationError(problems)
    if storage.has_endorsed(session, place.id, values["resident_hash"]):
        raise ValidationError(
            {"resident": gettext("Je hebt al gezegd dat deze plek ook voor jou telt.", lang)}
        )
    token, digest = new_token()
    endorsement = storage.add_endorsement(
        session, place_id=place.id, owner_token_hash=digest, **values, **contributor
    )
    session.commit()
    return endorsement, token


def withdraw(session: Session, place_id: int, token: str | None) -> None:
    """Withdraw the endorsement of ``place_id`` that ``token`` belongs to; commit.

    Raises :class:`NotFoundError` when the token belongs to no endorsement of that place.
    """
    found = storage.endorsement_by_token_hash(session, hash_token(token)) if token else None
    if found is None or found.place_id != place_id:
        raise NotFoundError(place_id, field="endorsement")
    session.delete(found)
    session.commit()


def count_for(session: Session, place_ids) -> dict[int, int]:
    """How many residents endorsed each of the places (0 left out)."""
    return storage.endorsement_counts(session, place_ids)
