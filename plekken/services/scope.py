"""What an analysis runs on: the areas and places of one wijk or gemeente, from storage.

Functions take a SQLAlchemy session and plain values (the language of messages too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
from sqlalchemy.orm import Session

from .. import analysis, storage
from ..analysis.inputs import SPREAD
from ..errors import NotFoundError, ValidationError
from ..i18n import gettext
from .cache import data_date

__all__ = [
    "Inputs", "REACH_M", "Scope", "analysis_inputs", "load_inputs", "resolve_scope", "scope_areas",
]  # fmt: skip

SCOPE_LEVELS = ("buurt", "wijk")
GEMEENTE_CODE = re.compile(r"GM\d{4}")
#: Places up to this far outside the scope still count: a place across the border is near too.
REACH_M = 5000.0


@dataclass(frozen=True)
class Scope:
    """What is analysed: the buurten or wijken of one wijk or one gemeente."""

    kind: str  # "wijk" or "gemeente"
    code: str
    name: str | None
    level: str

    def as_dict(self) -> dict[str, str | None]:
        return {"type": self.kind, "code": self.code, "name": self.name, "level": self.level}


@dataclass(frozen=True)
class Inputs:
    """Areas and places of a scope, with what the metadata needs to say about them."""

    areas: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    scope: Scope
    include_pending: bool
    places_counted: int
    data_date: str | None
    #: Address or building points where people live, instead of an even spread over the land.
    population: gpd.GeoDataFrame | None = None
    #: Column with inhabitants per point, or ``"spread"``: each area's CBS count over its points.
    population_weight: str | None = SPREAD


def _scope_error(message: str) -> ValidationError:
    return ValidationError({"wijk": message, "gemeente": message})


def _gemeente(session: Session, gemeente: str) -> tuple[str, str | None]:
    """Code and name of a gemeente given by code (GM0268) or name (Nijmegen)."""
    wanted = gemeente.strip()
    if GEMEENTE_CODE.fullmatch(wanted.upper()):
        found = storage.find_gemeente(session, code=wanted.upper())
    else:
        found = storage.find_gemeente(session, name=wanted)
    if found is None:
        raise NotFoundError(gemeente, field="gemeente")
    return found


def resolve_scope(
    session: Session,
    wijk: str | None = None,
    gemeente: str | None = None,
    level: str = "buurt",
    lang: str = "nl",
) -> Scope:
    """The :class:`Scope` of exactly one ``wijk`` code or ``gemeente`` code or name."""
    if level not in SCOPE_LEVELS:
        message = gettext("Kies uit: {allowed}.", lang, allowed="buurt, wijk")
        raise ValidationError({"level": message})
    if bool(wijk) == bool(gemeente):
        message = gettext("Geef een wijk óf een gemeente op (precies één van beide).", lang)
        raise _scope_error(message)
    if gemeente:
        code, name = _gemeente(session, gemeente)
        return Scope("gemeente", code, name, level)
    code = wijk.strip().upper()
    outline = storage.wijk_outline(session, code)
    if outline is None and not storage.count_children(session, code):
        raise NotFoundError(wijk, field="wijk")
    return Scope("wijk", code, outline.name if outline else None, level)


def scope_areas(session: Session, scope: Scope) -> gpd.GeoDataFrame:
    """The land areas (no water) of ``scope`` at its level."""
    if scope.kind == "gemeente":
        frame = storage.areas_frame(session, level=scope.level, gemeente=scope.code)
    elif scope.level == "wijk":
        frame = storage.areas_frame(session, level="wijk", codes=[scope.code])
    else:
        frame = storage.areas_frame(session, level="buurt", parent=scope.code)
    frame = frame[~frame["is_water"].fillna(False).astype(bool)].reset_index(drop=True)
    if frame.empty:
        raise NotFoundError(f"{scope.level} in {scope.code}", field=scope.kind)
    return frame


def _nearby_places(places: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The places within :data:`REACH_M` of the bounding box of ``areas``."""
    if places.empty:
        return places
    minx, miny, maxx, maxy = areas.to_crs(analysis.METRIC_CRS).total_bounds
    metric = places.geometry.to_crs(analysis.METRIC_CRS)
    keep = metric.x.between(minx - REACH_M, maxx + REACH_M) & metric.y.between(
        miny - REACH_M, maxy + REACH_M
    )
    return places[keep].reset_index(drop=True)


def analysis_inputs(
    session: Session,
    *,
    wijk: str | None = None,
    gemeente: str | None = None,
    level: str = "buurt",
    include_pending: bool = False,
    version: tuple | None = None,
    lang: str = "nl",
) -> Inputs:
    """Areas of the scope at ``level`` and the places that count for them.

    Places are published ones (plus pending ones with ``include_pending``; hidden ones never)
    inside the scope or within :data:`REACH_M` metres of it. Raises :class:`ValidationError`
    or :class:`NotFoundError` naming the field for a missing or unknown scope, in ``lang``.
    ``version`` is the :func:`plekken.storage.data_version` when the caller has read it already.
    """
    scope = resolve_scope(session, wijk, gemeente, level, lang)
    version = storage.data_version(session) if version is None else version
    areas = scope_areas(session, scope)
    statuses = ("published", "pending") if include_pending else ("published",)
    places = _nearby_places(storage.places_frame(session, statuses=statuses), areas)
    column = "wijk_code" if scope.kind == "wijk" else "gemeente_code"
    inside = int((places[column] == scope.code).sum()) if column in places else 0
    return Inputs(areas, places, scope, include_pending, inside, data_date(version))


def load_inputs(
    session: Session,
    *,
    wijk: str | None = None,
    gemeente: str | None = None,
    level: str = "buurt",
    include_pending: bool = False,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """``(areas, places)`` of a scope, as :func:`analysis_inputs` picks them."""
    inputs = analysis_inputs(
        session, wijk=wijk, gemeente=gemeente, level=level, include_pending=include_pending
    )
    return inputs.areas, inputs.places
