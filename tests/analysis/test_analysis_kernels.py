"""The fast kernels against plain shapely on awkward shapes: concave land, holes, overlaps."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from plekken.analysis.clip import Rings, clipped_disc_area
from plekken.analysis.discs import Lands, covered_area
from plekken.analysis.union import disc_union, subtract

# an L-shaped buurt with a pond, a square neighbour, and a wijk overlapping both
L_SHAPE = shapely.Polygon(
    [(0, 0), (2000, 0), (2000, 800), (800, 800), (800, 2000), (0, 2000)],
    holes=[[(200, 200), (500, 200), (500, 500), (200, 500)]],
)
LANDS = np.array([L_SHAPE, shapely.box(2000, 0, 3000, 1000), shapely.box(0, 0, 3000, 1000)])


def fine_union(xy, radius):
    """The union of near-perfect circles (256 segments per quarter)."""
    return shapely.union_all(shapely.buffer(shapely.points(xy), radius, quad_segs=256))


@pytest.mark.parametrize("radius", [50.0, 150.0, 600.0])
@pytest.mark.parametrize("layout", ["spread", "clustered", "grid"])
def test_covered_area_equals_overlay_of_fine_circles(radius, layout):
    rng = np.random.default_rng(7)
    if layout == "spread":
        xy = rng.uniform(-300, 3300, (150, 2))
    elif layout == "clustered":
        xy = rng.normal(900, 120, (400, 2))
    else:  # co-circular points make degenerate Voronoi vertices
        xy = np.stack(np.meshgrid(np.arange(0, 3000, 100.0), np.arange(0, 2000, 100.0)), -1)
        xy = xy.reshape(-1, 2)
    found = covered_area(Lands(LANDS), xy, [radius])[0]
    expected = shapely.area(shapely.intersection(LANDS, fine_union(xy, radius)))
    np.testing.assert_allclose(found, expected, rtol=2e-4, atol=1.0)


def test_clipped_disc_area_on_a_concave_polygon_with_a_hole():
    rings = Rings.of(np.array([L_SHAPE]))
    centres = np.array([[800.0, 800.0], [350.0, 350.0], [1900.0, 100.0]])
    half = np.full(3, 300.0)
    cell = shapely.Polygon([(500, 600), (1100, 600), (1100, 1100), (500, 1100)])
    found = clipped_disc_area(rings, np.zeros(3, dtype=int), centres, 300.0, half,
                              np.array([cell, None, None], dtype=object))  # fmt: skip
    discs = shapely.buffer(shapely.points(centres), 300.0, quad_segs=256)
    pieces = shapely.intersection(discs, np.array([cell, discs[1], discs[2]]))
    expected = shapely.area(shapely.intersection(L_SHAPE, pieces))
    np.testing.assert_allclose(found, expected, rtol=2e-4)


@pytest.mark.parametrize("radius", [40.0, 120.0])
def test_disc_union_is_a_valid_union(radius):
    rng = np.random.default_rng(3)
    grid = np.stack(np.meshgrid(np.arange(0, 1000, 80.0), np.arange(0, 1000, 80.0)), -1)
    xy = np.unique(np.vstack([rng.uniform(0, 3000, (300, 2)), grid.reshape(-1, 2)]), axis=0)
    union = disc_union(xy, radius, shapely.box(-500, -500, 3500, 3500), quad_segs=16)
    assert shapely.is_valid(union)
    exact = shapely.area(fine_union(xy, radius))
    # vertices on the circle: the 16-segment arcs leave out at most 0.16 % of the area
    assert exact * (1 - 0.0017) < shapely.area(union) <= exact
    assert shapely.area(shapely.symmetric_difference(union, fine_union(xy, radius))) < 2e-3 * exact


def test_subtract_equals_difference_with_nested_pockets():
    # a ring of discs around a pocket holding one more disc, inside the L; discs over edges
    angle = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    ring = np.column_stack([400 + 250 * np.cos(angle), 1300 + 250 * np.sin(angle)])
    xy = np.vstack([ring, [[400, 1300]], [[2000, 500], [1990, 900], [30, 30]]])
    union = disc_union(xy, 80.0, shapely.box(-500, -500, 3500, 3500), quad_segs=16)
    polygons, land = subtract(LANDS, union)
    assert shapely.is_valid(polygons).all()
    assert (shapely.get_type_id(polygons) == 3).all()
    expected = shapely.area(shapely.difference(LANDS, union))
    found = np.bincount(land, weights=shapely.area(polygons), minlength=len(LANDS))
    np.testing.assert_allclose(found, expected, rtol=1e-9)
    # the pocket between the ring and the middle disc is a gap of its own in the L
    pocket = shapely.Point(400, 1300 + 160)
    assert sum(bool(shapely.contains(p, pocket)) for p in polygons[land == 0]) == 1
