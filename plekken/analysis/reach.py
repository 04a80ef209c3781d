"""Reach: whose voices the map holds, per buurt where the contributors live.

Pure pandas: no Flask, no database. :func:`reach` takes the buurten of a scope (with CBS
inhabitants, optionally per age group) and the contributions to its places (places and
endorsements, each with the contributor's optional home buurt, age band and key hash) and
counts distinct people per home buurt. :func:`people` says who is who; :func:`mask_small`
turns the counts of a public answer into ``"< 5"`` where they are small.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..vocab import AGE_BANDS, AGE_GROUPS

__all__ = [
    "MIN_AGE_MIX",
    "MIN_INHABITANTS",
    "SMALL_COUNT",
    "mask_small",
    "people",
    "reach",
    "reach_totals",
]

#: A buurt with at least this many inhabitants and no contributor is "not reached".
MIN_INHABITANTS = 50
#: Counts below this are shown as ``"< 5"`` in public answers.
SMALL_COUNT = 5
#: The contributors' age mix is given only when this many of them gave their age band.
MIN_AGE_MIX = 10
#: Columns of the contributions frame.
CONTRIBUTION_COLUMNS = ["kind", "id", "key", "home_buurt", "age_band", "buurt_code"]


def _most_given(values: pd.Series):
    """The value a person gave most often (the latest one on a tie), or ``None``."""
    given = values.dropna()
    if given.empty:
        return None
    counts = given.value_counts(sort=False)
    best = counts.max()
    return next(v for v in reversed(given.tolist()) if counts[v] == best)


def people(contributions: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct contributor, with the home buurt and age band they gave.

    A contributor is one ``key`` (the hash of their anonymous key); a contribution without a
    key counts as one person of its own. When a person gave several home buurten or age
    bands, the one given most often counts.

    Parameters
    ----------
    contributions : DataFrame
        Columns ``kind`` ("place" or "endorsement"), ``id``, ``key`` (or missing),
        ``home_buurt`` and ``age_band`` (or missing), in the order they were made.

    Returns
    -------
    DataFrame
        Columns ``person``, ``home_buurt``, ``age_band``.

    Examples
    --------
    >>> c = pd.DataFrame({"kind": ["place"] * 3, "id": [1, 2, 3], "key": ["k", "k", None],
    ...                   "home_buurt": ["BU1", None, "BU1"], "age_band": [None] * 3})
    >>> people(c)["home_buurt"].tolist()
    ['BU1', 'BU1']
    """
    if contributions.empty:
        return pd.DataFrame(columns=["person", "home_buurt", "age_band"])
    frame = contributions.copy()
    anonymous = frame["key"].isna()
    frame["person"] = frame["key"].astype(object)
    frame.loc[anonymous, "person"] = frame["kind"].astype(str) + ":" + frame["id"].astype(str)
    rows = [
        {
            "person": person,
            "home_buurt": _most_given(group["home_buurt"]),
            "age_band": _most_given(group["age_band"]),
        }
        for person, group in frame.groupby("person", sort=False)
    ]
    return pd.DataFrame(rows, columns=["person", "home_buurt", "age_band"])


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    numerator = numerator.astype("float64")
    denominator = denominator.astype("Float64").astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = numerator / denominator
    return out.where(denominator > 0)


def _age_mix(table: pd.DataFrame, who: pd.DataFrame, areas: pd.DataFrame, minimum: int):
    """The contributors' age mix (shares per band) beside the buurt's (per CBS group)."""
    known = who.dropna(subset=["age_band", "home_buurt"])
    counts = pd.crosstab(known["home_buurt"], known["age_band"]).reindex(
        index=table["code"], columns=list(AGE_BANDS), fill_value=0
    )
    counts.index = table.index
    with_age = counts.sum(axis=1)
    table["contributors_with_age"] = with_age.astype("int64")
    enough = with_age >= minimum
    for band in AGE_BANDS:
        share = (counts[band] / with_age.where(with_age > 0)).round(3)
        table[f"contributors_age_{band}"] = share.where(enough)
    groups = [c for c in AGE_GROUPS if c in areas]
    if len(groups) == len(AGE_GROUPS):
        ages = areas[groups].astype("Float64").astype("float64")
        total = ages.sum(axis=1, min_count=len(groups))
        for group in groups:
            table[f"inhabitants_{group}"] = _ratio(ages[group], total).round(3).to_numpy()
    return table


