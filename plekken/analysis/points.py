"""Point-to-point queries: nearest place, places within a radius, points inside areas.

Places and origins are plain ``(n, 2)`` coordinate arrays in metres. A k-d tree answers
nearest-neighbour and count-within-radius queries without building pair lists, which keeps
memory flat when 100,000 places meet thousands of grid cells.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree

__all__ = ["nearest_distance", "count_within", "points_in_areas"]


def nearest_distance(places: np.ndarray, origins: np.ndarray) -> np.ndarray:
    """Distance from every origin to its nearest place (``inf`` when there are no places).

    Examples
    --------
    >>> nearest_distance(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]]))
    array([5.])
    """
    if len(places) == 0:
        return np.full(len(origins), np.inf)
    if len(origins) == 0:
        return np.empty(0)
    return cKDTree(places).query(origins, k=1)[0].astype(float)


def count_within(places: np.ndarray, origins: np.ndarray, radii) -> np.ndarray:
    """Number of places within each radius (inclusive) of every origin.

    ``radii`` is one radius (result shape ``(n_origins,)``) or several (``(len(radii), n)``).

    Examples
    --------
    >>> count_within(np.array([[0.0, 0.0], [0.0, 500.0]]), np.array([[0.0, 100.0]]), 400)
    array([2])
    """
    many = np.ndim(radii) > 0
    radii = np.atleast_1d(np.asarray(radii, dtype=float))
    counts = np.zeros((len(radii), len(origins)), dtype=int)
    if len(places) and len(origins):
        tree = cKDTree(places)
        for row, radius in enumerate(radii):
            counts[row] = tree.query_ball_point(origins, r=radius, return_length=True)
    return counts if many else counts[0]


def points_in_areas(lands: np.ndarray, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(area_idx, point_idx)`` of points lying in (or on the edge of) each area.

    Areas may overlap (a wijk and its buurten), so a point can pair with several areas.
    """
    if len(xy) == 0 or len(lands) == 0:
        empty = np.empty(0, dtype=int)
        return empty, empty
    tree = shapely.STRtree(shapely.points(xy))
    return tree.query(lands, predicate="intersects")
