"""The analysis for the app: pick the areas and places of a scope, run a measure, describe the
result and remember it until the data change.

Functions take a SQLAlchemy session and plain values (the language of messages too). The
measures themselves are in :mod:`plekken.analysis` (pure geopandas); this module adds the
scope's inputs (:mod:`plekken.services.scope`), metadata and a cache
(:mod:`plekken.services.cache`).

Example
-------
>>> result = coverage_result(session, wijk="WK026805", distances=[400, 800])  # doctest: +SKIP
>>> result.metadata["distance_method"], result.metadata["distance_m"]  # doctest: +SKIP
('straight_line', [400.0, 800.0])
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
from sqlalchemy.orm import Session

from .. import analysis, storage
from ..analysis.inputs import SPREAD, resolve_types
from ..errors import ValidationError
from ..i18n import gettext
from .cache import ResultCache
from .scope import Inputs, Scope, analysis_inputs, load_inputs

__all__ = [
    "AnalysisResult",
    "Inputs",
    "ResultCache",
    "Scope",
    "CACHE",
    "MAX_CELLS",
    "MAX_CELL_VALUES",
    "analysis_inputs",
    "load_inputs",
    "estimate_cells",
    "coverage_result",
    "surface_result",
    "gaps_result",
    "summary_result",
    "summary_long_result",
    "proximity_result",
    "compute_coverage",
    "compute_surface",
    "compute_gaps",
    "compute_gaps_table",
    "compute_summary",
    "compute_summary_long",
    "compute_proximity",
]

OUT_CRS = "EPSG:4326"
#: Largest accessibility surface computed on request.
MAX_CELLS = 200_000
#: Largest grid × distances × types one request may ask for (bounds time and answer size).
MAX_CELL_VALUES = 400_000
INHABITANTS_ASSUMPTION = (
    "Inhabitants are assumed to be spread evenly over the land of each area: the CBS count "
    "of the area, without address points."
)
_METHOD_NAMES = {"euclidean": "straight_line", "network": "network"}

#: The cache of this process (the API keeps one per app, see :mod:`plekken.api.analysis`).
CACHE = ResultCache()


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class AnalysisResult:
    """A result frame (EPSG:4326 when it has geometry) and its metadata."""

    frame: pd.DataFrame
    metadata: dict[str, Any]


# ---------------------------------------------------------------- measures


def describe(inputs: Inputs, attrs: dict[str, Any]) -> dict[str, Any]:
    """Metadata of a result: the parameters the measure recorded plus scope and data."""
    meta: dict[str, Any] = {"measure": attrs.get("measure")}
    if "distance_method" in attrs:
        meta["distance_method"] = _METHOD_NAMES.get(attrs["distance_method"])
    renamed = {"distances_m": "distance_m"}
    for key, value in attrs.items():
        if key not in ("measure", "distance_method"):
            meta[renamed.get(key, key)] = list(value) if isinstance(value, tuple) else value
    meta.update(
        level=inputs.scope.level,
        scope=inputs.scope.as_dict(),
        data_date=inputs.data_date,
        areas_counted=len(inputs.areas),
        places_counted=inputs.places_counted,
        places_considered=len(inputs.places),
        include_pending=inputs.include_pending,
        inhabitants_assumption=_assumption(inputs),
        crs=OUT_CRS,
    )
    return meta


def _assumption(inputs: Inputs) -> str:
    if inputs.population is None:
        return INHABITANTS_ASSUMPTION
    if inputs.population_weight == SPREAD:
        return (
            f"Inhabitants live at the {len(inputs.population)} supplied address points: the CBS "
            "count of each area divided evenly over the points in it."
        )
    return (
        f"Inhabitants live at the {len(inputs.population)} supplied points, as many as their "
        f"column {inputs.population_weight!r} says."
    )


def prepared(inputs: Inputs) -> analysis.Prepared:
    """The scope's areas, places and population made ready for the measures."""
    return analysis.prepare(
        inputs.areas, inputs.places, include_pending=inputs.include_pending,
        population=inputs.population, weight=inputs.population_weight, out_crs=OUT_CRS,
    )  # fmt: skip


def _result(inputs: Inputs, frame: pd.DataFrame) -> AnalysisResult:
    return AnalysisResult(frame, describe(inputs, dict(frame.attrs)))


