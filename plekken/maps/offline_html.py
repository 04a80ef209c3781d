"""The wijk map as one HTML file that works from disk or a USB stick, with no network: folium's
map with Leaflet, its stylesheet and images, the symbols and the places inlined. Base-map tiles
load only when the computer is online.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
from markupsafe import escape

from ..symbols import DEFAULT_ICON, SYMBOLS_DIR, icon_path, is_icon
from .wijk import build_wijk_map

__all__ = ["OfflinePlace", "offline_map_html"]

STATIC = SYMBOLS_DIR.parent
_CSS_IMAGE = re.compile(r"url\((images/[\w.-]+\.png)\)")


@dataclass(frozen=True)
class OfflinePlace:
    """A place as the offline map shows it (public content, already coarsened)."""

    lon: float
    lat: float
    name: str
    quote: str
    types: list[str]
    symbol_icon: str | None
    symbol_png: bytes | None


def _data_uri(media: str, content: bytes) -> str:
    return f"data:{media};base64,{base64.b64encode(content).decode('ascii')}"


def _inline_leaflet(m: folium.Map) -> None:
    """Leaflet's script and stylesheet (its images as data URIs) inside the page."""
    folder = STATIC / "vendor" / "leaflet"
    css = _CSS_IMAGE.sub(
        lambda match: f"url({_data_uri('image/png', (folder / match.group(1)).read_bytes())})",
        (folder / "leaflet.css").read_text(encoding="utf-8"),
    )
    script = (folder / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
    m.default_js, m.default_css = [], []
    header = m.get_root().header
    header.add_child(folium.Element(f"<style>{css}</style>"), name="leaflet_css", index=0)
    header.add_child(folium.Element(f"<script>{script}</script>"), name="leaflet_js", index=1)


def _symbol_src(place: OfflinePlace) -> str:
    if place.symbol_png:
        return _data_uri("image/png", place.symbol_png)
    key = place.symbol_icon if is_icon(place.symbol_icon) else DEFAULT_ICON
    return _data_uri("image/svg+xml", icon_path(key).read_bytes())


def _marker(place: OfflinePlace, colours: dict[str, str]) -> folium.Marker:
    ring = [colours.get(key, "#6b6b76") for key in place.types] or ["#6b6b76"]
    stops = ", ".join(
        f"{colour} {i * 360 / len(ring):.0f}deg {(i + 1) * 360 / len(ring):.0f}deg"
        for i, colour in enumerate(ring)
    )
    icon = folium.DivIcon(
        html=(f'<span class="plek-ring" style="background: conic-gradient({stops})">'
              f'<img src="{_symbol_src(place)}" alt=""></span>'),
        class_name="plek-marker", icon_size=(34, 34), icon_anchor=(17, 17),
    )  # fmt: skip
    popup = f"<strong>{escape(place.name)}</strong>"
    if place.quote:
        popup += f"<br><q>{escape(place.quote)}</q>"
    return folium.Marker([place.lat, place.lon], icon=icon, tooltip=escape(place.name),
                         popup=folium.Popup(popup, max_width=260))  # fmt: skip


#: folium's popups call ``$(html)[0]`` (jQuery); this does that one job without jQuery.
POPUP_SHIM = """<script>window.$ = window.$ || function (html) {
  const t = document.createElement("template"); t.innerHTML = html.trim();
  return [t.content.firstElementChild];
};</script>"""
STYLE = """<style>
.plek-marker .plek-ring{display:flex;align-items:center;justify-content:center;width:34px;
height:34px;border-radius:50%}
.plek-marker img{width:26px;height:26px;border-radius:50%;background:#fff}
.buurt-label__text{font:bold 12px sans-serif;color:#1f2937;text-shadow:0 0 3px #fff,0 0 3px #fff}
.plek-legend{position:absolute;z-index:1000;right:10px;top:10px;background:#fff;padding:8px 10px;
border-radius:6px;font:13px sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)}
.plek-legend span{display:inline-block;width:12px;height:12px;border-radius:50%;margin-right:6px}
</style>"""


def offline_map_html(
    outline: gpd.GeoDataFrame,
    buurten: gpd.GeoDataFrame,
    places: Sequence[OfflinePlace],
    types: Sequence[tuple[str, str, str]],
    *,
    title: str,
    tile_layers: Sequence[dict] = (),
    layer: gpd.GeoDataFrame | None = None,
    layer_label: str = "",
    labels: dict[str, str] | None = None,
) -> str:
    """The map as one self-contained HTML page.

    ``types`` lists ``(key, label, colour)``: one layer per function type in the layer switch
    (the filter), in the legend's colours; a place is in the layer of its first type.
    ``layer`` is an analysis layer (``value`` 0–1 shades it, else it is hatched as gaps).
    """
    m = build_wijk_map(outline, buurten, tile_layers=tile_layers, labels=labels)
    _inline_leaflet(m)
    m.get_root().header.add_child(folium.Element(STYLE + POPUP_SHIM))
    m.get_root().header.add_child(folium.Element(f"<title>{escape(title)}</title>"))
    colours = {key: colour for key, _label, colour in types}
    if layer is not None and not layer.empty:
        _add_layer(m, layer, layer_label)
    groups = {key: folium.FeatureGroup(name=str(escape(label))) for key, label, _c in types}
    for place in places:
        key = place.types[0] if place.types and place.types[0] in groups else next(iter(groups))
        _marker(place, colours).add_to(groups[key])
    for group in groups.values():
        group.add_to(m)
    # One layer switch, added last: it names every layer added before it.
    for name in [k for k, c in m._children.items() if isinstance(c, folium.LayerControl)]:
        del m._children[name]
    folium.LayerControl(position="topleft", collapsed=True).add_to(m)
    legend = "".join(
        f'<div><span style="background:{colour}"></span>{escape(label)}</div>'
        for _key, label, colour in types
    )
    m.get_root().html.add_child(
        folium.Element(f'<div class="plek-legend"><strong>{escape(title)}</strong>{legend}</div>')
    )
    return m.get_root().render()


def _add_layer(m: folium.Map, layer: gpd.GeoDataFrame, label: str) -> None:
    def style(feature) -> dict:
        value = feature["properties"].get("value")
        if value is None:
            return {"color": "#d55e00", "weight": 1, "fillColor": "#d55e00", "fillOpacity": 0.3}
        return {"color": "#2c7fb8", "weight": 0.5, "fillColor": "#2c7fb8",
                "fillOpacity": 0.15 + 0.6 * float(value)}  # fmt: skip

    folium.GeoJson(layer.to_json(), name=str(escape(label)), style_function=style).add_to(m)
