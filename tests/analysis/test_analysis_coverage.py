"""Coverage against figures that can be checked by hand."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point, box

from plekken.analysis import coverage, prepare
from plekken.analysis.coverage import places_near
from plekken.analysis.reference import reference_coverage

SQUARE = (0, 0, 2000, 2000)  # 4 km²


def row(result, code="BU1", function_type="verbindend", distance=400):
    picked = result[
        (result["code"] == code)
        & (result["function_type"] == function_type)
        & (result["distance_m"] == distance)
    ]
    assert len(picked) == 1
    return picked.iloc[0]


def segment_area(radius, offset):
    """Area of the part of a circle beyond a chord at ``offset`` from its centre."""
    return radius**2 * math.acos(offset / radius) - offset * math.sqrt(radius**2 - offset**2)


def test_one_place_in_the_middle_covers_a_circle(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 2000))
    places = make_places((1000, 1000, ["verbindend"]))
    result = coverage(prepare(areas, places))
    for distance in (400, 800):
        expected = math.pi * distance**2 / 4e6
        found = row(result, distance=distance)
        assert found["covered_share"] == pytest.approx(expected, rel=0.002)
        assert found["covered_inhabitants"] == pytest.approx(2000 * expected, rel=0.002)
        assert found["n_places"] == 1
    assert row(result, function_type="functioneel")["covered_share"] == 0
    assert row(result, function_type="any")["covered_share"] == pytest.approx(
        math.pi * 400**2 / 4e6, rel=0.002
    )


def test_one_row_per_area_type_and_distance(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 10), ("BU2", (2000, 0, 4000, 2000), 10))
    result = coverage(prepare(areas, make_places((1000, 1000, ["verbindend"]))))
    assert len(result) == 2 * 4 * 2
    assert list(result["function_type"].unique()) == [
        "functioneel",
        "verbindend",
        "ideologisch",
        "any",
    ]
    assert result.attrs["distance_method"] == "euclidean"
    assert result.attrs["distances_m"] == [400.0, 800.0]
    assert isinstance(result, gpd.GeoDataFrame)


def test_place_just_beyond_distance_contributes_nothing(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 100))
    places = make_places((-401, 1000, ["verbindend"]))
    found = row(coverage(prepare(areas, places), distances=400), distance=400)
    assert found["covered_share"] == 0
    assert found["n_places"] == 0


def test_place_outside_but_within_distance_covers_a_segment(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 100))
    places = make_places((-200, 1000, ["verbindend"]))
    found = row(coverage(prepare(areas, places), distances=400), distance=400)
    assert found["covered_share"] == pytest.approx(segment_area(400, 200) / 4e6, rel=0.002)
    assert found["n_places"] == 1


def test_two_buurten_with_known_distances(make_areas, make_places):
    areas = make_areas(("A", (0, 0, 1000, 1000), 10), ("B", (1000, 0, 2000, 1000), 10))
    places = make_places((500, 500, ["verbindend"]), (1500, 500, ["functioneel"]))
    result = coverage(prepare(areas, places))
    disc = math.pi * 400**2 / 1e6
    assert row(result, "A", "verbindend", 400)["covered_share"] == pytest.approx(disc, rel=0.002)
    assert row(result, "B", "verbindend", 400)["covered_share"] == 0  # 500 m away
    assert row(result, "B", "functioneel", 400)["covered_share"] == pytest.approx(disc, rel=0.002)
    # Corners of A are 707 m from its place: fully covered at 800 m.
    assert row(result, "A", "verbindend", 800)["covered_share"] == pytest.approx(1.0)
    assert row(result, "A", "any", 400)["n_places"] == 1
    assert row(result, "A", "any", 800)["n_places"] == 2


def test_water_polygons_are_taken_out_of_the_land(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 100))
    water = gpd.GeoDataFrame(geometry=[box(1000, -10, 2100, 2010)], crs=28992)
    places = make_places((500, 1000, ["verbindend"]))
    found = row(coverage(prepare(areas, places, water=water), distances=400), distance=400)
    assert found["land_method"] == "water_polygons"
    assert found["land_area_m2"] == pytest.approx(2e6)
    assert found["covered_share"] == pytest.approx(math.pi * 400**2 / 2e6, rel=0.002)


def test_water_share_only_scales_land_area(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 100), land_area_m2=[3e6], water_area_m2=[1e6])
    places = make_places((1000, 1000, ["verbindend"]))
    found = row(coverage(prepare(areas, places), distances=400), distance=400)
    share = math.pi * 400**2 / 4e6
    assert found["land_method"] == "land_share"
    assert found["land_area_m2"] == pytest.approx(3e6)
    assert found["covered_share"] == pytest.approx(share, rel=0.002)
    assert found["covered_land_m2"] == pytest.approx(share * 3e6, rel=0.002)


def test_water_areas_are_skipped(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 10), ("W", (2000, 0, 3000, 1000), 0), is_water=[False, True])
    result = coverage(prepare(areas, make_places((1000, 1000, ["verbindend"]))))
    assert set(result["code"]) == {"BU1"}


def test_hidden_never_count_pending_only_when_asked(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 10))
    places = make_places(
        (1000, 1000, ["verbindend"]),
        (300, 300, ["verbindend"]),
        status=["hidden", "pending"],
    )
    assert row(coverage(prepare(areas, places)))["n_places"] == 0
    with_pending = row(coverage(prepare(areas, places, include_pending=True)))
    assert with_pending["n_places"] == 1


def test_wgs84_input_gives_the_same_as_rd_new(make_areas, make_places):
    specs = [
        ("A", (187000, 428000, 188000, 429000), 500),
        ("B", (188000, 428000, 189500, 429200), 800),
    ]
    place_specs = [
        (187500, 428500, ["verbindend"]),
        (188900, 428100, ["functioneel", "verbindend"]),
    ]
    rd = coverage(prepare(make_areas(*specs), make_places(*place_specs)))
    wgs = coverage(prepare(make_areas(*specs, crs=4326), make_places(*place_specs, crs=4326)))
    assert wgs.crs.to_epsg() == 4326 and rd.crs.to_epsg() == 28992
    np.testing.assert_allclose(wgs["covered_share"], rd["covered_share"], atol=1e-4)
    assert wgs["n_places"].tolist() == rd["n_places"].tolist()
    mixed = prepare(make_areas(*specs, crs=4326), make_places(*place_specs), out_crs=28992)
    assert coverage(mixed).crs == rd.crs


def test_unknown_inhabitants_give_nan(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, None))
    found = row(coverage(prepare(areas, make_places((1000, 1000, ["verbindend"])))))
    assert np.isnan(found["covered_inhabitants"])
    assert found["covered_share"] > 0


def test_population_points_replace_even_spread(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 999))
    population = gpd.GeoDataFrame(
        {"weight": [10, 30]}, geometry=[Point(1100, 1000), Point(1900, 1900)], crs=28992
    )
    places = make_places((1000, 1000, ["verbindend"]))
    result = coverage(prepare(areas, places, population=population), distances=400)
    found = row(result)
    assert found["covered_inhabitants"] == 10
    assert found["inhabitants"] == 40
    assert result.attrs["population_method"] == "population_points"


def test_address_points_share_the_cbs_count(make_areas, make_places):
    """Address points without counts: each buurt's inhabitants divided over its addresses."""
    areas = make_areas(("BU1", SQUARE, 1000), ("BU2", (2000, 0, 4000, 2000), 300))
    homes = [Point(1100, 1000), Point(1900, 1900), Point(1950, 1950), Point(100, 100)]
    homes += [Point(3000, 1000), Point(3100, 1000), Point(3900, 1900)]
    population = gpd.GeoDataFrame(geometry=homes, crs=28992)
    places = make_places((1000, 1000, ["verbindend"]))
    result = coverage(prepare(areas, places, population=population, weight="spread"), distances=400)
    assert row(result)["covered_inhabitants"] == pytest.approx(250)  # 1 of 4 addresses
    assert row(result)["inhabitants"] == pytest.approx(1000)
    assert row(result, "BU2")["covered_inhabitants"] == 0
    assert row(result, "BU2")["inhabitants"] == pytest.approx(300)


