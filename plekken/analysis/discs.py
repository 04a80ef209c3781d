"""Exact land area within D of a set of places, with polygon work only along area edges.

The covered part of an area is its land within the union of discs of radius ``D`` around
the places. Per place ``p`` the disc is cut by the Voronoi cell of ``p`` (inside it no other
place is nearer), so the pieces ``cell ∩ disc`` do not overlap and the covered area is a plain
sum. Three shortcuts keep the polygon work small:

- a place with no other place within ``2D`` (*isolated*) needs no Voronoi cell: its piece is
  the whole disc;
- a place with no area boundary within ``D`` lies with its whole piece inside one area (or
  outside all), so the piece's area is computed from the cell alone: ``π D²``
  when isolated, otherwise the exact area of ``cell ∩ disc`` (:func:`.disc_overlap_area`);
- only the pieces of places near an area boundary are cut along the land (polygon
  intersection), after clipping the cell to the square ``p ± D``.

Area boundaries are indexed segment by segment, so "is a boundary within ``D`` of the place"
is a bounding-box query followed by an exact point-to-segment distance in NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from scipy.spatial import cKDTree

from .clip import Rings, clipped_disc_area
from .geometry import dedupe_points, disc_overlap_area, thin_points, voronoi_cells
from .points import points_in_areas

__all__ = ["Lands", "covered_area", "isolated_points", "near_land", "squares"]


@dataclass(frozen=True, eq=False)
class Lands:
    """Land geometries (EPSG:28992) with the indexes the disc measures query.

    Examples
    --------
    >>> lands = Lands(np.array([shapely.box(0, 0, 100, 100)]))
    >>> lands.segments.shape
    (4, 4)
    """

    geoms: np.ndarray

    @cached_property
    def area(self) -> np.ndarray:
        """Area (m²) of every land geometry."""
        return shapely.area(self.geoms)

    @cached_property
    def tree(self) -> shapely.STRtree:
        """STRtree over the land geometries (which are prepared)."""
        shapely.prepare(self.geoms)
        return shapely.STRtree(self.geoms)

    @cached_property
    def rings(self) -> Rings:
        """The rings of the land geometries, for clipping (:class:`.clip.Rings`)."""
        return Rings.of(self.geoms)

    @cached_property
    def segments(self) -> np.ndarray:
        """Every boundary segment of every land as rows ``(x0, y0, x1, y1)``."""
        rings = shapely.get_rings(shapely.get_parts(self.geoms))
        coords, ring = shapely.get_coordinates(rings, return_index=True)
        same = ring[1:] == ring[:-1]
        return np.column_stack([coords[:-1][same], coords[1:][same]])

    @cached_property
    def segment_tree(self) -> shapely.STRtree:
        """STRtree over the bounding boxes of :attr:`segments`."""
        seg = self.segments
        low = np.minimum(seg[:, :2], seg[:, 2:])
        high = np.maximum(seg[:, :2], seg[:, 2:])
        return shapely.STRtree(shapely.box(low[:, 0], low[:, 1], high[:, 0], high[:, 1]))

    def near_boundary(self, xy: np.ndarray, radius, boxes: np.ndarray) -> np.ndarray:
        """Boolean per point: is some land boundary closer than ``radius`` (one or per point)?

        ``boxes`` are the :func:`squares` of the points.
        """
        point_idx, seg_idx = self.segment_tree.query(boxes)
        seg = self.segments[seg_idx]
        start, step = seg[:, :2], seg[:, 2:] - seg[:, :2]
        offset = xy[point_idx] - start
        length2 = (step * step).sum(axis=1)
        t = np.clip((offset * step).sum(axis=1) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
        gap = offset - t[:, None] * step
        limit = np.broadcast_to(np.asarray(radius, dtype=float), len(xy))[point_idx]
        close = (gap * gap).sum(axis=1) < limit * limit
        near = np.zeros(len(xy), dtype=bool)
        near[point_idx[close]] = True
        return near

    @cached_property
    def extent(self) -> shapely.Geometry:
        """Bounding box of all land."""
        return shapely.box(*shapely.total_bounds(self.geoms))


def squares(xy: np.ndarray, radius) -> np.ndarray:
    """The squares ``p ± radius`` around the points ``xy`` (``radius`` one or per point)."""
    return shapely.box(xy[:, 0] - radius, xy[:, 1] - radius, xy[:, 0] + radius, xy[:, 1] + radius)


def isolated_points(xy: np.ndarray, radius: float) -> np.ndarray:
    """Boolean per point: is every other point farther than ``2 * radius`` away?

    Examples
    --------
    >>> isolated_points(np.array([[0.0, 0.0], [50.0, 0.0], [500.0, 0.0]]), 50).tolist()
    [False, False, True]
    """
    if len(xy) < 2:
        return np.ones(len(xy), dtype=bool)
    distance = cKDTree(xy).query(xy, k=2)[0][:, 1]
    return distance >= 2 * radius


def near_land(lands: Lands, xy: np.ndarray, radius: float) -> np.ndarray:
    """The points within ``radius`` of the bounding box of all land."""
    minx, miny, maxx, maxy = shapely.bounds(lands.extent)
    x, y = xy[:, 0], xy[:, 1]
    keep = (x > minx - radius) & (x < maxx + radius) & (y > miny - radius) & (y < maxy + radius)
    return xy[keep]


def _reach(cells: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Per cell, the distance from its point to its farthest vertex."""
    if len(cells) == 0:
        return np.empty(0)
    coords, owner = shapely.get_coordinates(cells, return_index=True)
    distance = np.hypot(*(coords - xy[owner]).T)
    return np.maximum.reduceat(distance, np.r_[0, np.flatnonzero(np.diff(owner)) + 1])


