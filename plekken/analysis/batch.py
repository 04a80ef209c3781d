"""Large runs split per gemeente, in parallel processes.

A country has about 14,000 buurten. Every measure only looks a distance ``D`` beyond an area,
so the work splits cleanly: per gemeente, its areas and the places within ``margin`` metres
of its bounding box (a place just across the border still covers land inside). The parts
are independent, so they run in separate processes (or, beyond one machine, as separate tasks
of a cluster engine) and their results are concatenated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .coverage import coverage
from .crs import to_metric
from .gaps import gaps
from .inputs import resolve_types
from .prepared import Prepared, prepare
from .summary import summary

__all__ = ["split_areas", "run_split", "standard_measures"]


def split_areas(
    areas: gpd.GeoDataFrame, places: gpd.GeoDataFrame, by: str = "gemeente_code", margin=800.0
) -> Iterator[tuple[str, gpd.GeoDataFrame, gpd.GeoDataFrame]]:
    """``(key, areas, places)`` per value of column ``by``, in EPSG:28992.

    The places of a part are those within ``margin`` metres of the bounding box of its areas.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> areas = gpd.GeoDataFrame({"code": ["A", "B"], "gemeente_code": ["GM1", "GM2"]},
    ...                          geometry=[box(0, 0, 10, 10), box(5000, 0, 5010, 10)], crs=28992)
    >>> places = gpd.GeoDataFrame(geometry=[Point(5, 5), Point(900, 5)], crs=28992)
    >>> [(key, len(a), len(p)) for key, a, p in split_areas(areas, places, margin=1000)]
    [('GM1', 1, 2), ('GM2', 1, 0)]
    """
    areas, places = to_metric(areas, "areas"), to_metric(places, "places")
    tree = shapely.STRtree(places.geometry.to_numpy())
    for key, part in areas.groupby(by, sort=True):
        minx, miny, maxx, maxy = part.total_bounds
        near = tree.query(shapely.box(minx - margin, miny - margin, maxx + margin, maxy + margin))
        yield str(key), part, places.iloc[np.sort(near)]


def standard_measures(
    inputs: Prepared, distances=(400, 800), gap_distance: float = 400, types=None
) -> dict[str, pd.DataFrame]:
    """Coverage at ``distances``, gaps at ``gap_distance`` for every type, and the summary.

    Coverage and summary come without the area geometry (join on ``code``); the gaps keep
    their polygons.
    """
    kinds = resolve_types(types)
    return {
        "coverage": pd.DataFrame(coverage(inputs, distances, types).drop(columns="geometry")),
        "gaps": pd.concat([gaps(inputs, gap_distance, kind) for kind in kinds], ignore_index=True),
        "summary": pd.DataFrame(summary(inputs, types=types).drop(columns="geometry")),
    }


def _run_part(measure: Callable[[Prepared], dict], part: tuple) -> tuple[str, dict]:
    key, areas, places = part
    return key, measure(prepare(areas, places))


def run_split(
    parts: Iterator[tuple[str, gpd.GeoDataFrame, gpd.GeoDataFrame]],
    measure: Callable[[Prepared], dict[str, pd.DataFrame]] = standard_measures,
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Run ``measure`` on every part (see :func:`split_areas`) and concatenate the results.

    ``measure`` takes a :class:`Prepared` and returns named frames; with ``workers > 1`` the
    parts run in that many processes (``measure`` must then be a module-level function or a
    :func:`functools.partial` of one). ``progress(key)`` is called as each part finishes.
    """
    collected: dict[str, list[pd.DataFrame]] = {}
    run = partial(_run_part, measure)
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(run, parts, chunksize=4)
            for key, found in results:
                _collect(collected, found, progress, key)
    else:
        for key, found in map(run, parts):
            _collect(collected, found, progress, key)
    return {name: _concat(frames) for name, frames in collected.items()}


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    joined = pd.concat(frames, ignore_index=True)
    if isinstance(frames[0], gpd.GeoDataFrame):
        return gpd.GeoDataFrame(joined, geometry="geometry", crs=frames[0].crs)
    return joined


def _collect(collected, found, progress, key) -> None:
    for name, frame in found.items():
        collected.setdefault(name, []).append(frame)
    if progress is not None:
        progress(key)
