"""Adding a place: validation, symbol processing, locating and storing in one step.

Either the whole place is stored or nothing is (a failed attempt leaves the data unchanged).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import storage
from ..errors import ValidationError
from ..i18n import gettext
from ..media import ImageRejected, process_symbol_image
from ..storage.models import Place, utcnow
from ..validation import validate_place
from .accounts import hash_token, new_token
from .contributors import check_contributor
from .visibility import PUBLIC, Viewer

__all__ = [
    "KEY_LIFETIME",
    "PROFESSIONAL_POSTERS",
    "add_own_place",
    "add_place",
    "body_digest",
    "check_input",
    "outside_message",
    "owner_token",
]

#: Contributor roles only logged-in professionals may post as.
PROFESSIONAL_POSTERS = ("opbouwwerker", "student")

#: How long an ``Idempotency-Key`` is remembered.
KEY_LIFETIME = timedelta(days=1)


def body_digest(data: Any, image: bytes | None) -> str:
    """A fingerprint of a submitted place: its fields (in any order) and its image."""
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode())
    digest.update(hashlib.sha256(image or b"").digest())
    return digest.hexdigest()


def owner_token(secret: str | bytes, request_key: str, place_id: int) -> tuple[str, str]:
    """The token of a place posted with an ``Idempotency-Key``, and its hash.

    Derived from the app's ``secret``, the key and the place's id, so that a retried post
    gets back the token of the first answer while only its hash is stored.
    """
    if isinstance(secret, str):
        secret = secret.encode()
    message = f"owner-token\n{place_id}\n{request_key}".encode()
    mac = hmac.new(secret, message, hashlib.sha256).digest()
    token = base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    return token, hash_token(token)


def add_own_place(
    session: Session,
    data: dict[str, Any],
    *,
    secret: str | bytes,
    request_key: str | None = None,
    add: Callable[..., Place] | None = None,
    **options: Any,
) -> tuple[Place, str]:
    """:func:`add_place` (or ``add``, e.g. a workshop's), with the token that lets the
    contributor manage the place.

    The token is random, or with a ``request_key`` the same for a retry of the same post
    (:func:`owner_token`). ``options`` are those of :func:`add_place`.
    """
    add = add or add_place
    if request_key is None:
        token, digest = new_token()
        return add(session, data, owner_token_hash=digest, **options), token
    place = add(session, data, request_key=request_key, owner_secret=secret, **options)
    return place, owner_token(secret, request_key, place.id)[0]


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
    request_key: str | None = None,
    owner_secret: str | bytes | None = None,
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

    With a ``request_key`` (a client's ``Idempotency-Key``), a second call with the same
    key and the same data within :data:`KEY_LIFETIME` returns the place the first one
    stored; the same key with other data is refused. With an ``owner_secret`` as well, the
    place's token is :func:`owner_token` (see :func:`add_own_place`).
    """
    clean, png, errors = check_input(data, image, lang, symbol_size)
    contributor, problems = check_contributor(session, data, lang)
    errors.update(problems)
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
    digest = body_digest(data, image) if request_key else None
    if request_key and (earlier := _earlier(session, request_key, digest, lang)):
        return earlier
    try:
        place = storage.create_place(session, clean, location, status, symbol_png=png)
        place.owner_token_hash = owner_token_hash
        if request_key and owner_secret is not None:
            place.owner_token_hash = owner_token(owner_secret, request_key, place.id)[1]
        if request_key:
            storage.forget_request_keys_before(session, utcnow() - KEY_LIFETIME)
            storage.remember_request_key(session, request_key, digest, place.id)
        for key, value in {**contributor, **(extra or {})}.items():
            setattr(place, key, value)
        storage.assign_feed_number(session, place)
        session.commit()
    except IntegrityError:
        session.rollback()
        if request_key and (earlier := _earlier(session, request_key, digest, lang)):
            return earlier  # the same post, sent twice at once: the other one won
        raise
    except Exception:
        session.rollback()
        raise
    return place


def _earlier(session: Session, key: str, digest: str, lang: str) -> Place | None:
    """The place stored earlier under ``key``; refuses the key if it came with other data."""
    found = storage.find_request_key(session, key, since=utcnow() - KEY_LIFETIME)
    if found is None:
        return None
    if found.body_sha256 != digest:
        raise ValidationError({"Idempotency-Key": gettext(
            "Deze sleutel is al gebruikt voor een andere plek. Gebruik een nieuwe sleutel.",
            lang,
        )})  # fmt: skip
    return session.get(Place, found.place_id)