def compute_coverage(inputs: Inputs, distances=(400,), types=None, network=None):
    """Coverage of the scope (see :func:`plekken.analysis.coverage`)."""
    frame = analysis.coverage(prepared(inputs), list(distances), types, network=network)
    return _result(inputs, frame)


def estimate_cells(areas: gpd.GeoDataFrame, cell: float, shape: str = "square") -> int:
    """At most how many grid cells of ``cell`` metres cover ``areas`` (their bounding box)."""
    minx, miny, maxx, maxy = areas.to_crs(analysis.METRIC_CRS).total_bounds
    cell_m2 = cell * cell if shape == "square" else cell * cell * math.sqrt(3) / 2
    return math.ceil((maxx - minx + cell) * (maxy - miny + cell) / cell_m2)


def _check_cells(inputs: Inputs, cell: float, shape: str, lang: str) -> int:
    """The number of grid cells of the scope; refuses more than :data:`MAX_CELLS`."""
    cells = estimate_cells(inputs.areas, cell, shape)
    if cells > MAX_CELLS:
        raise ValidationError({"cell": gettext(
            "Dit gebied levert ongeveer {cells} rastercellen op, meer dan {limit}. "
            "Kies een grotere cel of een kleiner gebied.", lang, cells=cells, limit=MAX_CELLS,
        )})  # fmt: skip
    return cells


def compute_surface(inputs: Inputs, cell=100.0, distances=(400,), types=None, shape="square",
                    network=None, lang="nl"):  # fmt: skip
    """Accessibility surface of the scope; refuses more than :data:`MAX_CELLS` cells."""
    cells = _check_cells(inputs, cell, shape, lang)
    values = cells * len(distances) * len(resolve_types(types))
    if values > MAX_CELL_VALUES:
        raise ValidationError({"cell": gettext(
            "Dit vraagt ongeveer {values} rasterwaarden (cellen × afstanden × soorten), meer "
            "dan {limit}. Kies een grotere cel, minder afstanden of minder soorten, of een "
            "kleiner gebied.", lang, values=values, limit=MAX_CELL_VALUES,
        )})  # fmt: skip
    frame = analysis.surface(prepared(inputs), cell, shape, list(distances), types, network=network)
    return _result(inputs, frame)


def compute_gaps(inputs: Inputs, distance=400.0, function_type="verbindend", network=None):
    """Gaps of one function type and distance, largest first."""
    frame = analysis.gaps(prepared(inputs), distance, function_type, network=network)
    return _result(inputs, frame)


def compute_gaps_table(inputs: Inputs, distances=(400,), types=None, network=None):
    """Gaps of every function type (and ``any``) at every distance, largest first."""
    ready = prepared(inputs)
    parts = [
        analysis.gaps(ready, float(distance), function_type, network=network)
        for function_type in resolve_types(types)
        for distance in sorted({float(d) for d in distances})
    ]
    frame = pd.concat(parts, ignore_index=True).sort_values(
        "area_m2", ascending=False, kind="stable"
    )
    frame = gpd.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry", crs=OUT_CRS)
    frame.attrs = {**parts[0].attrs, "distance_m": sorted({float(d) for d in distances}),
                   "function_types": resolve_types(types)}  # fmt: skip
    del frame.attrs["function_type"]
    return _result(inputs, frame)


def compute_summary(inputs: Inputs, min_places=5, types=None, weight="places"):
    """Wide summary per area (see :func:`plekken.analysis.summary`)."""
    frame = analysis.summary(
        prepared(inputs), min_places=min_places, types=_real_types(types), weight=weight
    )
    return _result(inputs, frame)


def compute_summary_long(inputs: Inputs, types=None):
    """Area × function type table (no geometry)."""
    frame = analysis.summary_long(prepared(inputs), types=_real_types(types))
    return _result(inputs, frame)


def compute_proximity(inputs: Inputs, cell=100.0, types=None, radii=(400, 800, 1600),
                      lang="nl"):  # fmt: skip
    """Mean and median distance from residents to the nearest place, per area × type;
    refuses a residence grid of more than :data:`MAX_CELLS` cells."""
    _check_cells(inputs, cell, "square", lang)
    frame = analysis.proximity(prepared(inputs), cell, types, list(radii))
    return _result(inputs, frame)


