"""The network variants of coverage, gaps and place counts.

See :mod:`plekken.analysis.network_reach` for the rule: covered land is the service area (all
land within walking distance, the last stretch from street to door included); homes inside it
are covered, so coverage's and the gaps' inhabitants add up to the total. A place counts for
an area when it is within walking distance of the area's land.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely

from .network import Network, as_network
from .network_reach import area_distances, covered_land, remember_covered
from .points import points_in_areas

__all__ = [
    "network_covered_land",
    "network_covered_points",
    "network_places_near",
    "network_uncovered_land",
    "prepare_network",
]


def prepare_network(network: Any, lands: np.ndarray, width: float) -> tuple[Network, dict]:
    """The network ready for measuring ``lands``, and what the result's ``attrs`` say of it.

    Refuses a network that lies nowhere near the areas (another place or a wrong CRS).
    """
    net = as_network(network)
    reach = shapely.buffer(shapely.envelope(lands), width, join_style="mitre")
    if len(lands) and net.tree.query(reach).size == 0:
        minx, miny, maxx, maxy = shapely.total_bounds(net.segments).round()
        aminx, aminy, amaxx, amaxy = shapely.total_bounds(lands).round()
        raise ValueError(
            f"network: the streets (x {minx:.0f}–{maxx:.0f}, y {miny:.0f}–{maxy:.0f} in "
            f"EPSG:28992) do not reach the areas (x {aminx:.0f}–{amaxx:.0f}, y {aminy:.0f}–"
            f"{amaxy:.0f}); use a network of the same place and check graph.graph['crs']"
        )
    pieces, metres = net.set_aside
    attrs = {
        "network_width_m": float(width),
        "network_pieces_set_aside": pieces,
        "network_set_aside_m": round(metres, 1),
    }
    return net, attrs


def network_covered_land(
    lands: np.ndarray, net: Network, xy: np.ndarray, distances: Sequence[float], width: float
) -> np.ndarray:
    """Land area (m²) inside the service area within each distance, ``(len(distances), n)``."""
    covered = np.zeros((len(distances), len(lands)))
    for row, distance in enumerate(distances):
        covered[row] = shapely.area(covered_land(net, xy, lands, distance, width))
    return covered


def network_covered_by_group(
    lands: np.ndarray,
    net: Network,
    xy: np.ndarray,
    flags: np.ndarray,
    distances: Sequence[float],
    width: float,
) -> list[np.ndarray]:
    """:func:`network_covered_land` per group of points (columns of ``flags``).

    A group holding every point that the other groups hold between them (``"any"``) is put
    together from their covered land instead of being built again.
    """
    covered = []
    for column in range(flags.shape[1]):
        others = np.delete(flags, column, axis=1)
        if column and flags[:, column].all() and others.any(axis=1).all():
            for distance in distances:
                land = covered_land(net, xy[others[:, 0]], lands, distance, width)
                for j in range(1, others.shape[1]):
                    land = shapely.union(
                        land, covered_land(net, xy[others[:, j]], lands, distance, width)
                    )
                remember_covered(net, xy, lands, distance, width, land)
        covered.append(network_covered_land(lands, net, xy[flags[:, column]], distances, width))
    return covered


def network_covered_points(
    lands: np.ndarray,
    net: Network,
    xy: np.ndarray,
    points: np.ndarray,
    distance: float,
    width: float,
) -> np.ndarray:
    """Which ``points`` (homes) lie inside the covered land of an area within ``distance``."""
    covered = covered_land(net, xy, lands, distance, width)
    area_idx, point_idx = points_in_areas(lands, points)
    inside = shapely.contains_xy(covered[area_idx], points[point_idx, 0], points[point_idx, 1])
    selected = np.zeros(len(points), dtype=bool)
    selected[point_idx[inside]] = True
    return selected


def network_places_near(
    lands: np.ndarray,
    net: Network,
    xy: np.ndarray,
    distances: Sequence[float],
    flags: np.ndarray,
    width: float = 50.0,
) -> np.ndarray:
    """Places within each walking distance of each area, per group: ``(groups, d, n)``."""
    counts = np.zeros((flags.shape[1], len(distances), len(lands)), dtype=int)
    if len(xy) == 0:
        return counts
    apart = area_distances(net, xy, lands, max(distances), width)
    for row, distance in enumerate(distances):
        counts[:, row, :] = flags.T.astype(int) @ (apart <= distance).T.astype(int)
    return counts


def network_uncovered_land(
    lands: np.ndarray, net: Network, xy: np.ndarray, distance: float, width: float
) -> np.ndarray:
    """Per land geometry, the part outside the service area within ``distance``."""
    return shapely.difference(lands, covered_land(net, xy, lands, distance, width))
