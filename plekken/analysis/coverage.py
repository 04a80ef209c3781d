"""Coverage: the share of an area's land (and inhabitants) within D of a place of a type."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .discs import Lands, covered_area
from .inputs import resolve_distances, resolve_types
from .network_measures import (
    network_covered_by_group,
    network_covered_points,
    network_places_near,
    prepare_network,
)
from .points import nearest_distance
from .prepared import Prepared
from .results import Population, area_frame, finish, ratio

__all__ = ["coverage", "covered_land", "places_near", "reach_buffers", "COVERAGE_COLUMNS"]

COVERAGE_COLUMNS = [
    "code", "name", "level", "function_type", "distance_m", "covered_share", "covered_land_m2",
    "covered_inhabitants", "inhabitants", "n_places", "land_area_m2", "land_method", "geometry",
]  # fmt: skip


def covered_land(lands: np.ndarray, xy: np.ndarray, distances: Sequence[float]) -> np.ndarray:
    """Land area (m²) within each distance of the points ``xy``; shape ``(len(distances), n)``.

    Exact for true circles; see :mod:`plekken.analysis.discs` for the method.
    """
    return covered_area(Lands(lands), xy, distances)


def reach_buffers(lands: np.ndarray, distances: Sequence[float]) -> list[tuple]:
    """Per distance, an inner and an outer polygonal buffer of every land geometry.

    Points in the inner buffer are certainly within the distance, points outside the outer
    one certainly not. The margin of 2 % covers the chords of the polygonal arcs and the
    simplification GEOS applies to the input of a buffer.
    """
    buffers = []
    for distance in distances:
        inner = shapely.buffer(lands, distance * 0.98, quad_segs=16)
        outer = shapely.buffer(lands, distance * 1.02, quad_segs=16)
        shapely.prepare(inner)
        shapely.prepare(outer)
        buffers.append((inner, outer))
    return buffers


def _near_one(land, xy: np.ndarray, candidates: np.ndarray, distance: float, inner, outer):
    """The candidates (indices into ``xy``) within ``distance`` of ``land``."""
    x, y = xy[candidates, 0], xy[candidates, 1]
    sure = shapely.intersects_xy(inner, x, y)
    maybe = candidates[~sure][shapely.intersects_xy(outer, x[~sure], y[~sure])]
    exact = shapely.dwithin(land, shapely.points(xy[maybe]), distance)
    return np.concatenate([candidates[sure], maybe[exact]])


def places_near(
    lands: np.ndarray,
    xy: np.ndarray,
    distances: Sequence[float],
    flags: np.ndarray | None = None,
) -> np.ndarray:
    """Number of points within each distance of each land, per group of points.

    ``flags`` (points × groups, default one group of all points) says which points belong to
    which group, e.g. function types. Returns an array ``(groups, len(distances), n_lands)``.
    Points inside the inner buffer (see :func:`reach_buffers`) are near, points outside the
    outer one are not; only the few in between need an exact distance.
    """
    flags = np.ones((len(xy), 1), dtype=bool) if flags is None else flags
    counts = np.zeros((flags.shape[1], len(distances), len(lands)), dtype=int)
    if len(xy) == 0:
        return counts
    reach = reach_buffers(lands, distances)
    largest_first = np.argsort(distances)[::-1]
    by_x = np.argsort(xy[:, 0], kind="stable")
    sorted_x = xy[by_x, 0]
    for area, land in enumerate(lands):
        minx, miny, maxx, maxy = shapely.bounds(reach[largest_first[0]][1][area])
        start = np.searchsorted(sorted_x, minx, side="left")
        candidates = by_x[start : np.searchsorted(sorted_x, maxx, side="right")]
        candidates = candidates[(xy[candidates, 1] >= miny) & (xy[candidates, 1] <= maxy)]
        for row in largest_first:
            inner, outer = reach[row][0][area], reach[row][1][area]
            candidates = _near_one(land, xy, candidates, distances[row], inner, outer)
            counts[:, row, area] = flags[candidates].sum(axis=0)
    return counts


def _population_distances(population: Population, xy: np.ndarray, net) -> np.ndarray | None:
    """Distance from every population point to its nearest place (None without points or
    along a network, where the service area decides, see :mod:`.network_reach`)."""
    if population.method == "even_over_land" or net is not None:
        return None
    return nearest_distance(xy, population.xy)


def _covered_inhabitants(population, share, reach, distance, along=None):
    """Covered inhabitants; ``along`` is ``(lands, net, places_xy, width)`` on a network."""
    if population.method == "even_over_land":
        return population.inhabitants * share
    if along is not None:
        lands, net, xy, width = along
        return population.total(
            network_covered_points(lands, net, xy, population.xy, distance, width)
        )
    return population.total(reach <= distance)


def _by_distinct_column(flags: np.ndarray, measure) -> list:
    """``measure(column)`` for every column of ``flags``, once per distinct column."""
    results: dict[bytes, object] = {}
    for column in flags.T:
        if column.tobytes() not in results:
            results[column.tobytes()] = measure(column)
    return [results[column.tobytes()] for column in flags.T]


def _measure(lands, all_xy, flags, wanted, net, width):
    """Per type column: covered land ``(d, n)``; and the place counts ``(types, d, n)``."""
    if net is None:
        near = places_near(lands, all_xy, wanted, flags)
        indexed = Lands(lands)
        covered = _by_distinct_column(flags, lambda col: covered_area(indexed, all_xy[col], wanted))
    else:
        near = network_places_near(lands, net, all_xy, wanted, flags, width)
        covered = network_covered_by_group(lands, net, all_xy, flags, wanted, width)
    return covered, near


def coverage(
    inputs: Prepared,
    distances: float | Iterable[float] = (400, 800),
    types: str | Iterable[str] | None = None,
    *,
    network: Any = None,
    network_width: float = 50.0,
) -> gpd.GeoDataFrame:
    """Share of each area's land and inhabitants within a distance of a place of each type.

    One row per area × function type (each type, then ``"any"``) × distance. Distances are
    straight lines (``distance_method="euclidean"``, the default) or along a street
    ``network``, measured to the land of the area, so a place just across the border covers
    part of the area too.

    Parameters
    ----------
    inputs : Prepared
        Areas, places and population from :func:`~plekken.analysis.prepare`.
    distances : float or sequence of float, default (400, 800)
        Distances in metres. 400 m is the UN SDG 11.7.1 walking distance.
    types : str or sequence of str, optional
        Function types to report; default all three. ``"any"`` is always added.
    network : networkx.Graph or Network, optional
        Measure along streets instead of straight lines (``distance_method="network"``); see
        :mod:`plekken.analysis.network`. Covered land is then the service area: streets
        reachable within the distance, widened by ``network_width`` metres on each side.
    network_width : float, default 50
        Half-width in metres of the service area around reachable streets.

    Returns
    -------
    GeoDataFrame
        Columns ``code``, ``name``, ``level``, ``function_type``, ``distance_m``,
        ``covered_share`` (0–1 of the land), ``covered_land_m2``, ``covered_inhabitants``
        (NaN when the inhabitants are unknown), ``inhabitants``, ``n_places`` (places of the
        type within the distance of the land, i.e. the places used), ``land_area_m2``,
        ``land_method`` and the area geometry. ``attrs`` holds the parameters.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> from plekken.analysis import prepare
    >>> areas = gpd.GeoDataFrame({"code": ["BU1"]}, geometry=[box(0, 0, 2000, 2000)], crs=28992)
    >>> places = gpd.GeoDataFrame({"function_types": [["verbindend"]]},
    ...                           geometry=[Point(1000, 1000)], crs=28992)
    >>> result = coverage(prepare(areas, places), distances=400, types="verbindend")
    >>> result[["function_type", "covered_share"]].round(4)
      function_type  covered_share
    0    verbindend         0.1257
    1           any         0.1257
    """
    prepared = inputs.areas
    type_list = resolve_types(types)
    wanted = resolve_distances(distances)
    population_ = Population(prepared, inputs.population)
    lands, land_m2 = inputs.lands, inputs.land_m2
    all_xy = inputs.xy
    flags = inputs.flags(type_list)
    net, net_attrs = (
        (None, {}) if network is None else prepare_network(network, lands, network_width)
    )
    covered, near = _measure(lands, all_xy, flags, wanted, net, network_width)
    blocks = []
    for column, function_type in enumerate(type_list):
        reach = _population_distances(population_, all_xy[flags[:, column]], net)
        for row, distance in enumerate(wanted):
            share = ratio(covered[column][row], land_m2)
            block = area_frame(prepared)
            block.insert(3, "function_type", function_type)
            block.insert(4, "distance_m", distance)
            block["covered_share"] = share
            block["covered_land_m2"] = share * prepared["land_area_m2"].to_numpy()
            along = None if net is None else (lands, net, all_xy[flags[:, column]], network_width)
            block["covered_inhabitants"] = _covered_inhabitants(
                population_, share, reach, distance, along
            )
            block["inhabitants"] = population_.inhabitants
            block["n_places"] = near[column, row]
            blocks.append(block)
    frame = pd.concat(blocks, ignore_index=True) if blocks else area_frame(prepared).iloc[:0]
    attrs = {
        "measure": "coverage",
        "distance_method": "euclidean" if net is None else "network",
        "distances_m": wanted,
        "function_types": type_list,
        "include_pending": inputs.include_pending,
        "population_method": population_.method,
    }
    attrs.update(net_attrs)
    return finish(frame.reindex(columns=COVERAGE_COLUMNS), inputs.crs, attrs)
