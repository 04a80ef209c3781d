"""Exact area of land ∩ convex piece ∩ disc for many pairs at once, without polygon overlay.

Each pair is a land polygon, a centre ``p``, a radius ``r`` and optionally a convex polygon
``K`` holding ``p`` (a Voronoi cell). The rings of the land are clipped by the square
``p ± r`` and by ``K`` with the Sutherland–Hodgman algorithm, vectorised over all pairs in
NumPy. For a concave land the clipped rings may run back and forth along the clip edges, but
their winding number is still 1 exactly on ``land ∩ square ∩ K``, and that is all the area
of a disc cut by a polygon needs: the signed area of the disc within the triangle (centre,
edge start, edge end), summed over the edges (:func:`.geometry.disc_overlap_area`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .geometry import edge_disc_area

__all__ = ["Rings", "clipped_disc_area", "positions"]


@dataclass(frozen=True)
class Rings:
    """Vertices of every ring of every polygon, without the closing repeat.

    ``start[i]:start[i + 1]`` are the vertices of ring ``i``, ``owner[i]`` its polygon and
    ``sign[i]`` +1 for rings that add area (exteriors) and -1 for holes, whatever their
    orientation.
    """

    xy: np.ndarray
    start: np.ndarray
    owner: np.ndarray
    sign: np.ndarray

    @classmethod
    def of(cls, polygons: np.ndarray) -> Rings:
        """The rings of ``polygons`` (Polygon or MultiPolygon per entry)."""
        parts, part_owner = shapely.get_parts(polygons, return_index=True)
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        coords, ring = shapely.get_coordinates(rings, return_index=True)
        last = np.r_[ring[1:] != ring[:-1], True]  # the closing repeat of each ring
        xy, ring = coords[~last], ring[~last]
        counts = np.bincount(ring, minlength=len(rings))
        start = np.r_[0, np.cumsum(counts)]
        exterior = np.r_[True, ring_part[1:] != ring_part[:-1]]
        sign = np.where(exterior, 1.0, -1.0) * np.sign(_shoelace(xy, ring, len(rings)))
        return cls(xy, start, part_owner[ring_part], sign)

    def of_polygons(self, polygon_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(pair, ring)`` for every ring of ``polygon_idx[pair]``."""
        order = np.argsort(self.owner, kind="stable")
        first = np.searchsorted(self.owner[order], polygon_idx, side="left")
        last = np.searchsorted(self.owner[order], polygon_idx, side="right")
        pair = np.repeat(np.arange(len(polygon_idx)), last - first)
        return pair, order[np.repeat(first, last - first) + positions(last - first)]


def positions(lengths: np.ndarray) -> np.ndarray:
    """``0..n-1`` for every run of length ``n`` in ``lengths``, concatenated."""
    return np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)


def _shoelace(xy: np.ndarray, ring: np.ndarray, n: int) -> np.ndarray:
    """Twice the signed area of each ring (counter-clockwise positive)."""
    nxt = _successor(ring)
    cross = xy[:, 0] * xy[nxt, 1] - xy[nxt, 0] * xy[:, 1]
    return np.bincount(ring, weights=cross, minlength=n)


def _successor(ring: np.ndarray) -> np.ndarray:
    """Index of the next vertex in the same ring (wrapping around) for sorted ``ring`` ids."""
    idx = np.arange(len(ring))
    nxt = idx + 1
    ends = np.r_[ring[1:] != ring[:-1], True]
    starts = np.r_[True, ring[1:] != ring[:-1]]
    nxt[ends] = idx[starts]
    return nxt


def _clip(xy, ring, side):
    """One Sutherland–Hodgman stage: keep the part of every ring where ``side <= 0``.

    ``side`` is the signed distance (times a constant) of each vertex to the clip line.
    Rings wholly inside pass unchanged; only the others are cut.
    """
    outside = np.bincount(ring, weights=side > 0)
    cut_ring = (outside > 0)[ring]
    if not cut_ring.any():
        return xy, ring
    keep_xy, keep_ring = xy[~cut_ring], ring[~cut_ring]
    xy, ring, side = xy[cut_ring], ring[cut_ring], side[cut_ring]
    nxt = _successor(ring)
    side_next = side[nxt]
    inside, inside_next = side <= 0, side_next <= 0
    crossing = inside != inside_next
    # per edge: in→in emits the end, in→out the crossing, out→in the crossing and the end
    count = crossing.astype(int) + inside_next
    source = np.repeat(np.arange(len(xy)), count)
    out = xy[nxt][source]
    first = np.flatnonzero(crossing[source] & (positions(count) == 0))
    edge = source[first]
    t = side[edge] / (side[edge] - side_next[edge])
    out[first] = xy[edge] + t[:, None] * (xy[nxt[edge]] - xy[edge])
    return np.concatenate([keep_xy, out]), np.concatenate([keep_ring, np.repeat(ring, count)])


