"""The built-in SVG symbols as matplotlib paths, so that a printed map draws them as vectors:
sharp at any size, in a PDF as in a 300 dpi PNG.

:func:`symbol_shapes` reads one SVG (with ``svgelements``, transforms applied) into shapes in
a unit square centred on the origin (y up); :func:`place_patches` puts them at a point.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from svgelements import SVG, Close, CubicBezier, Line, Move, QuadraticBezier, Shape
from svgelements import Path as SvgPath

__all__ = ["SymbolShape", "place_patches", "symbol_shapes"]


@dataclass(frozen=True)
class SymbolShape:
    """One filled and/or stroked shape of a symbol; ``width`` is the stroke as a share of the
    symbol's size."""

    path: MplPath
    fill: str | None
    stroke: str | None
    width: float
    capstyle: str
    joinstyle: str


def _colour(value) -> str | None:
    if value is None or getattr(value, "value", None) is None:
        return None
    return value.hex


def _segments(path: SvgPath, size: float) -> MplPath:
    """An SVG path as a matplotlib path in the unit square (y up, centred)."""
    verts, codes = [], []

    def point(p) -> tuple[float, float]:
        return (p.x / size - 0.5, 0.5 - p.y / size)

    for segment in path.segments():
        if isinstance(segment, Move):
            verts.append(point(segment.end)), codes.append(MplPath.MOVETO)
        elif isinstance(segment, Close):
            verts.append(point(segment.end)), codes.append(MplPath.CLOSEPOLY)
        elif isinstance(segment, Line):
            verts.append(point(segment.end)), codes.append(MplPath.LINETO)
        elif isinstance(segment, QuadraticBezier):
            verts += [point(segment.control), point(segment.end)]
            codes += [MplPath.CURVE3] * 2
        elif isinstance(segment, CubicBezier):
            verts += [point(segment.control1), point(segment.control2), point(segment.end)]
            codes += [MplPath.CURVE4] * 3
    return MplPath(np.array(verts, dtype=float), codes)


@cache
def symbol_shapes(svg_file: Path) -> tuple[SymbolShape, ...]:
    """The shapes of the SVG symbol ``svg_file`` (a square viewBox), in drawing order."""
    document = SVG.parse(str(svg_file), reify=True)
    size = float(document.viewbox.width if document.viewbox else document.width)
    shapes = []
    for element in document.elements():
        if not isinstance(element, Shape):
            continue
        path = SvgPath(element)
        path.approximate_arcs_with_cubics()
        shapes.append(
            SymbolShape(
                _segments(path, size),
                _colour(element.fill),
                _colour(element.stroke),
                float(element.stroke_width or 0) / size,
                {"round": "round", "square": "projecting"}.get(
                    element.values.get("stroke-linecap"), "butt"
                ),
                {"round": "round", "bevel": "bevel"}.get(
                    element.values.get("stroke-linejoin"), "miter"
                ),
            )
        )
    return tuple(shapes)


def place_patches(
    shapes: tuple[SymbolShape, ...], x: float, y: float, size: float, size_points: float
) -> list[PathPatch]:
    """Patches of a symbol centred on ``(x, y)``, ``size`` wide in data units, whose strokes
    are scaled for a symbol ``size_points`` wide on paper."""
    patches = []
    for shape in shapes:
        vertices = shape.path.vertices * size + (x, y)
        patches.append(
            PathPatch(
                MplPath(vertices, shape.path.codes),
                facecolor=shape.fill or "none",
                edgecolor=shape.stroke or "none",
                linewidth=shape.width * size_points if shape.stroke else 0,
                capstyle=shape.capstyle,
                joinstyle=shape.joinstyle,
            )
        )
    return patches
