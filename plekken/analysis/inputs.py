"""Turn storage-shaped frames into the metric arrays the measures work on.

Areas
    ``code``, ``name``, ``level``, ``parent_code``, ``inhabitants`` (nullable), ``land_area_m2``,
    ``water_area_m2``, ``is_water`` and a (Multi)Polygon geometry. Areas with ``is_water`` true
    are skipped. Only ``code`` and the geometry are required; the rest default sensibly.
Places
    ``id``, ``function_types`` (list of keys per row), ``status``, ``contributor``,
    ``conditions`` and ``access_*`` flags with a Point geometry. Hidden places never count,
    pending places only with ``include_pending=True``; without a ``status`` column every place
    counts.
Population points
    Optional address or building points with a weight column (inhabitants per point). When given
    they replace the assumption that an area's inhabitants live evenly spread over its land.

Land
    With ``water`` polygons the land of an area is its polygon minus the water
    (``land_method="water_polygons"``). Without them, an area whose ``water_area_m2`` is positive
    keeps its whole polygon and the water is assumed to be spread evenly over it, so shares of
    the polygon are shares of the land and absolute land areas are scaled by the land share
    ``land_area_m2 / (land_area_m2 + water_area_m2)`` (``land_method="land_share"``). Otherwise the
    polygon is all land (``land_method="geometry"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..vocab import FUNCTION_TYPES
from .crs import to_metric
from .points import points_in_areas

__all__ = [
    "ANY",
    "resolve_types",
    "resolve_distances",
    "prepare_areas",
    "prepare_places",
    "points_by_type",
    "type_flags",
    "explode_keys",
    "key_flags",
    "prepare_population",
    "SPREAD",
]

#: Pseudo function type meaning "a place of any type".
ANY = "any"


def resolve_types(types: str | Iterable[str] | None) -> list[str]:
    """The function types to report, in vocabulary order, followed by ``"any"``.

    Examples
    --------
    >>> resolve_types(None)
    ['functioneel', 'verbindend', 'ideologisch', 'any']
    >>> resolve_types("verbindend")
    ['verbindend', 'any']
    """
    wanted = list(FUNCTION_TYPES) if types is None else [types] if isinstance(types, str) else types
    unknown = sorted(set(wanted) - set(FUNCTION_TYPES) - {ANY})
    if unknown:
        raise ValueError(
            f"types: unknown function type(s) {unknown}; choose from {sorted(FUNCTION_TYPES)}"
        )
    return [t for t in FUNCTION_TYPES if t in wanted] + [ANY]


def resolve_distances(distances: float | Iterable[float]) -> list[float]:
    """One or more positive distances in metres, sorted and without repeats.

    Examples
    --------
    >>> resolve_distances([800, 400, 400])
    [400.0, 800.0]
    """
    values = [float(distances)] if np.isscalar(distances) else [float(d) for d in distances]
    if not values or min(values) <= 0:
        raise ValueError(f"distances: give one or more positive distances in metres, got {values}")
    return sorted(set(values))


def _column(frame: pd.DataFrame, name: str, default: Any) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(default, index=frame.index)


def _as_float(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _with_geometry(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows whose geometry is neither missing nor empty."""
    return frame[~(frame.geometry.is_empty | frame.geometry.isna())]