def reach(
    areas: pd.DataFrame,
    contributions: pd.DataFrame,
    *,
    min_inhabitants: int = MIN_INHABITANTS,
    min_age_mix: int = MIN_AGE_MIX,
) -> pd.DataFrame:
    """Per buurt of ``areas``: its inhabitants, the distinct contributors who live there and
    how well they represent it.

    Parameters
    ----------
    areas : DataFrame
        The buurten of the scope: ``code``, ``name``, ``inhabitants`` (nullable) and, when
        the CBS file had them, the age groups of :data:`plekken.vocab.AGE_GROUPS` (counts).
    contributions : DataFrame
        The places in the scope and their endorsements (see :func:`people`), with
        ``buurt_code``: the buurt a place lies in.
    min_inhabitants : int
        A buurt with at least this many inhabitants and no contributor is ``not_reached``.
    min_age_mix : int
        The contributors' age mix is given for buurten where at least this many of them
        gave an age band.

    Returns
    -------
    DataFrame
        One row per buurt: ``code``, ``name``, ``inhabitants``, ``contributors`` (distinct
        people who live there), ``contributors_per_1000``, ``places_in_buurt``,
        ``representation`` (the buurt's share of the contributors who live in the scope
        divided by its share of the inhabitants: 1 is in proportion, below 1 under-heard),
        ``not_reached``, ``contributors_with_age``, ``contributors_age_<band>`` (shares) and,
        with CBS age groups, ``inhabitants_age_<group>`` (shares).

    Examples
    --------
    >>> areas = pd.DataFrame({"code": ["BU1", "BU2"], "name": ["A", "B"],
    ...                       "inhabitants": [1000, 3000]})
    >>> c = pd.DataFrame({"kind": ["place", "place"], "id": [1, 2], "key": ["k1", "k2"],
    ...                   "home_buurt": ["BU1", "BU1"], "age_band": [None, None],
    ...                   "buurt_code": ["BU2", "BU2"]})
    >>> reach(areas, c)[["contributors", "places_in_buurt", "representation", "not_reached"]
    ...                 ].to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'contributors': [2, 0], 'places_in_buurt': [0, 2], 'representation': [4.0, 0.0],
     'not_reached': [False, True]}
    """
    table = areas[["code", "name"]].reset_index(drop=True).copy()
    inhabitants = areas["inhabitants"].reset_index(drop=True).astype("Int64")
    table["inhabitants"] = inhabitants
    who = people(contributions)
    living = who["home_buurt"].value_counts()
    table["contributors"] = table["code"].map(living).fillna(0).astype("int64")
    table["contributors_per_1000"] = (_ratio(table["contributors"], inhabitants) * 1000).round(2)
    places = contributions[contributions["kind"] == "place"] if len(contributions) else None
    located = places["buurt_code"].value_counts() if places is not None else {}
    table["places_in_buurt"] = table["code"].map(located).fillna(0).astype("int64")
    known = inhabitants.notna()
    inhabitant_share = _ratio(
        inhabitants.astype("Float64"), pd.Series([inhabitants[known].sum()] * len(table))
    )
    contributor_share = _ratio(
        table["contributors"], pd.Series([table["contributors"].sum()] * len(table))
    )
    table["representation"] = _ratio(contributor_share, inhabitant_share).round(2)
    table["not_reached"] = (
        inhabitants.fillna(0).ge(min_inhabitants) & table["contributors"].eq(0)
    ).astype(bool)
    return _age_mix(table, who, areas.reset_index(drop=True), min_age_mix)


def reach_totals(areas: pd.DataFrame, contributions: pd.DataFrame) -> dict[str, int]:
    """How many distinct people contributed, and where they live: in a buurt of ``areas``,
    elsewhere, or not said.

    Examples
    --------
    >>> areas = pd.DataFrame({"code": ["BU1"]})
    >>> c = pd.DataFrame({"kind": ["place"] * 3, "id": [1, 2, 3], "key": [None] * 3,
    ...                   "home_buurt": ["BU1", "BU9", None], "age_band": [None] * 3})
    >>> reach_totals(areas, c)
    {'contributors': 3, 'living_in_scope': 1, 'living_elsewhere': 1, 'home_unknown': 1}
    """
    who = people(contributions)
    inside = who["home_buurt"].isin(set(areas["code"]))
    unknown = who["home_buurt"].isna()
    return {
        "contributors": len(who),
        "living_in_scope": int(inside.sum()),
        "living_elsewhere": int((~inside & ~unknown).sum()),
        "home_unknown": int(unknown.sum()),
    }


def mask_small(value, below: int = SMALL_COUNT):
    """A count for a public answer: ``"< 5"`` for 1 to 4 people, else the count itself.

    Zero stays 0: it names nobody, and ``not_reached`` says it anyway.

    Examples
    --------
    >>> [mask_small(n) for n in (0, 1, 4, 5)]
    [0, '< 5', '< 5', 5]
    """
    return f"< {below}" if 0 < value < below else value
