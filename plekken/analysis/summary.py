"""Per-area summary of the pinned places: counts, shares, density, diversity, sample size."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd

from ..vocab import CONDITIONS
from .inputs import ANY, key_flags, resolve_types
from .points import points_in_areas
from .prepared import Prepared
from .results import finish, ratio

__all__ = ["summary", "summary_long", "shannon_evenness", "ACCESS_FEATURES"]

#: Yes/no accessibility features of a place that are counted per area.
ACCESS_FEATURES = ("access_free_entry", "access_costs", "access_wheelchair")


def shannon_evenness(counts: np.ndarray) -> np.ndarray:
    """Shannon diversity of each row of ``counts`` divided by its maximum ``ln(k)``.

    0 when all places have one type, 1 when the ``k`` types are equally common, NaN for a row
    without places (or ``k < 2``).

    Examples
    --------
    >>> shannon_evenness(np.array([[4, 0, 0], [2, 2, 2], [0, 0, 0]])).round(3).tolist()
    [0.0, 1.0, nan]
    """
    counts = np.asarray(counts, dtype=float)
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = counts / total
        h = np.where(p > 0, -p * np.log(p), 0.0).sum(axis=1) + 0.0
        evenness = h / np.log(counts.shape[1]) if counts.shape[1] > 1 else np.full(len(h), np.nan)
    return np.where(total[:, 0] > 0, evenness, np.nan)


def _flags(places: pd.DataFrame, column: str, keys: list[str]) -> np.ndarray:
    """Matrix (places × keys): does the place's list in ``column`` hold the key?"""
    if column not in places:
        return np.zeros((len(places), len(keys)), dtype=bool)
    return key_flags(places[column], keys)


def _true(places: pd.DataFrame, column: str) -> np.ndarray:
    if column not in places:
        return np.zeros(len(places), dtype=bool)
    return places[column].map(lambda value: value is True or value == 1).to_numpy(dtype=bool)


def _per_area(area_idx: np.ndarray, rows: np.ndarray, n_areas: int) -> np.ndarray:
    """Column sums of ``rows`` (pairs × k) per area, as integers (areas × k)."""
    sums = [
        np.bincount(area_idx, weights=rows[:, j], minlength=n_areas) for j in range(rows.shape[1])
    ]
    return np.stack(sums, axis=1).astype(int) if sums else np.zeros((n_areas, 0), dtype=int)


def _contributors(area_idx: np.ndarray, who: np.ndarray, n_areas: int) -> np.ndarray:
    pairs = pd.DataFrame({"area": area_idx, "who": who}).dropna()
    distinct = pairs.groupby("area")["who"].nunique()
    return distinct.reindex(range(n_areas), fill_value=0).to_numpy(dtype=int)


#: How places count in :func:`summary`: once each, or once plus once per endorsement.
WEIGHTS = ("places", "endorsements")


def _weights(places: pd.DataFrame, weight: str) -> np.ndarray:
    if weight not in WEIGHTS:
        raise ValueError(f"weight must be one of {', '.join(WEIGHTS)}, got {weight!r}")
    if weight == "places":
        return np.ones(len(places))
    if "endorsements" not in places:
        raise ValueError('weight="endorsements" needs an "endorsements" column of the places')
    return 1.0 + pd.to_numeric(places["endorsements"], errors="coerce").fillna(0).to_numpy()


