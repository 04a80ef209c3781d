"""A printable poster of a wijk (A4 or A3, portrait or landscape; PDF as vectors, PNG at
300 dpi): title and date, buurt outlines and names, the places with their own symbols in
rings of their function types' colours, quotes around the map with leader lines, a legend
in the web map's colours, an optional analysis layer, scale bar, north arrow, attribution.

Pure matplotlib + geopandas, offline (no base map). Built-in symbols are drawn as vectors
(:mod:`plekken.maps.vector_symbols`); residents' drawings and photos as their PNG.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import geopandas as gpd
import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, Polygon, Wedge
from matplotlib.transforms import Bbox
from matplotlib_scalebar.scalebar import ScaleBar
from PIL import Image

from ..symbols import DEFAULT_ICON, icon_path, is_icon
from .poster_text import Quote, Slot, place_labels, place_quotes
from .vector_symbols import place_patches, symbol_shapes

__all__ = ["PAGE_SIZES", "PosterContent", "Quote", "render_poster"]

#: Page sizes in millimetres (portrait).
PAGE_SIZES = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
METRIC = "EPSG:28992"
MM = 1 / 25.4
#: Matplotlib marker per function type shape, as the web map's legend draws them.
MARKERS = {"square": "s", "circle": "o", "triangle": "^", "diamond": "D"}


@dataclass
class PosterContent:
    """Everything a poster shows, in EPSG:4326 (see :func:`render_poster`).

    ``places`` has ``function_types`` (lists of keys), ``symbol_icon`` (a built-in key or
    ``None``) and ``symbol_png`` (the PNG of an uploaded symbol, or ``None``). ``types`` lists
    ``(key, label, colour, shape)`` for the legend; ``quotes`` are ``(text, place name, lon,
    lat, function type)``. ``layer`` is an analysis layer: polygons with a ``value`` column
    between 0 and 1 (coverage) or without (gaps), described by ``layer_label``.
    """

    title: str
    subtitle: str
    outline: gpd.GeoDataFrame
    buurten: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    types: list[tuple[str, str, str, str]]
    attribution: str
    quotes: list[tuple[str, str, float, float, str]] = field(default_factory=list)
    layer: gpd.GeoDataFrame | None = None
    layer_label: str = ""
    own_symbol_label: str = "Eigen tekening of foto"
    legend_title: str = "Functietype: de kleur van de ring om het symbool"
    #: The places' records (name, quote, …), in the order of ``places``.
    records: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """Page size in mm, and the scale of type and symbols relative to A4."""

    width: float
    height: float

    @property
    def scale(self) -> float:
        return math.sqrt(self.width * self.height / (210 * 297))

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def page_of(size: str, orientation: str) -> Page:
    width, height = PAGE_SIZES[size]
    return Page(height, width) if orientation == "landscape" else Page(width, height)


def _layout(page: Page, quotes: int, layer: bool) -> tuple[list[float], list[list[Slot]]]:
    """The map's box ``[left, bottom, width, height]`` and the quote slots, in figure
    fractions: quote columns left and right on landscape pages, rows above and below on
    portrait ones."""
    s, margin = page.scale, 10 * page.scale
    top, bottom = 24 * s, (40 if layer else 28) * s  # title band, legend band
    fw, fh = page.width, page.height
    per_side = 3 if s < 1.2 else 4
    sides = 0 if not quotes else (1 if quotes <= per_side else 2)
    sides_slots: list[list[Slot]] = []
    gap = 4 * s
    if page.landscape:
        column = 58 * s if sides else 0
        box = [margin + (column + gap if sides else 0), bottom, 0, fh - top - bottom]
        box[2] = fw - box[0] - margin - (column + gap if sides == 2 else 0)
        height = (box[3] - gap * (per_side - 1)) / per_side
        lefts = [margin, fw - margin - column][:sides]
        for left in lefts:
            sides_slots.append([Slot(left, bottom + i * (height + gap), column, height)
                                for i in reversed(range(per_side))])  # fmt: skip
    else:
        row = 36 * s if sides else 0
        box = [margin, bottom + (row + gap if sides == 2 else 0), fw - 2 * margin, 0]
        box[3] = fh - top - box[1] - (row + gap if sides else 0)
        width = (box[2] - gap * (per_side - 1)) / per_side
        rows = [fh - top - row, bottom][:sides]
        for low in rows:
            sides_slots.append([Slot(margin + i * (width + gap), low, width, row)
                                for i in range(per_side)])  # fmt: skip
    to_fraction = [1 / fw, 1 / fh, 1 / fw, 1 / fh]
    box = [v * f for v, f in zip(box, to_fraction, strict=True)]
    sides_slots = [[Slot(sl.left / fw, sl.bottom / fh, sl.width / fw, sl.height / fh)
                    for sl in side] for side in sides_slots]  # fmt: skip
    return box, sides_slots


def _frame_map(ax, bounds: np.ndarray, box_mm: tuple[float, float]) -> float:
    """Limits showing ``bounds`` (metres) at one scale on both axes; returns metres per mm."""
    minx, miny, maxx, maxy = bounds
    pad = 0.04 * max(maxx - minx, maxy - miny)
    width, height = maxx - minx + 2 * pad, maxy - miny + 2 * pad
    per_mm = max(width / box_mm[0], height / box_mm[1])
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    ax.set_xlim(cx - per_mm * box_mm[0] / 2, cx + per_mm * box_mm[0] / 2)
    ax.set_ylim(cy - per_mm * box_mm[1] / 2, cy + per_mm * box_mm[1] / 2)
    ax.set_axis_off()
    return per_mm


def _ring(x: float, y: float, radius: float, colours: list[str]) -> list[Wedge]:
    """A ring in the colours of the place's types, equal segments, as on the web map."""
    colours = colours or ["#6b6b76"]
    part = 360 / len(colours)
    return [
        Wedge((x, y), radius, 90 + i * part, 90 + (i + 1) * part, width=radius * 0.22,
              facecolor=colour, edgecolor="white", linewidth=0.3)
        for i, colour in enumerate(colours)
    ]  # fmt: skip


