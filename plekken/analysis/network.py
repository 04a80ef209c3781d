"""Street-network distances: walking along streets instead of straight lines.

A network is a networkx graph whose nodes carry ``x`` and ``y`` coordinates in the CRS named
by ``graph.graph["crs"]`` (the OSMnx convention); edges may carry a LineString ``geometry``
(from the first node to the second), otherwise they are straight. Direction is ignored:
people walk both ways. Edges are split at every vertex into straight segments in
EPSG:28992.

Places and other points join the network at the nearest point of the nearest segment; the
straight access leg to it counts as distance too. From all places of a type at once, a
Dijkstra search gives every node its distance to the nearest place. The *service area*
within ``D`` is every street stretch reachable within ``D``, widened by ``width`` metres on
both sides (the frontage where people live along a street).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import dijkstra

from .crs import METRIC_CRS

__all__ = [
    "Network",
    "as_network",
    "node_distances",
    "point_distances",
    "reachable_lines",
    "service_area",
]

#: Weight added to every link so that zero-length links stay links in the sparse matrix.
_EPS = 1e-9


@dataclass(frozen=True)
class Network:
    """A street network as straight segments in EPSG:28992."""

    xy: np.ndarray  # node coordinates (n, 2)
    start: np.ndarray  # first node of every segment
    end: np.ndarray  # second node of every segment
    length: np.ndarray  # segment length in metres
    segments: np.ndarray  # LineString per segment
    tree: shapely.STRtree
    matrix: csr_matrix  # symmetric, shortest parallel link kept

    @property
    def n_nodes(self) -> int:
        return len(self.xy)


def _edge_coords(graph: Any, positions: dict) -> list[np.ndarray]:
    coords = []
    for u, v, data in graph.edges(data=True):
        geom = data.get("geometry")
        if isinstance(geom, str):
            geom = shapely.from_wkt(geom)
        if geom is None:
            line = np.array([positions[u], positions[v]], dtype=float)
        else:
            line = shapely.get_coordinates(geom)
            if np.hypot(*(line[0] - positions[v])) < np.hypot(*(line[0] - positions[u])):
                line = line[::-1]
            line[0], line[-1] = positions[u], positions[v]
        coords.append(line)
    return coords


def _segments(graph: Any, transformer: Transformer):
    keys = list(graph.nodes)
    index = {key: i for i, key in enumerate(keys)}
    positions = {key: (float(d["x"]), float(d["y"])) for key, d in graph.nodes(data=True)}
    lines = _edge_coords(graph, positions)
    node_xy = [np.array([positions[k] for k in keys], dtype=float).reshape(-1, 2)]
    starts, ends, next_id = [], [], len(keys)
    for (u, v), line in zip(graph.edges(), lines, strict=True):
        inner = len(line) - 2  # vertices between the end nodes become nodes of their own
        ids = np.r_[index[u], np.arange(next_id, next_id + inner), index[v]]
        node_xy.append(line[1:-1])
        next_id += inner
        starts.append(ids[:-1])
        ends.append(ids[1:])
    lonlat = np.vstack(node_xy)
    x, y = transformer.transform(lonlat[:, 0], lonlat[:, 1])
    xy = np.column_stack([x, y])
    empty = np.empty(0, dtype=int)
    start = np.concatenate(starts) if starts else empty
    end = np.concatenate(ends) if ends else empty
    return xy, start, end


def _matrix(n: int, start: np.ndarray, end: np.ndarray, length: np.ndarray) -> csr_matrix:
    pairs = pd.DataFrame(
        {"a": np.minimum(start, end), "b": np.maximum(start, end), "w": length + _EPS}
    )
    best = pairs.groupby(["a", "b"], as_index=False)["w"].min()
    rows = np.r_[best["a"], best["b"]]
    cols = np.r_[best["b"], best["a"]]
    return coo_matrix((np.r_[best["w"], best["w"]], (rows, cols)), shape=(n, n)).tocsr()


def as_network(network: Any, crs: Any = None) -> Network:
    """A :class:`Network` from a networkx graph (or the network itself, unchanged).

    Parameters
    ----------
    network : networkx.Graph or Network
        Nodes with ``x``/``y``; ``graph.graph["crs"]`` names their CRS unless ``crs`` is given.
    crs : optional
        CRS of the node coordinates, overriding ``graph.graph["crs"]``.

    Examples
    --------
    >>> import networkx as nx
    >>> graph = nx.Graph(crs="EPSG:28992")
    >>> graph.add_node(1, x=0, y=0); graph.add_node(2, x=100, y=0)
    >>> graph.add_edge(1, 2)
    >>> float(as_network(graph).length.sum())
    100.0
    """
    if isinstance(network, Network):
        return network
    crs = crs if crs is not None else network.graph.get("crs")
    if crs is None:
        raise ValueError(
            "network has no CRS; set graph.graph['crs'] = 'EPSG:4326' (or 'EPSG:28992') first"
        )
    transformer = Transformer.from_crs(crs, METRIC_CRS, always_xy=True)
    xy, start, end = _segments(network, transformer)
    if len(start) == 0:
        raise ValueError(
            "network has no streets (edges between nodes); for an OpenStreetMap file, check "
            "that it holds walkable highways in the area"
        )
    segments = shapely.linestrings(np.stack([xy[start], xy[end]], axis=1).reshape(-1, 2, 2))
    length = shapely.length(segments)
    matrix = _matrix(len(xy), start, end, length)
    return Network(xy, start, end, length, segments, shapely.STRtree(segments), matrix)


def _snap(net: Network, xy: np.ndarray):
    """Nearest segment, offset along it from its start node, and access leg, per point."""
    points = shapely.points(xy)
    (point_idx, segment), leg = net.tree.query_nearest(
        points, all_matches=False, return_distance=True
    )
    seg = np.empty(len(xy), dtype=int)
    access = np.empty(len(xy))
    seg[point_idx], access[point_idx] = segment, leg
    offset = shapely.line_locate_point(net.segments[seg], points)
    return seg, offset, access


def node_distances(net: Network, xy: np.ndarray, limit: float = np.inf) -> np.ndarray:
    """Network distance from every node to the nearest point of ``xy`` (``inf`` beyond
    ``limit`` or when there are no points)."""
    if len(xy) == 0 or len(net.length) == 0:
        return np.full(net.n_nodes, np.inf)
    return _from_snapped(net, *_snap(net, xy), limit)


def _from_snapped(net: Network, seg, offset, leg, limit: float = np.inf) -> np.ndarray:
    """:func:`node_distances` for points already snapped with :func:`_snap`."""
    entry = np.full(net.n_nodes, np.inf)
    np.minimum.at(entry, net.start[seg], leg + offset)
    np.minimum.at(entry, net.end[seg], leg + net.length[seg] - offset)
    linked = np.flatnonzero(np.isfinite(entry))
    n = net.n_nodes
    source = coo_matrix(
        (entry[linked] + _EPS, (np.full(len(linked), n), linked)), shape=(n + 1, n + 1)
    )
    matrix = net.matrix.copy()
    matrix.resize((n + 1, n + 1))
    graph = (matrix + source.tocsr()).tocsr()
    return dijkstra(graph, directed=True, indices=n, limit=limit)[:n]


def _via_nodes(net: Network, nodes: np.ndarray, seg, offset, leg) -> np.ndarray:
    """Distance of snapped points (see :func:`_snap`) through either end of their segment to
    the nearest of whatever ``nodes`` holds the distances to."""
    via_start = offset + nodes[net.start[seg]]
    via_end = net.length[seg] - offset + nodes[net.end[seg]]
    return leg + np.minimum(via_start, via_end)


def point_distances(net: Network, places: np.ndarray, origins: np.ndarray) -> np.ndarray:
    """Network distance from every origin to its nearest place (``inf`` without places)."""
    if len(places) == 0 or len(origins) == 0:
        return np.full(len(origins), np.inf)
    p_seg, p_offset, p_leg = _snap(net, places)
    nodes = _from_snapped(net, p_seg, p_offset, p_leg)
    seg, offset, leg = _snap(net, origins)
    best = _via_nodes(net, nodes, seg, offset, leg)
    # a place on the same segment is reached without passing a node
    same = pd.DataFrame({"seg": seg, "o": np.arange(len(origins)), "off": offset}).merge(
        pd.DataFrame({"seg": p_seg, "p_off": p_offset, "p_leg": p_leg}), on="seg"
    )
    if len(same):
        direct = (same["off"] - same["p_off"]).abs() + same["p_leg"]
        shortest = direct.groupby(same["o"]).min()
        index = shortest.index.to_numpy()
        best[index] = np.minimum(best[index], leg[index] + shortest.to_numpy())
    return best


def _pieces(a: np.ndarray, b: np.ndarray, t0: np.ndarray, t1: np.ndarray) -> np.ndarray:
    """Straight lines from fraction ``t0`` to ``t1`` of the segments ``a → b``."""
    p0 = a + t0[:, None] * (b - a)
    p1 = a + t1[:, None] * (b - a)
    return shapely.linestrings(np.stack([p0, p1], axis=1))


def reachable_lines(net: Network, xy: np.ndarray, distance: float) -> np.ndarray:
    """The street stretches (and access legs) within ``distance`` of a point of ``xy``."""
    if len(xy) == 0 or len(net.length) == 0:
        return np.empty(0, dtype=object)
    seg, offset, leg = _snap(net, xy)
    nodes = _from_snapped(net, seg, offset, leg, limit=distance)
    a, b, length = net.xy[net.start], net.xy[net.end], np.maximum(net.length, _EPS)
    from_start = np.clip((distance - nodes[net.start]) / length, 0, 1)
    from_end = np.clip((distance - nodes[net.end]) / length, 0, 1)
    rest = distance - leg
    near = rest > 0
    seg, offset, rest = seg[near], offset[near], rest[near]
    own_lo = np.clip((offset - rest) / length[seg], 0, 1)
    own_hi = np.clip((offset + rest) / length[seg], 0, 1)
    snapped = shapely.line_interpolate_point(net.segments[seg], offset)
    legs = shapely.linestrings(
        np.stack([xy[near], shapely.get_coordinates(snapped)], axis=1).reshape(-1, 2, 2)
    )
    lines = np.concatenate(
        [
            _pieces(a, b, np.zeros(len(a)), from_start)[from_start > 0],
            _pieces(a, b, 1 - from_end, np.ones(len(a)))[from_end > 0],
            _pieces(a[seg], b[seg], own_lo, own_hi),
            legs,
        ]
    )
    return lines[shapely.length(lines) > 0]


def service_area(net: Network, xy: np.ndarray, distance: float, width: float = 50.0):
    """Polygon of the street stretches within ``distance``, widened by ``width`` each side."""
    lines = reachable_lines(net, xy, distance)
    if len(lines) == 0:
        return shapely.Polygon()
    return shapely.buffer(shapely.multilinestrings(lines), width, quad_segs=8)
