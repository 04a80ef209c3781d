"""Accessibility surface: per grid cell, the distance to the nearest place of each type."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .crs import METRIC_CRS
from .grid import make_grid
from .inputs import resolve_distances, resolve_types
from .network import as_network, point_distances
from .points import count_within, nearest_distance
from .prepared import Prepared
from .results import finish

__all__ = ["surface", "cell_areas"]


def cell_areas(lands: np.ndarray, land_m2: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Index of the area each cell belongs to: the smallest area holding the cell centre, or,
    for edge cells whose centre lies outside every area, the nearest area."""
    centres = shapely.centroid(cells)
    tree = shapely.STRtree(lands)
    cell_idx, area_idx = tree.query(centres, predicate="intersects")
    owner = np.full(len(cells), -1)
    order = np.lexsort((land_m2[area_idx], cell_idx))  # per cell, smallest area first
    first = np.unique(cell_idx[order], return_index=True)[1]
    owner[cell_idx[order][first]] = area_idx[order][first]
    missing = np.flatnonzero(owner < 0)
    if len(missing):
        owner[missing] = tree.query_nearest(centres[missing], all_matches=False)[1]
    return owner


def surface(
    inputs: Prepared,
    cell: float = 100,
    shape: str = "square",
    distance: float | Iterable[float] = 400,
    types: str | Iterable[str] | None = None,
    *,
    clip: bool = False,
    network: Any = None,
) -> gpd.GeoDataFrame:
    """A grid over the areas with, per cell, the distance to the nearest place of each type
    and the number of places within ``distance``.

    Distances are straight lines from the cell centre (``distance_method="euclidean"``), or
    along a street ``network``, to places anywhere, also outside the areas.

    Parameters
    ----------
    inputs : Prepared
        Areas and places from :func:`~plekken.analysis.prepare`.
    cell : float, default 100
        Cell size in metres (square side, or distance between hexagon centres).
    shape : {"square", "hex"}, default "square"
    distance : float or sequence of float, default 400
        Radius in metres for the counts; one column per type and distance.
    types : str or sequence of str, optional
        Function types; default all three, ``"any"`` is always added.
    clip : bool, default False
        Cut the cells along the land of their area.
    network : networkx.Graph or Network, optional
        Measure ``dist_<type>`` along streets (``distance_method="network"``); the counts
        within a distance are then left out (they would need a search per cell).

    Returns
    -------
    GeoDataFrame
        ``cell_id``, ``code`` (the area of the cell centre), ``dist_<type>`` in metres (NaN
        when there is no place of that type), ``n_<type>_<distance>`` and the cell polygon.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> from plekken.analysis import prepare
    >>> areas = gpd.GeoDataFrame({"code": ["BU1"]}, geometry=[box(0, 0, 300, 100)], crs=28992)
    >>> places = gpd.GeoDataFrame({"function_types": [["verbindend"]]},
    ...                           geometry=[Point(50, 50)], crs=28992)
    >>> grid = surface(prepare(areas, places), types="verbindend")
    >>> grid[["cell_id", "dist_verbindend", "n_any_400"]]
      cell_id  dist_verbindend  n_any_400
    0    E0N0              0.0          1
    1  E100N0            100.0          1
    2  E200N0            200.0          1
    """
    prepared = inputs.areas
    type_list = resolve_types(types)
    radii = resolve_distances(distance)
    lands = inputs.lands
    grid = make_grid(gpd.GeoSeries(lands, crs=METRIC_CRS), cell, shape)
    cells = grid.geometry.to_numpy()
    owner = cell_areas(lands, prepared["land_m2"].to_numpy(), cells)
    centres = shapely.get_coordinates(shapely.centroid(cells))
    frame = pd.DataFrame({"cell_id": grid["cell_id"].to_numpy()})
    frame["code"] = prepared["code"].to_numpy()[owner] if len(owner) else []
    net = None if network is None else as_network(network)
    for function_type, xy in inputs.points(type_list).items():
        if net is None:
            nearest = nearest_distance(xy, centres)
        else:
            nearest = point_distances(net, xy, centres)
        frame[f"dist_{function_type}"] = np.where(np.isfinite(nearest), nearest, np.nan)
        if net is None:  # counts along streets would need a search per cell
            for radius, counts in zip(radii, count_within(xy, centres, radii), strict=True):
                frame[f"n_{function_type}_{radius:g}"] = counts
    frame["geometry"] = shapely.intersection(cells, lands[owner]) if clip else cells
    attrs = {
        "measure": "surface",
        "distance_method": "euclidean" if net is None else "network",
        "cell_m": float(cell),
        "shape": shape,
        "distances_m": radii,
        "function_types": type_list,
        "include_pending": inputs.include_pending,
    }
    return finish(frame, inputs.crs, attrs)
