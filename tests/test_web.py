"""Pages: wijk list, wijk map, the form without JavaScript, offline assets, escaping."""

from __future__ import annotations

import json
import re

from tests.factories import csrf_token, place_data


def page_config(html: str) -> dict:
    match = re.search(
        r'<script id="plekken-config" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1))


def test_index_lists_wijken(toy_client):
    html = toy_client.get("/").get_data(as_text=True)
    assert "Testgemeente" in html
    assert 'href="/wijk/WK099901"' in html


def test_index_without_areas_explains_import(client):
    html = client.get("/").get_data(as_text=True)
    assert "plekken import-areas" in html


def test_wijk_page_embeds_map_and_config(toy_client, published):
    toy_client.post("/api/v1/places", json=place_data())
    html = toy_client.get("/wijk/WK099901").get_data(as_text=True)
    config = page_config(html)
    assert config["wijk"] == {"code": "WK099901", "name": "Testwijk"}
    assert [b["code"] for b in config["buurten"]] == ["BU09990101", "BU09990102"]
    # The places come as compact GeoJSON from the API, not in the page.
    markers = toy_client.get(config["api"]["markers"]).get_json()
    assert len(markers["features"]) == 1
    assert "places" not in config
    assert f'id="{config["mapName"]}"' in html
    assert "Testwijk" in html


def test_unknown_or_non_wijk_code_is_404(toy_client):
    assert toy_client.get("/wijk/WK000000").status_code == 404
    assert toy_client.get("/wijk/BU09990101").status_code == 404


def test_page_loads_nothing_from_other_hosts(app, toy_client):
    html = toy_client.get("/wijk/WK099901").get_data(as_text=True)
    remote = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert remote == []
    for path in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        with toy_client.get(path) as response:
            assert response.status_code == 200, path


def test_tiles_are_the_only_online_resource(app, toy_client):
    app.config["TILE_LAYERS"] = [
        {"name": "PDOK", "url": "https://tiles.example/{z}/{x}/{y}.png", "attribution": "K"}
    ]
    html = toy_client.get("/wijk/WK099901").get_data(as_text=True)
    assert re.findall(r"https?://[^\"' )]+", html) == ["https://tiles.example/{z}/{x}/{y}.png"]


def test_user_text_cannot_break_out_of_the_page(toy_client, published):
    nasty = "</script><script>alert(1)</script>"
    toy_client.post("/api/v1/places", json=place_data(name=nasty))
    html = toy_client.get("/wijk/WK099901").get_data(as_text=True)
    assert nasty not in html
    markers = toy_client.get(page_config(html)["api"]["markers"]).get_json()
    assert markers["features"][0]["properties"]["name"] == nasty


def test_form_post_without_javascript(toy_client, published):
    form = {k: str(v) for k, v in place_data().items() if k != "function_types"}
    form["function_types"] = ["verbindend"]
    form["consent"] = "on"
    form["csrf_token"] = csrf_token(toy_client)
    response = toy_client.post("/wijk/WK099901/plekken", data=form)
    assert response.status_code == 302
    # The contributor lands on the private page of their place, with its link shown once.
    assert response.headers["Location"].startswith("/plek/")
    manage = toy_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je privé-link" in manage and "Bankje bij de vijver" in manage
    features = toy_client.get("/api/v1/places").get_json()["features"]
    assert [f["properties"]["name"] for f in features] == ["Bankje bij de vijver"]


def test_form_without_map_click_uses_the_chosen_buurt(toy_client, published):
    form = {k: str(v) for k, v in place_data().items() if k not in ("function_types", "lon", "lat")}
    form.update(function_types=["functioneel"], consent="on", buurt_pick="BU09990102")
    form["csrf_token"] = csrf_token(toy_client)
    response = toy_client.post("/wijk/WK099901/plekken", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    (feature,) = toy_client.get("/api/v1/places").get_json()["features"]
    assert feature["properties"]["buurt_code"] == "BU09990102"


def test_form_errors_are_shown_in_dutch_and_input_kept(toy_client):
    response = toy_client.post(
        "/wijk/WK099901/plekken",
        data={
            "name": "",
            "story": "Mijn verhaal blijft staan",
            "csrf_token": csrf_token(toy_client),
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Geef de plek een naam." in html
    assert "Kies minstens één soort plek." in html
    assert "Mijn verhaal blijft staan" in html
    assert toy_client.get("/api/v1/places").get_json()["features"] == []


def test_english_interface(toy_client):
    html = toy_client.get("/?lang=en").get_data(as_text=True)
    assert "Which places make your neighbourhood?" in html
    assert 'lang="en"' in html


def test_gemeente_map_holds_every_wijk_and_buurt(toy_client):
    index = toy_client.get("/").get_data(as_text=True)
    assert 'href="/gemeente/GM0999"' in index
    response = toy_client.get("/gemeente/GM0999")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    config = page_config(html)
    assert config["scope"] == {"kind": "gemeente", "code": "GM0999", "name": "Testgemeente"}
    assert {b["code"] for b in config["buurten"]} == {"BU09990101", "BU09990102"}
    assert "<h1>Testgemeente</h1>" in html
    assert "gemeente=GM0999" in html  # the CSV of the figures per buurt of the gemeente
    assert toy_client.get("/gemeente/GM0000").status_code == 404
    # The wijk page links to its gemeente's map.
    assert 'href="/gemeente/GM0999"' in toy_client.get("/wijk/WK099901").get_data(as_text=True)


def test_form_post_on_the_gemeente_map(toy_client):
    token = csrf_token(toy_client, "/gemeente/GM0999")
    form = {k: str(v) for k, v in place_data().items() if k not in ("function_types", "lon", "lat")}
    form.update(function_types=["ideologisch"], consent="on", buurt_pick="BU09990101")
    response = toy_client.post("/gemeente/GM0999/plekken", data={**form, "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/plek/")
    bad = toy_client.post("/gemeente/GM0999/plekken", data={"name": "", "csrf_token": token})
    assert bad.status_code == 422
    assert "Geef de plek een naam." in bad.get_data(as_text=True)
