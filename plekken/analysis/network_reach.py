"""How far one walks from places over a street network: one rule for people and land.

Every place joins the network at the nearest point of the nearest street by a straight
*access leg*; the street is split there and the leg becomes a walkable link of its own. A
Dijkstra search from all places of a type at once then gives every point ``s`` of every
street its walking distance ``d(s)`` to the nearest place.

A home (or any point of land) ``q`` is within ``D`` of a place when some street point ``s``
no farther than ``width`` from it has ``d(s) + |q − s| ≤ D``: the last stretch from the
street to the door counts, and nobody walks more than ``width`` metres across land. Covered
land is the set of all such points; it is exactly the union of

- every street stretch reached with at least ``width`` metres to spare, widened by ``width``;
- a disc of radius ``D − d`` around every node reached with less than ``width`` to spare,

because along a street ``d`` grows as fast as the distance walked. The same rule gives the
walking distance of a home (:func:`walking_distances`) and decides whether a place counts for
an area (:func:`area_distances`), so covered people and covered land always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from .network import Network, from_sources, link_matrix, snap

__all__ = [
    "Joined",
    "area_distances",
    "covered_land",
    "join",
    "remember_covered",
    "service_area",
    "walking_distances",
]

#: Segments per quarter circle of the round ends of the service area (chords ≤ 0.25 m at 50 m).
QUAD_SEGS = 8


@dataclass(frozen=True)
class Joined:
    """A network with points joined to it: nodes ``xy``, links ``start``/``end``/``length``."""

    xy: np.ndarray
    start: np.ndarray
    end: np.ndarray
    length: np.ndarray
    matrix: csr_matrix
    points: np.ndarray  # node of every joined point
    origin: np.ndarray  # the network segment of every link (or piece of one), -1 for legs

    def lines(self) -> np.ndarray:
        return shapely.linestrings(np.stack([self.xy[self.start], self.xy[self.end]], axis=1))


def join(net: Network, xy: np.ndarray) -> Joined:
    """The network with every point of ``xy`` joined by its access leg (streets split)."""
    k, n = len(xy), net.n_nodes
    seg, offset, leg = snap(net, xy) if k else (np.empty(0, int), np.empty(0), np.empty(0))
    cut_ids, point_ids = n + np.arange(k), n + k + np.arange(k)
    a, b = net.xy[net.start[seg]], net.xy[net.end[seg]]
    share = np.divide(offset, net.length[seg], out=np.zeros(k), where=net.length[seg] > 0)
    cut_xy = a + share[:, None] * (b - a)
    split = np.unique(seg)
    rows = pd.DataFrame(
        {
            "seg": np.r_[seg, split, split],
            "at": np.r_[offset, np.zeros(len(split)), net.length[split]],
            "node": np.r_[cut_ids, net.start[split], net.end[split]],
            "rank": np.r_[np.ones(k), np.zeros(len(split)), np.full(len(split), 2)],
        }
    ).sort_values(["seg", "at", "rank"], kind="stable")
    same = rows["seg"].to_numpy()[1:] == rows["seg"].to_numpy()[:-1]
    nodes, at = rows["node"].to_numpy(), rows["at"].to_numpy()
    whole = np.ones(len(net.start), dtype=bool)
    whole[split] = False
    start = np.r_[net.start[whole], nodes[:-1][same], point_ids]
    end = np.r_[net.end[whole], nodes[1:][same], cut_ids]
    length = np.r_[net.length[whole], np.diff(at)[same], leg]
    all_xy = np.vstack([net.xy, cut_xy, xy]) if k else net.xy
    matrix = link_matrix(len(all_xy), start, end, length)
    origin = np.r_[np.flatnonzero(whole), rows["seg"].to_numpy()[:-1][same], np.full(k, -1)]
    return Joined(all_xy, start, end, length, matrix, point_ids, origin)


def _reached(net: Network, xy: np.ndarray, limit: float):
    """The joined network and every node's walking distance to the nearest point of ``xy``."""
    joined = join(net, xy)
    dist = from_sources(joined.matrix, joined.points, np.zeros(len(xy)), limit)
    return joined, dist


@dataclass
class Chains:
    """Streets between junctions (chains of segments) of a network, widened by ``width``.

    A chain reached from end to end reuses its polygon.
    """

    label: np.ndarray  # chain of every network segment
    size: np.ndarray  # segments per chain
    polygons: np.ndarray  # widened chains
    tree: shapely.STRtree


def _chains(net: Network, width: float) -> Chains:
    """The :class:`Chains` of ``net`` for ``width``, kept in the network's cache."""
    key = ("chains", width)
    if key in net.cache:
        return net.cache[key]
    m = len(net.start)
    ends, segment = np.r_[net.start, net.end], np.r_[np.arange(m), np.arange(m)]
    degree = np.bincount(ends, minlength=net.n_nodes)
    degree[net.start[net.start == net.end]] = 0  # a loop closes on itself
    inner = degree[ends] == 2
    pairs = segment[inner][np.argsort(ends[inner], kind="stable")].reshape(-1, 2)
    links = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(m, m))
    _, label = connected_components(links, directed=False)
    order = np.argsort(label, kind="stable")
    lines = shapely.line_merge(shapely.multilinestrings(net.segments[order], indices=label[order]))
    polygons = shapely.buffer(lines, width, quad_segs=QUAD_SEGS)
    chains = Chains(label, np.bincount(label), polygons, shapely.STRtree(polygons))
    net.cache[key] = chains
    return chains