def _draw_places(ax, places: gpd.GeoDataFrame, colours: dict, size_mm: float, per_mm: float):
    """Every place's ring and symbol, as one collection of vector shapes (fast to draw);
    uploaded drawings and photos as images clipped to a disc."""
    size = size_mm * per_mm  # symbol width in metres
    points = size_mm * MM * 72  # symbol width in points
    patches = []
    for row in places.itertuples():
        x, y = row.geometry.x, row.geometry.y
        patches += _ring(x, y, size * 0.62, [colours.get(k, "#6b6b76") for k in row.function_types])
        if row.symbol_png:
            image = np.asarray(Image.open(io.BytesIO(row.symbol_png)).convert("RGBA"))
            half = size * 0.48
            shown = ax.imshow(image, extent=(x - half, x + half, y - half, y + half), zorder=5,
                              interpolation="lanczos", aspect="auto")  # fmt: skip
            shown.set_clip_path(Circle((x, y), half, transform=ax.transData))
            continue
        key = row.symbol_icon if is_icon(row.symbol_icon) else DEFAULT_ICON
        patches += place_patches(symbol_shapes(icon_path(key)), x, y, size, points)
    ax.add_collection(PatchCollection(patches, match_original=True, zorder=4))


def _symbol_boxes(ax, places: gpd.GeoDataFrame, size: float) -> list[Bbox]:
    """The symbols' boxes on the canvas, for names to keep clear of."""
    half = size * 0.6
    boxes = []
    for point in places.geometry:
        corners = ax.transData.transform([(point.x - half, point.y - half),
                                          (point.x + half, point.y + half)])  # fmt: skip
        boxes.append(Bbox(corners))
    return boxes


#: Classes of the coverage layer: upper bound of the share and its colour.
COVERAGE_CLASSES = ((0.25, "#edf8b1"), (0.5, "#a1dab4"), (0.75, "#41b6c4"), (1.0, "#2c7fb8"))


