"""The analysis endpoints on both backends, with the demo wijken and the real Nijmegen buurten."""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import numpy as np
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import shape
from sqlalchemy import select

from plekken import analysis, storage
from plekken.api.answers import ANSWERS_KEY
from plekken.db import get_session
from plekken.services import analysis as analysis_service
from plekken.storage.models import Place
from tests.factories import bearer, make_user, place_data

WIJK = "WK026805"  # Nijmegen-Midden in the demo data: 5 buurten
COVERAGE_PROPERTIES = {
    "code", "name", "level", "function_type", "distance_m", "covered_share",
    "covered_inhabitants", "inhabitants", "land_area_m2", "n_places",
}  # fmt: skip
METADATA = {
    "distance_method", "distance_m", "function_types", "level", "scope", "data_date",
    "places_counted", "include_pending", "inhabitants_assumption",
}  # fmt: skip


@pytest.fixture
def demo(demo_app):
    return demo_app.test_client()


def cache_of(app) -> analysis_service.ResultCache:
    return app.extensions["plekken_analysis_cache"]


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_json()


def key(props: dict) -> tuple:
    return props["code"], props["function_type"], props["distance_m"]


def test_coverage_feature_collection(demo):
    body = get_json(demo, f"/api/v1/analysis/coverage?wijk={WIJK}&distance=400,800")
    assert body["type"] == "FeatureCollection"
    assert "crs" not in body
    features = body["features"]
    assert len(features) == 5 * 4 * 2  # buurten × (three types + any) × distances
    for feature in features:
        props = feature["properties"]
        assert set(props) >= COVERAGE_PROPERTIES
        assert props["level"] == "buurt"
        assert 0 <= props["covered_share"] <= 1
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        lon, lat = shape(feature["geometry"]).representative_point().coords[0]
        assert 5.7 < lon < 6.0 and 51.7 < lat < 51.9  # RFC 7946: lon/lat
    types = {f["properties"]["function_type"] for f in features}
    assert types == {"functioneel", "verbindend", "ideologisch", "any"}
    meta = body["metadata"]
    assert set(meta) >= METADATA
    assert meta["distance_method"] == "straight_line"
    assert meta["distance_m"] == [400.0, 800.0]
    assert meta["scope"] == {"type": "wijk", "code": WIJK, "name": "Nijmegen-Midden",
                             "level": "buurt"}  # fmt: skip
    assert meta["places_counted"] == 15 and meta["include_pending"] is False
    assert "evenly" in meta["inhabitants_assumption"]


def test_any_covers_at_least_each_type(demo):
    features = get_json(demo, f"/api/v1/analysis/coverage?wijk={WIJK}")["features"]
    by_key = {key(f["properties"]): f["properties"]["covered_share"] for f in features}
    for (code, function_type, distance), share in by_key.items():
        assert by_key[(code, "any", distance)] >= share - 1e-9, function_type


def test_coverage_equals_the_core_on_the_same_frames(demo_app, demo):
    body = get_json(demo, f"/api/v1/analysis/coverage?wijk={WIJK}&distance=800,400")
    with demo_app.app_context():
        areas, places = analysis_service.load_inputs(get_session(), wijk=WIJK)
    expected = analysis.coverage(analysis.prepare(areas, places), [400, 800])
    got = gpd.GeoDataFrame.from_features(body["features"], crs=4326)
    # JSON has no integer NA, and coordinates are rounded to 7 decimals (about 1 cm).
    assert_geodataframe_equal(
        got[expected.columns], expected, check_dtype=False, check_less_precise=True
    )


