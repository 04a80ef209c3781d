"""The JSON API on both backends."""

from __future__ import annotations

import io

from PIL import Image

from tests.factories import place_data


def post_place(client, **overrides):
    return client.post("/api/v1/places", json=place_data(**overrides))


def test_areas_feature_collection(toy_client):
    body = toy_client.get("/api/v1/areas?level=buurt").get_json()
    assert body["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in body["features"]] == ["BU09990101", "BU09990102"]
    props = body["features"][0]["properties"]
    assert props == {
        "code": "BU09990101",
        "name": "West",
        "level": "buurt",
        "parent_code": "WK099901",
        "gemeente_code": "GM0999",
        "inhabitants": 1200,
        "is_water": False,
    }
    assert body["features"][0]["geometry"]["type"] == "MultiPolygon"
    assert "crs" not in body  # RFC 7946: WGS84 lon/lat, no crs member


def test_areas_bad_level(toy_client):
    response = toy_client.get("/api/v1/areas?level=provincie")
    assert response.status_code == 422
    assert "level" in response.get_json()["errors"]


def test_post_then_get_place(toy_client, published):
    response = post_place(toy_client, function_types=["verbindend", "ideologisch"])
    assert response.status_code == 201
    feature = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/places/{feature['id']}")
    props = feature["properties"]
    for key in ("id", "name", "quote", "story", "function_types", "wijk_code", "buurt_code",
                "status", "symbol_url"):  # fmt: skip
        assert key in props
    assert props["buurt_code"] == "BU09990101"
    assert props["buurt_name"] == "West"
    assert props["wijk_code"] == "WK099901"
    assert props["status"] == "published"
    assert props["symbol_url"].endswith("/static/symbols/bankje.svg")
    assert feature["geometry"] == {"type": "Point", "coordinates": [5.81, 51.81]}
    again = toy_client.get(f"/api/v1/places/{props['id']}").get_json()
    assert again["properties"]["name"] == props["name"]


def test_invalid_post_is_422_with_field_messages_and_nothing_stored(toy_client):
    response = toy_client.post("/api/v1/places", json={"name": "", "lon": "x"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert {"name", "lon", "lat", "function_types", "consent"} <= set(errors)
    assert toy_client.get("/api/v1/places").get_json()["features"] == []


def test_english_messages_on_request(toy_client):
    response = toy_client.post("/api/v1/places", json={}, headers={"Accept-Language": "en"})
    assert response.get_json()["errors"]["name"] == "Give the place a name."


def test_broken_json(toy_client):
    response = toy_client.post("/api/v1/places", data="{not json", content_type="application/json")
    assert response.status_code == 422
    assert "body" in response.get_json()["errors"]


def test_outside_is_refused(toy_client):
    response = post_place(toy_client, lon=4.0, lat=52.0)
    assert response.status_code == 422
    assert "location" in response.get_json()["errors"]


def test_filters(toy_client, published):
    post_place(toy_client, function_types=["functioneel"])
    post_place(toy_client, lon=5.83, function_types=["ideologisch"])
    get = toy_client.get
    assert len(get("/api/v1/places?wijk=WK099901").get_json()["features"]) == 2
    assert len(get("/api/v1/places?buurt=BU09990102").get_json()["features"]) == 1
    typed = get("/api/v1/places?type=ideologisch").get_json()["features"]
    assert [f["properties"]["function_types"] for f in typed] == [["ideologisch"]]
    assert get("/api/v1/places?type=raar").status_code == 422


def test_missing_place_is_404_json(toy_client):
    response = toy_client.get("/api/v1/places/999")
    assert response.status_code == 404
    assert "errors" in response.get_json()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "orange").save(buffer, "PNG")
    return buffer.getvalue()


def test_multipart_post_with_symbol_image(toy_client, published):
    data = {k: str(v) for k, v in place_data().items() if k != "function_types"}
    data["function_types"] = ["verbindend", "functioneel"]
    data["symbol_image"] = (io.BytesIO(png_bytes()), "tekening.png")
    response = toy_client.post("/api/v1/places", data=data, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    props = response.get_json()["properties"]
    assert props["function_types"] == ["functioneel", "verbindend"]
    image = toy_client.get(props["symbol_url"])
    assert image.status_code == 200
    assert image.mimetype == "image/png"
    assert Image.open(io.BytesIO(image.data)).size == (256, 256)


def test_user_text_is_returned_verbatim_as_json(toy_client):
    nasty = '<img src=x onerror="alert(1)">'
    props = post_place(toy_client, name=nasty, quote=nasty).get_json()["properties"]
    assert props["name"] == nasty


def test_openapi_document(toy_client):
    doc = toy_client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert {"/areas", "/places", "/places/{id}"} <= set(doc["paths"])
    assert "post" in doc["paths"]["/places"]
    assert "422" in doc["paths"]["/places"]["post"]["responses"]


def test_markers_are_compact_geojson(toy_client, published):
    post_place(toy_client, function_types=["ideologisch", "verbindend"], quote="Altijd open.")
    post_place(toy_client, lon=5.83, quote="", symbol_icon="boom")
    body = toy_client.get("/api/v1/places/markers?wijk=WK099901").get_json()
    first, second = body["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [5.81, 51.81]}
    # Only what a marker, a cluster and the list show; types in the vocabulary's order.
    assert first["properties"] == {
        "name": "Bankje bij de vijver",
        "quote": "Altijd open.",
        "types": ["verbindend", "ideologisch"],
        "symbol": "bankje",
        "buurt": "BU09990101",
    }
    assert second["properties"]["symbol"] == "boom" and "quote" not in second["properties"]
    assert second["properties"]["buurt"] == "BU09990102"
    assert [f["id"] for f in body["features"]] == [first["id"], second["id"]]
    other = toy_client.get("/api/v1/places/markers?wijk=WK000000").get_json()
    assert other["features"] == []
    typed = toy_client.get("/api/v1/places/markers?type=ideologisch").get_json()
    assert [f["id"] for f in typed["features"]] == [first["id"]]


def test_markers_answer_304_until_the_data_changes(toy_client, published):
    post_place(toy_client)
    url = "/api/v1/places/markers?wijk=WK099901"
    first = toy_client.get(url)
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert toy_client.get(url, headers={"If-None-Match": tag}).status_code == 304
    post_place(toy_client, lon=5.83)
    again = toy_client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 200
    assert len(again.get_json()["features"]) == 2
