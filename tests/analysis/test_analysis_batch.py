"""Runs split per gemeente give the same figures as one run over everything."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import box

from plekken.analysis import coverage, prepare
from plekken.analysis.batch import run_split, split_areas, standard_measures
from plekken.commands_files import analyse_files_command


@pytest.fixture
def two_gemeenten(make_areas, make_places):
    """Four buurten in two gemeenten side by side, places on both sides of the border."""
    areas = make_areas(
        ("BU00010001", (0, 0, 1000, 1000), 100),
        ("BU00010002", (0, 1000, 1000, 2000), 200),
        ("BU00020001", (1000, 0, 2000, 1000), 300),
        ("BU00020002", (1000, 1000, 2000, 2000), None),
        gemeente_code=["GM0001", "GM0001", "GM0002", "GM0002"],
    )
    rng = np.random.default_rng(5)
    xy = rng.uniform(-200, 2200, (60, 2))
    kinds = [["verbindend"], ["functioneel", "verbindend"], ["ideologisch"]]
    places = make_places(*[(x, y, kinds[i % 3]) for i, (x, y) in enumerate(xy)])
    return areas, places


@pytest.mark.parametrize("workers", [1, 2])
def test_split_run_equals_one_run(two_gemeenten, workers):
    areas, places = two_gemeenten
    parts = list(split_areas(areas, places, margin=800))
    assert [key for key, _, _ in parts] == ["GM0001", "GM0002"]
    found = run_split(iter(parts), standard_measures, workers=workers)
    whole = pd.DataFrame(coverage(prepare(areas, places)).drop(columns="geometry"))
    key = ["code", "function_type", "distance_m"]
    merged = found["coverage"].merge(whole, on=key)
    assert len(merged) == len(whole) == len(found["coverage"])
    np.testing.assert_allclose(merged["covered_share_x"], merged["covered_share_y"], atol=1e-12)
    assert (merged["n_places_x"] == merged["n_places_y"]).all()
    assert set(found["summary"]["code"]) == set(areas["code"])
    assert isinstance(found["gaps"], gpd.GeoDataFrame) and found["gaps"].crs == areas.crs


def test_places_beyond_the_margin_are_left_out(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 100, 100), 1), gemeente_code=["GM1"])
    places = make_places((50, 50, ["verbindend"]), (5000, 50, ["verbindend"]))
    ((key, part_areas, part_places),) = split_areas(areas, places, margin=400)
    assert key == "GM1" and len(part_areas) == 1 and len(part_places) == 1


def test_command_writes_every_layer(tmp_path, two_gemeenten):
    areas, places = two_gemeenten
    cbs = gpd.GeoDataFrame(
        {"BU_CODE": areas["code"], "GM_CODE": areas["gemeente_code"], "AANT_INW": [1, 2, 3, 4]},
        geometry=areas.geometry.to_numpy(),
        crs=areas.crs,
    )
    cbs.to_file(tmp_path / "buurten.gpkg")
    places.assign(function_types=places["function_types"].map(",".join)).drop(
        columns="conditions"
    ).to_file(tmp_path / "places.gpkg")
    out = tmp_path / "result.gpkg"
    args = [str(tmp_path / "buurten.gpkg"), str(tmp_path / "places.gpkg"), "--out", str(out)]
    result = CliRunner().invoke(analyse_files_command, [*args, "--distance", "300"])
    assert result.exit_code == 0, result.output
    assert "4 areas in 2 parts" in result.output
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {"coverage", "gaps", "summary", "metadata"} <= layers
    table = pyogrio.read_dataframe(out, layer="coverage")
    assert set(table["distance_m"]) == {300.0} and len(table) == 4 * 4


def test_command_names_a_missing_split_column(tmp_path):
    frame = gpd.GeoDataFrame({"BU_CODE": ["BU00010001"]}, geometry=[box(0, 0, 1, 1)], crs=28992)
    frame.to_file(tmp_path / "b.gpkg")
    frame.to_file(tmp_path / "p.gpkg")
    args = [str(tmp_path / "b.gpkg"), str(tmp_path / "p.gpkg"), "--out", str(tmp_path / "o.gpkg")]
    result = CliRunner().invoke(analyse_files_command, [*args, "--by", "provincie"])
    assert result.exit_code != 0 and "--by" in result.output
