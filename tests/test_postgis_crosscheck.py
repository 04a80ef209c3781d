"""Coverage of the real Nijmegen buurten: our geopandas core against plain PostGIS SQL.

The buurten are imported with ``plekken import-areas`` and the OSM landmarks stored as
places in a real PostGIS database; PostGIS then computes the covered share of each buurt
independently (ST_Buffer → ST_Union → ST_Intersection → ST_Area, in EPSG:28992) and the
core, the API and the GeoPackage of ``plekken analyse`` must each agree with it within 0.5
percentage point per buurt.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from sqlalchemy import text

from plekken import storage
from plekken.analysis import coverage, prepare
from plekken.errors import ValidationError
from plekken.services.places import add_place

pytestmark = pytest.mark.postgis

DISTANCES = (400, 800)

COVERAGE_SQL = text(
    """
    WITH reach AS (
        SELECT ST_Union(ST_Buffer(ST_Transform(p.geom, 28992), :distance, 'quad_segs=32')) AS g
        FROM places p
        JOIN place_function_types t ON t.place_id = p.id
        WHERE t.function_type = :type AND p.status = 'published'
    ), buurten AS (
        SELECT code, ST_Transform(geom, 28992) AS g FROM areas WHERE level = 'buurt'
    )
    SELECT b.code,
           ST_Area(ST_Intersection(b.g, reach.g)) / ST_Area(b.g) AS covered_share
    FROM buurten b CROSS JOIN reach
    ORDER BY b.code
    """
)


@pytest.fixture
def nijmegen_in_postgis(app, backend, runner, session, shared_data):
    if backend != "postgis":
        pytest.skip("PostGIS only")
    result = runner.invoke(
        args=["import-areas", str(shared_data / "nijmegen_buurten.geojson"), "--gemeente", "GM0268"]
    )
    assert result.exit_code == 0, result.output
    landmarks = gpd.read_file(shared_data / "nijmegen_pois_osm.geojson")
    stored = 0
    for name, point in zip(landmarks["name"], landmarks.geometry, strict=True):
        data = {"lon": point.x, "lat": point.y, "name": (name or "Plek")[:120],
                "function_types": ["verbindend"], "consent": True}  # fmt: skip
        try:
            add_place(session, data)
            stored += 1
        except ValidationError:
            pass  # the one landmark just outside the gemeente's buurten
    assert stored >= 190
    return session


def postgis_shares(session) -> pd.Series:
    """Covered share per (buurt code, distance) computed by PostGIS alone."""
    rows = [
        (code, distance, share)
        for distance in DISTANCES
        for code, share in session.execute(
            COVERAGE_SQL, {"distance": distance, "type": "verbindend"}
        ).all()
    ]
    frame = pd.DataFrame(rows, columns=["code", "distance_m", "covered_share"])
    return frame.set_index(["code", "distance_m"])["covered_share"]


def shares_of(frame: pd.DataFrame) -> pd.Series:
    rows = frame[frame["function_type"] == "verbindend"]
    return rows.astype({"distance_m": float}).set_index(["code", "distance_m"])["covered_share"]


def assert_agree(ours: pd.Series, sql: pd.Series, source: str) -> float:
    assert len(sql) == 44 * len(DISTANCES)
    assert sorted(ours.index) == sorted(sql.index), source
    difference = (ours - sql.loc[ours.index]).abs()
    assert difference.max() < 0.005, (source, difference.idxmax(), difference.max())
    print(f"{source}: largest difference with PostGIS {difference.max() * 100:.3f} pp")
    return difference.max()


def test_coverage_agrees_with_postgis_sql(nijmegen_in_postgis, client, runner, tmp_path):
    session = nijmegen_in_postgis
    sql = postgis_shares(session)
    sql.index = sql.index.set_levels(sql.index.levels[1].astype(float), level=1)

    # 1. The geopandas core on the stored frames.
    areas = storage.areas_frame(session, level="buurt")
    places = storage.places_frame(session)
    core = shares_of(coverage(prepare(areas, places), distances=DISTANCES, types="verbindend"))
    assert_agree(core, sql, "core")

    # 2. The API a map or another tool calls.
    query = "gemeente=GM0268&level=buurt&type=verbindend&distance=" + ",".join(map(str, DISTANCES))
    response = client.get(f"/api/v1/analysis/coverage?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    api = pd.DataFrame([f["properties"] for f in response.get_json()["features"]])
    assert_agree(shares_of(api), sql, "API")

    # 3. The GeoPackage of the command line, as QGIS would open it.
    out = tmp_path / "nijmegen.gpkg"
    distances = [arg for d in DISTANCES for arg in ("--distance", str(d))]
    result = runner.invoke(
        args=["analyse", "--gemeente", "GM0268", "--level", "buurt", "--type", "verbindend",
              *distances, "--out", str(out)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert_agree(shares_of(gpd.read_file(out, layer="coverage")), sql, "GeoPackage")

    # Not a trivial agreement: some buurten are partly covered, some not at all.
    assert ((core > 0.05) & (core < 0.95)).sum() >= 5
    assert (core == 0).any()