def _draw_layer(ax, content: PosterContent) -> list:
    """The analysis layer under the buurten; returns its legend entries."""
    if content.layer is None or content.layer.empty:
        return []
    layer = content.layer.to_crs(METRIC)
    if "value" in layer:
        low, handles = 0.0, []
        for high, colour in COVERAGE_CLASSES:
            part = layer[(layer["value"] >= low) & ((layer["value"] < high) | (high == 1.0))]
            if not part.empty:
                part.plot(ax=ax, facecolor=colour, alpha=0.7, edgecolor="none", zorder=1)
            handles.append(Patch(facecolor=colour, alpha=0.7,
                                 label=f"{low * 100:.0f}–{high * 100:.0f} %"))  # fmt: skip
            low = high
        return handles
    layer.plot(ax=ax, facecolor="#d55e00", alpha=0.25, hatch="///", edgecolor="#d55e00",
               linewidth=0.4, zorder=1)  # fmt: skip
    return [Patch(facecolor="#f5cdb3", edgecolor="#d55e00", hatch="///",
                  label=content.layer_label)]  # fmt: skip


def _north_arrow(ax, scale: float) -> None:
    x, y, h = 0.955, 0.90, 0.06
    ax.add_patch(Polygon([(x, y + h), (x - h / 3, y - h / 3), (x, y), (x + h / 3, y - h / 3)],
                         closed=True, transform=ax.transAxes, facecolor="#1f2937",
                         edgecolor="white", linewidth=1, zorder=9))  # fmt: skip
    ax.text(x, y + h + 0.012, "N", transform=ax.transAxes, ha="center", va="bottom",
            fontsize=10 * scale, fontweight="bold", zorder=9)  # fmt: skip


def _legend(figure: Figure, content: PosterContent, page: Page, extra: list) -> None:
    s = page.scale
    handles = [
        Line2D([], [], marker=MARKERS.get(shape, "D"), linestyle="none", markersize=9 * s,
               markerfacecolor=colour, markeredgecolor="white", label=label)
        for _key, label, colour, shape in content.types
    ]  # fmt: skip
    handles.append(Line2D([], [], marker="o", linestyle="none", markersize=9 * s,
                          markerfacecolor="white", markeredgecolor="#1f2937",
                          label=content.own_symbol_label))  # fmt: skip
    left = 10 * s / page.width
    figure.legend(handles=handles, loc="lower left", frameon=False, ncols=len(handles),
                  fontsize=9 * s, bbox_to_anchor=(left, 12 * s / page.height),
                  title=content.legend_title, title_fontsize=9 * s, alignment="left",
                  handletextpad=0.4, columnspacing=1.4, borderaxespad=0)  # fmt: skip
    if extra:
        title = content.layer_label if len(extra) > 1 else None
        figure.legend(handles=extra, loc="lower left", frameon=False, ncols=len(extra),
                      fontsize=9 * s, bbox_to_anchor=(left, 27 * s / page.height), title=title,
                      title_fontsize=9 * s, alignment="left", handletextpad=0.4,
                      columnspacing=1.4, borderaxespad=0)  # fmt: skip
    figure.text(10 * s / page.width, 6 * s / page.height, content.attribution, fontsize=6.5 * s,
                color="#4b5563", ha="left", va="bottom")  # fmt: skip


