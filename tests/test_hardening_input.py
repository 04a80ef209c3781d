"""Every input gets a clear answer: the crafted requests that once caused a 500 or stored
something odd, on SQLite and PostGIS. Nothing refused is stored."""

from __future__ import annotations

import json

import pytest

from tests.factories import count_places, csrf_token, place_data

API = "/api/v1/places"


def stored(client) -> int:
    """How many places are stored, whatever their status."""
    return count_places(client.application)


def post_raw(client, body: str | bytes, **headers):
    return client.post(API, data=body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "\ud800"),
        ("name", "a\udfffb"),
        ("story", "regel\x00regel"),
        ("quote", "bel\x07"),
        ("name", "\x1b[31mrood"),
        ("access_notes", "C1\x85"),
        ("symbol_icon", "bankje\x00"),
        ("contributor_role", "bewoner\x00"),
    ],
)
def test_text_with_surrogates_or_control_characters_is_refused(toy_client, field, value):
    response = toy_client.post(API, json=place_data(**{field: value}))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert stored(toy_client) == 0


@pytest.mark.parametrize("value", [True, False, 12, 1.5, {"a": 1}, ["x"]])
def test_text_fields_refuse_what_is_not_text(toy_client, value):
    response = toy_client.post(API, json=place_data(name=value, quote=value))
    errors = response.get_json()["errors"]
    assert response.status_code == 422
    assert {"name", "quote"} <= errors.keys()
    assert "tekst" in errors["name"]
    assert stored(toy_client) == 0


def test_a_huge_number_is_not_stored_as_inf(toy_client):
    body = json.dumps(place_data(name="x")).replace('"x"', "1e309")
    response = post_raw(toy_client, body)
    assert response.status_code == 422
    assert "name" in response.get_json()["errors"]
    body = json.dumps(place_data()).replace("5.81", "1e309")
    assert "lon" in post_raw(toy_client, body).get_json()["errors"]
    body = json.dumps(place_data()).replace("5.81", "1" + "0" * 400)
    assert "lon" in post_raw(toy_client, body).get_json()["errors"]
    assert stored(toy_client) == 0


@pytest.mark.parametrize("lon", ["５.８５", "5.81\u200b", "inf", "NaN", "1_5", "0x5", "٥.٨١"])
def test_numbers_must_be_plain_ascii_and_finite(toy_client, lon):
    response = toy_client.post(API, json=place_data(lon=lon))
    assert response.status_code == 422
    assert "lon" in response.get_json()["errors"]
    assert stored(toy_client) == 0


def test_numbers_as_ascii_text_are_fine(toy_client):
    response = toy_client.post(API, json=place_data(lon="5.81", lat=" 51.81 "))
    assert response.status_code == 201


def test_newline_and_tab_are_kept_and_crlf_is_read_as_newline(toy_client):
    story = "Eerste regel\r\nTweede\tregel"
    props = toy_client.post(API, json=place_data(story=story)).get_json()["properties"]
    assert props["story"] == "Eerste regel\nTweede\tregel"


def test_json_nested_50000_deep_is_a_400_naming_the_body(toy_client):
    body = '{"name": ' + "[" * 50_000 + "]" * 50_000 + "}"
    response = post_raw(toy_client, body)
    assert response.status_code == 400
    assert "body" in response.get_json()["errors"]
    nine_deep = json.dumps(place_data(conditions=[[[[[[[[[]]]]]]]]]))
    assert post_raw(toy_client, nine_deep).status_code == 400
    assert stored(toy_client) == 0


def test_json_that_is_not_utf8_is_a_422(toy_client):
    response = post_raw(toy_client, b'{"name": "\xff"}')
    assert response.status_code == 422
    assert "body" in response.get_json()["errors"]


@pytest.mark.parametrize("url", [f"{API}/99999999999999999999", f"{API}/2147483648", f"{API}/٣"])
def test_ids_beyond_the_database_range_are_404_in_the_api(toy_client, url):
    response = toy_client.get(url)
    assert response.status_code == 404
    assert "errors" in response.get_json()


def test_symbol_ids_beyond_the_database_range_are_404_pages(toy_client):
    response = toy_client.get("/symbolen/99999999999999999999.png")
    assert response.status_code == 404
    assert "<main" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/places?wijk=%00",
        "/api/v1/places?buurt=a%00b",
        "/api/v1/places?gemeente=%00&type=verbindend",
        "/api/v1/areas?gemeente=%00",
        "/api/v1/areas?parent=%00",
        "/api/v1/analysis/coverage?wijk=%00",
        "/api/v1/analysis/summary?gemeente=GM%00",
        "/api/v1/analysis/gaps?wijk=WK099901&type=%00",
    ],
)
def test_nul_in_a_query_parameter_is_a_422_naming_it(toy_client, url):
    response = toy_client.get(url)
    assert response.status_code == 422
    name = url.split("?")[1].split("=")[0]
    assert list(response.get_json()["errors"]) == [name if "%00" in url.split("&")[0] else "type"]


def test_nul_in_a_page_url_is_a_clear_page(toy_client):
    assert toy_client.get("/wijk/WK%00").status_code == 404
    response = toy_client.get("/wijk/WK099901?type=%00")
    assert response.status_code == 400
    assert "<main" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", ["²", "٣", "1.0", "-1", "99999999999999999999999"])
def test_min_places_must_be_an_ascii_integer_in_range(toy_client, value):
    response = toy_client.get(f"/api/v1/analysis/summary?wijk=WK099901&min_places={value}")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["min_places"]


@pytest.mark.parametrize("param", ["distance", "cell"])
def test_analysis_distances_must_be_ascii(toy_client, param):
    response = toy_client.get(f"/api/v1/analysis/surface?wijk=WK099901&{param}=４００")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [param]


def test_unknown_analysis_parameters_are_named(toy_client):
    response = toy_client.get("/api/v1/analysis/coverage?wijk=WK099901&distanse=800&cel=50")
    errors = response.get_json()["errors"]
    assert response.status_code == 422
    assert set(errors) == {"distanse", "cel"}
    assert "distance" in errors["distanse"]
    assert toy_client.get("/api/v1/analysis/coverage?wijk=WK099901&lang=en").status_code == 200


def test_a_body_over_the_limit_is_a_413_in_the_error_shape(app, toy_client):
    app.config["MAX_CONTENT_LENGTH"] = 4000
    response = toy_client.post(API, json=place_data(story="x" * 5000))
    assert response.status_code == 413
    assert "body" in response.get_json()["errors"]
    data = {**place_data(), "symbol_image": (_bytes(6000), "foto.jpg")}
    response = toy_client.post(API, data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    errors = response.get_json(force=True)["errors"]
    assert "symbol_image" in errors
    assert "MB" in errors["symbol_image"] or "groot" in errors["symbol_image"]
    assert stored(toy_client) == 0


def test_the_form_over_the_limit_is_shown_again_with_what_was_typed(app, toy_client):
    app.config["MAX_CONTENT_LENGTH"] = 4000
    form = {
        "name": "Mijn bankje",
        "quote": "Hier is het stil.",
        "lon": "5.81",
        "lat": "51.81",
        "function_types": "verbindend",
        "consent": "1",
        "symbol_image": (_bytes(6000), "foto.jpg"),
        "csrf_token": csrf_token(toy_client),
    }
    response = toy_client.post(
        "/wijk/WK099901/plekken", data=form, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Mijn bankje" in page and "Hier is het stil." in page
    assert "te groot" in page
    assert stored(toy_client) == 0


def _bytes(size: int):
    import io

    return io.BytesIO(b"\x89PNG" + b"0" * (size - 4))
