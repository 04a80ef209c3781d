"""The folium wijk map as data: layers, offline assets, bounds."""

from __future__ import annotations

import folium

from plekken.maps import build_wijk_map, map_parts
from tests.factories import toy_areas

TILES = [{"name": "PDOK", "url": "https://tiles.example/{z}/{x}/{y}.png", "attribution": "K"}]


def split(frame):
    return frame[frame["level"] == "wijk"], frame[frame["level"] == "buurt"]


def test_layers_and_bounds():
    wijk, buurten = split(toy_areas())
    m = build_wijk_map(wijk, buurten, tile_layers=TILES)
    children = list(m._children.values())
    tiles = [c for c in children if isinstance(c, folium.TileLayer)]
    geojsons = [c for c in children if isinstance(c, folium.GeoJson)]
    assert [t.layer_name for t in tiles] == ["PDOK"]
    assert len(geojsons) == 2
    buurt_layer = geojsons[0]
    assert [f["properties"]["name"] for f in buurt_layer.data["features"]] == ["West", "Oost"]
    assert any(isinstance(c, folium.LayerControl) for c in children)
    bounds = m.get_bounds()
    assert bounds == [[51.8, 5.8], [51.82, 5.84]]


def test_renders_without_any_remote_asset_and_allows_zoom():
    wijk, buurten = split(toy_areas())
    parts = map_parts(build_wijk_map(wijk, buurten, static_url=lambda p: f"/s/{p}"))
    assert '<script src="/s/vendor/leaflet/leaflet.js">' in parts["header"]
    assert "http" not in parts["header"] + parts["script"]
    assert "<meta" not in parts["header"]
    assert "user-scalable=no" not in parts["header"]
    assert parts["name"] in parts["html"]


def test_no_tiles_no_layer_control():
    wijk, buurten = split(toy_areas())
    m = build_wijk_map(wijk, buurten)
    assert not any(isinstance(c, folium.LayerControl) for c in m._children.values())


def test_a_wijk_map_needs_no_request(app):
    """What the command line does: the map and the place features of a stored wijk, with a
    plain session and no Flask context at all."""
    import flask
    from sqlalchemy.orm import Session

    from plekken import storage
    from plekken.io.geojson import place_feature
    from plekken.services.maps import scope_map, wijk_scope
    from plekken.services.places import add_place
    from plekken.storage.base import make_engine
    from tests.factories import place_data

    engine = make_engine(app.config["DATABASE_URL"])
    with Session(engine) as session:
        storage.upsert_areas(session, toy_areas(), source="toy")
        add_place(session, place_data(name="Bankje"), lang="en")
        assert not flask.has_app_context()
        scope = wijk_scope(storage.get_area(session, "WK099901"))
        m, buurten = scope_map(
            session, scope, static_url=lambda path: f"/s/{path}", tile_layers=TILES, lang="en"
        )
        html = m.get_root().render()
        (place,) = storage.list_places(session, wijk="WK099901")
        feature = place_feature(
            place, {"BU09990101": "West"}, "en",
            static_url=lambda path: f"/s/{path}", image_url=lambda image: f"/i/{image}.png",
        )  # fmt: skip
    engine.dispose()
    assert list(buurten["name"]) == ["West", "Oost"]
    assert "Oost" in html and "Buurten (neighbourhoods)" in html and "/s/vendor/" in html
    assert feature["properties"]["name"] == "Bankje"
    assert feature["properties"]["symbol_url"].startswith("/s/symbols/")
    assert feature["properties"]["buurt_name"] == "West"
