"""Areas and places prepared once, shared by every measure.

Every measure starts the same way: reproject to EPSG:28992, drop water areas and repair their
polygons, derive the land, keep the places that count and read the population points.
:func:`prepare` does that once; the measures (:func:`~plekken.analysis.coverage`,
:func:`~plekken.analysis.gaps`, ...) take the :class:`Prepared` result plus their own few
parameters, in the way :func:`geopandas.clip` takes a frame and a mask.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .inputs import points_by_type, prepare_areas, prepare_places, prepare_population, type_flags

__all__ = ["Prepared", "prepare"]


@dataclass(frozen=True, eq=False)
class Prepared:
    """Areas, places and population in EPSG:28992, ready for the measures.

    Build it with :func:`prepare`. The arrays the measures need (land geometries, place
    coordinates) are computed on first use and kept.

    Attributes
    ----------
    areas : DataFrame
        See :func:`~plekken.analysis.inputs.prepare_areas` (land, ``land_m2``, ...).
    places : GeoDataFrame
        The places that count (:func:`~plekken.analysis.inputs.prepare_places`).
    population : tuple of (ndarray, ndarray) or None
        Coordinates and weights of population points
        (:func:`~plekken.analysis.inputs.prepare_population`).
    crs : CRS
        The CRS results are returned in.
    include_pending : bool
        Whether places awaiting moderation count.
    """

    areas: pd.DataFrame
    places: gpd.GeoDataFrame
    population: tuple[np.ndarray, np.ndarray] | None
    crs: Any
    include_pending: bool = False

    @cached_property
    def lands(self) -> np.ndarray:
        """The land geometry of every area (object array)."""
        return self.areas["land"].to_numpy()

    @cached_property
    def land_m2(self) -> np.ndarray:
        """Area of each land geometry in m²."""
        return self.areas["land_m2"].to_numpy()

    @cached_property
    def xy(self) -> np.ndarray:
        """Coordinates (n, 2) of every place that counts."""
        return shapely.get_coordinates(self.places.geometry.to_numpy())

    def flags(self, types: list[str]) -> np.ndarray:
        """Boolean matrix (places × types); see :func:`~plekken.analysis.inputs.type_flags`."""
        return type_flags(self.places, types)

    def points(self, types: list[str]) -> dict[str, np.ndarray]:
        """Coordinates of the places of each type; ``"any"`` holds every place."""
        return points_by_type(self.places, types)

    @property
    def population_method(self) -> str:
        """``"population_points"`` with population points, else ``"even_over_land"``."""
        return "even_over_land" if self.population is None else "population_points"


def prepare(
    areas: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    *,
    include_pending: bool = False,
    water: gpd.GeoDataFrame | None = None,
    population: gpd.GeoDataFrame | None = None,
    weight: str | None = "weight",
    out_crs: Any = None,
) -> Prepared:
    """Prepare storage-shaped areas and places once for any number of measures.

    Parameters
    ----------
    areas, places : GeoDataFrame
        Storage-shaped frames (see :mod:`plekken.analysis.inputs`) in EPSG:4326 or
        EPSG:28992 (any CRS that transforms to RD New).
    include_pending : bool, default False
        Count places awaiting moderation too. Hidden places never count.
    water : GeoDataFrame, optional
        Water polygons to take out of the land.
    population : GeoDataFrame, optional
        Address or building points with inhabitants in column ``weight``; used instead of
        spreading each area's ``inhabitants`` evenly over its land.
    weight : str or None, default "weight"
        Column of ``population`` with inhabitants per point; ``None`` counts every point once;
        ``"spread"`` divides each area's inhabitants evenly over its points (address points).
    out_crs : optional
        CRS of the results; default the CRS of ``areas``.

    Returns
    -------
    Prepared

    Examples
    --------
    >>> from shapely.geometry import Point, box
    >>> areas = gpd.GeoDataFrame({"code": ["BU1"]}, geometry=[box(0, 0, 100, 100)], crs=28992)
    >>> places = gpd.GeoDataFrame({"function_types": [["verbindend"]]},
    ...                           geometry=[Point(50, 50)], crs=28992)
    >>> prepared = prepare(areas, places)
    >>> len(prepared.areas), prepared.xy.tolist(), prepared.crs.to_epsg()
    (1, [[50.0, 50.0]], 28992)
    """
    prepared_areas = prepare_areas(areas, water)
    return Prepared(
        areas=prepared_areas,
        places=prepare_places(places, include_pending),
        population=prepare_population(population, weight, prepared_areas),
        crs=areas.crs if out_crs is None else out_crs,
        include_pending=include_pending,
    )
