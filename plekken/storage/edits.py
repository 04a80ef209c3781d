"""Changing and deleting single places, their unused symbol images, and the moderation log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shapely.geometry import Point
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .models import ModerationEntry, Place, SymbolImage
from .places import store_symbol_image

__all__ = [
    "delete_place",
    "drop_unused_symbol",
    "forget_log_content",
    "log_of",
    "pending_places",
    "place_by_owner_hash",
    "symbol_image_with_places",
    "update_place",
]


def update_place(
    session: Session,
    place: Place,
    clean: dict[str, Any],
    location: dict | None = None,
    symbol_png: bytes | None = None,
) -> Place:
    """Give a place the validated values ``clean`` (and a new symbol); not committed."""
    for key, value in clean.items():
        if key not in ("lon", "lat", "function_types", "consent"):
            setattr(place, key, value)
    place.function_types = clean["function_types"]
    point = Point(clean["lon"], clean["lat"])
    if not point.equals(place.geom):
        place.geom = point
        if location is not None:
            for key, value in location.items():
                setattr(place, key, value)
    if symbol_png is not None:
        place.symbol_image_id = store_symbol_image(session, symbol_png).id
    if clean.get("symbol_icon") and symbol_png is None:
        place.symbol_image_id = None
    session.flush()
    return place


def delete_place(session: Session, place: Place) -> None:
    """Delete a place with its function types; not committed."""
    session.delete(place)
    session.flush()


def drop_unused_symbol(session: Session, image_id: int | None) -> None:
    """Delete symbol image ``image_id`` when no place uses it any more."""
    if image_id is None:
        return
    used = session.scalar(
        select(func.count()).select_from(Place).where(Place.symbol_image_id == image_id)
    )
    if not used:
        session.execute(delete(SymbolImage).where(SymbolImage.id == image_id))


def forget_log_content(session: Session, place_id: int) -> None:
    """Empty the reasons and before/after values of a place's log entries."""
    session.execute(
        update(ModerationEntry)
        .where(ModerationEntry.place_id == place_id)
        .values(reason="", before=None, after=None)
    )


def log_of(session: Session, place_id: int) -> list[ModerationEntry]:
    query = (
        select(ModerationEntry)
        .where(ModerationEntry.place_id == place_id)
        .order_by(ModerationEntry.created_at, ModerationEntry.id)
    )
    return list(session.scalars(query))


def pending_places(session: Session, gemeenten: Sequence[str] | None) -> list[Place]:
    """Pending places, newest first; only in ``gemeenten`` unless that is ``None``."""
    query = select(Place).where(Place.status == "pending")
    if gemeenten is not None:
        query = query.where(Place.gemeente_code.in_(list(gemeenten)))
    return list(session.scalars(query.order_by(Place.created_at.desc(), Place.id.desc())))


def place_by_owner_hash(session: Session, token_hash: str) -> Place | None:
    return session.scalar(select(Place).where(Place.owner_token_hash == token_hash))


def symbol_image_with_places(session: Session, key: str) -> tuple[SymbolImage | None, list]:
    """The symbol image with URL key ``key`` and the places using it."""
    image = session.scalar(select(SymbolImage).where(SymbolImage.key == key))
    if image is None:
        return None, []
    places = session.scalars(select(Place).where(Place.symbol_image_id == image.id)).all()
    return image, list(places)
