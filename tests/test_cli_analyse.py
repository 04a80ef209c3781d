"""``plekken analyse``: GeoPackage and CSV output, network distances, clear argument errors."""

from __future__ import annotations

import json

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.affinity import translate

from plekken.db import get_session
from plekken.services.analysis import coverage_result

LAYERS = {"coverage", "surface", "gaps", "summary", "summary_long", "proximity", "metadata"}


@pytest.fixture
def demo_runner(demo_app):
    return demo_app.test_cli_runner()


def analyse(runner, *args):
    result = runner.invoke(args=["analyse", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result


def metadata(path, layer: str) -> dict:
    table = pyogrio.read_dataframe(path, layer="metadata")
    rows = table[table["layer"] == layer]
    return {row.key: json.loads(row.value) for row in rows.itertuples()}


def test_geopackage_has_every_layer(demo_runner, tmp_path):
    out = tmp_path / "result.gpkg"
    result = analyse(demo_runner, "--gemeente", "GM0268", "--distance", 400, "--distance", 800,
                     "--type", "verbindend", "--cell", 200, "--out", out)  # fmt: skip
    assert "9 buurt areas of gemeente Nijmegen (GM0268)" in result.output
    assert "26 places" in result.output and str(out) in result.output
    assert {name for name, _ in pyogrio.list_layers(out)} == LAYERS
    coverage = gpd.read_file(out, layer="coverage")
    assert len(coverage) == 9 * 2 * 2  # areas × (verbindend, any) × distances
    with demo_runner.app.app_context():
        computed = coverage_result(get_session(), gemeente="GM0268", distances=[400, 800],
                                   types=["verbindend"]).frame  # fmt: skip
    assert_geodataframe_equal(coverage, computed, check_dtype=False)
    gaps = gpd.read_file(out, layer="gaps")
    assert gaps["area_m2"].is_monotonic_decreasing
    assert set(gaps["function_type"]) <= {"verbindend", "any"}
    for layer in ("surface", "summary", "proximity"):
        assert len(gpd.read_file(out, layer=layer)) > 0
    long = pyogrio.read_dataframe(out, layer="summary_long")
    assert len(long) == 9 and "geometry" not in long  # one type: one row per area
    meta = metadata(out, "coverage")
    assert meta["distance_method"] == "straight_line"
    assert meta["distance_m"] == [400.0, 800.0]
    assert meta["scope"]["code"] == "GM0268"
    assert metadata(out, "surface")["cell_m"] == 200.0
    info = pyogrio.read_info(out, layer="coverage")
    assert "straight_line" in info["layer_metadata"]["DESCRIPTION"]


def test_csv_summary_and_coverage(demo_runner, tmp_path):
    analyse(demo_runner, "--wijk", "WK026805", "--out", tmp_path / "summary.csv")
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert len(summary) == 5 and "geometry" not in summary
    assert summary["n_places"].sum() == 15
    analyse(demo_runner, "--wijk", "WK026805", "--level", "wijk", "--out",
            tmp_path / "coverage-midden.csv")  # fmt: skip
    coverage = pd.read_csv(tmp_path / "coverage-midden.csv")
    assert list(coverage["code"].unique()) == ["WK026805"]
    assert len(coverage) == 4
    assert coverage["covered_share"].between(0, 1).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "x.csv"], "exactly one of --gemeente or --wijk"),
        (["--wijk", "WK026805", "--gemeente", "GM0268", "--out", "x.csv"], "exactly one"),
        (["--wijk", "WK026805", "--out", "x.shp"], "--out"),
        (["--wijk", "WK026805", "--distance", "10", "--out", "x.csv"], "--distance"),
        (["--wijk", "WK026805", "--type", "gezellig", "--out", "x.csv"], "--type"),
        (["--wijk", "WK999999", "--out", "x.csv"], "import-areas"),
        (["--gemeente", "Atlantis", "--out", "x.csv"], "--gemeente"),
        (["--wijk", "WK026805"], "--out"),
    ],
)
def test_bad_arguments_are_clear_click_errors(demo_runner, tmp_path, args, message):
    folder = tmp_path / "out"
    args = [str(folder / a) if a.startswith("x.") else a for a in args]
    result = demo_runner.invoke(args=["analyse", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not folder.exists()  # nothing written


def test_address_points_replace_the_even_spread(demo_app, demo_runner, tmp_path):
    from plekken.db import get_session
    from plekken.services.analysis import load_inputs

    with demo_app.app_context():
        areas, _ = load_inputs(get_session(), wijk="WK026805")
    # Four address points in each buurt, in RD New as BAG delivers them.
    inner = areas.to_crs(28992).geometry.representative_point()
    homes = [translate(point, xoff=metres) for point in inner for metres in (0, 20, 40, 60)]
    path = tmp_path / "adressen.gpkg"
    gpd.GeoDataFrame({"huisnummer": range(len(homes))}, geometry=homes, crs=28992).to_file(path)
    result = analyse(demo_runner, "--wijk", "WK026805", "--population", path,
                     "--out", tmp_path / "coverage-adressen.csv")  # fmt: skip
    assert "Wrote" in result.output
    coverage = pd.read_csv(tmp_path / "coverage-adressen.csv")
    by_code = coverage[coverage["function_type"] == "any"].set_index("code")
    # Each buurt's CBS count is shared by its four addresses: covered in steps of a quarter.
    known = areas.set_index("code")["inhabitants"].dropna()
    for code, inhabitants in known.items():
        quarters = by_code.loc[code, "covered_inhabitants"] / (inhabitants / 4)
        assert quarters == pytest.approx(round(quarters)), code
    bad = demo_runner.invoke(
        args=["analyse", "--wijk", "WK026805", "--population", str(path),
              "--population-weight", "bewoners", "--out", str(tmp_path / "x.gpkg")]
    )  # fmt: skip
    assert bad.exit_code == 2 and "has no column 'bewoners'; it has huisnummer" in bad.output


def test_surface_too_large_is_refused(demo_runner, tmp_path, monkeypatch):
    from plekken.services import analysis as analysis_service

    monkeypatch.setattr(analysis_service, "MAX_CELLS", 10)
    result = demo_runner.invoke(args=["analyse", "--wijk", "WK026805", "--out",
                                      str(tmp_path / "r.gpkg")])  # fmt: skip
    assert result.exit_code == 1
    assert "larger cell or a smaller area" in result.output


def street_grid(bounds, spacing=100.0) -> nx.Graph:
    """A square street grid in RD New over ``bounds``."""
    minx, miny, maxx, maxy = bounds
    xs, ys = np.arange(minx, maxx + spacing, spacing), np.arange(miny, maxy + spacing, spacing)
    graph = nx.Graph(crs="EPSG:28992")
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            graph.add_node(f"{i}-{j}", x=float(x), y=float(y))
            if i:
                graph.add_edge(f"{i - 1}-{j}", f"{i}-{j}")
            if j:
                graph.add_edge(f"{i}-{j - 1}", f"{i}-{j}")
    return graph


def test_network_distances(demo_app, demo_runner, tmp_path):
    from plekken.db import get_session
    from plekken.services.analysis import load_inputs

    with demo_app.app_context():
        areas, _ = load_inputs(get_session(), wijk="WK026805")
    bounds = areas.to_crs(28992).total_bounds + np.array([-500, -500, 500, 500])
    path = tmp_path / "streets.graphml"
    nx.write_graphml(street_grid(bounds), path)
    out = tmp_path / "network.gpkg"
    result = analyse(demo_runner, "--wijk", "WK026805", "--type", "verbindend", "--cell", 200,
                     "--network", path, "--out", out)  # fmt: skip
    assert "network distances" in result.output
    assert metadata(out, "coverage")["distance_method"] == "network"
    assert metadata(out, "gaps")["distance_method"] == "network"
    assert metadata(out, "proximity")["distance_method"] == "straight_line"
    coverage = gpd.read_file(out, layer="coverage")
    assert coverage["covered_share"].between(0, 1).all()


def test_unreadable_network(demo_runner, tmp_path):
    path = tmp_path / "streets.txt"
    path.write_text("no network", encoding="utf-8")
    result = demo_runner.invoke(args=["analyse", "--wijk", "WK026805", "--network", str(path),
                                      "--out", str(tmp_path / "r.gpkg")])  # fmt: skip
    assert result.exit_code == 2 and "--network" in result.output


def test_real_nijmegen_buurten(runner, tmp_path, shared_data):
    result = runner.invoke(args=["import-areas", str(shared_data / "nijmegen_buurten.geojson")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "nijmegen.gpkg"
    analyse(runner, "--gemeente", "Nijmegen", "--cell", 250, "--out", out)
    assert {name for name, _ in pyogrio.list_layers(out)} == LAYERS
    coverage = gpd.read_file(out, layer="coverage")
    assert len(coverage) == 44 * 4
    assert metadata(out, "coverage")["places_counted"] == 0
