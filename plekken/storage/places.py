"""Places and their symbol images: storing, reading and counting them, and places as frames.

Functions take a SQLAlchemy session and plain values, never a request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point
from sqlalchemy import LargeBinary, delete, func, select, type_coerce
from sqlalchemy.orm import Session

from ..errors import NotFoundError
from ..vocab import FUNCTION_TYPES
from .models import Endorsement, Place, PlaceFunctionType, SymbolImage

__all__ = [
    "bounds_of",
    "count_places",
    "create_place",
    "delete_all_places",
    "get_place",
    "iter_places",
    "list_places",
    "place_markers",
    "places_frame",
    "published_counts_by_wijk",
    "store_symbol_image",
    "symbol_png",
]

CRS = "EPSG:4326"
#: Columns of an empty :func:`places_frame`.
EMPTY_PLACES = ["id", "name", "function_types", "status", "contributor", "conditions"]


def store_symbol_image(session: Session, png: bytes) -> SymbolImage:
    """Store a processed symbol PNG once (identical images are shared)."""
    digest = hashlib.sha256(png).hexdigest()
    image = session.scalar(select(SymbolImage).where(SymbolImage.sha256 == digest))
    if image is None:
        image = SymbolImage(png=png, sha256=digest)
        session.add(image)
        session.flush()
    return image


def create_place(
    session: Session,
    clean: dict[str, Any],
    location: dict,
    status: str,
    symbol_png: bytes | None = None,
) -> Place:
    """Add a validated place (see :func:`plekken.validation.validate_place`); not committed."""
    fields = {k: v for k, v in clean.items() if k not in ("lon", "lat", "function_types")}
    place = Place(**fields, geom=Point(clean["lon"], clean["lat"]), status=status, **location)
    place.function_types = clean["function_types"]
    if symbol_png is not None:
        place.symbol_image_id = store_symbol_image(session, symbol_png).id
        place.symbol_icon = None
    session.add(place)
    session.flush()
    return place


def get_place(session: Session, place_id: int, statuses: Sequence[str] = ("published",)) -> Place:
    place = session.get(Place, place_id)
    if place is None or place.status not in statuses:
        raise NotFoundError(place_id)
    return place


def _place_query(
    wijk=None, buurt=None, gemeente=None, types=None, statuses=("published",),
    workshop=None, after=None, since=None, until=None,
):  # fmt: skip
    query = select(Place).where(Place.status.in_(list(statuses))).order_by(Place.id)
    if workshop is not None:
        query = query.where(Place.workshop_id == workshop)
    if after is not None:  # the workshop feed: numbered places after this number, in order
        query = query.where(Place.workshop_seq > after).order_by(None).order_by(Place.workshop_seq)
    if since is not None:
        query = query.where(Place.created_at >= since)
    if until is not None:
        query = query.where(Place.created_at < until)
    for column, value in (
        (Place.wijk_code, wijk),
        (Place.buurt_code, buurt),
        (Place.gemeente_code, gemeente),
    ):
        if value:
            query = query.where(column == value)
    if types:
        typed = select(PlaceFunctionType.place_id).where(
            PlaceFunctionType.function_type.in_(list(types))
        )
        query = query.where(Place.id.in_(typed))
    return query


def list_places(session: Session, **filters: Any) -> list[Place]:
    """Places filtered by ``wijk``, ``buurt``, ``gemeente``, ``types``, ``statuses``,
    ``workshop`` (its id), ``after`` (feed number: only numbered places after it, in the
    order of the feed) and the time they were added (``since`` inclusive, ``until``
    exclusive, aware datetimes)."""
    return list(session.scalars(_place_query(**filters)).all())


@dataclass(frozen=True)
class MarkerRecord:
    """What a map marker shows of a place, and what decides who may see it."""

    id: int
    lon: float
    lat: float
    name: str
    quote: str
    types: list[str]
    symbol_icon: str | None
    image_key: str | None
    buurt_code: str | None
    gemeente_code: str | None
    status: str
    private: bool


def place_markers(session: Session, **filters: Any) -> list[MarkerRecord]:
    """The few fields a map marker needs, for places filtered as in :func:`list_places`.

    Reads columns rather than whole places, so that a gemeente with ten thousand places
    answers quickly. The records carry what :mod:`plekken.services.visibility` needs to
    decide who may see them (``id``, ``status``, ``gemeente_code``, ``private``).
    """
    columns = (Place.id, _wkb(session), Place.name, Place.quote, Place.symbol_icon,
               SymbolImage.key, Place.buurt_code, Place.gemeente_code, Place.status,
               Place.private)  # fmt: skip
    query = _place_query(**filters)
    rows = session.execute(
        query.with_only_columns(*columns).outerjoin(
            SymbolImage, SymbolImage.id == Place.symbol_image_id
        )
    ).all()
    ids = query.with_only_columns(Place.id).order_by(None)
    keys: dict[int, set[str]] = {}
    typed = select(PlaceFunctionType.place_id, PlaceFunctionType.function_type).where(
        PlaceFunctionType.place_id.in_(ids)
    )
    for place_id, key in session.execute(typed):
        keys.setdefault(place_id, set()).add(key)
    # Points from WKB all at once: shapely's vectorised reader, not one object per row.
    points = shapely.from_wkb([bytes(row[1]) for row in rows]) if rows else []
    xs, ys = shapely.get_x(points), shapely.get_y(points)
    return [
        MarkerRecord(
            id=pid, lon=float(x), lat=float(y), name=name, quote=quote or "",
            types=[k for k in FUNCTION_TYPES if k in keys.get(pid, ())], symbol_icon=icon,
            image_key=image, buurt_code=buurt, gemeente_code=gemeente, status=status,
            private=bool(private),
        )
        for (pid, _, name, quote, icon, image, buurt, gemeente, status, private), x, y
        in zip(rows, xs, ys, strict=True)
    ]  # fmt: skip


def _wkb(session: Session):
    """The point column as plain WKB bytes (PostGIS: ``ST_AsBinary``; SQLite stores WKB)."""
    if session.get_bind().dialect.name == "postgresql":
        return type_coerce(func.ST_AsBinary(Place.geom), LargeBinary)
    return type_coerce(Place.geom, LargeBinary)


def iter_places(session: Session, batch: int = 1000, **filters: Any) -> Iterator[list[Place]]:
    """The places of :func:`list_places` in batches of at most ``batch``, by id.

    Each batch is a query of its own (keyset pagination on the id); the session holds its
    objects weakly, so a batch is freed once the caller lets go of it and memory stays
    bounded however many places there are.
    """
    last = 0
    while True:
        query = _place_query(**filters).where(Place.id > last).limit(batch)
        places = list(session.scalars(query).all())
        if not places:
            return
        last = places[-1].id
        yield places


def count_places(session: Session, **filters: Any) -> int:
    query = _place_query(**filters).with_only_columns(func.count()).order_by(None)
    return session.scalar(query)


def places_frame(session: Session, **filters: Any) -> gpd.GeoDataFrame:
    """Places as a GeoDataFrame in EPSG:4326, in the shape :mod:`plekken.analysis` expects."""
    places = list_places(session, **filters)
    # All counts at once: a list of ids could pass the database's limit on bound parameters.
    endorsed = dict(
        session.execute(
            select(Endorsement.place_id, func.count()).group_by(Endorsement.place_id)
        ).all()
    )
    records = [
        {
            "id": p.id, "name": p.name, "quote": p.quote, "story": p.story,
            "function_types": p.function_types, "status": p.status,
            "contributor": p.contributor_name or f"anoniem-{p.id}",
            "contributor_role": p.contributor_role, "conditions": list(p.conditions or []),
            "access_free_entry": p.access_free_entry, "access_costs": p.access_costs,
            "access_wheelchair": p.access_wheelchair, "gemeente_code": p.gemeente_code,
            "wijk_code": p.wijk_code, "buurt_code": p.buurt_code, "created_at": p.created_at,
            "endorsements": endorsed.get(p.id, 0), "private": bool(p.private),
        }
        for p in places
    ]  # fmt: skip
    # Without places there are no records to take the columns from; name the essential ones.
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=EMPTY_PLACES)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([p.geom for p in places]), crs=CRS)


def delete_all_places(session: Session) -> None:
    session.execute(delete(PlaceFunctionType))
    session.execute(delete(Place))


def bounds_of(frame: gpd.GeoDataFrame) -> list[list[float]] | None:
    if frame.empty:
        return None
    minx, miny, maxx, maxy = shapely.total_bounds(frame.geometry.values)
    return [[miny, minx], [maxy, maxx]]


def symbol_png(session: Session, image_id: int) -> bytes | None:
    """The PNG of stored symbol image ``image_id``, or ``None``."""
    return session.scalar(select(SymbolImage.png).where(SymbolImage.id == image_id))


def published_counts_by_wijk(session: Session) -> dict[str | None, int]:
    """Number of published places per wijk code."""
    query = (
        select(Place.wijk_code, func.count())
        .where(Place.status == "published")
        .group_by(Place.wijk_code)
    )
    return dict(session.execute(query).all())
