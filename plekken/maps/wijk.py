"""The wijk map: base layers, wijk and buurt outlines. Places are drawn by ``plekken.js``."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import folium
import geopandas as gpd
from markupsafe import escape

from ..io.geojson import area_features, feature_collection

__all__ = ["build_wijk_map", "map_parts", "offline_assets"]

_META = re.compile(r"<meta\b[^>]*>", re.S)
WIJK_STYLE = {"color": "#1f2937", "weight": 3, "fill": False}
BUURT_STYLE = {"color": "#4b5563", "weight": 1.5, "dashArray": "4 4", "fillColor": "#ffffff",
               "fillOpacity": 0.05}  # fmt: skip


def offline_assets(m: folium.Map, static_url: Callable[[str], str]) -> folium.Map:
    """Serve Leaflet from our own static folder instead of folium's CDNs."""
    m.default_js = [("leaflet", static_url("vendor/leaflet/leaflet.js"))]
    m.default_css = [("leaflet_css", static_url("vendor/leaflet/leaflet.css"))]
    return m


def _add_tiles(m: folium.Map, tile_layers: Sequence[dict]) -> None:
    for index, layer in enumerate(tile_layers):
        folium.TileLayer(
            tiles=layer["url"],
            attr=layer["attribution"],
            name=layer["name"],
            max_zoom=layer.get("max_zoom", 19),
            overlay=False,
            control=True,
            show=index == 0,
        ).add_to(m)


def _add_areas(m: folium.Map, frame: gpd.GeoDataFrame, name: str, style: dict) -> None:
    if frame.empty:
        return
    folium.GeoJson(
        feature_collection(area_features(frame)),
        name=name,
        style_function=lambda _feature: style,
        highlight_function=lambda _feature: {"weight": style["weight"] + 1.5},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False, sticky=False),
        interactive=name != "wijk",
    ).add_to(m)


def _add_labels(m: folium.Map, frame: gpd.GeoDataFrame, name: str) -> None:
    """Buurt names on the map itself, at a point inside each buurt (names are escaped)."""
    if frame.empty:
        return
    group = folium.FeatureGroup(name=name, show=True)
    points = frame.geometry.representative_point()
    for label, point in zip(frame["name"], points, strict=True):
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<span class="buurt-label__text">{escape(str(label))}</span>',
                class_name="buurt-label",
                icon_size=(160, 20),
                icon_anchor=(80, 10),
            ),
            interactive=False,
            keyboard=False,
        ).add_to(group)
    group.add_to(m)


def build_wijk_map(
    wijk: gpd.GeoDataFrame,
    buurten: gpd.GeoDataFrame,
    *,
    tile_layers: Sequence[dict] = (),
    static_url: Callable[[str], str] = lambda path: f"/static/{path}",
    labels: dict[str, str] | None = None,
    labelled: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Build the folium map of one wijk.

    Parameters
    ----------
    wijk, buurten : GeoDataFrame
        The wijk outline (one row) and its buurten, EPSG:4326.
    tile_layers : sequence of dict
        Base maps (``name``, ``url``, ``attribution``); none gives a plain background.
    static_url : callable
        Maps a path below ``plekken/static`` to its URL (for Leaflet itself).
    labels : dict, optional
        Layer names shown in the layer switch, e.g. ``{"buurten": "Buurten"}``; ``"namen"``
        names the layer of area names.
    labelled : GeoDataFrame, optional
        Areas whose names are written on the map (default the buurten); the outline
        may hold several areas (the wijken of a gemeente).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> w = gpd.GeoDataFrame({"code": ["WK1"], "name": ["W"], "level": ["wijk"],
    ...     "parent_code": ["GM1"], "gemeente_code": ["GM1"], "inhabitants": [None],
    ...     "is_water": [False]}, geometry=[box(5.8, 51.8, 5.9, 51.9)], crs=4326)
    >>> type(build_wijk_map(w, w.iloc[0:0]))
    <class 'folium.folium.Map'>
    """
    labels = {"wijk": "Wijk", "buurten": "Buurten", "namen": "Buurtnamen", **(labels or {})}
    # Fractional zoom lets the wijk fill the map on any screen size.
    m = folium.Map(
        tiles=None, control_scale=True, zoom_control=True, prefer_canvas=False, zoom_snap=0.25
    )
    offline_assets(m, static_url)
    _add_tiles(m, tile_layers)
    _add_areas(m, buurten, labels["buurten"], BUURT_STYLE)
    _add_areas(m, wijk, "wijk", WIJK_STYLE)
    _add_labels(m, buurten if labelled is None else labelled, labels["namen"])
    minx, miny, maxx, maxy = (wijk if not wijk.empty else buurten).total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(8, 8))
    if tile_layers:
        folium.LayerControl(position="bottomleft", collapsed=True).add_to(m)
    return m


def map_parts(m: folium.Map) -> dict[str, str]:
    """Render a map into the pieces a page template embeds: header, html and script."""
    root = m.get_root()
    root.render()
    # The page has its own charset and a viewport that lets people zoom (folium forbids it).
    header = _META.sub("", root.header.render())
    return {"header": header, "html": root.html.render(), "script": root.script.render(),
            "name": m.get_name()}  # fmt: skip
