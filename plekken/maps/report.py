"""The wijkverslag as an A4 PDF of one or more pages, drawn with matplotlib: a map of the
wijk with its places, the quotes, the findings, the actions, the reach table and the sources.

Text is set in the PDF's built-in Helvetica, so that it stays text (searchable, and read
aloud by a screen reader's PDF support) without embedding a font; characters outside its
Windows-1252 set show as "?".
"""

from __future__ import annotations

import logging
import textwrap
from dataclasses import dataclass, field
from typing import IO, Any

import geopandas as gpd
from matplotlib import rc_context
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

__all__ = ["ReportContent", "render_report"]

A4 = (8.27, 11.69)  # inches
MARGIN = 0.75
LINE = 1.35  # line height as a multiple of the font size
METRIC = "EPSG:28992"
STYLE = {"pdf.use14corefonts": True, "font.family": "sans-serif",
         "font.sans-serif": ["Helvetica"],          "axes.unicode_minus": False}  # fmt: skip


@dataclass
class ReportContent:
    """Everything the wijkverslag shows, in the reader's language."""

    title: str
    subtitle: str
    areas: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    types: list[tuple[str, str, str]]  #: (key, label, colour)
    quotes: list[dict[str, Any]]  #: {"quote", "place", "buurt"}
    findings: list[dict[str, Any]]  #: {"text", "about", "evidence", "day"}
    actions: list[dict[str, Any]]  #: {"title", "who", "status", "due", "stop_reason", "latest"}
    reach: list[dict[str, Any]]
    reach_totals: dict[str, Any] = field(default_factory=dict)
    sources: str = ""
    #: The report's own words (headings, column names), by key; see services.report.
    words: dict[str, str] = field(default_factory=dict)


def _latin(text: Any) -> str:
    return str(text).encode("cp1252", "replace").decode("cp1252")


class _Pages:
    """Text flowing down A4 pages, a new page when one is full."""

    def __init__(self, pdf: PdfPages) -> None:
        self.pdf = pdf
        self.figure: Figure | None = None
        self.count = 0
        self.y = 0.0

    def new_page(self) -> Figure:
        self.close_page()
        self.figure = Figure(figsize=A4)
        self.count += 1
        self.y = A4[1] - MARGIN
        return self.figure

    def close_page(self) -> None:
        if self.figure is not None:
            self.figure.text(A4[0] / 2, MARGIN / 2, str(self.count), ha="center", fontsize=8,
                             transform=self.figure.dpi_scale_trans)  # fmt: skip
            self.pdf.savefig(self.figure)
            self.figure = None

    def room(self, inches: float) -> None:
        if self.figure is None or self.y - inches < MARGIN:
            self.new_page()

    def text(self, text: str, size: float = 10, bold: bool = False, indent: float = 0.0,
             after: float = 0.04) -> None:  # fmt: skip
        """Write ``text`` wrapped to the page's width, ``indent`` inches in."""
        width = A4[0] - 2 * MARGIN - indent
        chars = max(20, int(width * 72 / (size * 0.52)))
        height = size * LINE / 72
        for line in textwrap.wrap(_latin(text), chars) or [""]:
            self.room(height)
            self.y -= height
            self.figure.text(MARGIN + indent, self.y, line, fontsize=size,
                             fontweight="bold" if bold else "normal",
                             transform=self.figure.dpi_scale_trans)  # fmt: skip
        self.y -= after

    def row(self, cells: list[str], xs: list[float], size: float = 9, bold: bool = False) -> None:
        """One table row: each cell at its x (inches from the left margin)."""
        height = size * LINE / 72
        self.room(height)
        self.y -= height
        for cell, x in zip(cells, xs, strict=True):
            self.figure.text(MARGIN + x, self.y, _latin(cell)[:40], fontsize=size,
                             fontweight="bold" if bold else "normal",
                             transform=self.figure.dpi_scale_trans)  # fmt: skip


def _map(pages: _Pages, content: ReportContent) -> None:
    """The wijk with its buurten and places coloured by their first type, and a legend."""
    figure = pages.figure
    height = 4.6
    left, bottom = MARGIN / A4[0], (pages.y - height) / A4[1]
    axes = figure.add_axes((left, bottom, 1 - 2 * left, height / A4[1]))
    areas = content.areas.to_crs(METRIC)
    areas.plot(ax=axes, facecolor="#f4f1ea", edgecolor="#4a4a4a", linewidth=0.7)
    names = content.areas["name"] if "name" in content.areas else [""] * len(areas)
    for name, point in zip(names, areas.geometry.representative_point(), strict=True):
        axes.annotate(_latin(name), (point.x, point.y), ha="center", fontsize=7, color="#333333")
    colours = {key: colour for key, _, colour in content.types}
    if not content.places.empty:
        places = content.places.to_crs(METRIC)
        first = places["function_types"].map(lambda ts: (list(ts or []) or [""])[0])
        places.plot(ax=axes, color=[colours.get(t, "#777777") for t in first],
                    edgecolor="#1b1b1b", linewidth=0.6, markersize=30, zorder=3)  # fmt: skip
    handles = [Line2D([], [], marker="o", linestyle="", markersize=7, markerfacecolor=colour,
                      markeredgecolor="#1b1b1b", label=_latin(name))
               for _, name, colour in content.types]  # fmt: skip
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0),
                ncols=len(handles), frameon=False, fontsize=9)  # fmt: skip
    axes.set_axis_off()
    axes.set_aspect("equal")
    pages.y -= height + 0.35


