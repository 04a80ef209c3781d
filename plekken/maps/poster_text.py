"""Text on the poster without overlaps: buurt names placed greedily around their areas, quotes
in fixed slots around the map with leader lines, and a check that no two texts overlap.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import ConnectionPatch, FancyBboxPatch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

__all__ = ["Quote", "Slot", "overlapping_texts", "place_labels", "place_quotes", "text_boxes"]

#: Where a name may go, tried in order: (font scale, shift right in 3 font sizes, up in sizes).
CANDIDATES = [
    (1.0, 0, 0),
    (1.0, 0, 1.4),
    (1.0, 0, -1.4),
    (1.0, 0, 2.8),
    (1.0, 0, -2.8),
    (1.0, 1, 0),
    (1.0, -1, 0),
    (0.8, 0, 0),
    (0.8, 0, 1.4),
    (0.8, 0, -1.4),
    (0.8, 1, 1.4),
    (0.8, -1, -1.4),
    (0.8, 0, 4.0),
    (0.8, 0, -4.0),
]
HALO = [patheffects.withStroke(linewidth=3, foreground="white")]


@dataclass(frozen=True)
class Quote:
    """A quote of a place: its text, the place's name, its point in map units and colour."""

    text: str
    name: str
    x: float
    y: float
    colour: str


@dataclass(frozen=True)
class Slot:
    """Room for one quote box, in figure fractions."""

    left: float
    bottom: float
    width: float
    height: float


def text_boxes(figure: Figure) -> list[tuple[Text, Bbox]]:
    """Every visible, non-empty text of ``figure`` with its box on the canvas (drawn first,
    so that legends and scale bars have their final places)."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    found = []
    for text in figure.findobj(Text):
        if text.get_visible() and text.get_text().strip() and text.get_figure() is not None:
            found.append((text, text.get_window_extent(renderer)))
    return found


def overlapping_texts(figure: Figure, pad: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap (by more than ``pad`` pixels each way)."""
    boxes = text_boxes(figure)
    pairs = []
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1 :]:
            if _overlap(a.expanded(1, 1), b, pad):
                pairs.append((text_a.get_text(), text_b.get_text()))
    return pairs


def _overlap(a: Bbox, b: Bbox, pad: float = 0.0) -> bool:
    return a.x0 + pad < b.x1 and b.x0 + pad < a.x1 and a.y0 + pad < b.y1 and b.y0 + pad < a.y1


def place_labels(
    ax, labels: Iterable[tuple[str, float, float]], size: float, taken: Sequence[Bbox] = ()
) -> list[Text]:
    """Buurt names at their points, in order; a name that would overlap one placed before
    (or a box in ``taken``) moves above or below its point, then shrinks, else is left out."""
    renderer = ax.figure.canvas.get_renderer()
    placed: list[Bbox] = list(taken)
    axes_box = ax.get_window_extent(renderer)
    texts = []
    for name, x, y in labels:
        for font, dx, dy in CANDIDATES:
            text = ax.annotate(
                name, (x, y), xytext=(dx * size * 3, dy * size), textcoords="offset points",
                ha="center",
                va="center", fontsize=font * size, fontweight="bold", color="#1f2937",
                path_effects=HALO, annotation_clip=False, zorder=6,
            )  # fmt: skip
            box = text.get_window_extent(renderer)
            inside = axes_box.x0 <= box.x0 and box.x1 <= axes_box.x1
            inside = inside and axes_box.y0 <= box.y0 and box.y1 <= axes_box.y1
            if inside and not any(_overlap(box, other) for other in placed):
                placed.append(box)
                texts.append(text)
                break
            text.remove()
    return texts


def _wrapped(text: str, width_points: float, font: float, max_lines: int) -> str:
    columns = max(10, int(width_points / (font * 0.5)))
    lines = textwrap.wrap(text, columns)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" ,.;") + "…"
    return "\n".join(lines)


