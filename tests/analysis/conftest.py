"""Small factories for hand-checkable analysis tests (EPSG:28992 metres unless stated)."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from plekken.io.cbs import read_cbs_areas

RD = 28992


@pytest.fixture
def make_areas() -> Callable[..., gpd.GeoDataFrame]:
    """``make_areas((code, (minx, miny, maxx, maxy), inhabitants), ...)`` → buurten frame."""

    def factory(*specs, crs=RD, **columns) -> gpd.GeoDataFrame:
        frame = pd.DataFrame(
            {
                "code": [spec[0] for spec in specs],
                "name": [f"Buurt {spec[0]}" for spec in specs],
                "level": "buurt",
                "parent_code": "WK000001",
                "inhabitants": pd.array([spec[2] for spec in specs], dtype="Int64"),
                "land_area_m2": float("nan"),
                "water_area_m2": float("nan"),
                "is_water": False,
            }
        )
        for name, values in columns.items():
            frame[name] = values
        return gpd.GeoDataFrame(frame, geometry=[box(*spec[1]) for spec in specs], crs=RD).to_crs(
            crs
        )

    return factory


@pytest.fixture
def make_places() -> Callable[..., gpd.GeoDataFrame]:
    """``make_places((x, y, types), ...)`` → published places; extra columns by keyword."""

    def factory(*specs, crs=RD, **columns) -> gpd.GeoDataFrame:
        frame = pd.DataFrame(
            {
                "id": range(1, len(specs) + 1),
                "function_types": [list(spec[2]) for spec in specs],
                "status": "published",
                "contributor": [f"bewoner-{i}" for i in range(len(specs))],
                "conditions": [[] for _ in specs],
                "access_free_entry": None,
                "access_costs": None,
                "access_wheelchair": None,
            }
        )
        for name, values in columns.items():
            frame[name] = values
        points = [Point(spec[0], spec[1]) for spec in specs]
        return gpd.GeoDataFrame(frame, geometry=points, crs=RD).to_crs(crs)

    return factory


@pytest.fixture(scope="session")
def nijmegen_buurten(shared_data) -> gpd.GeoDataFrame:
    """The 44 real CBS buurten of Nijmegen (2015) in the storage shape, EPSG:4326."""
    return read_cbs_areas(shared_data / "nijmegen_buurten.geojson")


@pytest.fixture(scope="session")
def nijmegen_osm_places(shared_data) -> gpd.GeoDataFrame:
    """The OSM landmarks of Nijmegen as published places of one type (verbindend)."""
    raw = gpd.read_file(shared_data / "nijmegen_pois_osm.geojson")
    frame = pd.DataFrame(
        {
            "id": range(1, len(raw) + 1),
            "function_types": [["verbindend"]] * len(raw),
            "status": "published",
            "contributor": "osm",
        }
    )
    return gpd.GeoDataFrame(frame, geometry=raw.geometry, crs=raw.crs)
