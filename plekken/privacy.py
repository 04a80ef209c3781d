"""Coarsening private places ("bij mij thuis") for public maps and answers.

A private place is shown at the centre of the 250 m cell of the Dutch RD grid (EPSG:28992)
it lies in, so a home address cannot be read from the map; the analysis uses the exact point.
"""

from __future__ import annotations

import math

from pyproj import Transformer

__all__ = ["CELL_M", "coarsen"]

#: Side of the grid cells private places are moved to the centre of, in metres.
CELL_M = 250.0
_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
_FROM_RD = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def coarsen(lon: float, lat: float, cell: float = CELL_M) -> tuple[float, float]:
    """The centre of the ``cell`` m RD grid cell holding the point, as (lon, lat).

    >>> lon, lat = coarsen(5.8420, 51.8255)
    >>> x, y = _TO_RD.transform(lon, lat)
    >>> round(x % 250), round(y % 250)
    (125, 125)
    """
    x, y = _TO_RD.transform(lon, lat)
    centre_x = (math.floor(x / cell) + 0.5) * cell
    centre_y = (math.floor(y / cell) + 0.5) * cell
    return _FROM_RD.transform(centre_x, centre_y)
