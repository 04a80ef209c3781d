"""The union of discs around places as polygons, without a general polygon union.

Dissolving thousands of overlapping buffers is what makes the hand-written gaps slow. Here
each place ``p`` contributes the piece ``cell(p) ∩ disc(p)`` of its Voronoi cell. The pieces
do not overlap and, because every shared Voronoi edge is cut by the circle at a point computed
once for both sides (from the same endpoints and the same centre, the neighbour with the lower
index), neighbouring pieces share their edges exactly. They form a *polygonal coverage*, which
GEOS dissolves in linear time (``coverage_union``). Arcs are polylines with vertices on the
circle, ``quad_segs`` per quarter circle, as ``shapely.buffer`` draws them. Places with no
other place within ``2 D`` are plain buffers. Where the Voronoi diagram is degenerate (many
places on one circle) a piece may come out invalid; it is then cut by GEOS, and when the
pieces no longer share their edges exactly they are dissolved by a general union.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.errors import GEOSException

from .clip import positions
from .discs import isolated_points
from .geometry import voronoi_cells

__all__ = ["disc_union", "subtract"]


def _crossings(lo, hi, centre, radius, in_lo, in_hi):
    """Where the segments ``lo → hi`` cross the circles: parameters ``(t1, t2)``, NaN if none.

    ``t1`` enters the disc and ``t2`` leaves it when walking from ``lo`` to ``hi``.
    """
    d = hi - lo
    f = lo - centre
    a = (d * d).sum(axis=1)
    b = 2.0 * (f * d).sum(axis=1)
    c = (f * f).sum(axis=1) - radius * radius
    root = np.sqrt(np.maximum(b * b - 4.0 * a * c, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.clip((-b - root) / (2.0 * a), 0.0, 1.0)
        t2 = np.clip((-b + root) / (2.0 * a), 0.0, 1.0)
    through = ~in_lo & ~in_hi & (b * b - 4.0 * a * c > 0) & (t1 > 0) & (t2 < 1) & (t1 < t2)
    enter = np.where((~in_lo & in_hi) | through, t1, np.nan)
    leave = np.where((in_lo & ~in_hi) | through, t2, np.nan)
    return enter, leave


def _neighbours(xy, tree, owner, a, b) -> np.ndarray:
    """Index of the point across each cell edge ``a → b`` (-1 on the outer frame)."""
    d = b - a
    normal = np.column_stack([d[:, 1], -d[:, 0]]) / np.hypot(d[:, 0], d[:, 1])[:, None]
    p = xy[owner]
    mirror = p + 2.0 * ((a - p) * normal).sum(axis=1)[:, None] * normal
    distance, idx = tree.query(mirror)
    return np.where((distance < 1e-6 * (1.0 + np.abs(p).max())) & (idx != owner), idx, -1)


def _edges(xy: np.ndarray, cells: np.ndarray, tree: cKDTree, radius: float):
    """Cell edges in counter-clockwise order with canonical inside flags and crossings."""
    coords, owner = shapely.get_coordinates(shapely.orient_polygons(cells), return_index=True)
    last = np.r_[owner[1:] != owner[:-1], True]
    a, owner = coords[:-1][~last[:-1]], owner[:-1][~last[:-1]]
    b = coords[1:][~last[:-1]]
    near = _neighbours(xy, tree, owner, a, b)
    centre = xy[np.where(near >= 0, np.minimum(near, owner), owner)]
    inside = tree.query(coords)[0] <= radius  # the same answer for every copy of a vertex
    in_a = inside[:-1][~last[:-1]]
    in_b = inside[1:][~last[:-1]]
    flip = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo = np.where(flip[:, None], b, a)
    hi = np.where(flip[:, None], a, b)
    enter, leave = _crossings(lo, hi, centre, radius, np.where(flip, in_b, in_a),
                              np.where(flip, in_a, in_b))  # fmt: skip
    # back to the direction a → b: entering lo → hi is leaving b → a
    first = np.where(flip, leave, enter)  # crossing met first from a is an entry ...
    second = np.where(flip, enter, leave)  # ... the second an exit (or NaN)
    x_first = lo + first[:, None] * (hi - lo)
    x_second = lo + second[:, None] * (hi - lo)
    return owner, a, in_a, x_first, x_second, ~np.isnan(first), ~np.isnan(second), flip


def _arc(centre, start, end, radius, quad_segs):
    """Vertices strictly between ``start`` and ``end`` on the circles, counter-clockwise.

    Returns the number of vertices per arc and the vertices, arc after arc.
    """
    t0 = np.arctan2(start[:, 1] - centre[:, 1], start[:, 0] - centre[:, 0])
    t1 = np.arctan2(end[:, 1] - centre[:, 1], end[:, 0] - centre[:, 0])
    sweep = np.mod(t1 - t0, 2 * np.pi)
    count = np.maximum(np.ceil(sweep / (np.pi / 2 / quad_segs)).astype(int) - 1, 0)
    arc = np.repeat(np.arange(len(count)), count)
    step = (positions(count) + 1) / np.repeat(count + 1, count)
    angle = t0[arc] + step * sweep[arc]
    return count, centre[arc] + radius * np.column_stack([np.cos(angle), np.sin(angle)])


def _next_in_group(group: np.ndarray) -> np.ndarray:
    """For sorted group ids, the index of the next element of the same group, cyclically."""
    new = np.r_[True, group[1:] != group[:-1]]
    following = np.arange(1, len(group) + 1)
    last = np.r_[new[1:], True]
    following[last] = np.flatnonzero(new)[np.cumsum(new)[last] - 1]
    return following


def _pieces(xy: np.ndarray, radius: float, extent, quad_segs: int):
    """Ring vertices of ``cell ∩ disc`` for every point of ``xy`` and their point index."""
    cells = voronoi_cells(xy, extent)
    tree = cKDTree(xy)
    owner, a, in_a, x1, x2, has1, has2, _ = _edges(xy, cells, tree, radius)
    # per edge, in order: the start vertex if inside, then the crossings met from a to b;
    # a single crossing is an exit when a is inside; of two, the second is the exit
    emit = np.stack([in_a, has1 | has2, has1 & has2], axis=1).ravel()
    points = np.stack([a, np.where(has1[:, None], x1, x2), x2], axis=1).reshape(-1, 2)[emit]
    exits = np.stack([np.zeros_like(in_a), in_a & (has1 ^ has2), has1 & has2], axis=1).ravel()
    crossing = np.stack([np.zeros_like(in_a), has1 | has2, has1 & has2], axis=1).ravel()
    exits, crossing = exits[emit], crossing[emit]
    vertex_owner = np.repeat(owner, 3)[emit]
    # after each exit, the arc to the next crossing of the same cell (an entry)
    cross_idx = np.flatnonzero(crossing)
    entry_of = cross_idx[_next_in_group(vertex_owner[cross_idx])]
    leave = cross_idx[exits[cross_idx]]
    enter = entry_of[exits[cross_idx]]
    count, arc_points = _arc(xy[vertex_owner[leave]], points[leave], points[enter], radius,
                             quad_segs)  # fmt: skip
    extra = np.zeros(len(points), dtype=int)
    extra[leave] = count
    start = np.cumsum(1 + extra) - (1 + extra)
    ring_xy = np.empty((len(points) + len(arc_points), 2))
    ring_xy[start] = points
    ring_xy[np.repeat(start[leave] + 1, count) + positions(count)] = arc_points
    return ring_xy, np.repeat(vertex_owner, 1 + extra), cells


def disc_union(xy: np.ndarray, radius: float, extent, quad_segs: int = 8) -> shapely.Geometry:
    """Union of the discs of ``radius`` around the distinct points ``xy`` as (multi)polygon.

    ``extent`` must hold every point; the union is exact up to the polylines of the arcs.

    Examples
    --------
    >>> union = disc_union(np.array([[0.0, 0.0], [100.0, 0.0], [1000.0, 0.0]]), 80,
    ...                    shapely.box(-100, -100, 1100, 100))
    >>> int(shapely.get_num_geometries(union)), round(float(shapely.area(union)))
    (2, 54788)
    """
    alone = isolated_points(xy, radius)
    # isolated discs touch nothing else: they join the union as they are
    parts = [shapely.buffer(shapely.points(xy[alone]), radius, quad_segs=quad_segs)]
    if not alone.all():
        crowded = xy[~alone]
        ring_xy, owner, cells = _pieces(crowded, radius, extent, quad_segs)
        sizes = np.bincount(owner)
        usable = sizes[owner] >= 3  # degenerate slivers of a point or a line add no area
        kept, kept_owner = np.unique(owner[usable], return_inverse=True)
        pieces = shapely.polygons(shapely.linearrings(ring_xy[usable], indices=kept_owner))
        bad = ~shapely.is_valid(pieces)
        if bad.any():  # a degenerate Voronoi diagram (many places on one circle)
            circles = shapely.buffer(
                shapely.points(crowded[kept[bad]]), radius, quad_segs=quad_segs
            )
            pieces[bad] = shapely.intersection(cells[kept[bad]], circles)
        try:
            merged = shapely.coverage_union_all(pieces)
        except GEOSException:  # the pieces of a degenerate diagram do not share edges exactly
            merged = shapely.union_all(pieces)
        parts.append(shapely.get_parts(merged))
    return shapely.multipolygons(np.concatenate(parts))


def _holes_as_polygons(parts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The interior rings of ``parts`` as polygons, and the part each comes from."""
    counts = shapely.get_num_interior_rings(parts)
    owner = np.repeat(np.arange(len(parts)), counts)
    index = positions(counts)
    rings = shapely.get_interior_ring(parts[owner], index)
    return shapely.polygons(rings), owner