def test_no_places_cover_nothing(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 10))
    result = coverage(prepare(areas, make_places((1000, 1000, ["verbindend"])).iloc[:0]))
    assert (result["covered_share"] == 0).all()


def test_unknown_type_is_refused(make_areas, make_places):
    with pytest.raises(ValueError, match="unknown function type"):
        coverage(prepare(make_areas(("BU1", SQUARE, 1)), make_places((1, 1, ["x"]))), types="sport")


def test_matches_naive_reference_on_random_places(make_areas, make_places):
    rng = np.random.default_rng(7)
    areas = make_areas(
        ("A", (0, 0, 1500, 1200), 100),
        ("B", (1500, 0, 2600, 1800), 100),
        ("C", (0, 1200, 1500, 2500), 100),
    )
    xy = rng.normal([1300, 1200], 500, size=(300, 2))
    kinds = [["functioneel"], ["verbindend"], ["ideologisch", "verbindend"]]
    places = make_places(*[(x, y, kinds[i % 3]) for i, (x, y) in enumerate(xy)])
    fast = coverage(prepare(areas, places), distances=(250, 400))
    slow = reference_coverage(prepare(areas, places), distances=(250, 400))
    merged = fast.merge(slow, on=["code", "function_type", "distance_m"])
    assert len(merged) == len(fast) == 3 * 4 * 2
    assert (merged["covered_share_x"] - merged["covered_share_y"]).abs().max() < 0.005


def test_place_counts_match_exact_distances():
    rng = np.random.default_rng(5)
    lands = np.array(
        [shapely.box(0, 0, 1000, 700), shapely.Polygon([(1000, 0), (1900, 300), (1200, 900)])]
    )
    xy = rng.uniform(-1200, 3000, size=(3000, 2))
    counts = places_near(lands, xy, [300, 800])
    points = shapely.points(xy)
    for row, distance in enumerate([300, 800]):
        expected = [shapely.dwithin(land, points, distance).sum() for land in lands]
        assert counts[0, row].tolist() == expected


def test_invalid_area_polygon_is_repaired(make_areas, make_places):
    areas = make_areas(("BU1", SQUARE, 10))
    bow_tie = shapely.Polygon([(0, 0), (2000, 2000), (2000, 0), (0, 2000)])
    areas = areas.set_geometry([bow_tie])
    result = coverage(prepare(areas, make_places((1000, 1000, ["verbindend"]))), distances=400)
    # two triangles of 1 km² meeting at the place, each with a right angle there
    assert row(result)["covered_share"] == pytest.approx(math.pi * 400**2 / 2 / 2e6, rel=0.002)
