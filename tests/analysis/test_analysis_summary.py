"""Per-area summary figures checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from plekken.analysis import prepare, shannon_evenness, summary, summary_long

SQUARE = (0, 0, 2000, 2000)  # 4 km²


@pytest.fixture
def three_places(make_places):
    return make_places(
        (100, 100, ["verbindend"]),
        (200, 200, ["verbindend", "functioneel"]),
        (300, 300, ["ideologisch"]),
        (5000, 5000, ["ideologisch"]),  # outside every area
        contributor=["ans", "ans", "bram", "cor"],
        conditions=[["sociale_cohesie"], ["sociale_cohesie", "sociale_inclusie"], [], []],
        access_wheelchair=[True, False, None, True],
        access_free_entry=[True, True, True, True],
    )


def test_counts_shares_and_rates(make_areas, three_places):
    areas = make_areas(("BU1", SQUARE, 1500))
    found = summary(prepare(areas, three_places)).iloc[0]
    assert found["n_places"] == 3
    assert found["n_contributors"] == 2
    assert (found["n_functioneel"], found["n_verbindend"], found["n_ideologisch"]) == (1, 2, 1)
    assert found["share_verbindend"] == pytest.approx(2 / 3)
    assert found["places_per_km2"] == pytest.approx(0.75)
    assert found["places_per_1000_inhabitants"] == pytest.approx(2.0)
    assert found["n_sociale_cohesie"] == 2 and found["n_sociale_inclusie"] == 1
    assert found["n_sociale_empowerment"] == 0
    assert found["n_access_wheelchair"] == 1 and found["n_access_free_entry"] == 3
    # counts 1, 2, 1 → p = ¼, ½, ¼
    expected = -(0.25 * math.log(0.25) * 2 + 0.5 * math.log(0.5)) / math.log(3)
    assert found["diversity"] == pytest.approx(expected)
    assert bool(found["small_sample"])


def test_small_sample_flag_follows_thresholds(make_areas, three_places):
    areas = make_areas(("BU1", SQUARE, 1500))
    wide = summary(prepare(areas, three_places), min_places=3, min_contributors=2)
    assert not wide["small_sample"].iloc[0]


def test_shannon_is_zero_for_one_type_and_one_for_equal_shares():
    assert shannon_evenness(np.array([[5, 0, 0]]))[0] == 0
    assert shannon_evenness(np.array([[3, 3, 3]]))[0] == pytest.approx(1)
    assert np.isnan(shannon_evenness(np.array([[0, 0, 0]]))[0])


def test_a_place_counts_for_buurt_and_wijk(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 1000, 1000), 10), ("WK1", (0, 0, 2000, 2000), 20))
    result = summary(prepare(areas, make_places((500, 500, ["verbindend"]))))
    assert result["n_places"].tolist() == [1, 1]


def test_empty_area_and_unknown_inhabitants(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, None))
    found = summary(prepare(areas, make_places((9000, 9000, ["verbindend"])))).iloc[0]
    assert found["n_places"] == 0
    assert np.isnan(found["share_verbindend"]) and np.isnan(found["diversity"])
    assert np.isnan(found["places_per_1000_inhabitants"])


def test_long_form_has_area_by_type_rows(make_areas, three_places):
    areas = make_areas(("BU1", SQUARE, 1500), ("BU2", (2000, 0, 3000, 1000), 5))
    result = summary_long(prepare(areas, three_places))
    assert len(result) == 2 * 3
    first = result[result["code"] == "BU1"].set_index("function_type")
    assert first.loc["verbindend", "count"] == 2
    assert first.loc["verbindend", "share"] == pytest.approx(2 / 3)
    assert result[result["code"] == "BU2"]["count"].sum() == 0