def build_poster(content: PosterContent, size: str = "A4", orientation: str = "portrait"):
    """The poster as a matplotlib Figure (no pyplot, nothing global)."""
    page = page_of(size, orientation)
    s = page.scale
    figure = Figure(figsize=(page.width * MM, page.height * MM), dpi=100)
    FigureCanvasAgg(figure)  # measures text while laying out, without pyplot
    quotes = content.quotes
    box, slots = _layout(page, len(quotes), content.layer is not None)
    ax = figure.add_axes(box)
    outline = content.outline.to_crs(METRIC)
    buurten = content.buurten.to_crs(METRIC)
    places = content.places.to_crs(METRIC)
    per_mm = _frame_map(ax, outline.total_bounds, (box[2] * page.width, box[3] * page.height))
    extra = _draw_layer(ax, content)
    buurten.plot(ax=ax, facecolor="#f8f6f0" if not extra else "none", edgecolor="#6b7280",
                 linewidth=0.8 * s, zorder=2)  # fmt: skip
    outline.boundary.plot(ax=ax, color="#1f2937", linewidth=1.8 * s, zorder=3)
    colours = {key: colour for key, _label, colour, _shape in content.types}
    symbol_mm = 7.5 * s * (1 if len(places) < 60 else max(0.5, math.sqrt(60 / len(places))))
    _draw_places(ax, places, colours, symbol_mm, per_mm)
    symbol_boxes = _symbol_boxes(ax, places, symbol_mm * per_mm)
    figure.text(10 * s / page.width, 1 - 10 * s / page.height, content.title, fontsize=24 * s,
                fontweight="bold", va="top", color="#111827")  # fmt: skip
    figure.text(10 * s / page.width, 1 - 20 * s / page.height, content.subtitle,
                fontsize=11 * s, va="top", color="#374151")  # fmt: skip
    ax.add_artist(ScaleBar(1, "m", location="lower left", box_alpha=0.85, font_properties={
        "size": 8 * s}, length_fraction=0.22, border_pad=0.8))  # fmt: skip
    _north_arrow(ax, s)
    _legend(figure, content, page, extra)
    renderer = figure.canvas.get_renderer()
    taken = [artist.get_window_extent(renderer) for artist in ax.artists]
    taken += [text.get_window_extent(renderer) for text in ax.texts] + symbol_boxes
    points = buurten.representative_point()
    order = buurten.area.sort_values(ascending=False).index
    labels = [(buurten.at[i, "name"], points[i].x, points[i].y) for i in order]
    place_labels(ax, labels, 8.5 * s, taken)
    quote_items = [
        Quote(text, name, *_metric(lon, lat), colours.get(kind, "#6b6b76"))
        for text, name, lon, lat, kind in quotes
    ]
    place_quotes(figure, ax, _by_slot(quote_items, slots, ax, page.landscape), 8.5 * s)
    return figure


def _metric(lon: float, lat: float) -> tuple[float, float]:
    point = gpd.GeoSeries.from_xy([lon], [lat], crs="EPSG:4326").to_crs(METRIC).iloc[0]
    return point.x, point.y


def _by_slot(quotes: list[Quote], sides: list[list[Slot]], ax, landscape: bool):
    """``(quote, slot)`` pairs. Quotes go to the side their place is nearest to (top or
    bottom, left or right), and along a side in the order of their places, so that leader
    lines stay short and do not cross."""
    to_fig = ax.figure.transFigure.inverted()
    where = {id(q): to_fig.transform(ax.transData.transform((q.x, q.y))) for q in quotes}
    across, along = (0, 1) if landscape else (1, 0)  # which coordinate picks the side
    ordered = sorted(quotes, key=lambda q: where[id(q)][across], reverse=not landscape)
    room = [len(side) for side in sides]
    if len(sides) == 2:
        first = min(room[0], max(len(ordered) - room[1], (len(ordered) + 1) // 2))
        groups = [ordered[:first], ordered[first:]]
    else:
        groups = [ordered[: room[0]]] if sides else []
    pairs = []
    for side, group in zip(sides, groups, strict=False):
        group = sorted(group, key=lambda q: where[id(q)][along], reverse=landscape)
        centres = [(sl.left + sl.width / 2, sl.bottom + sl.height / 2)[along] for sl in side]
        previous = -1
        for i, quote in enumerate(group):
            nearest = min(range(len(side)), key=lambda k: abs(centres[k] - where[id(quote)][along]))
            index = min(max(previous + 1, nearest), len(side) - (len(group) - i))
            pairs.append((quote, side[index]))
            previous = index
    return pairs


def render_poster(
    content: PosterContent, out: str | Path | IO[bytes], fmt: str = "pdf", size: str = "A4",
    orientation: str = "portrait",
) -> Figure:  # fmt: skip
    """Draw the poster and save it to ``out``: ``pdf`` (vector, the page's exact size) or
    ``png`` (300 dpi). Returns the figure, for checks."""
    with rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans", "hatch.linewidth": 0.5}):
        figure = build_poster(content, size, orientation)
        figure.savefig(out, format=fmt, dpi=300, metadata=_metadata(content, fmt))
    return figure


def _metadata(content: PosterContent, fmt: str) -> dict:
    if fmt == "pdf":
        return {"Title": content.title, "Creator": "plekken"}
    return {"Title": content.title, "Software": "plekken"}