def summary(
    inputs: Prepared,
    min_places: int = 5,
    min_contributors: int = 3,
    types: str | Iterable[str] | None = None,
    weight: str = "places",
) -> gpd.GeoDataFrame:
    """One row per area describing the places pinned inside it.

    A place counts for every area whose polygon holds it (a buurt and its wijk). A place with
    two types counts once for each type, so the type counts can add up to more than
    ``n_places``. ``share_<type>`` is the share of the area's places that carry the type
    (``n_<type> / n_places``); the shares can therefore add up to more than 1. The diversity
    is the Shannon index over the type counts divided by ``ln(number of types)``: 0 when one
    type has all places, 1 when all types are equally common.

    Parameters
    ----------
    inputs : Prepared
        Areas and places from :func:`~plekken.analysis.prepare`.
    min_places, min_contributors : int, default 5 and 3
        Below either, ``small_sample`` is true: the pins are too few to compare areas on
        (participation is a sample, not a census).
    types : str or sequence of str, optional
        Function types to count; default all three.
    weight : {"places", "endorsements"}, default "places"
        ``"endorsements"`` counts each place once for the resident who pinned it plus once for
        every resident who said "ook voor mij" (column ``endorsements`` of the places): the type
        counts, shares and diversity then describe how many people value each kind of place,
        ``n_weighted`` is that total, and ``n_places`` stays the number of pins.

    Returns
    -------
    GeoDataFrame
        ``code``, ``name``, ``level``, ``n_places``, ``n_weighted``, ``n_contributors``,
        ``n_<type>``,
        ``share_<type>``, ``diversity``, ``places_per_km2`` (of land),
        ``places_per_1000_inhabitants``, ``n_<condition>`` for the four social-quality
        conditions, ``n_access_free_entry``, ``n_access_costs``, ``n_access_wheelchair``,
        ``small_sample``, ``inhabitants``, ``land_area_m2`` and the area geometry.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> from plekken.analysis import prepare
    >>> areas = gpd.GeoDataFrame({"code": ["BU1"]}, geometry=[box(0, 0, 1000, 1000)], crs=28992)
    >>> places = gpd.GeoDataFrame(
    ...     {"function_types": [["verbindend"], ["functioneel", "verbindend"]],
    ...      "contributor": ["a", "b"]},
    ...     geometry=[Point(10, 10), Point(20, 20)], crs=28992)
    >>> row = summary(prepare(areas, places)).iloc[0]
    >>> int(row["n_places"]), int(row["n_verbindend"]), float(row["share_functioneel"])
    (2, 2, 0.5)
    """
    prepared = inputs.areas
    area_idx, place_idx = points_in_areas(prepared["geometry"].to_numpy(), inputs.xy)
    type_list = [t for t in resolve_types(types) if t != ANY]
    n_areas = len(prepared)
    rows = inputs.places.iloc[place_idx]
    frame = prepared[["code", "name", "level"]].copy()
    n_places = np.bincount(area_idx, minlength=n_areas)
    frame["n_places"] = n_places
    weights = _weights(rows, weight)
    weighted = np.rint(np.bincount(area_idx, weights=weights, minlength=n_areas)).astype(int)
    frame["n_weighted"] = weighted
    who = rows["contributor"].to_numpy() if "contributor" in rows else np.full(len(rows), None)
    frame["n_contributors"] = _contributors(area_idx, who, n_areas)
    flags = _flags(rows, "function_types", type_list) * weights[:, None]
    type_counts = _per_area(area_idx, flags, n_areas)
    for j, function_type in enumerate(type_list):
        frame[f"n_{function_type}"] = type_counts[:, j]
    for j, function_type in enumerate(type_list):
        frame[f"share_{function_type}"] = ratio(type_counts[:, j], weighted)
    frame["diversity"] = shannon_evenness(type_counts)
    land_km2 = prepared["land_area_m2"].to_numpy() / 1e6
    frame["places_per_km2"] = ratio(n_places, land_km2)
    frame["places_per_1000_inhabitants"] = ratio(
        n_places * 1000.0, prepared["inhabitants"].to_numpy()
    )
    conditions = _per_area(area_idx, _flags(rows, "conditions", list(CONDITIONS)), n_areas)
    for j, condition in enumerate(CONDITIONS):
        frame[f"n_{condition}"] = conditions[:, j]
    access = np.stack([_true(rows, feature) for feature in ACCESS_FEATURES], axis=1)
    access_counts = _per_area(area_idx, access, n_areas)
    for j, feature in enumerate(ACCESS_FEATURES):
        frame[f"n_{feature}"] = access_counts[:, j]
    frame["small_sample"] = (n_places < min_places) | (frame["n_contributors"] < min_contributors)
    frame["inhabitants"] = prepared["inhabitants"]
    frame["land_area_m2"] = prepared["land_area_m2"]
    frame["geometry"] = prepared["geometry"]
    attrs = {
        "measure": "summary",
        "function_types": type_list,
        "include_pending": inputs.include_pending,
        "min_places": min_places,
        "min_contributors": min_contributors,
        "weight": weight,
    }
    return finish(frame, inputs.crs, attrs)


def summary_long(inputs: Prepared, types: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Area × function type rows with ``count`` and ``share`` (as in :func:`summary`).

    Returns a DataFrame (no geometry) with ``code``, ``name``, ``level``, ``function_type``,
    ``count``, ``share`` and ``n_places``: handy for charts and spreadsheets.

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> from plekken.analysis import prepare
    >>> areas = gpd.GeoDataFrame({"code": ["BU1"]}, geometry=[box(0, 0, 1000, 1000)], crs=28992)
    >>> places = gpd.GeoDataFrame({"function_types": [["verbindend"]]},
    ...                           geometry=[Point(10, 10)], crs=28992)
    >>> summary_long(prepare(areas, places))[["function_type", "count", "share"]]
      function_type  count  share
    0   functioneel      0    0.0
    1    verbindend      1    1.0
    2   ideologisch      0    0.0
    """
    wide = summary(inputs, types=types)
    type_list = wide.attrs["function_types"]
    k = len(type_list)
    counts = wide[[f"n_{t}" for t in type_list]].to_numpy(dtype=int)
    n_places = np.repeat(wide["n_places"].to_numpy(), k)
    result = pd.DataFrame(
        {
            "code": np.repeat(wide["code"].to_numpy(), k),
            "name": np.repeat(wide["name"].to_numpy(), k),
            "level": np.repeat(wide["level"].to_numpy(), k),
            "function_type": np.tile(type_list, len(wide)),
            "count": counts.ravel(),
            "share": ratio(counts.ravel(), n_places),
            "n_places": n_places,
        }
    )
    result.attrs.update(wide.attrs, measure="summary_long")
    return result
