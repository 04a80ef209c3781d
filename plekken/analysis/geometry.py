"""Geometry kernels shared by coverage and gaps: Voronoi cells, thinning, disc areas.

The area of a polygon cut by a disc is computed exactly (true circle, no polygon
approximation) by summing, edge by edge, the signed area of the disc within the triangle
(centre, edge start, edge end). See :mod:`.discs` and :mod:`.union` for how the measures use
them. All inputs are in metres (EPSG:28992).
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = [
    "dedupe_points",
    "voronoi_cells",
    "thin_points",
    "clip_pairs",
    "disc_overlap_area",
    "edge_disc_area",
]

#: Places closer together than this (metres) are treated as one location.
SNAP_M = 0.01


def dedupe_points(xy: np.ndarray, snap: float = SNAP_M) -> np.ndarray:
    """Unique locations of ``xy`` (n, 2) after snapping to a ``snap`` metre grid.

    Examples
    --------
    >>> dedupe_points(np.array([[0.0, 0.0], [0.001, 0.0], [5.0, 5.0]]))
    array([[0., 0.],
           [5., 5.]])
    """
    if len(xy) == 0:
        return np.empty((0, 2))
    grid = np.round(np.asarray(xy, dtype=float) / snap)
    unique = np.unique(grid[:, 0] + 1j * grid[:, 1])
    return np.column_stack([unique.real, unique.imag]) * snap


def voronoi_cells(xy: np.ndarray, extent: shapely.Geometry) -> np.ndarray:
    """Voronoi cells of the distinct points ``xy``, in the same order, covering ``extent``.

    Examples
    --------
    >>> cells = voronoi_cells(np.array([[0.0, 0.0], [10.0, 0.0]]), shapely.box(-10, -10, 20, 10))
    >>> [round(shapely.area(c)) for c in cells]
    [352, 352]
    """
    if len(xy) == 0:
        return np.empty(0, dtype=object)
    minx, miny, maxx, maxy = shapely.bounds(extent)
    bbox = shapely.box(
        min(minx, xy[:, 0].min()) - 1.0,
        min(miny, xy[:, 1].min()) - 1.0,
        max(maxx, xy[:, 0].max()) + 1.0,
        max(maxy, xy[:, 1].max()) + 1.0,
    )
    if len(xy) == 1:
        return np.array([bbox], dtype=object)
    diagram = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=bbox, ordered=True)
    cells = shapely.get_parts(diagram)
    if len(cells) != len(xy):  # collinear or nearly coincident input; match cells by location
        tree = shapely.STRtree(cells)
        point_idx, cell_idx = tree.query(shapely.points(xy), predicate="intersects")
        first = np.unique(point_idx, return_index=True)[1]
        cells = cells[cell_idx[first]]
    return cells


def thin_points(xy: np.ndarray, radius: float, sectors: int = 12) -> np.ndarray:
    """Drop points whose disc of ``radius`` is covered by the discs of points that stay.

    The union of the discs, and so every coverage and gap, is unchanged. One point per grid
    square of ``radius / 8`` stays; another point ``p`` goes when, in every direction ``u``,
    a staying point ``q`` within two squares satisfies ``u·(q - p) >= |q - p|² / (2 radius)``,
    which puts every point of ``disc(p)`` in that direction inside ``disc(q)``. The test is
    done per angular sector, so it is conservative. Valid for every radius ``>= radius``.

    Examples
    --------
    >>> xy = np.random.default_rng(0).normal(0, 30, (500, 2))
    >>> len(thin_points(xy, 400.0)) < 100
    True
    """
    if len(xy) < 3 or radius <= 0:
        return xy
    size = radius / 8.0
    cell = np.floor(xy / size).astype(np.int64)
    cell -= cell.min(axis=0)
    grid_width = cell[:, 0].max() + 5
    key = (cell[:, 1] + 2) * grid_width + cell[:, 0] + 2
    kept_key, kept_idx = np.unique(key, return_index=True)
    others = np.setdiff1d(np.arange(len(xy)), kept_idx)
    if len(others) == 0:
        return xy
    full = (np.int64(1) << sectors) - 1
    covered = np.zeros(len(others), dtype=np.int64)  # bit s set: sector s is covered
    todo = np.arange(len(others))
    for dx, dy in sorted(np.ndindex(5, 5), key=lambda d: (d[0] - 2) ** 2 + (d[1] - 2) ** 2):
        wanted = key[others[todo]] + (dy - 2) * grid_width + (dx - 2)
        pos = np.clip(np.searchsorted(kept_key, wanted), 0, len(kept_key) - 1)
        bits = _sector_bits(xy[kept_idx[pos]] - xy[others[todo]], radius, sectors)
        covered[todo] |= np.where(kept_key[pos] == wanted, bits, 0)
        todo = todo[covered[todo] != full]
    drop = others[covered == full]
    return np.delete(xy, drop, axis=0)


def _sector_bits(v: np.ndarray, radius: float, sectors: int) -> np.ndarray:
    """Bit mask of the direction sectors in which offset ``v`` (to a kept point) covers."""
    width = 2 * np.pi / sectors
    dist = np.hypot(v[:, 0], v[:, 1])
    # sectors whose centre is within (reach - half a sector) of the direction of v
    spread = (np.arccos(np.clip(dist / (2 * radius), 0.0, 1.0)) - width / 2) / width
    spread[dist == 0] = -1.0
    angle = np.arctan2(v[:, 1], v[:, 0]) / width - 0.5
    lo = np.ceil(angle - spread).astype(np.int64)
    count = np.clip(np.floor(angle + spread).astype(np.int64) - lo + 1, 0, sectors)
    bits = ((np.int64(1) << count) - 1) << (lo % sectors)
    return (bits | (bits >> sectors)) & ((np.int64(1) << sectors) - 1)


def clip_pairs(lands: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """``lands[i] ∩ geoms[i]`` for every pair; geometries wholly inside are kept as they are.

    Examples
    --------
    >>> lands = np.array([shapely.box(0, 0, 10, 10)] * 2)
    >>> clipped = clip_pairs(lands, np.array([shapely.box(1, 1, 2, 2), shapely.box(5, 5, 15, 15)]))
    >>> shapely.area(clipped).tolist()
    [1.0, 25.0]
    """
    shapely.prepare(lands)
    clipped = geoms.copy()
    edge = ~shapely.contains_properly(lands, geoms)
    clipped[edge] = shapely.intersection(lands[edge], geoms[edge])
    return clipped


def _polygons_of(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Single polygons in ``geoms`` (multis and collections split) and their owner index."""
    owner = np.arange(len(geoms))
    for _ in range(2):  # a collection may hold multipolygons
        simple = shapely.get_type_id(geoms) == 3
        if simple.all():
            break
        parts, part_owner = shapely.get_parts(geoms[~simple], return_index=True)
        geoms = np.concatenate([geoms[simple], parts])
        owner = np.concatenate([owner[simple], owner[~simple][part_owner]])
    polygon = shapely.get_type_id(geoms) == 3
    return geoms[polygon], owner[polygon]


