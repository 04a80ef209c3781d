"""The exact geometry kernels: circle ∩ polygon areas and point thinning."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from plekken.analysis.geometry import disc_overlap_area, thin_points, voronoi_cells


def test_disc_area_inside_on_edge_and_with_hole():
    square = shapely.box(-1000, -1000, 1000, 1000)
    holed = square.difference(shapely.box(-100, -100, 100, 100))
    edge = shapely.box(0, -1000, 2000, 1000)  # centre on its left edge: half a disc
    far = shapely.box(5000, 5000, 6000, 6000)
    areas = disc_overlap_area(np.array([square, holed, edge, far]), np.zeros((4, 2)), [400])[0]
    disc = math.pi * 400**2
    assert areas == pytest.approx([disc, disc - 200 * 200, disc / 2, 0], abs=1e-6)


def test_disc_area_of_multipolygon_and_collection():
    parts = shapely.MultiPolygon([shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10)])
    mixed = shapely.GeometryCollection([parts, shapely.LineString([(0, 0), (1, 1)])])
    areas = disc_overlap_area(np.array([parts, mixed]), np.array([[0.0, 0], [0, 0]]), [1000])
    assert areas[0] == pytest.approx([200, 200])


def test_thinning_keeps_the_union_of_discs():
    rng = np.random.default_rng(11)
    xy = rng.normal(0, 150, size=(2000, 2))
    kept = thin_points(xy, 300.0)
    assert len(kept) < len(xy) / 2
    full = shapely.union_all(shapely.buffer(shapely.points(xy), 300, quad_segs=32))
    thin = shapely.union_all(shapely.buffer(shapely.points(kept), 300, quad_segs=32))
    assert thin.symmetric_difference(full).area < 1e-4 * full.area


def test_voronoi_cells_follow_input_order():
    xy = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0]])
    cells = voronoi_cells(xy, shapely.box(-50, -50, 150, 150))
    assert shapely.contains(cells, shapely.points(xy)).all()
