"""Inputs for the benchmarks: the real Nijmegen buurten and seeded synthetic places.

Places are drawn inside the land of the buurten, either uniformly or clustered like real
pins (normal offsets around a few hundred centres). With ``types="one"`` every place has the
same single function type (a layer of one kind of place); with ``types="all"`` each place has
one to three random types, each with probability 0.45.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from plekken.io.cbs import read_cbs_areas

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TYPES = np.array(["functioneel", "verbindend", "ideologisch"])
ONE_TYPE = "verbindend"


def load_buurten(data: Path) -> gpd.GeoDataFrame:
    """The CBS buurten of Nijmegen in the storage shape, reprojected to EPSG:28992."""
    return read_cbs_areas(data / "nijmegen_buurten.geojson").to_crs(28992)


def _inside(land: shapely.Geometry, xy: np.ndarray) -> np.ndarray:
    return xy[shapely.contains_xy(land, xy[:, 0], xy[:, 1])]


def uniform_xy(land: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points uniformly distributed over ``land``."""
    shapely.prepare(land)
    minx, miny, maxx, maxy = shapely.bounds(land)
    kept, total = [], 0
    while total < n:
        xy = _inside(land, rng.uniform([minx, miny], [maxx, maxy], (2 * n + 10, 2)))
        kept.append(xy)
        total += len(xy)
    return np.concatenate(kept)[:n]


def clustered_xy(
    land: shapely.Geometry, n: int, rng: np.random.Generator, centres: int = 300, sd: float = 150
) -> np.ndarray:
    """``n`` points in ``land``, normally distributed (``sd`` metres) around random centres."""
    shapely.prepare(land)
    middle = uniform_xy(land, centres, rng)
    kept, total = [], 0
    while total < n:
        xy = middle[rng.integers(0, centres, 2 * n + 10)] + rng.normal(0, sd, (2 * n + 10, 2))
        xy = _inside(land, xy)
        kept.append(xy)
        total += len(xy)
    return np.concatenate(kept)[:n]


def places_frame(xy: np.ndarray, types: str, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Published places at ``xy`` (EPSG:28992) with one type or one to three random types."""
    n = len(xy)
    if types == "one":
        kinds = [[ONE_TYPE]] * n
    else:
        picks = rng.random((n, 3)) < 0.45
        empty = ~picks.any(axis=1)
        picks[empty, rng.integers(0, 3, n)[empty]] = True
        kinds = [list(TYPES[row]) for row in picks]
    frame = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "function_types": kinds,
            "status": "published",
            "contributor": [f"bewoner-{i}" for i in rng.integers(0, max(n // 5, 1), n)],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=shapely.points(xy), crs=28992)


def synthetic_places(
    land: shapely.Geometry, n: int, layout: str, types: str, seed: int
) -> gpd.GeoDataFrame:
    """``n`` places in ``land``: ``layout`` ``"uniform"`` or ``"clustered"``, ``types``
    ``"one"`` or ``"all"``; the same seed gives the same places."""
    rng = np.random.default_rng(seed)
    make = uniform_xy if layout == "uniform" else clustered_xy
    return places_frame(make(land, n, rng), types, rng)


def measured_types(types: str) -> list[str]:
    """The function types a case reports (plekken always adds ``"any"``)."""
    return [ONE_TYPE] if types == "one" else [*TYPES, "any"]
