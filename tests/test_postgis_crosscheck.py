"""Coverage of the real Nijmegen buurten: our geopandas core against plain PostGIS SQL.

The buurten are imported with ``plekken import-areas`` and the OSM landmarks stored as
places in a real PostGIS database; PostGIS then computes the covered share of each buurt
independently (ST_Buffer → ST_Union → ST_Intersection → ST_Area, in EPSG:28992) and the
two must agree within 0.5 percentage point per buurt.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from sqlalchemy import text

from plekken import storage
from plekken.analysis import coverage
from plekken.errors import ValidationError
from plekken.places import add_place

pytestmark = [pytest.mark.postgis, pytest.mark.shared_data]

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


def test_coverage_agrees_with_postgis_sql(nijmegen_in_postgis):
    session = nijmegen_in_postgis
    areas = storage.areas_frame(session, level="buurt")
    places = storage.places_frame(session)
    ours = coverage(areas, places, distances=DISTANCES, types="verbindend")
    ours = ours[ours["function_type"] == "verbindend"].set_index(["code", "distance_m"])
    assert len(ours) == 44 * len(DISTANCES)

    worst = 0.0
    for distance in DISTANCES:
        rows = session.execute(COVERAGE_SQL, {"distance": distance, "type": "verbindend"}).all()
        assert len(rows) == 44
        for code, sql_share in rows:
            difference = abs(ours.loc[(code, distance), "covered_share"] - sql_share)
            worst = max(worst, difference)
            assert difference < 0.005, (code, distance, sql_share)
    # Not a trivial agreement: some buurten are partly covered, some not at all.
    shares = ours["covered_share"]
    assert ((shares > 0.05) & (shares < 0.95)).sum() >= 5
    assert (shares == 0).any()
    print(f"largest difference with PostGIS: {worst * 100:.3f} percentage point")
