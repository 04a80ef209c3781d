"""Reach for the app: "wie bereiken we wel, en wie niet?" per buurt of a wijk or gemeente.

Picks the buurten of the scope and the contributions to its places from storage, runs
:func:`plekken.analysis.reach` and, for public answers, shows counts of one to four people
as ``"< 5"`` (and leaves out the figures that would give them away). Flask-free.
"""

from __future__ import annotations

import math

import pandas as pd
from sqlalchemy.orm import Session

from .. import analysis, storage
from ..analysis.reach import MIN_AGE_MIX, MIN_INHABITANTS, SMALL_COUNT, mask_small
from .analysis import AnalysisResult
from .cache import data_date
from .scope import resolve_scope, scope_areas

__all__ = ["MIN_INHABITANTS", "reach_result"]

#: Columns that count people, and figures from which a small count could be worked back.
COUNTS = ("contributors", "contributors_with_age")
DERIVED = ("contributors_per_1000", "representation")
AGE_NOTE = (
    "Contributors give an age band (<18, 18-29, 30-44, 45-64, 65+); CBS counts inhabitants "
    "in other groups (0-14, 15-24, 25-44, 45-64, 65+): compare the two mixes, not band by band."
)


def _public(table: pd.DataFrame, totals: dict[str, int]) -> tuple[pd.DataFrame, dict]:
    """The table and totals with 1–4 people shown as ``"< 5"``."""
    table = table.copy()
    small = table["contributors"].between(1, SMALL_COUNT - 1)
    for column in DERIVED:
        table[column] = table[column].where(~small)
    for column in COUNTS:
        table[column] = table[column].map(mask_small).astype(object)
    return table, {key: mask_small(value) for key, value in totals.items()}


def reach_result(
    session: Session,
    *,
    wijk: str | None = None,
    gemeente: str | None = None,
    include_pending: bool = False,
    exact: bool = False,
    min_inhabitants: int = MIN_INHABITANTS,
    lang: str = "nl",
) -> AnalysisResult:
    """Reach per buurt of one ``wijk`` or ``gemeente`` (see :func:`plekken.analysis.reach`).

    Counts the published places of the scope and their endorsements (pending places too
    with ``include_pending``). ``exact`` gives exact counts (for the professionals of the
    gemeente); otherwise counts of one to four people are ``"< 5"`` and the per-1000 and
    representation figures of those buurten are left out. Raises
    :class:`plekken.errors.ValidationError` or :class:`plekken.errors.NotFoundError`
    naming the field for a missing or unknown scope, in ``lang``.
    """
    scope = resolve_scope(session, wijk, gemeente, "buurt", lang)
    areas = scope_areas(session, scope)
    ages = storage.area_ages(session, areas["code"])
    areas = areas.join(ages, on="code")
    statuses = ("published", "pending") if include_pending else ("published",)
    column = "wijk_code" if scope.kind == "wijk" else "gemeente_code"
    contributions = storage.contributions_frame(session, column, scope.code, statuses)
    table = analysis.reach(areas, contributions, min_inhabitants=min_inhabitants)
    totals = analysis.reach_totals(areas, contributions)
    if not exact:
        table, totals = _public(table, totals)
    metadata = {
        "measure": "reach",
        "level": "buurt",
        "scope": scope.as_dict(),
        "data_date": data_date(storage.data_version(session)),
        "areas_counted": len(areas),
        "places_counted": int((contributions["kind"] == "place").sum()),
        "include_pending": include_pending,
        "exact_counts": exact,
        "min_inhabitants": min_inhabitants,
        "small_count": None if exact else SMALL_COUNT,
        "min_age_mix": MIN_AGE_MIX,
        "totals": totals,
        "age_note": AGE_NOTE,
    }
    return AnalysisResult(table, metadata)


def plain(value):
    """A table value for JSON or a page: ``None`` for a missing number."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value
