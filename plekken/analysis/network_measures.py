"""The network variants of coverage, gaps and nearest-place distances.

See :mod:`plekken.analysis.network` for how distances along streets are measured. Covered
land is the part of an area inside the service area (reachable streets widened by
``width``); a place counts for an area when its network distance to the nearest network node
inside the area is at most ``D``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from scipy.sparse.csgraph import dijkstra

from .network import Network, _snap, _via_nodes, service_area

__all__ = ["network_covered_land", "network_places_near", "network_uncovered_land"]


def network_covered_land(
    lands: np.ndarray, net: Network, xy: np.ndarray, distances: Sequence[float], width: float
) -> np.ndarray:
    """Land area (m²) inside the service area within each distance, ``(len(distances), n)``."""
    covered = np.zeros((len(distances), len(lands)))
    for row, distance in enumerate(distances):
        area = service_area(net, xy, distance, width)
        shapely.prepare(area)
        covered[row] = shapely.area(shapely.intersection(lands, area))
    return covered


def _area_node_distances(net: Network, land, limit: float) -> np.ndarray:
    inside = np.flatnonzero(shapely.contains_xy(land, net.xy[:, 0], net.xy[:, 1]))
    if len(inside) == 0:
        return np.full(net.n_nodes, np.inf)
    return dijkstra(net.matrix, directed=False, indices=inside, limit=limit, min_only=True)


def network_places_near(
    lands: np.ndarray,
    net: Network,
    xy: np.ndarray,
    distances: Sequence[float],
    flags: np.ndarray,
) -> np.ndarray:
    """Places within each network distance of each area, per group: ``(groups, d, n)``."""
    counts = np.zeros((flags.shape[1], len(distances), len(lands)), dtype=int)
    if len(xy) == 0 or len(net.length) == 0:
        return counts
    seg, offset, leg = _snap(net, xy)
    inside = shapely.contains_xy(lands[:, None], xy[None, :, 0], xy[None, :, 1])
    for area, land in enumerate(lands):
        nodes = _area_node_distances(net, land, max(distances))
        apart = np.where(inside[area], 0.0, _via_nodes(net, nodes, seg, offset, leg))
        for row, distance in enumerate(distances):
            counts[:, row, area] = flags[apart <= distance].sum(axis=0)
    return counts


def network_uncovered_land(
    lands: np.ndarray, net: Network, xy: np.ndarray, distance: float, width: float
) -> np.ndarray:
    """Per land geometry, the part outside the service area within ``distance``."""
    return shapely.difference(lands, service_area(net, xy, distance, width))
