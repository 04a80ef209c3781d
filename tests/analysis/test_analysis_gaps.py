"""Gaps: land farther than D from any place of a type."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from plekken.analysis import gaps, prepare
from plekken.analysis.reference import reference_gaps

SQUARE = (0, 0, 2000, 2000)


def test_gap_is_square_minus_circle(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 4000))
    result = gaps(prepare(areas, make_places((1000, 1000, ["verbindend"]))), distance=400)
    assert len(result) == 1
    gap = result.iloc[0]
    expected = 4e6 - math.pi * 400**2
    # the 16-segment arcs leave out 0.16 % of the circle: 800 m² of 3.5 km²
    assert gap["area_m2"] == pytest.approx(expected, rel=3e-4)
    assert gap["code"] == "BU1"
    assert gap["inhabitants_est"] == pytest.approx(4000 * expected / 4e6, rel=3e-4)
    assert gap["share_of_land"] == pytest.approx(expected / 4e6, rel=3e-4)
    # the hole in the gap is where the place is
    assert not gap.geometry.contains(Point(1000, 1000))
    assert gap.geometry.contains(Point(100, 100))
    assert result.attrs["distance_method"] == "euclidean"


def test_gaps_are_single_polygons_sorted_largest_first(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 3000, 1000), 10))
    result = gaps(prepare(areas, make_places((1200, 500, ["verbindend"]))), distance=600)
    assert len(result) == 2
    assert (result.geom_type == "Polygon").all()
    assert result["area_m2"].is_monotonic_decreasing
    assert result.geometry.iloc[0].centroid.x > 1500  # the right-hand gap is larger


def test_no_places_leaves_whole_area_and_full_cover_none(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 500, 500), 10))
    other_type = make_places((250, 250, ["functioneel"]))
    assert gaps(prepare(areas, other_type))["area_m2"].sum() == pytest.approx(250_000)
    assert gaps(prepare(areas, other_type), function_type="functioneel").empty
    assert gaps(prepare(areas, other_type), function_type="any").empty


def test_population_points_estimate_inhabitants(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 999))
    population = gpd.GeoDataFrame(
        {"weight": [10, 30]}, geometry=[Point(1100, 1000), Point(1900, 1900)], crs=28992
    )
    result = gaps(prepare(areas, make_places((1000, 1000, ["verbindend"])), population=population))
    assert result["inhabitants_est"].sum() == 30


def test_wgs84_in_wgs84_out(make_areas, make_places):
    box_rd = (187000, 428000, 189000, 430000)
    areas = make_areas(("BU1", box_rd, 1), crs=4326)
    result = gaps(prepare(areas, make_places((188000, 429000, ["verbindend"]), crs=4326)))
    assert result.crs.to_epsg() == 4326
    assert result["area_m2"].iloc[0] == pytest.approx(4e6 - math.pi * 400**2, rel=2e-3)


def test_matches_naive_reference(make_areas, make_places):
    rng = np.random.default_rng(3)
    areas = make_areas(("A", (0, 0, 1500, 1200), 1), ("B", (1500, 0, 2600, 1800), 1))
    xy = rng.normal([1300, 900], 500, size=(120, 2))
    places = make_places(*[(x, y, ["verbindend"]) for x, y in xy])
    fast = gaps(prepare(areas, places), distance=300).groupby("code")["area_m2"].sum()
    slow = reference_gaps(prepare(areas, places), distance=300).set_index("code")["gap_m2"]
    land = np.array([1500 * 1200, 1100 * 1800])
    assert np.abs(fast.reindex(slow.index, fill_value=0) - slow).max() / land.min() < 0.001