def _covered_at(lands: Lands, xy: np.ndarray, radius: float) -> np.ndarray:
    """Covered land per area at one radius for distinct, thinned points ``xy``."""
    covered = np.zeros(len(lands.geoms))
    xy = near_land(lands, xy, radius)
    if len(xy) == 0:
        return covered
    alone = isolated_points(xy, radius)
    cells = np.full(len(xy), None, dtype=object)
    # every piece (cell ∩ disc) lies within ``half`` of its point
    half = np.full(len(xy), radius)
    crowded = np.flatnonzero(~alone)
    if len(crowded):
        cells[crowded] = voronoi_cells(xy[crowded], lands.extent)
        half[crowded] = np.minimum(radius, _reach(cells[crowded], xy[crowded]))
    boxes = squares(xy, half)
    on_edge = lands.near_boundary(xy, half, boxes)
    inner = np.flatnonzero(~on_edge)
    piece = np.full(len(inner), np.pi * radius * radius)
    closed = ~alone[inner] & (half[inner] < radius)
    piece[closed] = shapely.area(cells[inner[closed]])
    cut = ~alone[inner] & ~closed
    piece[cut] = disc_overlap_area(cells[inner[cut]], xy[inner[cut]], [radius])[0]
    area_idx, k = points_in_areas(lands.geoms, xy[inner])
    covered += np.bincount(area_idx, weights=piece[k], minlength=len(covered))
    edge = np.flatnonzero(on_edge)
    if len(edge):
        k, area_idx = lands.tree.query(boxes[edge], predicate="intersects")
        pair = edge[k]
        area = clipped_disc_area(lands.rings, area_idx, xy[pair], radius, half[pair], cells[pair])
        covered += np.bincount(area_idx, weights=area, minlength=len(covered))
    return covered


def covered_area(lands: Lands, xy: np.ndarray, radii) -> np.ndarray:
    """Land area (m²) within each radius of the points ``xy``; shape ``(len(radii), n)``.

    Exact for true circles (no polygonal approximation).

    Examples
    --------
    >>> lands = Lands(np.array([shapely.box(-1000, -1000, 1000, 1000)]))
    >>> found = covered_area(lands, np.array([[0.0, 0.0], [100.0, 0.0]]), [400])
    >>> bool(np.isclose(found[0, 0], 2 * np.pi * 400**2 - 2 * (400**2 * np.arccos(50 / 400)
    ...      - 50 * np.sqrt(400**2 - 50**2))))
    True
    """
    result = np.zeros((len(radii), len(lands.geoms)))
    if len(xy) == 0 or len(lands.geoms) == 0:
        return result
    distinct = dedupe_points(xy)
    for row, radius in enumerate(map(float, radii)):
        result[row] = _covered_at(lands, thin_points(distinct, radius), radius)
    return np.clip(result, 0.0, lands.area)
