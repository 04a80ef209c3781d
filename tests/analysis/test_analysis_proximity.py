"""Proximity (CBS Nabijheidsstatistiek style) with places at known distances."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from plekken.analysis import prepare, proximity


def pick(result, function_type="verbindend", code="BU1"):
    return result[(result["code"] == code) & (result["function_type"] == function_type)].iloc[0]


def test_one_place_at_a_known_distance(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 100, 100), 50))
    found = pick(proximity(prepare(areas, make_places((50, 1050, ["verbindend"])))))
    assert found["mean_distance_m"] == pytest.approx(1000)
    assert found["median_distance_m"] == pytest.approx(1000)
    assert (found["mean_n_400"], found["mean_n_800"], found["mean_n_1600"]) == (0, 0, 1)
    assert found["weight_method"] == "inhabitants_over_land"


def test_mean_and_median_over_cells(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 300, 100), 30))
    result = proximity(prepare(areas, make_places((50, 50, ["verbindend"]))), cell=100)
    found = pick(result)
    assert found["mean_distance_m"] == pytest.approx(100)  # cells at 0, 100, 200 m
    assert found["median_distance_m"] == pytest.approx(100)
    assert found["n_origins"] == 3
    assert np.isnan(pick(result, "functioneel")["mean_distance_m"])
    assert result.attrs["distance_method"] == "euclidean"


def test_population_points_weight_the_distances(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 1000, 1000), 999))
    population = gpd.GeoDataFrame(
        {"weight": [1, 3]}, geometry=[Point(100, 0), Point(500, 0)], crs=28992
    )
    result = proximity(prepare(areas, make_places((0, 0, ["verbindend"])), population=population))
    found = pick(result)
    assert found["mean_distance_m"] == pytest.approx((100 + 3 * 500) / 4)
    assert found["median_distance_m"] == pytest.approx(500)
    assert found["mean_n_400"] == pytest.approx(0.25)
    assert found["weight_method"] == "population_points"


def test_unknown_inhabitants_fall_back_to_land_area(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 200, 100), None))
    found = pick(proximity(prepare(areas, make_places((50, 50, ["verbindend"])))))
    assert found["weight_method"] == "land_area"
    assert found["mean_distance_m"] == pytest.approx(50)
