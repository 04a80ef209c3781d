"""Areas (CBS gemeenten, wijken and buurten) as frames, lookups and imports; locating points.

Functions take a SQLAlchemy session and plain values, never a request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFoundError
from .models import Area, Place, utcnow

__all__ = [
    "AGE_COLUMNS",
    "AREA_COLUMNS",
    "area_ages",
    "areas_frame",
    "area_codes",
    "area_names",
    "find_gemeente",
    "gemeente_name",
    "get_area",
    "locate",
    "relocate_places",
    "upsert_areas",
    "wijk_outline",
    "wijken",
    "count_children",
]

CRS = "EPSG:4326"
AREA_COLUMNS = [
    "code", "name", "level", "parent_code", "gemeente_code", "gemeente_name",
    "inhabitants", "land_area_m2", "water_area_m2", "is_water",
]  # fmt: skip
#: Inhabitants per CBS age group, stored when the imported file has them.
AGE_COLUMNS = ["age_00_14", "age_15_24", "age_25_44", "age_45_64", "age_65_plus"]


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


def area_ages(session: Session, codes: Iterable[str]) -> pd.DataFrame:
    """Inhabitants per CBS age group (:data:`AGE_COLUMNS`, nullable) of the areas ``codes``,
    indexed by code."""
    columns = [getattr(Area, c) for c in AGE_COLUMNS]
    rows = session.execute(select(Area.code, *columns).where(Area.code.in_(list(codes)))).all()
    frame = pd.DataFrame.from_records(rows, columns=["code", *AGE_COLUMNS])
    return frame.set_index("code").astype("Int64")


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


def find_gemeente(session: Session, code: str | None = None, name: str | None = None):
    """``(code, name)`` of the gemeente ``code`` or (any case) ``name``, or ``None``."""
    by = Area.gemeente_code == code if code else func.lower(Area.gemeente_name) == name.lower()
    found = session.execute(
        select(Area.gemeente_code, Area.gemeente_name).where(by).limit(1)
    ).first()
    return None if found is None else (found[0], found[1])


def wijk_outline(session: Session, code: str) -> Area | None:
    """The stored wijk ``code`` (its outline), or ``None``."""
    return session.scalar(select(Area).where(Area.code == code, Area.level == "wijk"))


def area_parent(session: Session, code: str) -> str | None:
    """The code of the wijk that holds buurt ``code``, or ``None`` for no stored buurt."""
    return session.scalar(select(Area.parent_code).where(Area.code == code, Area.level == "buurt"))


def count_children(session: Session, code: str) -> int:
    """How many stored areas name ``code`` as their parent."""
    return session.scalar(select(func.count(Area.id)).where(Area.parent_code == code))


def wijken(session: Session) -> list[Area]:
    """Every stored wijk, ordered by gemeente name and wijk name."""
    query = select(Area).where(Area.level == "wijk").order_by(Area.gemeente_name, Area.name)
    return list(session.scalars(query).all())


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
    columns = AREA_COLUMNS + [c for c in AGE_COLUMNS if c in frame.columns]
    for record, geom in zip(frame[columns].to_dict("records"), frame.geometry, strict=True):
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