def _stretches(joined: Joined, dist: np.ndarray, distance: float, width: float):
    """Links reached end to end with ``width`` to spare, and the partly reached stretches."""
    a, b, length = joined.xy[joined.start], joined.xy[joined.end], joined.length
    from_a = np.clip(distance - width - dist[joined.start], -1, None)
    from_b = np.clip(distance - width - dist[joined.end], -1, None)
    whole = (from_a >= 0) & (from_b >= 0) & (from_a + from_b >= length)
    whole |= (from_a >= length) | (from_b >= length)
    unit = (b - a) / np.maximum(length, 1e-12)[:, None]
    part_a = ~whole & (from_a > 0)
    part_b = ~whole & (from_b > 0)
    tips_a = a[part_a] + unit[part_a] * from_a[part_a, None]
    tips_b = b[part_b] - unit[part_b] * from_b[part_b, None]
    parts = np.concatenate(
        [np.stack([a[part_a], tips_a], axis=1), np.stack([b[part_b], tips_b], axis=1)]
    )
    return whole, parts


def _widened(net: Network, xy: np.ndarray, distance: float, width: float):
    """Polygons whose union is the service area: reused widened chains and the rest."""
    chains = _chains(net, width)
    label, size = chains.label, chains.size
    joined, dist = _reached(net, xy, distance)
    whole, parts = _stretches(joined, dist, distance, width)
    kept = joined.origin >= 0
    m = len(label)
    pieces = np.bincount(joined.origin[kept], minlength=m)
    segment_done = np.bincount(joined.origin[kept & whole], minlength=m) == pieces
    done = np.bincount(label, weights=segment_done, minlength=len(size)) == size
    rest = whole & ~(kept & done[label[np.maximum(joined.origin, 0)]])
    pairs = np.concatenate(
        [np.stack([joined.xy[joined.start[rest]], joined.xy[joined.end[rest]]], axis=1), parts]
    )
    spare = distance - dist
    tips = np.flatnonzero((spare > 0) & (spare <= width))
    others = np.concatenate(
        [
            shapely.buffer(shapely.linestrings(pairs), width, quad_segs=QUAD_SEGS)
            if len(pairs)
            else np.empty(0, dtype=object),
            shapely.buffer(shapely.points(joined.xy[tips]), spare[tips], quad_segs=QUAD_SEGS),
        ]
    )
    return np.flatnonzero(done), others


def service_area(net: Network, xy: np.ndarray, distance: float, width: float = 50.0):
    """Polygon of all land within walking ``distance`` of a point of ``xy`` (module rule)."""
    if len(xy) == 0:
        return shapely.Polygon()
    chains, others = _widened(net, xy, float(distance), float(width))
    return shapely.union_all(np.concatenate([_chains(net, width).polygons[chains], others]))


def _around(net: Network, chains: Chains, lands: np.ndarray, key):
    """Per land, the chains near it and the land within reach of all of them (cached)."""
    if ("around", key) not in net.cache:
        near = [chains.tree.query(land, predicate="intersects") for land in lands]
        whole = [
            shapely.intersection(land, shapely.union_all(chains.polygons[n]))
            for land, n in zip(lands, near, strict=True)
        ]
        net.cache[("around", key)] = (near, np.array(whole, dtype=object))
    return net.cache[("around", key)]


def _covered(net: Network, xy, lands, key, distance: float, width: float):
    """Covered land per area: the land near all chains, less what only unreached ones cover,
    with the partly reached stretches, access legs and discs added."""
    done, others = _widened(net, xy, distance, width)
    chains = _chains(net, width)
    near, whole = _around(net, chains, lands, key)
    reached = np.zeros(len(chains.polygons), dtype=bool)
    reached[done] = True
    missing = np.unique(np.concatenate([n[~reached[n]] for n in near] or [[]])).astype(int)
    lost = shapely.Polygon()
    if len(missing):
        gone = shapely.union_all(chains.polygons[missing])
        kept = chains.tree.query(gone, predicate="intersects")
        lost = shapely.difference(gone, shapely.union_all(chains.polygons[kept[reached[kept]]]))
    base = shapely.difference(whole, lost)
    other_tree = shapely.STRtree(others)
    area_idx, other_idx = other_tree.query(lands, predicate="intersects")
    result = base.copy()
    for area in np.unique(area_idx):
        extra = shapely.union_all(others[other_idx[area_idx == area]])
        result[area] = shapely.union(base[area], shapely.intersection(lands[area], extra))
    return result


