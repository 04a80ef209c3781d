"""Slow, obvious reference implementations used to check the fast measures.

They buffer every place, union the buffers and overlay the union with each area, the way a
GIS user would do it by hand. Use them in tests and benchmarks, not in the app.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import shapely

from .inputs import resolve_types
from .prepared import Prepared

__all__ = ["reference_coverage", "reference_gaps"]


def _covered(xy: np.ndarray, distance: float, quad_segs: int) -> shapely.Geometry:
    return shapely.union_all(shapely.buffer(shapely.points(xy), distance, quad_segs=quad_segs))


def reference_coverage(
    inputs: Prepared,
    distances: Iterable[float] = (400, 800),
    types: str | Iterable[str] | None = None,
    quad_segs: int = 64,
) -> pd.DataFrame:
    """Covered share of land per area, type and distance by buffer, union and overlay.

    Returns a DataFrame with ``code``, ``function_type``, ``distance_m``, ``covered_share``.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> import geopandas as gpd
    >>> from plekken.analysis import prepare
    >>> areas = gpd.GeoDataFrame({"code": ["BU1"]}, geometry=[box(0, 0, 2000, 2000)], crs=28992)
    >>> places = gpd.GeoDataFrame({"function_types": [["verbindend"]]},
    ...                           geometry=[Point(1000, 1000)], crs=28992)
    >>> found = reference_coverage(prepare(areas, places), [400], "verbindend")
    >>> round(float(found["covered_share"][0]), 3)
    0.126
    """
    prepared, lands, land_m2 = inputs.areas, inputs.lands, inputs.land_m2
    rows = []
    for function_type, xy in inputs.points(resolve_types(types)).items():
        for distance in sorted({float(d) for d in distances}):
            union = _covered(xy, distance, quad_segs)
            shares = shapely.area(shapely.intersection(lands, union)) / land_m2
            rows += [
                {
                    "code": c,
                    "function_type": function_type,
                    "distance_m": distance,
                    "covered_share": s,
                }
                for c, s in zip(prepared["code"], shares, strict=True)
            ]
    return pd.DataFrame(rows, columns=["code", "function_type", "distance_m", "covered_share"])


def reference_gaps(
    inputs: Prepared,
    distance: float = 400,
    function_type: str = "verbindend",
    quad_segs: int = 64,
) -> pd.DataFrame:
    """Uncovered land area per area (m²) by buffer, union and difference.

    Returns a DataFrame with ``code`` and ``gap_m2``.
    """
    xy = inputs.points(resolve_types(function_type))[function_type]
    gaps = shapely.difference(inputs.lands, _covered(xy, distance, quad_segs))
    return pd.DataFrame({"code": inputs.areas["code"], "gap_m2": shapely.area(gaps)})
