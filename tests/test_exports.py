"""Data exports: every format read back and compared with the database, the GeoPackage's
layers, the codebook, streaming in batches, and privacy by default."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import geopandas as gpd
import numpy as np
import openpyxl
import pyogrio
import pytest
from pyproj import Transformer

from plekken import storage
from plekken.db import get_session
from plekken.privacy import coarsen
from plekken.services.exports import ExportQuery, iter_export, resolve_scope
from plekken.services.visibility import PUBLIC
from tests.factories import bearer, make_user, place_data
from tests.test_moderation import add_with_image, set_status

WIJK = "WK026805"
TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


def export(client, query: str, headers=None):
    response = client.get(f"/api/v1/export?{query}", headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def expected_places(app, wijk=WIJK) -> dict[int, tuple]:
    with app.app_context():
        places = storage.list_places(get_session(), wijk=wijk)
        return {p.id: (p.name, p.lon, p.lat, p.function_types) for p in places}


def read_back(fmt: str, body: bytes, tmp_path) -> gpd.GeoDataFrame:
    """The places of an export as a frame with the id, name, function types and points."""
    if fmt == "geojson":
        features = json.loads(body)["features"]
        frame = gpd.GeoDataFrame.from_features(features, crs=4326)
        frame["id"] = [feature["id"] for feature in features]
        frame["function_types"] = [";".join(t) for t in frame["function_types"]]
        return frame
    if fmt == "csv":
        assert body.startswith("\ufeff".encode())
        table = gpd.pd.read_csv(io.BytesIO(body), encoding="utf-8-sig")
    elif fmt == "xlsx":
        path = tmp_path / "out.xlsx"
        path.write_bytes(body)
        table = gpd.pd.read_excel(path, sheet_name="places", engine="openpyxl")
    else:
        path = tmp_path / "out.gpkg"
        path.write_bytes(body)
        return pyogrio.read_dataframe(path, layer="places")
    points = gpd.points_from_xy(table["lon"], table["lat"], crs=4326)
    return gpd.GeoDataFrame(table, geometry=points)


def metres_apart(lon1, lat1, lon2, lat2) -> float:
    x1, y1 = TO_RD.transform(lon1, lat1)
    x2, y2 = TO_RD.transform(lon2, lat2)
    return float(np.hypot(x1 - x2, y1 - y2))


@pytest.mark.parametrize("fmt", ["geojson", "csv", "xlsx", "gpkg"])
def test_every_format_reads_back_as_the_database(demo_app, fmt, tmp_path):
    response = export(demo_app.test_client(), f"wijk={WIJK}&format={fmt}")
    frame = read_back(fmt, response.get_data(), tmp_path)
    expected = expected_places(demo_app)
    assert len(frame) == len(expected) > 10
    for row in frame.itertuples():
        name, lon, lat, types = expected[int(row.id)]
        assert row.name == name
        assert row.function_types == ";".join(types)
        assert metres_apart(row.geometry.x, row.geometry.y, lon, lat) < 0.01
        for key in ("functioneel", "verbindend", "ideologisch"):
            assert bool(getattr(row, f"type_{key}")) == (key in types)
    assert "attachment" in response.headers["Content-Disposition"]
    assert f"plekken-{WIJK}." in response.headers["Content-Disposition"]


def test_the_answers_have_their_media_types(demo_app):
    client = demo_app.test_client()
    types = {
        "geojson": "application/geo+json",
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "gpkg": "application/geopackage+sqlite3",
    }
    for fmt, media in types.items():
        assert export(client, f"wijk={WIJK}&format={fmt}").content_type == media
    zipped = export(client, f"wijk={WIJK}&format=csv&with_images=1")
    assert zipped.content_type == "application/zip"


def test_geojson_is_rfc_7946(demo_app):
    body = export(demo_app.test_client(), "gemeente=GM0268&format=geojson").get_json()
    assert body["type"] == "FeatureCollection" and "crs" not in body
    for feature in body["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 3 < lon < 8 and 50 < lat < 54  # lon first
        assert feature["geometry"]["type"] == "Point"
    assert body["metadata"]["places"] == len(body["features"])
    assert body["metadata"]["audience"].startswith("public")


def test_the_geopackage_has_its_layers_and_codebook(demo_app, tmp_path):
    body = export(demo_app.test_client(), "gemeente=GM0268&format=gpkg&with_analysis=1").data
    path = tmp_path / "nijmegen.gpkg"
    path.write_bytes(body)
    layers = dict(pyogrio.list_layers(path))
    assert {"places", "buurten", "wijken", "analysis_coverage", "analysis_gaps"} <= set(layers)
    assert layers["places"] == "Point" and layers["codebook"] is None
    wijken = pyogrio.read_dataframe(path, layer="wijken")
    assert set(wijken["code"]) == {"WK026805", "WK026806"} and wijken.crs == "EPSG:4326"
    codebook = pyogrio.read_dataframe(path, layer="codebook")
    fields = set(codebook.loc[codebook["section"] == "field", "name"])
    assert {"lon", "lat", "cond_sociale_cohesie", "type_verbindend"} <= fields
    assert codebook["text"].str.contains("CC-BY 4.0").any()
    meta = pyogrio.read_dataframe(path, layer="metadata").set_index("key")["value"]
    assert json.loads(meta["software"]).startswith("plekken ")


def test_the_workbook_has_places_buurten_and_codebook(demo_app, tmp_path):
    path = tmp_path / "wijk.xlsx"
    path.write_bytes(export(demo_app.test_client(), f"wijk={WIJK}&format=xlsx").data)
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["places", "buurten", "codebook"]
    buurten = list(book["buurten"].values)
    header = buurten[0]
    places = sum(row[header.index("places")] for row in buurten[1:])
    assert places == len(expected_places(demo_app))
    texts = " ".join(str(row[2]) for row in book["codebook"].values)
    assert "Sociale cohesie" in texts and "CC-BY 4.0" in texts
    book.close()


def test_filters_by_buurt_type_and_day(demo_app):
    client = demo_app.test_client()
    typed = export(client, f"wijk={WIJK}&type=verbindend").get_json()["features"]
    assert typed and all("verbindend" in f["properties"]["function_types"] for f in typed)
    buurt = typed[0]["properties"]["buurt_code"]
    inside = export(client, f"wijk={WIJK}&buurt={buurt}").get_json()["features"]
    assert inside and {f["properties"]["buurt_code"] for f in inside} == {buurt}
    today = typed[0]["properties"]["created_at"]
    assert len(export(client, f"wijk={WIJK}&since={today}").get_json()["features"]) > 10
    assert export(client, f"wijk={WIJK}&until=2000-01-01").get_json()["features"] == []


def test_bad_requests_name_the_field(demo_app):
    client = demo_app.test_client()
    answer = client.get("/api/v1/export?wijk=WK026805&format=pdf&since=gisteren")
    assert answer.status_code == 422 and {"format", "since"} <= set(answer.get_json()["errors"])
    assert client.get("/api/v1/export?format=csv").status_code == 422
    assert client.get("/api/v1/export?wijk=WK999999").status_code == 404


def test_csv_and_geojson_stream_in_batches(demo_app):
    with demo_app.app_context():
        session = get_session()
        query = ExportQuery(resolve_scope(session, wijk=WIJK))
        chunks = list(iter_export(session, PUBLIC, query, "csv", batch=4))
        assert len(chunks) >= 4
        rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
        assert len(rows) - 1 == len(expected_places(demo_app))
        chunks = list(iter_export(session, PUBLIC, query, "geojson", batch=4))
        assert len(json.loads(b"".join(chunks))["features"]) == len(rows) - 1


def test_the_zip_holds_the_file_codebook_and_symbols(toy_client, app, published):
    app.config["RATE_LIMITS"] = "off"
    drawn = add_with_image(toy_client, "Getekend")
    toy_client.post("/api/v1/places", json=place_data(name="Bankje"))
    body = export(toy_client, "wijk=WK099901&format=gpkg&with_images=1").data
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = set(archive.namelist())
    key = drawn["properties"]["symbol_url"].rsplit("/", 1)[-1]
    assert {"plekken-WK099901.gpkg", "codebook.md", "symbols/bankje.svg", f"symbols/{key}"} <= names
    codebook = archive.read("codebook.md").decode()
    assert "Sociale empowerment" in codebook and "CC-BY 4.0" in codebook


# ---------------------------------------------------------------- privacy


@pytest.fixture
def mixed(toy_client, app):
    """Published, pending, hidden and private places, a name shown and one not."""
    app.config["RATE_LIMITS"] = "off"

    def add(status: str, **fields) -> dict:
        feature = toy_client.post("/api/v1/places", json=place_data(**fields)).get_json()
        set_status(app, feature["id"], status)
        return feature

    places = {
        "open": add("published", name="Open", contributor_name="Zichtbare Naam", show_name=True),
        "secret": add("published", name="Thuis", contributor_name="Geheime Naam",
                      private=True, lon=5.8123456, lat=51.8154321),
        "pending": add("pending", name="Wachtend"),
        "hidden": add("hidden", name="Verborgen"),
    }  # fmt: skip
    token = make_user(app, "o@example.org", "opbouwwerker", ["GM0999"])
    return places, token


@pytest.mark.parametrize("fmt", ["geojson", "csv", "xlsx", "gpkg"])
def test_anyone_gets_public_content_only(mixed, toy_client, fmt, tmp_path):
    places, _ = mixed
    body = export(toy_client, f"wijk=WK099901&format={fmt}").data
    frame = read_back(fmt, body, tmp_path)
    assert sorted(frame["name"]) == ["Open", "Thuis"]
    secret = frame[frame["name"] == "Thuis"].iloc[0]
    lon, lat = coarsen(5.8123456, 51.8154321)
    assert metres_apart(secret.geometry.x, secret.geometry.y, lon, lat) < 0.01
    assert bool(secret["location_coarsened"])
    assert str(secret["created_at"]) == places["secret"]["properties"]["created_at"][:10]
    if fmt in ("geojson", "csv"):
        text = body.decode("utf-8")
        assert "Geheime Naam" not in text and "Zichtbare Naam" in text
        assert all(p["owner_token"] not in text for p in places.values())


def test_status_and_full_need_a_login(mixed, toy_client):
    for query in ("status=pending", "full=1", "status=published,hidden"):
        answer = toy_client.get(f"/api/v1/export?wijk=WK099901&{query}")
        assert answer.status_code == 401


def test_a_professional_may_export_more_and_the_file_says_so(mixed, toy_client):
    places, token = mixed
    query = "wijk=WK099901&status=published,pending&full=1"
    body = export(toy_client, query, bearer(token)).get_json()
    names = {f["properties"]["name"] for f in body["features"]}
    assert names == {"Open", "Thuis", "Wachtend"}
    secret = next(f for f in body["features"] if f["properties"]["name"] == "Thuis")
    assert secret["geometry"]["coordinates"] == [5.8123456, 51.8154321]
    assert secret["properties"]["contributor_name"] == "Geheime Naam"
    assert body["metadata"]["audience"].startswith("professional")
    answer = toy_client.get(f"/api/v1/export?{query}", headers=bearer(token))
    assert answer.headers["Cache-Control"] == "private, no-store"


def test_a_professional_elsewhere_gets_no_more(mixed, toy_client, app):
    token = make_user(app, "e@example.org", "opbouwwerker", ["GM0363"])
    query = "wijk=WK099901&status=published,pending,hidden&full=1"
    body = export(toy_client, query, bearer(token)).get_json()
    assert {f["properties"]["name"] for f in body["features"]} == {"Open", "Thuis"}
    assert "Geheime Naam" not in json.dumps(body)


# ---------------------------------------------------------------- command line


def test_export_data_command(demo_app, tmp_path):
    runner = demo_app.test_cli_runner()
    out = tmp_path / "nijmegen.zip"
    args = ["export-data", "--gemeente", "Nijmegen", "--format", "xlsx", "--with-images",
            "--out", str(out)]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "26 places" in result.output
    assert "plekken-GM0268.xlsx" in zipfile.ZipFile(out).namelist()
    wrong = runner.invoke(args=["export-data", "--wijk", "WK1", "--format", "csv", "--out", "x"])
    assert wrong.exit_code != 0 and "--wijk" in wrong.output
    both = ["export-data", "--wijk", WIJK, "--status", "pending", "--format", "csv", "--out", "x"]
    assert "--full" in runner.invoke(args=both).output