def test_proximity_equals_the_core_and_reads_like_cbs(demo_app, demo):
    body = get_json(demo, f"/api/v1/analysis/proximity?wijk={WIJK}&type=verbindend&cell=50")
    with demo_app.app_context():
        areas, places = analysis_service.load_inputs(get_session(), wijk=WIJK)
    expected = analysis.proximity(analysis.prepare(areas, places), 50, "verbindend").set_index(
        ["code", "function_type"]
    )
    assert len(body["features"]) == 5 * 2  # buurten × (verbindend, any)
    for feature in body["features"]:
        props = feature["properties"]
        row = expected.loc[(props["code"], props["function_type"])]
        assert props["mean_distance_m"] == pytest.approx(row["mean_distance_m"])
        assert props["median_distance_m"] == pytest.approx(row["median_distance_m"])
        assert props["mean_n_400"] == pytest.approx(row["mean_n_400"])
    assert body["metadata"]["cell_m"] == 50
    assert body["metadata"]["distance_method"] == "straight_line"
    with demo.get(f"/api/v1/analysis/proximity?wijk={WIJK}&format=csv") as response:
        assert response.mimetype == "text/csv"
        header = response.get_data(as_text=True).splitlines()[0]
    assert "mean_distance_m" in header and "median_distance_m" in header
    bad = get_json(demo, f"/api/v1/analysis/proximity?wijk={WIJK}&cell=5", status=422)
    assert set(bad["errors"]) == {"cell"}


def test_wijk_level_and_gemeente_by_name(demo):
    body = get_json(demo, "/api/v1/analysis/coverage?gemeente=nijmegen&level=wijk&type=any")
    codes = {f["properties"]["code"] for f in body["features"]}
    assert codes == {"WK026805", "WK026806"}
    assert {f["properties"]["function_type"] for f in body["features"]} == {"any"}
    assert body["metadata"]["scope"]["code"] == "GM0268"
    assert body["metadata"]["places_counted"] == 26


def test_coverage_csv(demo):
    response = demo.get(f"/api/v1/analysis/coverage?wijk={WIJK}&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "coverage-WK026805-buurt.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 5 * 4
    assert set(rows[0]) >= COVERAGE_PROPERTIES and "geometry" not in rows[0]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("coverage?distance=400", {"wijk", "gemeente"}),
        (f"coverage?wijk={WIJK}&gemeente=GM0268", {"wijk", "gemeente"}),
        (f"coverage?wijk={WIJK}&distance=10", {"distance"}),
        (f"coverage?wijk={WIJK}&distance=veel", {"distance"}),
        (f"coverage?wijk={WIJK}&type=gezellig&level=stad", {"type", "level"}),
        (f"coverage?wijk={WIJK}&include_pending=misschien&format=xml",
         {"include_pending", "format"}),
        (f"surface?wijk={WIJK}&cell=5000&shape=driehoek", {"cell", "shape"}),
        (f"gaps?wijk={WIJK}&distance=400,800&type=verbindend,any", {"distance", "type"}),
        (f"summary?wijk={WIJK}&min_places=0&long=ja-graag", {"min_places", "long"}),
    ],
)  # fmt: skip
def test_invalid_parameters_are_422_naming_the_field(demo_app, demo, query, fields):
    response = demo.get(f"/api/v1/analysis/{query}")
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert set(errors) == fields
    assert all(isinstance(message, str) and message for message in errors.values())
    assert cache_of(demo_app).stats["misses"] == 0  # nothing was computed


def test_dutch_by_default_english_on_request(demo):
    url = f"/api/v1/analysis/coverage?wijk={WIJK}&distance=10"
    dutch = get_json(demo, url, 422)["errors"]["distance"]
    english = get_json(demo, url + "&lang=en", 422)["errors"]["distance"]
    assert dutch == "Dit moet een getal tussen 50 en 5000 meter zijn."
    assert english == "This must be a number between 50 and 5000 metres."
    scope = get_json(demo, "/api/v1/analysis/gaps?lang=en", 422)["errors"]["wijk"]
    assert scope == "Give either a wijk or a gemeente (exactly one of the two)."


def test_unknown_scope_is_404_naming_the_field(demo):
    assert "wijk" in get_json(demo, "/api/v1/analysis/coverage?wijk=WK999999", 404)["errors"]
    errors = get_json(demo, "/api/v1/analysis/summary?gemeente=Atlantis", 404)["errors"]
    assert set(errors) == {"gemeente"}


def buurt_point(client, code: str) -> tuple[float, float]:
    areas = get_json(client, f"/api/v1/areas?level=buurt&parent={WIJK}")["features"]
    outline = next(shape(f["geometry"]) for f in areas if f["properties"]["code"] == code)
    return outline.representative_point().coords[0]


