"""Accessibility surface and grids."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from plekken.analysis import make_grid, prepare, surface


def test_square_cells_with_distance_and_counts(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 300, 100), 10))
    places = make_places((50, 50, ["verbindend"]), (250, 50, ["verbindend", "functioneel"]))
    result = surface(prepare(areas, places), cell=100, distance=(150, 400))
    assert result["cell_id"].tolist() == ["E0N0", "E100N0", "E200N0"]
    assert result["dist_verbindend"].tolist() == [0, 100, 0]
    assert result["dist_functioneel"].tolist() == [200, 100, 0]
    assert np.isnan(result["dist_ideologisch"]).all()
    assert result["n_verbindend_150"].tolist() == [1, 2, 1]
    assert result["n_any_400"].tolist() == [2, 2, 2]
    assert (result["code"] == "BU1").all()
    assert result.attrs["cell_m"] == 100 and result.attrs["shape"] == "square"


def test_hex_cells_have_the_expected_area(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 1000, 1000), 10))
    result = surface(prepare(areas, make_places((500, 500, ["verbindend"]))), cell=100, shape="hex")
    assert result.geom_type.eq("Polygon").all()
    assert result.area.to_numpy() == pytest.approx(math.sqrt(3) / 2 * 100**2)
    assert box(0, 0, 1000, 1000).difference(result.union_all()).area < 1e-6


def test_cells_take_the_area_of_their_centre(make_areas, make_places):
    areas = make_areas(("A", (0, 0, 200, 100), 1), ("B", (200, 0, 400, 100), 1))
    result = surface(prepare(areas, make_places((0, 0, ["verbindend"]))), cell=100)
    assert result["code"].tolist() == ["A", "A", "B", "B"]


def test_wgs84_areas_give_wgs84_cells(make_areas, make_places):
    areas = make_areas(("BU1", (187000, 428000, 187300, 428100), 1), crs=4326)
    result = surface(prepare(areas, make_places((187050, 428050, ["verbindend"]), crs=4326)))
    assert result.crs.to_epsg() == 4326
    assert result["dist_verbindend"].iloc[0] == pytest.approx(0, abs=0.01)


def test_make_grid_is_aligned_to_the_origin():
    grid = make_grid(gpd.GeoSeries([box(150, 150, 260, 240)], crs=28992), 100)
    assert grid["cell_id"].tolist() == ["E100N100", "E200N100", "E100N200", "E200N200"]


def test_make_grid_refuses_bad_shape():
    with pytest.raises(ValueError, match="shape"):
        make_grid(gpd.GeoSeries([box(0, 0, 1, 1)], crs=28992), 1, shape="triangle")


def test_cells_in_nested_areas_take_the_smallest(make_areas, make_places):
    areas = make_areas(("WK1", (0, 0, 400, 100), 1), ("BU1", (0, 0, 200, 100), 1))
    result = surface(prepare(areas, make_places((0, 0, ["verbindend"]))), cell=100)
    assert result["code"].tolist() == ["BU1", "BU1", "WK1", "WK1"]
