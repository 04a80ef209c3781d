"""Gaps: the parts of an area farther than D from every place of a type."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .discs import Lands, near_land
from .geometry import dedupe_points, thin_points
from .inputs import resolve_types
from .network_measures import network_uncovered_land, prepare_network
from .points import points_in_areas
from .prepared import Prepared
from .results import finish
from .union import disc_union, subtract

__all__ = ["gaps", "GAP_COLUMNS", "uncovered_land"]

GAP_COLUMNS = [
    "code", "name", "level", "function_type", "distance_m", "area_m2", "share_of_land",
    "inhabitants_est", "geometry",
]  # fmt: skip


def uncovered_land(
    lands: np.ndarray, xy: np.ndarray, distance: float, quad_segs: int = 16
) -> tuple[np.ndarray, np.ndarray]:
    """The land farther than ``distance`` from every point ``xy``, as single polygons, and
    the index of the land each lies in.

    The discs are dissolved as a polygonal coverage of Voronoi pieces
    (:func:`plekken.analysis.union.disc_union`), then taken out of each land
    (:func:`plekken.analysis.union.subtract`).
    """
    indexed = Lands(lands)
    points = near_land(indexed, thin_points(dedupe_points(xy), distance), distance)
    if len(points) == 0:
        return shapely.get_parts(lands, return_index=True)
    extent = shapely.box(*shapely.bounds(shapely.buffer(indexed.extent, distance + 1.0)))
    return subtract(lands, disc_union(points, distance, extent, quad_segs))


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
    inputs: Prepared,
    distance: float = 400,
    function_type: str = "verbindend",
    *,
    quad_segs: int = 16,
    min_area_m2: float = 1.0,
    network: Any = None,
    network_width: float = 50.0,
) -> gpd.GeoDataFrame:
    """Polygons of land farther than ``distance`` from any place of a type.

    Distances are straight lines (``distance_method="euclidean"``) unless a street
    ``network`` is given.

    Parameters
    ----------
    inputs : Prepared
        Areas, places and population from :func:`~plekken.analysis.prepare`.
    distance : float, default 400
        Distance in metres.
    function_type : str, default "verbindend"
        A function type or ``"any"``.
    quad_segs : int, default 16
        Segments per quarter circle of the arcs of the discs cut out of the land (vertices on
        the circle: the gaps are at most 0.16 % of the covered area too large).
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
    >>> from plekken.analysis import prepare
    >>> areas = gpd.GeoDataFrame({"code": ["BU1"]}, geometry=[box(0, 0, 2000, 2000)], crs=28992)
    >>> places = gpd.GeoDataFrame({"function_types": [["verbindend"]]},
    ...                           geometry=[Point(1000, 1000)], crs=28992)
    >>> round(float(gaps(prepare(areas, places))["area_m2"].iloc[0]) / 1e6, 2)
    3.5
    """
    prepared = inputs.areas
    xy = inputs.points(resolve_types(function_type))[function_type]
    lands = inputs.lands
    net_attrs = {}
    if network is None:
        parts, area_idx = uncovered_land(lands, xy, float(distance), quad_segs)
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
    frame["inhabitants_est"] = _inhabitants(parts, area_idx, prepared, inputs.population)
    frame["geometry"] = parts
    frame = frame.sort_values("area_m2", ascending=False, kind="stable").reset_index(drop=True)
    attrs = {
        "measure": "gaps",
        "distance_method": "euclidean" if network is None else "network",
        "distance_m": float(distance),
        "function_type": function_type,
        "include_pending": inputs.include_pending,
        "population_method": inputs.population_method,
        "quad_segs": quad_segs,
    }
    attrs.update(net_attrs)
    return finish(pd.DataFrame(frame, columns=GAP_COLUMNS), inputs.crs, attrs)