def render_report(content: ReportContent, out: str | IO[bytes]) -> int:
    """Draw the wijkverslag into ``out`` (PDF); returns the number of pages."""
    words = content.words
    # The built-in Helvetica has one regular weight, "medium": matplotlib says so for every
    # text it sets, which helps no one reading the command's output.
    fonts = logging.getLogger("matplotlib.font_manager")
    level = fonts.level
    fonts.setLevel(logging.ERROR)
    try:
        return _render(content, out, words)
    finally:
        fonts.setLevel(level)


def _render(content: ReportContent, out: str | IO[bytes], words: dict) -> int:
    with rc_context(STYLE), PdfPages(out, metadata={"Title": _latin(content.title),
                                                    "Creator": "plekken"}) as pdf:  # fmt: skip
        pages = _Pages(pdf)
        pages.new_page()
        pages.text(content.title, size=20, bold=True, after=0.05)
        pages.text(content.subtitle, size=10, after=0.15)
        _map(pages, content)
        _quotes(pages, content, words)
        _findings(pages, content, words)
        _actions(pages, content, words)
        _reach(pages, content, words)
        pages.text("", size=6)
        pages.text(content.sources, size=8)
        pages.close_page()
        return pages.count


def _heading(pages: _Pages, text: str) -> None:
    pages.room(0.8)
    pages.y -= 0.12
    pages.text(text, size=14, bold=True, after=0.06)


def _quotes(pages: _Pages, content: ReportContent, words: dict) -> None:
    _heading(pages, words["quotes"])
    if not content.quotes:
        pages.text(words["none"])
    for quote in content.quotes:
        pages.text(f"\u201c{quote['quote']}\u201d", size=10, after=0.0)
        source = quote["place"] + (f" \u00b7 {quote['buurt']}" if quote.get("buurt") else "")
        pages.text(f"\u2013 {source}", size=8, indent=0.2, after=0.06)


def _findings(pages: _Pages, content: ReportContent, words: dict) -> None:
    _heading(pages, words["findings"])
    if not content.findings:
        pages.text(words["none"])
    for finding in content.findings:
        pages.text(finding["text"], bold=True, after=0.0)
        about = " \u00b7 ".join([finding["day"], *finding["about"]])
        pages.text(about, size=8, indent=0.2, after=0.0)
        for line in finding["evidence"]:
            pages.text(f"- {line}", size=9, indent=0.2, after=0.0)
        pages.y -= 0.08


def _actions(pages: _Pages, content: ReportContent, words: dict) -> None:
    _heading(pages, words["actions"])
    if not content.actions:
        pages.text(words["none"])
    for action in content.actions:
        pages.text(f"{action['title']} ({action['status']})", bold=True, after=0.0)
        parts = []
        if action["who"]:
            parts.append(f"{words['who']}: {action['who']}")
        if action["due"]:
            parts.append(f"{words['due']}: {action['due']}")
        if action["stop_reason"]:
            parts.append(f"{words['stopped']}: {action['stop_reason']}")
        if parts:
            pages.text(" \u00b7 ".join(parts), size=9, indent=0.2, after=0.0)
        if action["latest"]:
            pages.text(f"{words['latest']}: {action['latest']}", size=9, indent=0.2, after=0.0)
        pages.y -= 0.08


def _number(value: Any, digits: int = 0) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, str):
        return value
    return f"{value:.{digits}f}"


def _reach(pages: _Pages, content: ReportContent, words: dict) -> None:
    _heading(pages, words["reach"])
    if not content.reach:
        pages.text(words["none"])
        return
    pages.text(words["reach_note"], size=8, after=0.08)
    xs = [0.0, 2.4, 3.3, 4.2, 5.0, 5.9]
    keys = ["buurt", "inhabitants", "contributors", "per_1000", "representation", "not_reached"]
    pages.row([words[k] for k in keys], xs, bold=True)
    for row in content.reach:
        pages.row([
            row["name"], _number(row["inhabitants"]), _number(row["contributors"]),
            _number(row["contributors_per_1000"], 1), _number(row["representation"], 2),
            words["yes"] if row["not_reached"] else "",
        ], xs)  # fmt: skip