def _text(figure: Figure, x: float, y: float, content: str, font: float) -> Text:
    return figure.text(x, y, content, ha="left", va="top", fontsize=font, linespacing=1.25,
                       color="#1f2937")  # fmt: skip


def _fit(figure: Figure, slot: Slot, quote: Quote, font: float) -> Text:
    """The quote's text in ``slot``: wrapped to its width, cut to its height."""
    renderer = figure.canvas.get_renderer()
    pad = 0.6 * font / 72 / figure.get_figwidth()
    width_px = (slot.width - 2 * pad) * figure.bbox.width
    height_px = slot.height * figure.bbox.height - 1.4 * font * figure.dpi / 72
    width_pt = width_px * 72 / figure.dpi
    x, y = (
        slot.left + pad,
        slot.bottom + slot.height - pad * figure.get_figwidth() / figure.get_figheight(),
    )
    for narrower in (1.0, 0.92, 0.84, 0.76, 0.68):
        wrap = width_pt * narrower
        name = _wrapped(f"— {quote.name}", wrap, font, 2)
        full = _wrapped(f"“{quote.text}”", wrap, font, 99)
        text = _text(figure, x, y, f"{full}\n{name}", font)
        box = text.get_window_extent(renderer)
        text.remove()
        if box.width > width_px:
            continue  # narrower lines first, then fewer
        for lines in range(full.count("\n") + 1, 0, -1):
            body = _wrapped(f"“{quote.text}”", wrap, font, lines)
            text = _text(figure, x, y, f"{body}\n{name}", font)
            if text.get_window_extent(renderer).height <= height_px:
                return text
            text.remove()
    return figure.text(x, y, _wrapped(f"— {quote.name}", width_pt * 0.7, font, 1), ha="left",
                       va="top", fontsize=font)  # fmt: skip


def place_quotes(
    figure: Figure, ax, pairs: Sequence[tuple[Quote, Slot]], font: float
) -> list[Text]:
    """Each quote in its slot, framed in its type's colour, with a leader line from the
    frame to its place."""
    texts = []
    for quote, slot in pairs:
        text = _fit(figure, slot, quote, font)
        box = text.get_window_extent(figure.canvas.get_renderer())
        inverse = figure.transFigure.inverted()
        (x0, y0), (x1, y1) = inverse.transform([(box.x0, box.y0), (box.x1, box.y1)])
        pad = 0.35 * font / 72 / figure.get_figwidth()
        frame = FancyBboxPatch(
            (x0 - pad, y0 - pad), x1 - x0 + 2 * pad, y1 - y0 + 2 * pad,
            boxstyle=f"round,pad=0,rounding_size={pad}", transform=figure.transFigure,
            facecolor="white", edgecolor=quote.colour, linewidth=1.2, zorder=2,
        )  # fmt: skip
        figure.add_artist(frame)
        anchor = _anchor((x0 - pad, y0 - pad, x1 + pad, y1 + pad), ax, quote)
        line = ConnectionPatch(
            anchor, (quote.x, quote.y), coordsA=figure.transFigure, coordsB=ax.transData,
            color=quote.colour, linewidth=0.9, zorder=7,
        )  # fmt: skip
        figure.add_artist(line)
        ax.plot([quote.x], [quote.y], "o", ms=2.5, color=quote.colour, zorder=8)
        texts.append(text)
    return texts


def _anchor(box: tuple[float, float, float, float], ax, quote: Quote) -> tuple[float, float]:
    """The middle of the frame's side that faces the place."""
    x0, y0, x1, y1 = box
    fx, fy = ax.figure.transFigure.inverted().transform(ax.transData.transform((quote.x, quote.y)))
    if fx < x0:
        return (x0, (y0 + y1) / 2)
    if fx > x1:
        return (x1, (y0 + y1) / 2)
    return ((x0 + x1) / 2, y0 if fy < y0 else y1)
