"""The comparison of buurten for students: one table per scope with places per type, per
1,000 inhabitants, coverage, mean distance and diversity; the places for small maps per type;
and quotes per type. Built from the analysis results, through the one visibility rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from sqlalchemy.orm import Session

from ..privacy import coarsen
from ..vocab import FUNCTION_TYPES
from . import analysis as analysis_service
from .scope import analysis_inputs

__all__ = ["COLUMNS", "Comparison", "compare", "sort_table"]

#: Distance of the coverage and "within" figures, in metres.
DISTANCE = 400.0
#: Quotes shown per function type.
QUOTES_PER_TYPE = 5
TYPES = list(FUNCTION_TYPES)
#: The table's columns in order: (key, kind) with kind "text", "int", "share" or "number".
COLUMNS: list[tuple[str, str]] = [
    ("name", "text"),
    ("inhabitants", "int"),
    ("n_places", "int"),
    *[(f"n_{t}", "int") for t in TYPES],
    ("places_per_1000_inhabitants", "number"),
    ("coverage_share", "share"),
    ("mean_distance_m", "number"),
    ("diversity", "number"),
    ("small_sample", "flag"),
]


@dataclass
class Comparison:
    """What the comparison page shows of one scope."""

    table: pd.DataFrame
    areas: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    quotes: dict[str, list[dict[str, Any]]]
    metadata: dict[str, Any]


def compare(
    session: Session,
    *,
    wijk: str | None = None,
    gemeente: str | None = None,
    include_pending: bool = False,
    cache=None,
    lang: str = "nl",
) -> Comparison:
    """The per-buurt comparison of a wijk or gemeente.

    Parameters
    ----------
    session : Session
    wijk, gemeente : str, optional
        The scope, one of the two (code, or a gemeente's name).
    include_pending : bool, default False
        Count pending places too (the caller checks that the viewer may).
    cache : optional
        The analysis result cache, so that a repeat costs nothing.
    lang : str
        Language of error messages.

    Returns
    -------
    Comparison
        ``table`` has one row per buurt with the :data:`COLUMNS` and ``code``; ``areas`` the
        buurt polygons (EPSG:4326); ``places`` the places inside the scope with their
        ``function_types``; ``quotes`` per function type, most endorsed first, then newest.
    """
    scope = {"wijk": wijk, "gemeente": gemeente, "level": "buurt",
             "include_pending": include_pending, "lang": lang}  # fmt: skip
    summary = analysis_service.summary_result(session, cache=cache, **scope)
    coverage = analysis_service.coverage_result(
        session, distances=(DISTANCE,), types=["any"], cache=cache, **scope
    ).frame
    proximity = analysis_service.proximity_result(session, types=["any"], cache=cache, **scope)
    table = pd.DataFrame(summary.frame.drop(columns="geometry"))
    any_cover = coverage[coverage["function_type"] == "any"].set_index("code")["covered_share"]
    near = proximity.frame
    near = near[near["function_type"] == "any"].set_index("code")
    table["coverage_share"] = table["code"].map(any_cover)
    table["mean_distance_m"] = table["code"].map(near["mean_distance_m"])
    table = table[["code", *[key for key, _ in COLUMNS]]].reset_index(drop=True)
    inputs = analysis_inputs(session, **scope)
    places = _coarsened(_inside(inputs.places, inputs.scope.kind, inputs.scope.code))
    areas = gpd.GeoDataFrame(summary.frame[["code", "name", "geometry"]], crs=summary.frame.crs)
    metadata = {**summary.metadata, "distance_m": DISTANCE}
    names = dict(zip(table["code"], table["name"], strict=True))
    return Comparison(table, areas, places, _quotes(places, names), metadata)


def _inside(places: gpd.GeoDataFrame, kind: str, code: str) -> gpd.GeoDataFrame:
    column = "wijk_code" if kind == "wijk" else "gemeente_code"
    if places.empty or column not in places:
        return places
    return places[places[column] == code].reset_index(drop=True)


def _coarsened(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Private places ("bij mij thuis") at the centre of their grid cell, as on every public
    map; the analysis figures still use the exact points."""
    if places.empty or "private" not in places or not places["private"].any():
        return places
    places = places.copy()
    private = places["private"].fillna(False).astype(bool)
    places.loc[private, "geometry"] = [
        Point(coarsen(point.x, point.y)) for point in places.geometry[private]
    ]
    return places


def _quotes(places: gpd.GeoDataFrame, names: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Up to :data:`QUOTES_PER_TYPE` quotes per type: published places only (a quote is read
    by anyone who gets the page or the file), most endorsed first, then newest."""
    quotes: dict[str, list[dict[str, Any]]] = {t: [] for t in TYPES}
    if places.empty:
        return quotes
    shown = places[(places["status"] == "published") & places["quote"].fillna("").ne("")]
    endorsed = shown.get("endorsements", 0)
    shown = shown.assign(_endorsed=endorsed).sort_values(
        ["_endorsed", "created_at"], ascending=[False, False]
    )
    for row in shown.itertuples():
        for function_type in row.function_types:
            if function_type in quotes and len(quotes[function_type]) < QUOTES_PER_TYPE:
                quotes[function_type].append(
                    {
                        "quote": row.quote,
                        "place": row.name,
                        "buurt": names.get(row.buurt_code, row.buurt_code or ""),
                    }  # fmt: skip
                )
    return quotes


def sort_table(table: pd.DataFrame, column: str | None, descending: bool) -> pd.DataFrame:
    """``table`` sorted on ``column`` (a key of :data:`COLUMNS`); empty values last."""
    if column not in dict(COLUMNS):
        return table
    return table.sort_values(
        column, ascending=not descending, na_position="last", kind="stable"
    ).reset_index(drop=True)