def test_cache_hits_and_a_new_place_invalidates(demo_app, demo, published):
    url = f"/api/v1/analysis/coverage?wijk={WIJK}&type=ideologisch"
    first = get_json(demo, url)
    assert cache_of(demo_app).stats | {"size": 1} == {"hits": 0, "misses": 1, "size": 1,
                                                       "maxsize": 64}  # fmt: skip
    assert get_json(demo, url) == first
    # The repeat is the encoded answer kept whole: the result is not even looked up.
    assert demo_app.extensions[ANSWERS_KEY].hits == 1
    assert cache_of(demo_app).stats["hits"] == 0
    code = min(f["properties"]["code"] for f in first["features"])
    lon, lat = buurt_point(demo, code)
    new_place = place_data(lon=lon, lat=lat, function_types=["ideologisch"])
    posted = demo.post("/api/v1/places", json=new_place)
    assert posted.status_code == 201, posted.get_json()
    after = get_json(demo, url)
    assert cache_of(demo_app).stats["misses"] == 2
    assert after["metadata"]["places_counted"] == first["metadata"]["places_counted"] + 1
    assert after["metadata"]["data_date"] >= first["metadata"]["data_date"]
    near = {key(f["properties"]): f["properties"]["n_places"] for f in first["features"]}
    now = {key(f["properties"]): f["properties"]["n_places"] for f in after["features"]}
    assert now[(code, "ideologisch", 400.0)] == near[(code, "ideologisch", 400.0)] + 1


def test_hiding_a_place_or_reimporting_areas_invalidates(demo_app, demo, session):
    url = f"/api/v1/analysis/summary?wijk={WIJK}"
    before = get_json(demo, url)["metadata"]
    version = storage.data_version(session)
    place = session.scalars(select(Place).where(Place.wijk_code == WIJK).limit(1)).one()
    place.status = "hidden"
    session.commit()
    assert storage.data_version(session) != version
    assert get_json(demo, url)["metadata"]["places_counted"] == before["places_counted"] - 1
    version = storage.data_version(session)
    assert demo_app.test_cli_runner().invoke(args=["load-demo"]).exit_code == 0  # re-import
    assert storage.data_version(session) != version
    assert cache_of(demo_app).stats["hits"] == 0


def test_cache_is_bounded_lru():
    cache = analysis_service.ResultCache(maxsize=2)
    calls = []
    for key_ in ("a", "b", "a", "c", "b"):
        cache.get_or_compute(key_, lambda k=key_: calls.append(k) or k.upper())
    assert calls == ["a", "b", "c", "b"]  # "b" was the least recently used when "c" came
    assert cache.stats == {"hits": 1, "misses": 4, "size": 2, "maxsize": 2}


def test_pending_places_only_when_asked(demo_app, demo):
    demo_app.config["NEW_PLACE_STATUS"] = "pending"
    lon, lat = buurt_point(demo, "BU02680510")
    assert demo.post("/api/v1/places", json=place_data(lon=lon, lat=lat)).status_code == 201
    url = f"/api/v1/analysis/summary?wijk={WIJK}"
    published = get_json(demo, url)["metadata"]
    # Only the professionals of the gemeente may count places that wait for approval.
    assert get_json(demo, url + "&include_pending=1", 401)["errors"]
    elsewhere = bearer(make_user(demo_app, "ander@example.org", "onderzoeker", ["GM0363"]))
    assert demo.get(url + "&include_pending=1", headers=elsewhere).status_code == 403
    researcher = bearer(make_user(demo_app, "onderzoek@example.org", "onderzoeker", ["GM0268"]))
    response = demo.get(url + "&include_pending=1", headers=researcher)
    pending = response.get_json()["metadata"]
    assert pending["places_counted"] == published["places_counted"] + 1
    assert pending["include_pending"] is True


def test_gaps_largest_first(demo):
    body = get_json(demo, "/api/v1/analysis/gaps?gemeente=GM0268&distance=300&type=any")
    areas = [f["properties"]["area_m2"] for f in body["features"]]
    assert areas and areas == sorted(areas, reverse=True)
    props = body["features"][0]["properties"]
    assert {"code", "area_m2", "inhabitants_est", "share_of_land"} <= set(props)
    assert props["code"].startswith("BU0268")
    assert body["metadata"]["function_type"] == "any"
    assert body["metadata"]["distance_m"] == 300.0


