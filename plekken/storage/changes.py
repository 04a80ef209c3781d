"""When the data last changed: a fingerprint that moves with every change of places or areas."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Area, Endorsement, Place, PlaceFunctionType

__all__ = ["data_version"]


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def data_version(session: Session) -> tuple:
    """A cheap fingerprint of the data: counts and newest change times of places and areas.

    Adding, changing, hiding or deleting a place, re-importing areas, or adding or withdrawing
    an endorsement ("ook voor mij") changes it. Items 1 and 4 are the newest change of a place
    and of an area (timezone-aware, or ``None``).
    """
    row = session.execute(
        select(
            select(func.count(Place.id)).scalar_subquery(),
            select(func.max(Place.updated_at)).scalar_subquery(),
            select(func.count()).select_from(PlaceFunctionType).scalar_subquery(),
            select(func.count(Area.id)).scalar_subquery(),
            select(func.max(Area.imported_at)).scalar_subquery(),
            select(func.count(Endorsement.id)).scalar_subquery(),
            select(func.max(Endorsement.created_at)).scalar_subquery(),
        )
    ).one()
    n_places, places_at, n_types, n_areas, areas_at, n_endorsed, last_endorsed = row
    return (
        n_places, _utc(places_at), n_types, n_areas, _utc(areas_at), n_endorsed,
        _utc(last_endorsed),
    )  # fmt: skip
