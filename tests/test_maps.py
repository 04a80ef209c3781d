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