def subtract(lands: np.ndarray, union: shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """``land − union`` for every land as single polygons and the land index of each.

    Only the parts of ``union`` that cross a land's boundary go through a polygon overlay.
    A part inside a land becomes a hole of the gap around it, and each hole of that part a
    gap of its own: a point is uncovered when an even number of rings surround it.
    """
    parts = shapely.get_parts(union)
    shapely.prepare(lands)
    land_idx, part_idx = shapely.STRtree(parts).query(lands, predicate="intersects")
    inside = shapely.contains_properly(lands[land_idx], parts[part_idx])
    crossing = ~inside
    cut = lands.copy()
    if crossing.any():
        hit, group = np.unique(land_idx[crossing], return_inverse=True)
        blades = shapely.multipolygons(parts[part_idx[crossing]], indices=group)
        cut[hit] = shapely.difference(lands[hit], blades)
    shells, shell_land = shapely.get_parts(cut, return_index=True)
    shells_keep = shapely.get_type_id(shells) == 3
    shells, shell_land = shells[shells_keep], shell_land[shells_keep]
    if not inside.any():
        return shells, shell_land
    inner, inner_land = parts[part_idx[inside]], land_idx[inside]
    pockets, pocket_of = _holes_as_polygons(inner)
    containers = np.concatenate([shells, pockets])
    container_land = np.concatenate([shell_land, inner_land[pocket_of]])
    # each inner part goes, as a hole, into the smallest container of its land around it
    probe = shapely.point_on_surface(inner)
    k, c = shapely.STRtree(containers).query(probe, predicate="within")
    same = container_land[c] == inner_land[k]
    k, c = k[same], c[same]
    order = np.lexsort((shapely.area(containers[c]), k))
    first = np.unique(k[order], return_index=True)[1]
    home = np.full(len(inner), -1)
    home[k[order][first]] = c[order][first]
    return _with_holes(containers, shapely.get_exterior_ring(inner), home), container_land


def _with_holes(containers: np.ndarray, holes: np.ndarray, home: np.ndarray) -> np.ndarray:
    """``containers`` with the rings ``holes[i]`` added as holes of ``containers[home[i]]``."""
    shell = shapely.get_exterior_ring(containers)
    counts = shapely.get_num_interior_rings(containers)
    owner = np.repeat(np.arange(len(containers)), counts)
    old = shapely.get_interior_ring(containers[owner], positions(counts))
    placed = home >= 0
    rings = np.concatenate([shell, old, holes[placed]])
    ring_owner = np.concatenate([np.arange(len(containers)), owner, home[placed]])
    # shell first (rank 0), then the holes, per container
    rank = np.concatenate([np.zeros(len(shell)), np.ones(len(old) + placed.sum())])
    order = np.lexsort((rank, ring_owner))
    return shapely.polygons(rings[order], indices=ring_owner[order])