def _half_planes(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges of convex ``cells`` as half-planes ``normal·x <= offset``, with their cell."""
    coords, owner = shapely.get_coordinates(cells, return_index=True)
    same = owner[1:] == owner[:-1]
    a, b, cell = coords[:-1][same], coords[1:][same], owner[:-1][same]
    d = b - a
    orient = np.sign(np.bincount(cell, weights=a[:, 0] * b[:, 1] - b[:, 0] * a[:, 1],
                                 minlength=len(cells)))[cell]  # fmt: skip
    normal = orient[:, None] * np.column_stack([d[:, 1], -d[:, 0]])
    return cell, normal, (normal * a).sum(axis=1)


def clipped_disc_area(
    rings: Rings,
    polygon_idx: np.ndarray,
    centres: np.ndarray,
    radius: float,
    half: np.ndarray,
    cells: np.ndarray | None = None,
) -> np.ndarray:
    """Area of ``polygon ∩ square(centre, half) ∩ cell ∩ disc(centre, radius)`` per pair.

    ``half`` (per pair) is at most ``radius``, and the square must hold ``cell ∩ disc``.
    ``cells[k]`` is a convex polygon or ``None`` (no cell: only the square and the disc).

    Examples
    --------
    >>> rings = Rings.of(np.array([shapely.box(0, 0, 10, 10)]))
    >>> found = clipped_disc_area(rings, np.array([0, 0]), np.array([[0.0, 5], [5, 5]]), 3.0,
    ...                           np.array([3.0, 3.0]))
    >>> np.round(found, 4).tolist()  # half a disc at the edge, a whole one inside
    [14.1372, 28.2743]
    """
    pair, ring_ids = rings.of_polygons(polygon_idx)
    lengths = rings.start[ring_ids + 1] - rings.start[ring_ids]
    vertex = np.repeat(rings.start[ring_ids], lengths) + positions(lengths)
    xy = rings.xy[vertex]
    ring = np.repeat(np.arange(len(ring_ids)), lengths)
    sign = rings.sign[ring_ids]
    ring_pair = pair
    # the square p ± r as four half-planes
    for axis, direction in ((0, 1.0), (0, -1.0), (1, 1.0), (1, -1.0)):
        offset = direction * centres[ring_pair, axis] + half[ring_pair]
        xy, ring = _clip(xy, ring, direction * xy[:, axis] - offset[ring])
    if cells is not None:
        has_cell = np.array([c is not None for c in cells], dtype=bool)
        cell_of = np.flatnonzero(has_cell)
        owner, normals, offsets = _half_planes(cells[has_cell])
        owner = cell_of[owner]
        order = np.argsort(owner, kind="stable")
        owner, normals, offsets = owner[order], normals[order], offsets[order]
        stage = np.arange(len(owner)) - np.searchsorted(owner, owner)
        for j in range(int(stage.max()) + 1 if len(stage) else 0):
            normal = np.zeros((len(centres), 2))
            offset = np.full(len(centres), np.inf)
            pick = stage == j
            normal[owner[pick]] = normals[pick]
            offset[owner[pick]] = offsets[pick]
            of = ring_pair[ring]
            xy, ring = _clip(xy, ring, (xy * normal[of]).sum(axis=1) - offset[of])
    if len(xy) == 0:
        return np.zeros(len(centres))
    nxt = _successor(ring)
    start = xy - centres[ring_pair[ring]]
    end = xy[nxt] - centres[ring_pair[ring]]
    area = sign[ring] * edge_disc_area(start, end, radius)
    return np.bincount(ring_pair[ring], weights=area, minlength=len(centres))
