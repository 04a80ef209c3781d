"""Pure geopandas analysis of meaningful places per wijk and buurt.

No Flask, no database, no files. :func:`prepare` takes GeoDataFrames (areas and places shaped
as :mod:`plekken.storage` delivers them, see :mod:`plekken.analysis.inputs`) once: it
reprojects them to EPSG:28992 metres, derives the land, keeps the places that count and reads
population points. Every measure then takes that :class:`Prepared` plus its own few
parameters and returns a GeoDataFrame or DataFrame, in the CRS of the areas unless
``prepare(..., out_crs=...)`` says otherwise. Inputs may be in EPSG:4326 or EPSG:28992. Every
result states its parameters in ``DataFrame.attrs`` (``distance_method``, distances, cell
size, ...).

>>> from shapely.geometry import Point, box
>>> import geopandas as gpd
>>> areas = gpd.GeoDataFrame({"code": ["BU1"]}, geometry=[box(0, 0, 2000, 2000)], crs=28992)
>>> places = gpd.GeoDataFrame({"function_types": [["verbindend"]]},
...                           geometry=[Point(1000, 1000)], crs=28992)
>>> inputs = prepare(areas, places)
>>> round(float(coverage(inputs, 400, "verbindend")["covered_share"].iloc[0]), 4)
0.1257
>>> round(float(gaps(inputs, 400)["area_m2"].iloc[0]))
3498152

Measures
--------
coverage   share of land and inhabitants within D of a place, per area × type × distance
surface    grid with distance to the nearest place and counts within D per type
gaps       polygons of land farther than D from any place of a type
summary    per-area counts, shares, density, diversity, sample-size warning (wide)
summary_long  the same counts and shares as area × type rows
proximity  mean / median distance from residents to the nearest place (CBS Nabijheid style)
reach      distinct contributors per home buurt against its inhabitants (no geometry needed)

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
from .prepared import Prepared, prepare
from .proximity import proximity
from .reach import reach, reach_totals
from .summary import shannon_evenness, summary, summary_long
from .surface import surface

__all__ = [
    "ANY",
    "METRIC_CRS",
    "Network",
    "Prepared",
    "as_network",
    "coverage",
    "gaps",
    "make_grid",
    "prepare",
    "proximity",
    "reach",
    "reach_totals",
    "require_crs",
    "require_projected",
    "shannon_evenness",
    "summary",
    "summary_long",
    "surface",
    "to_metric",
]
