"""Workshops: storing and finding them, and the numbered feed of their public places."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .models import Place, PlaceFunctionType, Workshop

__all__ = [
    "add_workshop",
    "assign_feed_number",
    "type_counts",
    "workshop_by_code",
    "workshop_by_id",
    "workshops_in",
]


def add_workshop(session: Session, **values) -> Workshop:
    """Store a workshop with the given column values; not committed."""
    workshop = Workshop(**values)
    session.add(workshop)
    session.flush()
    return workshop


def workshop_by_code(session: Session, code: str) -> Workshop | None:
    return session.scalar(select(Workshop).where(Workshop.code == code))


def workshop_by_id(session: Session, workshop_id: int) -> Workshop | None:
    return session.get(Workshop, workshop_id)


def workshops_in(session: Session, gemeenten: list[str] | None) -> list[Workshop]:
    """Workshops in these gemeenten (``None``: all), newest first."""
    query = select(Workshop).order_by(Workshop.held_on.desc(), Workshop.id.desc())
    if gemeenten is not None:
        query = query.where(Workshop.gemeente_code.in_(gemeenten))
    return list(session.scalars(query).all())


def assign_feed_number(session: Session, place: Place) -> None:
    """Give a public workshop place the next number of its workshop's feed, once.

    The counter is raised with one ``UPDATE … RETURNING``: the row stays locked until the
    transaction commits, so numbers become visible in order and a reader following the feed
    with ``since=<last number>`` misses none (not committed here).
    """
    if place.workshop_id is None or place.workshop_seq is not None:
        return
    if place.status != "published":
        return
    number = session.execute(
        update(Workshop)
        .where(Workshop.id == place.workshop_id)
        .values(feed_count=Workshop.feed_count + 1)
        .returning(Workshop.feed_count)
    ).scalar_one()
    place.workshop_seq = number
    session.flush()


def type_counts(session: Session, workshop_id: int, statuses: tuple[str, ...]) -> dict[str, int]:
    """Number of the workshop's places per function type, among places in ``statuses``."""
    query = (
        select(PlaceFunctionType.function_type, func.count())
        .join(Place, Place.id == PlaceFunctionType.place_id)
        .where(Place.workshop_id == workshop_id, Place.status.in_(list(statuses)))
        .group_by(PlaceFunctionType.function_type)
    )
    return dict(session.execute(query).all())
