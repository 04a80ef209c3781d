"""Pure geopandas analysis of meaningful places per wijk and buurt.

No Flask, no database, no files: every function takes GeoDataFrames (areas and places shaped
as :mod:`plekken.storage` delivers them, see :mod:`plekken.analysis.inputs`) and returns
GeoDataFrames or DataFrames. Inputs may be in EPSG:4326 or EPSG:28992; all measuring happens
in EPSG:28992 metres and results come back in the CRS of the areas unless ``out_crs`` says
otherwise. Every result states its parameters in ``DataFrame.attrs`` (``distance_method``,
distances, cell size, ...).

Measures
--------
coverage   share of land and inhabitants within D of a place, per area × type × distance
surface    grid with distance to the nearest place and counts within D per type
gaps       polygons of land farther than D from any place of a type
summary    per-area counts, shares, density, diversity, sample-size warning (wide)
summary_long  the same counts and shares as area × type rows
proximity  mean / median distance from residents to the nearest place (CBS Nabijheid style)

Distances are straight lines by default; ``coverage``, ``surface`` and ``gaps`` also measure
along a street network (``network=``, see :mod:`plekken.analysis.network`).
"""

from __future__ import annotations

from .coverage import coverage
from .crs import METRIC_CRS, require_crs, require_projected, to_metric
from .gaps import gaps
from .grid import make_grid
from .inputs import ANY
from .network import Network, as_network
from .proximity import proximity
from .summary import shannon_evenness, summary, summary_long
from .surface import surface

__all__ = [
    "ANY",
    "METRIC_CRS",
    "Network",
    "as_network",
    "coverage",
    "gaps",
    "make_grid",
    "proximity",
    "require_crs",
    "require_projected",
    "shannon_evenness",
    "summary",
    "summary_long",
    "surface",
    "to_metric",
]