def _real_types(types: Iterable[str] | None) -> list[str] | None:
    """Summaries count real function types; ``any`` alone means all of them."""
    if types is None:
        return None
    real = [t for t in types if t != analysis.ANY]
    return real or None


# ---------------------------------------------------------------- cached entry points


def _key(values: Any) -> Any:
    if values is None or isinstance(values, str | int | float | bool):
        return values
    return tuple(values)


def _run(session, cache, measure, scope, params, network, compute) -> AnalysisResult:
    """Load the inputs of ``scope`` and ``compute`` them, through ``cache`` when given.

    Results measured along a network are not kept (the network is not part of the key), but
    still computed through ``cache.run``, which may limit how many run at once. The language
    (``scope["lang"]``) only words errors, so it is no part of the key either.
    """
    if cache is None:
        return compute(analysis_inputs(session, **scope))
    if network is not None:
        return cache.run(lambda: compute(analysis_inputs(session, **scope)))
    version = storage.data_version(session)
    database = session.get_bind().url.render_as_string(hide_password=True)
    where = tuple(sorted((k, v) for k, v in scope.items() if k != "lang"))
    key = (database, version, measure, where, params)
    return cache.get_or_compute(
        key, lambda: compute(analysis_inputs(session, **scope, version=version))
    )


def _scope(
    wijk: str | None = None,
    gemeente: str | None = None,
    level: str = "buurt",
    include_pending: bool = False,
    lang: str = "nl",
) -> dict[str, Any]:
    return {"wijk": wijk, "gemeente": gemeente, "level": level,
            "include_pending": bool(include_pending), "lang": lang}  # fmt: skip


# The *_result functions take the scope as keywords: ``wijk`` or ``gemeente``, ``level`` and
# ``include_pending``, as :func:`analysis_inputs` does, and ``lang``, the language of errors.


def coverage_result(
    session: Session, *, distances=(400,), types=None, network=None, cache=None, **scope
) -> AnalysisResult:
    """Coverage of a scope with metadata (cached in ``cache`` when given)."""
    distances = sorted({float(d) for d in distances})
    return _run(session, cache, "coverage", _scope(**scope), (_key(distances), _key(types)),
                network, lambda i: compute_coverage(i, distances, types, network))  # fmt: skip


def surface_result(
    session: Session, *, cell=100.0, distances=(400,), types=None, shape="square",
    network=None, cache=None, **scope,
) -> AnalysisResult:  # fmt: skip
    """Accessibility surface of a scope with metadata (including ``cell_m``)."""
    distances, cell = sorted({float(d) for d in distances}), float(cell)
    params = (cell, _key(distances), _key(types), shape)
    return _run(session, cache, "surface", _scope(**scope), params, network,
                lambda i: compute_surface(i, cell, distances, types, shape, network,
                                          scope.get("lang", "nl")))  # fmt: skip


def gaps_result(
    session: Session, *, distance=400.0, function_type="verbindend", network=None, cache=None,
    **scope,
) -> AnalysisResult:  # fmt: skip
    """Gap polygons of a scope, largest first, with metadata."""
    distance = float(distance)
    return _run(session, cache, "gaps", _scope(**scope), (distance, function_type), network,
                lambda i: compute_gaps(i, distance, function_type, network))  # fmt: skip


def summary_result(
    session: Session, *, min_places=5, types=None, weight="places", cache=None, **scope
):
    """Wide per-area summary of a scope with metadata."""
    params = (int(min_places), _key(types), weight)
    return _run(session, cache, "summary", _scope(**scope), params, None,
                lambda i: compute_summary(i, int(min_places), types, weight))  # fmt: skip


def summary_long_result(session: Session, *, types=None, cache=None, **scope):
    """Area × function type summary table of a scope with metadata."""
    return _run(session, cache, "summary_long", _scope(**scope), (_key(types),), None,
                lambda i: compute_summary_long(i, types))  # fmt: skip


def proximity_result(session: Session, *, cell=100.0, types=None, cache=None, **scope):
    """CBS Nabijheid-style distances per area × type with metadata."""
    return _run(session, cache, "proximity", _scope(**scope), (float(cell), _key(types)), None,
                lambda i: compute_proximity(i, float(cell), types,
                                            lang=scope.get("lang", "nl")))  # fmt: skip
