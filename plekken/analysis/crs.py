"""Coordinate reference systems for the analysis.

Every measure is computed in EPSG:28992 (RD New, metres). The public functions of
:mod:`plekken.analysis` accept frames in any CRS that can be transformed to RD New (in practice
EPSG:4326 from storage or EPSG:28992 from CBS) and reproject them transparently. Low-level
helpers whose parameters are metres (such as :func:`plekken.analysis.grid.make_grid`) do not
guess: they refuse a geographic CRS with :func:`require_projected`.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd

__all__ = ["METRIC_CRS", "require_crs", "require_projected", "to_metric", "output_crs"]

#: The CRS every distance and area is measured in: RD New (Amersfoort / RD New), metres.
METRIC_CRS = 28992


def require_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries, name: str = "gdf") -> None:
    """Raise ``ValueError`` when ``gdf`` has no CRS.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> require_crs(gpd.GeoDataFrame(geometry=[Point(0, 0)]), "places")
    Traceback (most recent call last):
    ...
    ValueError: places has no CRS; set it with places.set_crs(4326) (longitude/latitude) or places.set_crs(28992) (RD New metres) first
    """  # noqa: E501
    if gdf.crs is None:
        raise ValueError(
            f"{name} has no CRS; set it with {name}.set_crs(4326) (longitude/latitude) "
            f"or {name}.set_crs(28992) (RD New metres) first"
        )


def require_projected(gdf: gpd.GeoDataFrame | gpd.GeoSeries, name: str = "gdf") -> None:
    """Raise ``ValueError`` unless ``gdf`` is in a projected CRS measured in metres.

    Use this for frames whose coordinates are combined with parameters in metres.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> require_projected(gpd.GeoDataFrame(geometry=[Point(5.85, 51.84)], crs=4326))
    Traceback (most recent call last):
    ...
    ValueError: gdf is in a geographic CRS (EPSG:4326); reproject with gdf.to_crs(28992) first
    """
    require_crs(gdf, name)
    crs = gdf.crs
    if crs.is_geographic:
        raise ValueError(
            f"{name} is in a geographic CRS ({crs.to_string()}); "
            f"reproject with {name}.to_crs(28992) first"
        )
    units = {axis.unit_name for axis in crs.axis_info}
    if units - {"metre"}:
        raise ValueError(
            f"{name} is in a CRS measured in {', '.join(sorted(units))} ({crs.to_string()}), "
            f"not metres; reproject with {name}.to_crs(28992) first"
        )


def to_metric(gdf: Any, name: str = "gdf") -> Any:
    """Return ``gdf`` in EPSG:28992, reprojecting when needed (refuses a missing CRS).

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame(geometry=[Point(5.85, 51.84)], crs=4326)
    >>> to_metric(frame).crs.to_epsg()
    28992
    """
    require_crs(gdf, name)
    if gdf.crs.equals(METRIC_CRS):
        return gdf
    return gdf.to_crs(METRIC_CRS)


def output_crs(areas: gpd.GeoDataFrame, out_crs: Any = None) -> Any:
    """The CRS results are returned in: ``out_crs`` when given, else the CRS of ``areas``."""
    return areas.crs if out_crs is None else out_crs
