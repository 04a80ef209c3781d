"""Proximity in the style of the CBS *Nabijheidsstatistiek*: how far residents live from the
nearest place of each type, and how many places they have within reach."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .crs import METRIC_CRS
from .geometry import clip_pairs
from .grid import make_grid
from .inputs import resolve_distances, resolve_types
from .points import count_within, nearest_distance, points_in_areas
from .prepared import Prepared
from .results import area_frame, finish

__all__ = ["proximity", "origins", "weighted_median"]


def weighted_median(groups: np.ndarray, values: np.ndarray, weights: np.ndarray, n: int):
    """Per group ``0..n-1``, the lower weighted median of ``values`` (NaN for empty groups).

    Examples
    --------
    >>> weighted_median(np.array([0, 0, 0]), np.array([1.0, 2.0, 9.0]), np.array([1, 1, 3]), 1)
    array([9.])
    """
    result = np.full(n, np.nan)
    usable = (weights > 0) & ~np.isnan(values)
    groups, values, weights = groups[usable], values[usable], weights[usable]
    if len(groups) == 0:
        return result
    order = np.lexsort((values, groups))
    groups, values, weights = groups[order], values[order], weights[order]
    cumulative = np.cumsum(weights)
    totals = np.bincount(groups, weights=weights, minlength=n)
    before = np.concatenate([[0.0], np.cumsum(totals)])[groups]
    reached = (cumulative - before) >= 0.5 * totals[groups] * (1 - 1e-12)
    first = np.unique(groups[reached], return_index=True)
    result[first[0]] = values[reached][first[1]]
    return result


def origins(prepared: pd.DataFrame, cell: float, population=None):
    """Where people live, as ``(area_idx, xy, weight, method_per_area)``.

    With population points those are the origins. Otherwise every grid cell is cut along the
    land of each area, its centroid is an origin and its weight the area's inhabitants times
    its share of the land (``"inhabitants_over_land"``); areas with unknown or zero
    inhabitants are weighted by land area instead (``"land_area"``).
    """
    lands = prepared["land"].to_numpy()
    inhabitants = prepared["inhabitants"].to_numpy(dtype=float)
    if population is not None:
        xy, weights = population
        area_idx, point_idx = points_in_areas(lands, xy)
        method = np.full(len(prepared), "population_points", dtype=object)
        return area_idx, xy[point_idx], weights[point_idx], method
    grid = make_grid(gpd.GeoSeries(lands, crs=METRIC_CRS), cell, "square")
    cells = grid.geometry.to_numpy()
    area_idx, cell_idx = shapely.STRtree(cells).query(lands, predicate="intersects")
    pieces = clip_pairs(lands[area_idx], cells[cell_idx])
    piece_m2 = shapely.area(pieces)
    keep = piece_m2 > 0
    area_idx, pieces, piece_m2 = area_idx[keep], pieces[keep], piece_m2[keep]
    known = np.nan_to_num(inhabitants) > 0
    land_m2 = prepared["land_m2"].to_numpy()
    weights = np.where(
        known[area_idx],
        np.nan_to_num(inhabitants)[area_idx] * piece_m2 / land_m2[area_idx],
        piece_m2,
    )
    method = np.where(known, "inhabitants_over_land", "land_area").astype(object)
    return area_idx, shapely.get_coordinates(shapely.centroid(pieces)), weights, method


def _weighted_mean(groups, values, weights, n):
    total = np.bincount(groups, weights=weights, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.bincount(groups, weights=weights * values, minlength=n) / total


def proximity(
    inputs: Prepared,
    cell: float = 100,
    types: str | Iterable[str] | None = None,
    radii: Iterable[float] = (400, 800, 1600),
) -> gpd.GeoDataFrame:
    """Mean and median distance from where people live to the nearest place of each type.

    Like the CBS Nabijheidsstatistiek, which averages the distance from every inhabited
    address to the nearest facility per wijk and buurt, but with straight-line distances
    (``distance_method="euclidean"``) and, without address points, with residents spread
    evenly over the land in ``cell``-metre squares. The nearest place may lie in another area.

    Parameters
    ----------
    inputs : Prepared
        Areas, places and population from :func:`~plekken.analysis.prepare`.
    cell : float, default 100
        Grid size in metres for spreading inhabitants over land (ignored with population).
    types : str or sequence of str, optional
        Function types; default all three, ``"any"`` is always added.
    radii : sequence of float, default (400, 800, 1600)
        For ``mean_n_<radius>``: the mean number of places within that distance of a resident.

    Returns
    -------
    GeoDataFrame
        One row per area × type: ``code``, ``name``, ``level``, ``function_type``,
        ``mean_distance_m``, ``median_distance_m`` (NaN without places of the type),
        ``mean_n_<radius>``, ``weight_method``, ``n_origins``, ``inhabitants`` and the area
        geometry.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> from plekken.analysis import prepare
    >>> areas = gpd.GeoDataFrame({"code": ["BU1"], "inhabitants": [100]},
    ...                          geometry=[box(0, 0, 100, 100)], crs=28992)
    >>> places = gpd.GeoDataFrame({"function_types": [["verbindend"]]},
    ...                           geometry=[Point(50, 1050)], crs=28992)
    >>> proximity(prepare(areas, places), types="verbindend")[["function_type", "mean_distance_m"]]
      function_type  mean_distance_m
    0    verbindend           1000.0
    1           any           1000.0
    """
    prepared = inputs.areas
    type_list = resolve_types(types)
    radii = resolve_distances(radii)
    area_idx, xy, weights, method = origins(prepared, cell, inputs.population)
    n = len(prepared)
    blocks = []
    for function_type, places_xy in inputs.points(type_list).items():
        nearest = nearest_distance(places_xy, xy)
        nearest = np.where(np.isfinite(nearest), nearest, np.nan)
        block = area_frame(prepared)
        block.insert(3, "function_type", function_type)
        block["mean_distance_m"] = _weighted_mean(area_idx, nearest, weights, n)
        block["median_distance_m"] = weighted_median(area_idx, nearest, weights, n)
        counts = count_within(places_xy, xy, radii).astype(float)
        for row, radius in enumerate(radii):
            block[f"mean_n_{radius:g}"] = _weighted_mean(area_idx, counts[row], weights, n)
        block["weight_method"] = method
        block["n_origins"] = np.bincount(area_idx, minlength=n)
        blocks.append(block)
    frame = pd.concat(blocks, ignore_index=True)
    columns = ["code", "name", "level", "function_type", "mean_distance_m", "median_distance_m"]
    columns += [f"mean_n_{r:g}" for r in radii]
    columns += ["weight_method", "n_origins", "inhabitants", "geometry"]
    attrs = {
        "measure": "proximity",
        "distance_method": "euclidean",
        "cell_m": float(cell),
        "radii_m": radii,
        "function_types": type_list,
        "include_pending": inputs.include_pending,
    }
    return finish(frame[columns], inputs.crs, attrs)
