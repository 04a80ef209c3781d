"""Gaps: the parts of an area farther than D from every place of a type."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.errors import GEOSException

from .crs import output_crs
from .geometry import cut_by_cells
from .inputs import points_by_type, prepare_areas, prepare_places, prepare_population, resolve_types
from .network_measures import network_uncovered_land, prepare_network
from .points import points_in_areas
from .results import finish

__all__ = ["gaps", "GAP_COLUMNS", "uncovered_land"]

GAP_COLUMNS = [
    "code", "name", "level", "function_type", "distance_m", "area_m2", "share_of_land",
    "inhabitants_est", "geometry",
]  # fmt: skip

#: Precision (metres) for gluing uncovered pieces together when the exact union fails.
GRID_SIZE = 0.01


def _glue(pieces: np.ndarray):
    """Union of touching pieces; snapped to a centimetre grid only if the plain union fails."""
    try:
        return shapely.union_all(pieces)
    except GEOSException:
        return shapely.union_all(pieces, grid_size=GRID_SIZE)


def uncovered_land(
    lands: np.ndarray, xy: np.ndarray, distance: float, quad_segs: int = 32
) -> np.ndarray:
    """Per land geometry, the part farther than ``distance`` from every point ``xy``.

    Only the Voronoi cells that reach beyond ``distance`` are cut, so the cost follows the
    length of the coverage edge, not the number of places.
    """
    if len(xy) == 0:
        return lands.copy()
    cells, pieces = cut_by_cells(lands, xy, distance)
    centres = shapely.points(cells.xy[pieces.point_idx])
    near = shapely.distance(centres, pieces.geoms) < distance
    left = pieces.geoms.copy()
    discs = shapely.buffer(centres[near], distance, quad_segs=quad_segs)
    left[near] = shapely.difference(pieces.geoms[near], discs)
    result = np.full(len(lands), shapely.Polygon(), dtype=object)
    if len(pieces.area_idx) == 0:
        return result
    order = np.argsort(pieces.area_idx, kind="stable")
    groups = np.split(left[order], np.flatnonzero(np.diff(pieces.area_idx[order])) + 1)
    for area, group in zip(np.unique(pieces.area_idx), groups, strict=True):
        result[area] = _glue(group)
    return result


def _inhabitants(polygons, area_idx, prepared, population) -> np.ndarray:
    if population is None:
        land_m2 = prepared["land_m2"].to_numpy()[area_idx]
        inhabitants = prepared["inhabitants"].to_numpy(dtype=float)[area_idx]
        with np.errstate(divide="ignore", invalid="ignore"):
            return inhabitants * shapely.area(polygons) / land_m2
    xy, weights = population
    gap_idx, point_idx = points_in_areas(polygons, xy)
    return np.bincount(gap_idx, weights=weights[point_idx], minlength=len(polygons))


def gaps(
    areas: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    distance: float = 400,
    function_type: str = "verbindend",
    *,
    include_pending: bool = False,
    water: gpd.GeoDataFrame | None = None,
    population: gpd.GeoDataFrame | None = None,
    weight: str | None = "weight",
    quad_segs: int = 32,
    min_area_m2: float = 1.0,
    network: Any = None,
    network_width: float = 50.0,
    out_crs: Any = None,
) -> gpd.GeoDataFrame:
    """Polygons of land farther than ``distance`` from any place of a type.

    Distances are straight lines (``distance_method="euclidean"``) unless a street
    ``network`` is given.

    Parameters
    ----------
    areas, places : GeoDataFrame
        Storage-shaped frames (see :mod:`plekken.analysis.inputs`), EPSG:4326 or EPSG:28992.
    distance : float, default 400
        Distance in metres.
    function_type : str, default "verbindend"
        A function type or ``"any"``.
    include_pending, water, population, weight, out_crs
        As in :func:`plekken.analysis.coverage`.
    quad_segs : int, default 32
        Segments per quarter circle of the discs cut out of the land.
    min_area_m2 : float, default 1.0
        Drop gap polygons smaller than this (slivers).
    network, network_width
        Measure along streets; the gaps are then the land outside the service area (see
        :func:`plekken.analysis.coverage`).

    Returns
    -------
    GeoDataFrame
        One row per gap polygon (single parts), largest first, with ``code``, ``name``,
        ``level`` of its area, ``function_type``, ``distance_m``, ``area_m2``,
        ``share_of_land`` and ``inhabitants_est`` (population points inside it, or the area's
        inhabitants spread evenly over its land; NaN when unknown).

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> areas = gpd.GeoDataFrame({"code": ["BU1"]}, geometry=[box(0, 0, 2000, 2000)], crs=28992)
    >>> places = gpd.GeoDataFrame({"function_types": [["verbindend"]]},
    ...                           geometry=[Point(1000, 1000)], crs=28992)
    >>> round(float(gaps(areas, places)["area_m2"].iloc[0]) / 1e6, 2)
    3.5
    """
    prepared = prepare_areas(areas, water)
    kept = prepare_places(places, include_pending)
    xy = points_by_type(kept, resolve_types(function_type))[function_type]
    lands = prepared["land"].to_numpy()
    net_attrs = {}
    if network is None:
        uncovered = uncovered_land(lands, xy, float(distance), quad_segs)
    else:
        net, net_attrs = prepare_network(network, lands, network_width)
        uncovered = network_uncovered_land(lands, net, xy, float(distance), network_width)
    parts, area_idx = shapely.get_parts(uncovered, return_index=True)
    keep = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) >= min_area_m2)
    parts, area_idx = parts[keep], area_idx[keep]
    frame = prepared[["code", "name", "level"]].iloc[area_idx].reset_index(drop=True)
    frame["function_type"] = function_type
    frame["distance_m"] = float(distance)
    frame["area_m2"] = shapely.area(parts)
    frame["share_of_land"] = frame["area_m2"] / prepared["land_m2"].to_numpy()[area_idx]
    frame["inhabitants_est"] = _inhabitants(
        parts, area_idx, prepared, prepare_population(population, weight, prepared)
    )
    frame["geometry"] = parts
    frame = frame.sort_values("area_m2", ascending=False, kind="stable").reset_index(drop=True)
    attrs = {
        "measure": "gaps",
        "distance_method": "euclidean" if network is None else "network",
        "distance_m": float(distance),
        "function_type": function_type,
        "include_pending": include_pending,
        "population_method": "even_over_land" if population is None else "population_points",
        "quad_segs": quad_segs,
    }
    attrs.update(net_attrs)
    return finish(pd.DataFrame(frame, columns=GAP_COLUMNS), output_crs(areas, out_crs), attrs)
