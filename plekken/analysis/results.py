"""Shared pieces for building result frames: area columns, population, parameters."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from .crs import METRIC_CRS
from .points import points_in_areas

__all__ = ["AREA_COLUMNS", "area_frame", "Population", "finish", "ratio"]

#: Columns describing the area on every result row.
AREA_COLUMNS = ["code", "name", "level"]


def area_frame(prepared: pd.DataFrame) -> pd.DataFrame:
    """A copy of the columns that describe each area (see :func:`~.inputs.prepare_areas`)."""
    columns = [*AREA_COLUMNS, "inhabitants", "land_area_m2", "land_method", "geometry"]
    return prepared[columns].copy()


class Population:
    """Where the inhabitants of each area live: population points or an even spread.

    Points are matched to areas as ``area_idx`` / ``point_idx`` pairs, so overlapping areas
    (a wijk and its buurten) each get their own inhabitants.
    """

    def __init__(self, prepared: pd.DataFrame, points: tuple[np.ndarray, np.ndarray] | None):
        self.n_areas = len(prepared)
        self.inhabitants = prepared["inhabitants"].to_numpy(dtype=float)
        self.method = "even_over_land" if points is None else "population_points"
        if points is not None:
            self.xy, self.weights = points
            lands = prepared["land"].to_numpy()
            self.area_idx, self.point_idx = points_in_areas(lands, self.xy)
            self.inhabitants = self.total(np.ones(len(self.xy), dtype=bool))

    def total(self, selected: np.ndarray) -> np.ndarray:
        """Sum of the weights of the selected population points per area."""
        chosen = selected[self.point_idx]
        weights = self.weights[self.point_idx] * chosen
        return np.bincount(self.area_idx, weights=weights, minlength=self.n_areas)


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator`` where the denominator is positive, NaN elsewhere.

    Examples
    --------
    >>> ratio(np.array([1.0, 1.0]), np.array([4.0, 0.0])).tolist()
    [0.25, nan]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / denominator, np.nan)


def finish(frame: pd.DataFrame, out_crs: Any, attrs: dict[str, Any]) -> gpd.GeoDataFrame:
    """Turn a metric result frame into a GeoDataFrame in ``out_crs`` carrying ``attrs``."""
    result = gpd.GeoDataFrame(frame, geometry="geometry", crs=METRIC_CRS)
    if out_crs is not None:
        result = result.to_crs(out_crs)
    result.attrs.update(attrs)
    return result