def _polygon_edges(polygons: np.ndarray, centres: np.ndarray):
    """Edges relative to each polygon's centre, the owning polygon and the edge's sign.

    The sign makes exterior rings count positive and holes negative whatever their orientation.
    """
    parts, owner = _polygons_of(polygons)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    is_exterior = np.r_[True, ring_part[1:] != ring_part[:-1]]
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    same_ring = coord_ring[:-1] == coord_ring[1:]
    edge_ring = coord_ring[:-1][same_ring]
    edge_owner = owner[ring_part[edge_ring]]
    start = coords[:-1][same_ring] - centres[edge_owner]
    end = coords[1:][same_ring] - centres[edge_owner]
    shoelace = np.bincount(edge_ring, weights=_cross(start, end), minlength=len(rings))
    ring_sign = np.where(is_exterior, 1.0, -1.0) * np.where(shoelace < 0, -1.0, 1.0)
    return start, end, edge_owner, ring_sign[edge_ring]


def _cross(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]


def _sector(u: np.ndarray, v: np.ndarray, radius: float) -> np.ndarray:
    angle = np.arctan2(_cross(u, v), (u * v).sum(axis=1))
    return 0.5 * radius * radius * angle


def edge_disc_area(start: np.ndarray, end: np.ndarray, radius: float) -> np.ndarray:
    """Signed area of disc(0, radius) ∩ triangle(0, start, end) for every edge."""
    d = end - start
    a = (d * d).sum(axis=1)
    b = 2.0 * (start * d).sum(axis=1)
    c = (start * start).sum(axis=1) - radius * radius
    disc = b * b - 4.0 * a * c
    hits = (a > 0) & (disc > 0)
    root = np.sqrt(np.where(hits, disc, 0.0))
    denom = np.where(hits, 2.0 * a, 1.0)
    t1 = np.clip(np.where(hits, (-b - root) / denom, 0.0), 0.0, 1.0)
    t2 = np.clip(np.where(hits, (-b + root) / denom, 0.0), 0.0, 1.0)
    p1 = start + t1[:, None] * d
    p2 = start + t2[:, None] * d
    return _sector(start, p1, radius) + 0.5 * _cross(p1, p2) + _sector(p2, end, radius)


def disc_overlap_area(polygons: np.ndarray, centres: np.ndarray, radii) -> np.ndarray:
    """Exact area of ``polygons[i] ∩ disc(centres[i], r)`` for each radius ``r``.

    Returns an array of shape ``(len(radii), len(polygons))``.

    Examples
    --------
    >>> square = shapely.box(-1000, -1000, 1000, 1000)
    >>> area = disc_overlap_area(np.array([square]), np.array([[0.0, 0.0]]), [400])
    >>> bool(np.isclose(area[0, 0], np.pi * 400**2))
    True
    """
    polygons = np.asarray(polygons, dtype=object)
    centres = np.asarray(centres, dtype=float).reshape(-1, 2)
    if len(polygons) == 0:
        return np.zeros((len(radii), 0))
    start, end, owner, sign = _polygon_edges(polygons, centres)
    areas = [
        np.bincount(owner, weights=sign * edge_disc_area(start, end, r), minlength=len(polygons))
        for r in map(float, radii)
    ]
    return np.clip(np.vstack(areas), 0.0, None)
