"""Street networks for walking distances: the graph as straight segments in EPSG:28992.

A network is a networkx graph whose nodes carry ``x`` and ``y`` coordinates in the CRS named
by ``graph.graph["crs"]`` (the OSMnx convention); edges may carry a LineString ``geometry``
(from the first node to the second), otherwise they are straight. Direction is ignored:
people walk both ways. Edges are split at every vertex into straight segments.

Small pieces cut off from the rest (a courtyard path, a private lane whose link was left
out) would trap the homes and places that happen to lie closest to them, so pieces shorter
than ``min_piece_m`` (default :data:`MIN_PIECE_M`) are set aside; the largest piece is always
kept. :attr:`Network.set_aside` says how many pieces and how many metres of street that was.

How distances are measured on a network is in :mod:`plekken.analysis.network_reach`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from .crs import METRIC_CRS

__all__ = [
    "MIN_PIECE_M",
    "Network",
    "as_network",
    "network_from_arrays",
    "node_distances",
    "point_distances",
]

#: Weight added to every link so that zero-length links stay links in the sparse matrix.
EPS = 1e-9

#: Connected pieces with less street than this (metres) are set aside, except the largest.
MIN_PIECE_M = 1000.0


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
    set_aside: tuple[int, float] = (0, 0.0)  # pieces and metres of street left out
    cache: dict = field(default_factory=dict, compare=False, repr=False)

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


def _positions(graph: Any) -> dict:
    """Node coordinates, refusing nodes without ``x``/``y``."""
    missing = [key for key, d in graph.nodes(data=True) if d.get("x") is None or d.get("y") is None]
    if missing:
        raise ValueError(
            f"network: {len(missing)} node(s) lack 'x'/'y' coordinates (e.g. node "
            f"{missing[0]!r}); give every node x= and y= in the CRS of graph.graph['crs']"
        )
    return {key: (float(d["x"]), float(d["y"])) for key, d in graph.nodes(data=True)}


def _segments(graph: Any, transformer: Transformer):
    keys = list(graph.nodes)
    index = {key: i for i, key in enumerate(keys)}
    positions = _positions(graph)
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


def link_matrix(n: int, start: np.ndarray, end: np.ndarray, length: np.ndarray) -> csr_matrix:
    """Symmetric sparse matrix of the links between ``n`` nodes, shortest parallel link kept."""
    pairs = pd.DataFrame(
        {"a": np.minimum(start, end), "b": np.maximum(start, end), "w": length + EPS}
    )
    best = pairs.groupby(["a", "b"], as_index=False, sort=False)["w"].min()
    rows = np.r_[best["a"], best["b"]]
    cols = np.r_[best["b"], best["a"]]
    return coo_matrix((np.r_[best["w"], best["w"]], (rows, cols)), shape=(n, n)).tocsr()


def _kept_pieces(n: int, start, end, length, min_piece_m: float):
    """Which segments lie on a piece kept (see the module docstring), and what was left out."""
    _, labels = connected_components(link_matrix(n, start, end, length), directed=False)
    street = np.bincount(labels[start], weights=length, minlength=labels.max() + 1)
    kept = street >= min_piece_m
    kept[np.argmax(street)] = True
    dropped = ~kept & (street > 0)
    return kept[labels[start]], (int(dropped.sum()), float(street[dropped].sum()))


def network_from_arrays(
    xy: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    *,
    min_piece_m: float = MIN_PIECE_M,
    set_aside: tuple[int, float] = (0, 0.0),
) -> Network:
    """A :class:`Network` from node coordinates (EPSG:28992) and segment end nodes.

    Pieces with less street than ``min_piece_m`` are set aside (the largest never);
    ``set_aside`` is what was set aside before, added to what is set aside now.
    """
    start, end = np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64)
    if len(start) == 0:
        raise ValueError(
            "network has no streets (edges between nodes); for an OpenStreetMap file, check "
            "that it holds walkable highways in the area"
        )
    length = np.hypot(*(xy[end] - xy[start]).T)
    keep, dropped = _kept_pieces(len(xy), start, end, length, min_piece_m)
    start, end, length = start[keep], end[keep], length[keep]
    segments = shapely.linestrings(np.stack([xy[start], xy[end]], axis=1))
    matrix = link_matrix(len(xy), start, end, length)
    total = (int(set_aside[0]) + dropped[0], float(set_aside[1]) + dropped[1])
    return Network(xy, start, end, length, segments, shapely.STRtree(segments), matrix, total)


def as_network(network: Any, crs: Any = None, *, min_piece_m: float = MIN_PIECE_M) -> Network:
    """A :class:`Network` from a networkx graph (or the network itself, unchanged).

    Parameters
    ----------
    network : networkx.Graph or Network
        Nodes with ``x``/``y``; ``graph.graph["crs"]`` names their CRS unless ``crs`` is given.
    crs : optional
        CRS of the node coordinates, overriding ``graph.graph["crs"]``.
    min_piece_m : float, default :data:`MIN_PIECE_M`
        Connected pieces with less street than this are set aside (the largest never is).

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
    return network_from_arrays(xy, start, end, min_piece_m=min_piece_m)


def snap(net: Network, xy: np.ndarray):
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


def from_sources(matrix: csr_matrix, nodes: np.ndarray, cost: np.ndarray, limit=np.inf):
    """Shortest distance from any of ``nodes`` (each starting at ``cost``) to every node."""
    n = matrix.shape[0]
    entry = pd.Series(cost).groupby(nodes).min()
    source = coo_matrix(
        (entry.to_numpy() + EPS, (np.full(len(entry), n), entry.index.to_numpy())),
        shape=(n + 1, n + 1),
    )
    graph = matrix.copy()
    graph.resize((n + 1, n + 1))
    graph = (graph + source.tocsr()).tocsr()
    return dijkstra(graph, directed=True, indices=n, limit=limit)[:n]


def node_distances(net: Network, xy: np.ndarray, limit: float = np.inf) -> np.ndarray:
    """Network distance from every node to the nearest point of ``xy``, each joined at the
    nearest street (``inf`` beyond ``limit`` or when there are no points)."""
    if len(xy) == 0:
        return np.full(net.n_nodes, np.inf)
    seg, offset, leg = snap(net, xy)
    nodes = np.r_[net.start[seg], net.end[seg]]
    cost = np.r_[leg + offset, leg + net.length[seg] - offset]
    return from_sources(net.matrix, nodes, cost, limit)


def _via_nodes(net: Network, nodes: np.ndarray, seg, offset, leg) -> np.ndarray:
    via_start = offset + nodes[net.start[seg]]
    via_end = net.length[seg] - offset + nodes[net.end[seg]]
    return leg + np.minimum(via_start, via_end)


def point_distances(net: Network, places: np.ndarray, origins: np.ndarray) -> np.ndarray:
    """Network distance from every origin to its nearest place, both joined at their nearest
    street by a straight access leg (``inf`` without places)."""
    if len(places) == 0 or len(origins) == 0:
        return np.full(len(origins), np.inf)
    p_seg, p_offset, p_leg = snap(net, places)
    nodes = node_distances(net, places)
    seg, offset, leg = snap(net, origins)
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
