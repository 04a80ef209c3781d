"""Who contributed, counted without names: the optional home buurt, age band and anonymous
contributor key that come with a place or an endorsement.

The key is a random string the contributor's browser keeps; only its SHA-256 is stored (as
owner tokens are, :func:`plekken.services.accounts.hash_token`), so distinct people can be
counted while nobody can be named. None of these values appear in public answers or exports.
Flask-free.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .. import storage
from ..errors import NotFoundError
from ..i18n import gettext
from ..vocab import AGE_BANDS
from .accounts import hash_token

__all__ = ["CONTRIBUTOR_FIELDS", "KEY_LENGTH", "check_contributor"]

#: The optional fields of a place or endorsement about its contributor.
CONTRIBUTOR_FIELDS = ("home_buurt", "age_band", "contributor_key")
#: Length bounds of a contributor key.
KEY_LENGTH = (8, 64)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _home_buurt(session: Session, value: Any, lang: str) -> str:
    message = gettext(
        "Kies je buurt uit de lijst (een CBS-buurtcode zoals BU02680100), of laat het leeg.",
        lang,
    )
    if not isinstance(value, str) or len(value) > 16:
        raise ValueError(message)
    code = value.strip().upper()
    try:
        area = storage.get_area(session, code)
    except NotFoundError:
        raise ValueError(message) from None
    if area.level != "buurt":
        raise ValueError(message)
    return code


def _age_band(value: Any, lang: str) -> str:
    if not isinstance(value, str) or value not in AGE_BANDS:
        raise ValueError(gettext("Kies uit: {allowed}.", lang, allowed=", ".join(AGE_BANDS)))
    return value


def _key_hash(value: Any, lang: str) -> str:
    low, high = KEY_LENGTH
    fits = isinstance(value, str) and low <= len(value) <= high
    if not fits or not all(33 <= ord(char) <= 126 for char in value):
        raise ValueError(gettext(
            "De bijdragerssleutel moet {low} tot {high} tekens zijn: letters, cijfers of "
            "leestekens, zonder spaties.", lang, low=low, high=high,
        ))  # fmt: skip
    return hash_token(value)


def check_contributor(
    session: Session, data: Any, lang: str = "nl"
) -> tuple[dict[str, str | None], dict[str, str]]:
    """The checked contributor values of a submitted place or endorsement.

    Parameters
    ----------
    session : Session
        To check that ``home_buurt`` names a stored buurt.
    data : mapping
        The submitted fields; ``home_buurt`` (a buurt code), ``age_band`` (one of
        :data:`plekken.vocab.AGE_BANDS`) and ``contributor_key`` (8–64 printable ASCII
        characters) are read, each optional (absent or empty means not given).
    lang : {"nl", "en"}
        Language of the messages.

    Returns
    -------
    (values, errors)
        ``values`` maps ``home_buurt``, ``age_band`` and ``contributor_key_hash`` to what is
        stored (``None`` when not given); ``errors`` maps each wrong field to a message.
    """
    values: dict[str, str | None] = dict.fromkeys(
        ("home_buurt", "age_band", "contributor_key_hash")
    )
    errors: dict[str, str] = {}
    if not hasattr(data, "get"):
        return values, errors
    checks = (
        ("home_buurt", "home_buurt", lambda v: _home_buurt(session, v, lang)),
        ("age_band", "age_band", lambda v: _age_band(v, lang)),
        ("contributor_key", "contributor_key_hash", lambda v: _key_hash(v, lang)),
    )
    for field, column, check in checks:
        raw = data.get(field)
        if _empty(raw):
            continue
        try:
            values[column] = check(raw)
        except ValueError as problem:
            errors[field] = str(problem)
    return values, errors
