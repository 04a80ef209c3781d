"""The walking network in the product: ``plekken import-network``, ``plekken analyse
--distance-method network`` and the API's ``distance_method=network``."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Transformer

from tests.osm_files import keep_walking_network

pytest.importorskip("osmium")


@pytest.fixture
def walking_app(demo_app, tmp_path):
    """The demo app with a street grid over wijk WK026805 kept as its walking network."""
    output = keep_walking_network(demo_app, tmp_path)
    assert "Walking network of gemeente GM0268 kept:" in output
    return demo_app


def test_api_measures_along_the_kept_network(walking_app):
    client = walking_app.test_client()
    query = "wijk=WK026805&type=verbindend&distance=400"
    straight = client.get(f"/api/v1/analysis/coverage?{query}").get_json()
    walking = client.get(f"/api/v1/analysis/coverage?{query}&distance_method=network").get_json()
    assert straight["metadata"]["distance_method"] == "straight_line"
    assert walking["metadata"]["distance_method"] == "network"
    assert walking["metadata"]["network_width_m"] == 50.0

    def share(body):
        return sum(f["properties"]["covered_share"] for f in body["features"])

    assert share(walking) < share(straight)  # walking reaches less than the crow flies
    gaps = client.get(f"/api/v1/analysis/gaps?{query}&distance_method=network").get_json()
    assert gaps["metadata"]["distance_method"] == "network"


def test_api_without_a_kept_network_names_the_field(demo_app, tmp_path):
    demo_app.config["NETWORK_FOLDER"] = str(tmp_path / "none")
    response = demo_app.test_client().get(
        "/api/v1/analysis/coverage?wijk=WK026805&distance_method=network"
    )
    assert response.status_code == 422
    assert "distance_method" in response.get_json()["errors"]
    bad = demo_app.test_client().get("/api/v1/analysis/gaps?wijk=WK026805&distance_method=fly")
    assert bad.status_code == 422 and "distance_method" in bad.get_json()["errors"]


def test_cli_walks_and_writes_distances_per_address(walking_app, tmp_path):
    from plekken.db import get_session
    from plekken.services.analysis import load_inputs

    with walking_app.app_context():
        areas, _ = load_inputs(get_session(), wijk="WK026805")
    inner = areas.to_crs(28992).geometry.representative_point().to_numpy()
    homes = gpd.GeoDataFrame({"weight": np.full(len(inner), 3)}, geometry=inner, crs=28992)
    population = tmp_path / "homes.gpkg"
    homes.to_file(population)
    out = tmp_path / "walk.gpkg"
    result = walking_app.test_cli_runner().invoke(args=[
        "analyse", "--wijk", "WK026805", "--type", "verbindend", "--cell", 200,
        "--distance-method", "network", "--population", str(population),
        "--population-weight", "weight", "--out", str(out),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "network distances" in result.output
    walked = gpd.read_file(out, layer="walking_distances")
    assert len(walked) == len(homes) and {"walk_verbindend", "walk_any"} <= set(walked.columns)
    table = pyogrio.read_dataframe(out, layer="metadata")
    coverage = table[(table["layer"] == "coverage") & (table["key"] == "distance_method")]
    assert json.loads(coverage["value"].iloc[0]) == "network"
    # walking is never shorter than the crow flies
    places = load_places(walking_app)
    lonlat = shapely.get_coordinates(walked.geometry.to_numpy())
    xy = np.column_stack(Transformer.from_crs(4326, 28992, always_xy=True).transform(*lonlat.T))
    straight = np.hypot(*(xy[:, None] - places[None]).transpose(2, 0, 1)).min(axis=1)
    reached = walked["walk_any"].notna().to_numpy()
    assert (walked["walk_any"].to_numpy()[reached] >= straight[reached] - 0.01).all()


def load_places(app) -> np.ndarray:
    from plekken.db import get_session
    from plekken.services.analysis import load_inputs

    with app.app_context():
        _, places = load_inputs(get_session(), wijk="WK026805")
    return shapely.get_coordinates(places.to_crs(28992).geometry.to_numpy())


def test_cli_refusals(demo_app, tmp_path):
    demo_app.config["NETWORK_FOLDER"] = str(tmp_path / "none")
    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=["analyse", "--wijk", "WK026805", "--distance-method", "network",
                                 "--out", str(tmp_path / "r.gpkg")])  # fmt: skip
    assert result.exit_code == 2 and "plekken import-network" in result.output
    text = tmp_path / "streets.txt"
    text.write_text("no")
    result = runner.invoke(args=["import-network", str(text)])
    assert result.exit_code == 2 and ".osm.pbf" in result.output