def prepare_areas(areas: gpd.GeoDataFrame, water: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Areas in EPSG:28992 with their land geometry and how it was derived.

    Returns a DataFrame with ``code``, ``name``, ``level``, ``inhabitants`` (float, NaN when
    unknown), ``land`` (land geometry, invalid polygons repaired), ``land_m2`` (area of
    ``land``, the denominator of every share), ``land_area_m2`` (the land area for rates such
    as places per km²: ``land_m2``, scaled by the land share under ``"land_share"``),
    ``land_method`` and ``geometry`` (the area polygon). Water areas are dropped.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> areas = gpd.GeoDataFrame({"code": ["BU1"]}, geometry=[box(0, 0, 100, 100)], crs=28992)
    >>> prepare_areas(areas)[["code", "land_m2", "land_method"]]
      code  land_m2 land_method
    0  BU1  10000.0    geometry
    """
    if "code" not in areas.columns:
        raise ValueError("areas: a 'code' column is required")
    metric = to_metric(areas, "areas")
    metric = metric[~_column(metric, "is_water", False).fillna(False).astype(bool)]
    metric = _with_geometry(metric)
    geoms = metric.geometry.to_numpy().copy()
    invalid = ~shapely.is_valid(geoms)
    geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    frame = pd.DataFrame(
        {
            "code": metric["code"].astype(str).to_numpy(),
            "name": _column(metric, "name", None).to_numpy(),
            "level": _column(metric, "level", None).to_numpy(),
            "inhabitants": _as_float(_column(metric, "inhabitants", np.nan)),
        }
    )
    reported_land = _as_float(_column(metric, "land_area_m2", np.nan))
    reported_water = _as_float(_column(metric, "water_area_m2", np.nan))
    land = geoms if water is None else _subtract_water(geoms, water)
    land_m2 = shapely.area(land)
    if water is not None:
        method = np.full(len(frame), "water_polygons", dtype=object)
        land_area = land_m2
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            share = reported_land / (reported_land + reported_water)
        scaled = (reported_water > 0) & np.isfinite(share)
        method = np.where(scaled, "land_share", "geometry").astype(object)
        land_area = np.where(scaled, land_m2 * np.nan_to_num(share), land_m2)
    frame["land"] = land
    frame["land_m2"] = land_m2
    frame["land_area_m2"] = land_area
    frame["land_method"] = method
    frame["geometry"] = geoms
    return frame


def _subtract_water(geoms: np.ndarray, water: gpd.GeoDataFrame) -> np.ndarray:
    water_geoms = to_metric(water, "water").geometry.to_numpy()
    tree = shapely.STRtree(water_geoms)
    area_idx, water_idx = tree.query(geoms, predicate="intersects")
    land = geoms.copy()
    for i in np.unique(area_idx):
        wet = shapely.union_all(water_geoms[water_idx[area_idx == i]])
        land[i] = shapely.difference(geoms[i], wet)
    return land


def prepare_places(
    places: gpd.GeoDataFrame, include_pending: bool = False, name: str = "places"
) -> gpd.GeoDataFrame:
    """Places that count, in EPSG:28992: published ones, plus pending ones when asked.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> places = gpd.GeoDataFrame(
    ...     {"function_types": [["verbindend"]] * 3, "status": ["published", "pending", "hidden"]},
    ...     geometry=[Point(0, 0)] * 3, crs=28992)
    >>> len(prepare_places(places)), len(prepare_places(places, include_pending=True))
    (1, 2)
    """
    metric = to_metric(places, name)
    if "status" in metric.columns:
        allowed = ["published", "pending"] if include_pending else ["published"]
        metric = metric[metric["status"].isin(allowed)]
    metric = _with_geometry(metric)
    not_points = shapely.get_type_id(metric.geometry.to_numpy()) != 0
    if not_points.any():
        kinds = sorted(metric.geometry[not_points].geom_type.unique())
        raise ValueError(f"{name}: geometries must be points, got {kinds}")
    return metric


def explode_keys(values: pd.Series) -> pd.Series:
    """One row per (row position, key) for list-valued columns such as ``function_types``.

    The index is the row position (0..n-1). Comma-separated strings are accepted too.

    Examples
    --------
    >>> explode_keys(pd.Series([["verbindend", "functioneel"], "ideologisch", None])).tolist()
    ['verbindend', 'functioneel', 'ideologisch']
    """
    values = values.reset_index(drop=True)
    is_text = values.map(lambda value: isinstance(value, str))
    if is_text.any():
        split = values[is_text].str.split(",").map(lambda parts: [p.strip() for p in parts])
        values = values.where(~is_text, split)
    exploded = values.explode()
    exploded = exploded[exploded.notna()]
    return exploded[exploded != ""]


def key_flags(values: pd.Series, keys: list[str]) -> np.ndarray:
    """Boolean matrix (rows × keys): does the row's list hold the key?"""
    flags = np.zeros((len(values), len(keys)), dtype=bool)
    exploded = explode_keys(values)
    for j, key in enumerate(keys):
        flags[exploded.index[(exploded == key).to_numpy()].to_numpy(dtype=int), j] = True
    return flags


def type_flags(places: gpd.GeoDataFrame, types: list[str]) -> np.ndarray:
    """Boolean matrix (places × types): does the place carry the type? ``"any"`` is all true."""
    named = [t for t in types if t != ANY]
    flags = key_flags(_column(places, "function_types", None), named)
    columns = [
        np.ones(len(places), dtype=bool) if t == ANY else flags[:, named.index(t)] for t in types
    ]
    return np.stack(columns, axis=1) if columns else np.zeros((len(places), 0), dtype=bool)


def points_by_type(places: gpd.GeoDataFrame, types: list[str]) -> dict[str, np.ndarray]:
    """Coordinates (n, 2) of the places carrying each type; ``"any"`` holds every place.

    A place with two types appears under both.
    """
    xy = shapely.get_coordinates(places.geometry.to_numpy())
    flags = type_flags(places, types)
    return {t: xy[flags[:, j]] for j, t in enumerate(types)}


#: ``weight`` value that spreads each area's CBS inhabitants evenly over its points.
SPREAD = "spread"


def prepare_population(
    population: gpd.GeoDataFrame | None,
    weight: str | None = "weight",
    areas: pd.DataFrame | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Coordinates (n, 2) and weights of population points in EPSG:28992, or ``None``.

    ``weight`` names the column with inhabitants per point; ``None`` gives every point weight 1;
    ``"spread"`` (:data:`SPREAD`) divides each area's ``inhabitants`` evenly over the points in
    its land (address points without counts, e.g. BAG), which needs the prepared ``areas``.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> areas = prepare_areas(gpd.GeoDataFrame({"code": ["BU1"], "inhabitants": [90]},
    ...                       geometry=[box(0, 0, 100, 100)], crs=28992))
    >>> homes = gpd.GeoDataFrame(geometry=[Point(10, 10), Point(20, 20), Point(30, 30)], crs=28992)
    >>> prepare_population(homes, "spread", areas)[1].tolist()
    [30.0, 30.0, 30.0]
    """
    if population is None:
        return None
    metric = to_metric(population, "population")
    metric = _with_geometry(metric)
    points = shapely.get_coordinates(metric.geometry.representative_point().to_numpy())
    if weight is None:
        return points, np.ones(len(points))
    if weight == SPREAD and SPREAD not in metric.columns:
        if areas is None:
            raise ValueError("population: weight='spread' needs the areas")
        return points, _spread(areas, points)
    if weight not in metric.columns:
        raise ValueError(f"population: weight column {weight!r} not found; pass weight=None")
    return points, np.nan_to_num(_as_float(metric[weight]))


def _spread(areas: pd.DataFrame, points: np.ndarray) -> np.ndarray:
    """Each point's share of the inhabitants of the (first) area it lies in; 0 outside."""
    area_idx, point_idx = points_in_areas(areas["land"].to_numpy(), points)
    first = np.unique(point_idx, return_index=True)[1]
    area_idx, point_idx = area_idx[first], point_idx[first]
    per_area = np.bincount(area_idx, minlength=len(areas))
    inhabitants = np.nan_to_num(areas["inhabitants"].to_numpy(dtype=float))
    weights = np.zeros(len(points))
    weights[point_idx] = inhabitants[area_idx] / per_area[area_idx]
    return weights