def test_surface_cells(demo):
    body = get_json(demo, f"/api/v1/analysis/surface?wijk={WIJK}&cell=200&type=verbindend")
    features = body["features"]
    assert body["metadata"]["cell_m"] == 200.0
    outline = get_json(demo, "/api/v1/areas?level=wijk&gemeente=GM0268")["features"]
    wijk = next(shape(f["geometry"]) for f in outline if f["properties"]["code"] == WIJK)
    km2 = analysis.to_metric(gpd.GeoSeries([wijk], crs=4326)).area.iloc[0] / 1e6
    assert km2 * 25 * 0.8 < len(features) < km2 * 25 * 1.6  # 25 cells of 200 m per km²
    props = features[0]["properties"]
    assert {"cell_id", "code", "dist_verbindend", "dist_any", "n_verbindend_400"} <= set(props)
    hexes = get_json(demo, f"/api/v1/analysis/surface?wijk={WIJK}&cell=200&shape=hex")
    assert hexes["features"][0]["properties"]["cell_id"].startswith("H")


def test_surface_refuses_too_many_cells(demo, monkeypatch):
    monkeypatch.setattr(analysis_service, "MAX_CELLS", 50)
    errors = get_json(demo, f"/api/v1/analysis/surface?wijk={WIJK}&cell=25", 422)["errors"]
    assert "grotere cel" in errors["cell"]


def test_summary_json_wide_and_long(demo):
    wide = get_json(demo, "/api/v1/analysis/summary?gemeente=GM0268&min_places=3")
    assert len(wide["records"]) == 9
    record = wide["records"][0]
    assert {"code", "n_places", "n_verbindend", "share_verbindend", "diversity",
            "small_sample"} <= set(record)  # fmt: skip
    assert "geometry" not in record
    assert wide["metadata"]["min_places"] == 3
    assert sum(r["n_places"] for r in wide["records"]) == 26
    long = get_json(demo, "/api/v1/analysis/summary?gemeente=GM0268&long=1")
    assert len(long["records"]) == 9 * 3
    assert {r["function_type"] for r in long["records"]} == {"functioneel", "verbindend",
                                                             "ideologisch"}  # fmt: skip


def test_summary_csv(demo):
    response = demo.get(f"/api/v1/analysis/summary?wijk={WIJK}&format=csv&long=1")
    assert response.mimetype == "text/csv"
    assert "summary_long-WK026805-buurt.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 5 * 3
    assert list(rows[0]) == ["code", "name", "level", "function_type", "count", "share",
                             "n_places"]  # fmt: skip


def test_openapi_lists_the_analysis(demo):
    paths = get_json(demo, "/api/v1/openapi.json")["paths"]
    for name in ("coverage", "surface", "gaps", "summary", "proximity"):
        operation = paths[f"/analysis/{name}"]["get"]
        assert {"wijk", "gemeente"} <= {p["name"] for p in operation["parameters"]}
        assert "422" in operation["responses"]


def test_real_nijmegen_buurten(app, runner, client, shared_data):
    result = runner.invoke(args=["import-areas", str(shared_data / "nijmegen_buurten.geojson")])
    assert result.exit_code == 0, result.output
    body = get_json(client, "/api/v1/analysis/coverage?gemeente=Nijmegen&distance=400,800")
    assert len(body["features"]) == 44 * 4 * 2
    assert body["metadata"]["places_counted"] == 0
    shares = np.array([f["properties"]["covered_share"] for f in body["features"]])
    assert (shares == 0).all()  # no places yet: nothing is covered
    inhabitants = [f["properties"]["inhabitants"] for f in body["features"]]
    assert all(n is None or n >= 0 for n in inhabitants)
    wijk = get_json(client, "/api/v1/analysis/summary?wijk=WK026801")  # buurten name the wijk
    assert {r["code"][:8] for r in wijk["records"]} == {"BU026801"}
