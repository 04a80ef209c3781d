"""Regular square and hexagonal grids over areas, aligned to the coordinate origin.

Square cells line up with multiples of ``cell`` metres, so a 100 m grid in EPSG:28992 uses the
same squares as the CBS *vierkantstatistieken* and grids of different calls coincide.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from .crs import require_projected

__all__ = ["make_grid", "SHAPES"]

SHAPES = ("square", "hex")


def _square_cells(bounds: np.ndarray, cell: float):
    minx, miny, maxx, maxy = bounds
    cols = np.arange(np.floor(minx / cell), np.ceil(maxx / cell))
    rows = np.arange(np.floor(miny / cell), np.ceil(maxy / cell))
    x0, y0 = (grid.ravel() * cell for grid in np.meshgrid(cols, rows))
    ids = np.char.add(np.char.add("E", x0.astype(int).astype(str)), "N")
    ids = np.char.add(ids, y0.astype(int).astype(str))
    return shapely.box(x0, y0, x0 + cell, y0 + cell), ids


def _hex_cells(bounds: np.ndarray, cell: float):
    """Pointy-top hexagons ``cell`` metres across the flats (= distance between centres)."""
    minx, miny, maxx, maxy = bounds
    side = cell / np.sqrt(3.0)
    rows = np.arange(np.floor(miny / (1.5 * side)) - 1, np.ceil(maxy / (1.5 * side)) + 2)
    cols = np.arange(np.floor(minx / cell) - 1, np.ceil(maxx / cell) + 2)
    col, row = (grid.ravel() for grid in np.meshgrid(cols, rows))
    cx = col * cell + (row % 2) * cell / 2
    cy = row * 1.5 * side
    angles = np.radians(30 + 60 * np.arange(7))
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1) * side
    coords = np.stack([cx, cy], axis=1)[:, None, :] + ring[None, :, :]
    ids = np.char.add(np.char.add("H", col.astype(int).astype(str)), "_")
    ids = np.char.add(ids, row.astype(int).astype(str))
    return shapely.polygons(coords), ids


def make_grid(
    extent: gpd.GeoDataFrame | gpd.GeoSeries, cell: float = 100.0, shape: str = "square"
) -> gpd.GeoDataFrame:
    """Grid cells of ``cell`` metres that intersect the geometries of ``extent``.

    Parameters
    ----------
    extent : GeoDataFrame or GeoSeries
        In a projected CRS in metres (EPSG:28992); a geographic CRS is refused.
    cell : float, default 100
        Square side, or for hexagons the distance between neighbouring centres.
    shape : {"square", "hex"}, default "square"

    Returns
    -------
    GeoDataFrame
        ``cell_id`` (``E<x>N<y>`` lower-left corner in metres for squares, ``H<col>_<row>``
        for hexagons) and the cell polygon, in the CRS of ``extent``.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> extent = gpd.GeoSeries([box(0, 0, 200, 100)], crs=28992)
    >>> make_grid(extent, 100)["cell_id"].tolist()
    ['E0N0', 'E100N0']
    """
    require_projected(extent, "extent")
    if shape not in SHAPES:
        raise ValueError(f"shape: use one of {SHAPES}, got {shape!r}")
    if not cell > 0:
        raise ValueError(f"cell: give a positive size in metres, got {cell}")
    geoms = np.asarray(extent.geometry.to_numpy() if hasattr(extent, "geometry") else extent)
    geoms = geoms[~(shapely.is_empty(geoms) | shapely.is_missing(geoms))]
    if len(geoms) == 0:
        return gpd.GeoDataFrame({"cell_id": []}, geometry=[], crs=extent.crs)
    make = _square_cells if shape == "square" else _hex_cells
    cells, ids = make(shapely.total_bounds(geoms), float(cell))
    shapely.prepare(geoms)
    hit = np.unique(shapely.STRtree(geoms).query(cells, predicate="intersects")[0])
    return gpd.GeoDataFrame({"cell_id": ids[hit]}, geometry=cells[hit], crs=extent.crs)
