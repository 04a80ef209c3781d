"""CRS handling: reproject storage frames, refuse geographic frames for metric helpers."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from plekken.analysis import coverage, make_grid, prepare, require_projected, to_metric


def test_require_projected_refuses_geographic_with_fix():
    frame = gpd.GeoDataFrame(geometry=[Point(5.85, 51.84)], crs=4326)
    with pytest.raises(
        ValueError, match=r"geographic CRS \(EPSG:4326\); reproject with gdf\.to_crs\(28992\) first"
    ):
        require_projected(frame)


def test_metric_helper_refuses_geographic_frame():
    extent = gpd.GeoSeries([box(5.85, 51.84, 5.86, 51.85)], crs=4326)
    with pytest.raises(ValueError, match=r"reproject with extent\.to_crs\(28992\)"):
        make_grid(extent, 100)


def test_require_projected_accepts_rd_new():
    require_projected(gpd.GeoDataFrame(geometry=[Point(0, 0)], crs=28992))


def test_missing_crs_says_to_set_it(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 100, 100), 10))
    naked = make_places((50, 50, ["verbindend"])).set_crs(None, allow_override=True)
    with pytest.raises(ValueError, match=r"places has no CRS; set it with places\.set_crs"):
        coverage(prepare(areas, naked))


def test_to_metric_reprojects_wgs84_and_keeps_rd():
    wgs = gpd.GeoDataFrame(geometry=[Point(5.85, 51.84)], crs=4326)
    assert to_metric(wgs).crs.to_epsg() == 28992
    rd = wgs.to_crs(28992)
    assert to_metric(rd) is rd
