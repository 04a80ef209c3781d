"""The one place where database rows become GeoDataFrames and back.

Functions take a SQLAlchemy session and plain values, never a request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .errors import NotFoundError
from .models import Area, Place, PlaceFunctionType, SymbolImage, utcnow

__all__ = [
    "AREA_COLUMNS",
    "areas_frame",
    "area_codes",
    "gemeente_name",
    "places_frame",
    "upsert_areas",
    "locate",
    "relocate_places",
    "create_place",
    "get_place",
    "list_places",
    "area_names",
    "store_symbol_image",
]

CRS = "EPSG:4326"
AREA_COLUMNS = [
    "code", "name", "level", "parent_code", "gemeente_code", "gemeente_name",
    "inhabitants", "land_area_m2", "water_area_m2", "is_water",
]  # fmt: skip
#: Columns of an empty :func:`places_frame`.
EMPTY_PLACES = ["id", "name", "function_types", "status", "contributor", "conditions"]


# ---------------------------------------------------------------- areas


def _area_query(level=None, gemeente=None, parent=None, codes=None):
    query = select(Area).order_by(Area.code)
    if level:
        query = query.where(Area.level == level)
    if gemeente:
        query = query.where(Area.gemeente_code == gemeente)
    if parent:
        query = query.where(Area.parent_code == parent)
    if codes is not None:
        query = query.where(Area.code.in_(list(codes)))
    return query


def areas_frame(
    session: Session,
    level: str | None = None,
    gemeente: str | None = None,
    parent: str | None = None,
    codes: Iterable[str] | None = None,
) -> gpd.GeoDataFrame:
    """Areas as a GeoDataFrame in EPSG:4326 with :data:`AREA_COLUMNS` + geometry."""
    rows = session.scalars(_area_query(level, gemeente, parent, codes)).all()
    records = [{column: getattr(area, column) for column in AREA_COLUMNS} for area in rows]
    frame = pd.DataFrame.from_records(records, columns=AREA_COLUMNS)
    frame["inhabitants"] = frame["inhabitants"].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=[area.geom for area in rows], crs=CRS)


def area_codes(session: Session, level: str | None = None) -> set[str]:
    """The codes of the stored areas (of one level)."""
    query = select(Area.code)
    if level:
        query = query.where(Area.level == level)
    return set(session.scalars(query))


def gemeente_name(session: Session, code: str) -> str | None:
    """The name of gemeente ``code`` (its code when unnamed), or ``None`` without areas."""
    names = session.execute(
        select(Area.gemeente_name, Area.level).where(Area.gemeente_code == code)
    ).all()
    if not names:
        return None
    named = sorted((level != "gemeente", name) for name, level in names if name)
    return named[0][1] if named else code


def get_area(session: Session, code: str) -> Area:
    area = session.scalar(select(Area).where(Area.code == code))
    if area is None:
        raise NotFoundError(code)
    return area


def area_names(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    wanted = {code for code in codes if code}
    if not wanted:
        return {}
    rows = session.execute(select(Area.code, Area.name).where(Area.code.in_(wanted)))
    return dict(rows.all())


def _none_if_na(value: Any) -> Any:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def upsert_areas(
    session: Session, frame: gpd.GeoDataFrame, source: str | None = None, relocate: bool = True
) -> dict:
    """Insert or update areas by code (frame shaped like ``plekken.io.cbs.read_cbs_areas``).

    Returns counts ``{"created": n, "updated": n}``. Places are re-located afterwards, unless
    ``relocate`` is false because the caller upserts more areas first.
    """
    frame = frame.to_crs(CRS)
    existing = {
        a.code: a for a in session.scalars(select(Area).where(Area.code.in_(list(frame["code"]))))
    }
    counts = {"created": 0, "updated": 0}
    for record, geom in zip(frame[AREA_COLUMNS].to_dict("records"), frame.geometry, strict=True):
        area = existing.get(record["code"])
        if area is None:
            area = Area()
            session.add(area)
            counts["created"] += 1
        else:
            counts["updated"] += 1
        for column, value in record.items():
            setattr(area, column, _none_if_na(value))
        area.is_water = bool(record.get("is_water") or False)
        area.min_lon, area.min_lat, area.max_lon, area.max_lat = geom.bounds
        area.geom = geom
        area.source = source
        area.imported_at = utcnow()  # a re-import is a change the analysis cache must see
    session.flush()
    if relocate:
        relocate_places(session)
    return counts


# ---------------------------------------------------------------- locating


def locate(session: Session, lon: float, lat: float) -> dict[str, str | None]:
    """The gemeente, wijk and buurt codes of the point (``None`` where no area holds it)."""
    point = Point(lon, lat)
    candidates = session.scalars(
        select(Area).where(
            Area.min_lon <= lon, Area.max_lon >= lon, Area.min_lat <= lat, Area.max_lat >= lat
        )
    ).all()
    found: dict[str, str | None] = {"gemeente_code": None, "wijk_code": None, "buurt_code": None}
    for area in candidates:
        if not area.is_water and area.geom.covers(point):
            found[f"{area.level}_code"] = area.code
            found["gemeente_code"] = area.gemeente_code
    # A buurt names its wijk even when the wijk outline itself was not imported.
    if found["buurt_code"] and not found["wijk_code"]:
        buurt = next(a for a in candidates if a.code == found["buurt_code"])
        found["wijk_code"] = buurt.parent_code
    return found


def relocate_places(session: Session) -> int:
    """Derive wijk and buurt of every place again (after areas changed)."""
    areas = areas_frame(session)
    areas = areas[(areas["level"].isin(["wijk", "buurt"])) & ~areas["is_water"].astype(bool)]
    places = session.scalars(select(Place)).all()
    if not places:
        return 0
    points = gpd.GeoDataFrame(
        {"place_id": [p.id for p in places]}, geometry=[p.geom for p in places], crs=CRS
    )
    joined = gpd.sjoin(
        points,
        areas[["code", "level", "parent_code", "gemeente_code", "geometry"]],
        predicate="within",
        how="left",
    )
    by_place: dict[int, dict[str, str | None]] = {}
    for row in joined.itertuples():
        found = by_place.setdefault(row.place_id, {"wijk": None, "buurt": None, "gm": None})
        if isinstance(row.code, str):
            found[row.level] = row.code
            found["gm"] = row.gemeente_code
            if row.level == "buurt" and not found["wijk"]:
                found["wijk"] = row.parent_code
    for place in places:
        found = by_place.get(place.id, {})
        place.wijk_code = found.get("wijk")
        place.buurt_code = found.get("buurt")
        place.gemeente_code = found.get("gm")
    session.flush()
    return len(places)


# ---------------------------------------------------------------- places


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


def _place_query(wijk=None, buurt=None, gemeente=None, types=None, statuses=("published",)):
    query = select(Place).where(Place.status.in_(list(statuses))).order_by(Place.id)
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
    """Places filtered by ``wijk``, ``buurt``, ``gemeente``, ``types`` and ``statuses``."""
    return list(session.scalars(_place_query(**filters)).all())


def count_places(session: Session, **filters: Any) -> int:
    query = _place_query(**filters).with_only_columns(func.count()).order_by(None)
    return session.scalar(query)


def places_frame(session: Session, **filters: Any) -> gpd.GeoDataFrame:
    """Places as a GeoDataFrame in EPSG:4326, in the shape :mod:`plekken.analysis` expects."""
    places = list_places(session, **filters)
    records = [
        {
            "id": p.id, "name": p.name, "quote": p.quote, "story": p.story,
            "function_types": p.function_types, "status": p.status,
            "contributor": p.contributor_name or f"anoniem-{p.id}",
            "contributor_role": p.contributor_role, "conditions": list(p.conditions or []),
            "access_free_entry": p.access_free_entry, "access_costs": p.access_costs,
            "access_wheelchair": p.access_wheelchair, "gemeente_code": p.gemeente_code,
            "wijk_code": p.wijk_code, "buurt_code": p.buurt_code, "created_at": p.created_at,
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
