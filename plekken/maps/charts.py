"""The comparison page's charts, drawn on the server as SVG or PNG with matplotlib: place
types per buurt (stacked bars), coverage per buurt, and small maps per function type side by
side. Pure matplotlib + geopandas; the texts come in as arguments, in the page's language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure

__all__ = ["ChartTexts", "FORMATS", "chart_bytes", "coverage_chart", "type_maps", "types_chart"]

FORMATS = ("svg", "png")
METRIC = "EPSG:28992"
#: Hatches beside the colours, so that colour is never the only cue (as the map's shapes).
HATCHES = {"functioneel": "", "verbindend": "//", "ideologisch": ".."}
STYLE = {"font.family": "DejaVu Sans", "font.size": 10, "svg.hashsalt": "plekken",
         "hatch.linewidth": 0.6}  # fmt: skip


@dataclass(frozen=True)
class ChartTexts:
    """The words of the charts, in the page's language."""

    title: str
    types: dict[str, str]  #: function type -> label
    colours: dict[str, str]  #: function type -> colour of the web map
    axis: str = ""
    empty: str = ""


def _height(rows: int) -> float:
    return max(2.2, 0.9 + 0.32 * rows)


def types_chart(table: pd.DataFrame, texts: ChartTexts) -> Figure:
    """Horizontal bars, one per buurt, stacked by the number of places of each type."""
    names = table["name"].astype(str).tolist()
    figure = Figure(figsize=(7.5, _height(len(names))), layout="constrained")
    axes = figure.add_subplot()
    left = np.zeros(len(names))
    y = np.arange(len(names))
    for function_type, label in texts.types.items():
        values = table[f"n_{function_type}"].fillna(0).to_numpy(dtype=float)
        axes.barh(
            y, values, left=left, label=label, color=texts.colours[function_type],
            hatch=HATCHES.get(function_type, ""), edgecolor="#1b1b1b", linewidth=0.6,
        )  # fmt: skip
        left += values
    _finish_bars(axes, y, names, texts)
    # Below the bars, so that it never hides one.
    figure.legend(loc="outside lower center", ncols=len(texts.types), frameon=False, fontsize=9)
    return figure


def coverage_chart(table: pd.DataFrame, texts: ChartTexts) -> Figure:
    """Horizontal bars of the share of each buurt's land within reach of a place (%)."""
    names = table["name"].astype(str).tolist()
    figure = Figure(figsize=(7.5, _height(len(names))), layout="constrained")
    axes = figure.add_subplot()
    y = np.arange(len(names))
    values = table["coverage_share"].astype(float).to_numpy() * 100
    axes.barh(y, np.nan_to_num(values), color="#5a4a8a", edgecolor="#1b1b1b", linewidth=0.6)
    for row, value in zip(y, values, strict=True):
        text = "–" if np.isnan(value) else f"{value:.0f} %"
        axes.text(min(np.nan_to_num(value), 100) + 1, row, text, va="center", fontsize=9)
    axes.set_xlim(0, 112)
    _finish_bars(axes, y, names, texts)
    return figure


def _finish_bars(axes, y, names: list[str], texts: ChartTexts) -> None:
    axes.set_yticks(y, names)
    axes.invert_yaxis()
    axes.set_xlabel(texts.axis)
    axes.set_title(texts.title, loc="left", fontsize=12, fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="x", color="#d0d0d0", linewidth=0.6)
    axes.set_axisbelow(True)


def type_maps(areas: gpd.GeoDataFrame, places: gpd.GeoDataFrame, texts: ChartTexts) -> Figure:
    """One small map per function type side by side: the buurten and that type's places."""
    kinds = list(texts.types)
    figure = Figure(figsize=(3.2 * len(kinds), 3.9), layout="constrained")
    outlines = areas.to_crs(METRIC)
    points = places.to_crs(METRIC) if not places.empty else places
    figure.suptitle(texts.title, x=0.01, ha="left", fontsize=12, fontweight="bold")
    for index, function_type in enumerate(kinds):
        axes = figure.add_subplot(1, len(kinds), index + 1)
        outlines.plot(ax=axes, facecolor="#f4f1ea", edgecolor="#4a4a4a", linewidth=0.7)
        chosen = (
            points[points["function_types"].map(lambda ts, t=function_type: t in (ts or []))]
            if not points.empty
            else points
        )
        if len(chosen):
            chosen.plot(ax=axes, color=texts.colours[function_type], edgecolor="#1b1b1b",
                        linewidth=0.6, markersize=36, zorder=3)  # fmt: skip
        axes.set_title(f"{texts.types[function_type]} ({len(chosen)})", fontsize=10)
        axes.set_axis_off()
        axes.set_aspect("equal")
    return figure


def chart_bytes(figure: Figure, fmt: str, title: str) -> bytes:
    """The figure as SVG (text kept as text, no date, so the same data gives the same bytes)
    or PNG (150 dpi)."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    out = io.BytesIO()
    with rc_context({**STYLE, "svg.fonttype": "none"}):
        metadata = {"Title": title, "Date": None} if fmt == "svg" else {"Title": title}
        figure.savefig(out, format=fmt, dpi=150, metadata=metadata)
    return out.getvalue()
