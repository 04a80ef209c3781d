"""The one seam for the database: rows become objects and GeoDataFrames here, and back.

Functions take a SQLAlchemy session and plain values, never a request. The schema is in
:mod:`plekken.storage.models`, the engine and geometry type in :mod:`plekken.storage.base`.
"""

from .accounts import add_api_token, get_user, user_by_email, user_for_token_hash
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
from .edits import (
    delete_place,
    drop_unused_symbol,
    forget_log_content,
    log_of,
    pending_places,
    place_by_owner_hash,
    symbol_image_with_places,
    update_place,
)
from .places import (
    bounds_of,
    count_places,
    create_place,
    delete_all_places,
    get_place,
    iter_places,
    list_places,
    place_markers,
    places_frame,
    published_counts_by_wijk,
    store_symbol_image,
    symbol_png,
)
from .requests import find_request_key, forget_request_keys_before, remember_request_key

__all__ = [
    "AREA_COLUMNS",
    "add_api_token",
    "area_codes",
    "area_names",
    "areas_frame",
    "bounds_of",
    "count_children",
    "count_places",
    "create_place",
    "data_version",
    "delete_all_places",
    "delete_place",
    "drop_unused_symbol",
    "find_gemeente",
    "find_request_key",
    "forget_log_content",
    "forget_request_keys_before",
    "gemeente_name",
    "get_area",
    "get_place",
    "get_user",
    "iter_places",
    "list_places",
    "locate",
    "log_of",
    "pending_places",
    "place_by_owner_hash",
    "place_markers",
    "places_frame",
    "published_counts_by_wijk",
    "relocate_places",
    "remember_request_key",
    "store_symbol_image",
    "symbol_image_with_places",
    "symbol_png",
    "update_place",
    "upsert_areas",
    "user_by_email",
    "user_for_token_hash",
    "wijk_outline",
    "wijken",
]