def covered_land(net: Network, xy: np.ndarray, lands: np.ndarray, distance: float, width: float):
    """Per land geometry, the part within walking ``distance`` of a point of ``xy``.

    Built area by area from the polygons near each, and kept in ``net.cache`` per points,
    lands, distance and width, so coverage and gaps on the same
    :class:`~plekken.analysis.network.Network` build it once.
    """
    lands_key = _lands_key(lands)
    key = ("covered", hash(np.ascontiguousarray(xy).tobytes()), lands_key, width, distance)
    if key in net.cache:
        return net.cache[key]
    if len(xy):
        result = _covered(net, xy, lands, lands_key, float(distance), float(width))
    else:
        result = np.full(len(lands), shapely.Polygon(), dtype=object)
    covered = [k for k in net.cache if k[0] == "covered"]
    if len(covered) >= 64:
        net.cache.pop(covered[0])
    net.cache[key] = result
    return result


def remember_covered(net: Network, xy, lands, distance: float, width: float, covered) -> None:
    """Keep ``covered`` (per land, e.g. put together from other sets of points) in the cache."""
    key = ("covered", hash(np.ascontiguousarray(xy).tobytes()), _lands_key(lands), width, distance)
    net.cache[key] = covered


def _lands_key(lands: np.ndarray) -> int:
    return hash(b"".join(shapely.to_wkb(lands)))


def _entry_costs(joined: Joined, dist: np.ndarray, points: np.ndarray, width: float):
    """Pairs (point, link) within ``width`` and the walk to each point through either end."""
    reached = np.isfinite(dist[joined.start]) | np.isfinite(dist[joined.end])
    links = np.flatnonzero(reached)
    lines = shapely.linestrings(
        np.stack([joined.xy[joined.start[links]], joined.xy[joined.end[links]]], axis=1)
    )
    point_idx, hit = shapely.STRtree(lines).query(
        shapely.points(points), predicate="dwithin", distance=width
    )
    link = links[hit]
    best = np.full(len(point_idx), np.inf)
    for near, far in ((joined.start, joined.end), (joined.end, joined.start)):
        a, b = joined.xy[near[link]], joined.xy[far[link]]
        length = joined.length[link]
        unit = (b - a) / np.maximum(length, 1e-12)[:, None]
        rel = points[point_idx] - a
        along = np.einsum("ij,ij->i", rel, unit)
        across2 = np.maximum(np.einsum("ij,ij->i", rel, rel) - along**2, 0.0)
        enter = np.clip(along - np.sqrt(np.maximum(width**2 - across2, 0.0)), 0.0, length)
        leg = np.hypot(*(points[point_idx] - (a + unit * enter[:, None])).T)
        cost = dist[near[link]] + enter + leg
        best = np.minimum(best, np.where(leg <= width + 1e-6, cost, np.inf))
    return point_idx, best


def walking_distances(net: Network, xy: np.ndarray, points: np.ndarray, width: float = 50.0):
    """Walking distance from every point of ``points`` to its nearest place of ``xy``.

    ``inf`` when no reached street lies within ``width`` of the point (module rule).
    """
    result = np.full(len(points), np.inf)
    if len(xy) == 0 or len(points) == 0:
        return result
    joined, dist = _reached(net, xy, np.inf)
    point_idx, cost = _entry_costs(joined, dist, points, width)
    np.minimum.at(result, point_idx, cost)
    return result


def area_distances(net: Network, xy: np.ndarray, lands: np.ndarray, limit: float, width: float):
    """Walking distance from every point of ``xy`` to the land of each area, ``(areas, points)``.

    A point counts as near an area when its own service area within the distance touches the
    area's land; points inside the land are at distance 0. ``inf`` beyond ``limit``.
    """
    result = np.full((len(lands), len(xy)), np.inf)
    if len(xy) == 0:
        return result
    joined = join(net, xy)
    lines = joined.lines()
    tree = shapely.STRtree(lines)
    node_points = shapely.points(joined.xy)
    for area, land in enumerate(lands):
        band = shapely.buffer(land, width, quad_segs=16)
        links = tree.query(band, predicate="intersects")
        if len(links) == 0:
            continue
        inside = shapely.intersection(lines[links], band)
        nodes = np.r_[joined.start[links], joined.end[links]]
        to_land = shapely.distance(land, node_points[nodes])
        via_edge = width + shapely.distance(node_points[nodes], np.r_[inside, inside])
        cost = np.where(to_land <= width, to_land, via_edge)
        # only nodes within ``limit`` of the band in a straight line can be reached
        minx, miny, maxx, maxy = shapely.bounds(band)
        x, y = joined.xy[:, 0], joined.xy[:, 1]
        local = np.flatnonzero(
            (x >= minx - limit) & (x <= maxx + limit) & (y >= miny - limit) & (y <= maxy + limit)
        )
        position = np.full(len(joined.xy), -1)
        position[local] = np.arange(len(local))
        keep = position[nodes] >= 0  # a long link may end farther away
        sub = joined.matrix[local][:, local]
        dist = from_sources(sub, position[nodes[keep]], cost[keep], limit)
        at = position[joined.points]
        result[area] = np.where(at >= 0, dist[at], np.inf)
    return result
