"""The one seam for the database: rows become objects and GeoDataFrames here, and back.

Functions take a SQLAlchemy session and plain values, never a request. The schema is in
:mod:`plekken.storage.models`, the engine and geometry type in :mod:`plekken.storage.base`.
"""

from .areas import (
    AREA_COLUMNS,
    area_codes,
    area_names,
    areas_frame,
    count_children,
    find_gemeente,
    gemeente_name,
    get_area,
    locate,
    relocate_places,
    upsert_areas,
    wijk_outline,
    wijken,
)
from .changes import data_version
from .places import (
    bounds_of,
    count_places,
    create_place,
    delete_all_places,
    get_place,
    list_places,
    places_frame,
    published_counts_by_wijk,
    store_symbol_image,
    symbol_png,
)

__all__ = [
    "AREA_COLUMNS",
    "area_codes",
    "area_names",
    "areas_frame",
    "bounds_of",
    "count_children",
    "count_places",
    "create_place",
    "data_version",
    "delete_all_places",
    "find_gemeente",
    "gemeente_name",
    "get_area",
    "get_place",
    "list_places",
    "locate",
    "places_frame",
    "published_counts_by_wijk",
    "relocate_places",
    "store_symbol_image",
    "symbol_png",
    "upsert_areas",
    "wijk_outline",
    "wijken",
]
