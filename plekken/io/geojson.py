"""GeoJSON (RFC 7946) representations of areas and places for the API and the map.

No request needed: the caller passes the language and how to build the URL of a static file
and of a stored symbol image.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import mapping

from ..i18n import gettext
from ..privacy import coarsen
from ..storage.models import Place
from ..symbols import icon_label
from ..vocab import CONDITIONS, FUNCTION_TYPES, ROLES, label

__all__ = [
    "area_features",
    "feature_collection",
    "marker_feature",
    "place_feature",
    "symbol_url",
    "utc_iso",
]


def feature_collection(features: list[dict], **members: Any) -> dict:
    return {"type": "FeatureCollection", "features": features, **members}


def symbol_url(
    place: Place, static_url: Callable[[str], str], image_url: Callable[[int], str]
) -> str:
    """The URL of the symbol of ``place``: its uploaded image, or its built-in icon.

    ``static_url`` turns a path under ``static/`` into a URL, ``image_url`` a symbol image id.
    """
    if place.symbol_image_id is not None:
        return image_url(place.symbol_image.key)
    return static_url(f"symbols/{place.symbol_icon or 'ster'}.svg")


def _access_lines(place: Place, lang: str) -> list[str]:
    lines = []
    checks = (
        (place.access_free_entry, "Vrij toegankelijk", "Niet vrij toegankelijk"),
        (place.access_costs, "Kost geld", "Gratis"),
        (place.access_wheelchair, "Rolstoeltoegankelijk", "Niet rolstoeltoegankelijk"),
    )
    for value, yes, no in checks:
        if value is not None:
            lines.append(gettext(yes if value else no, lang))
    if place.access_opening_hours:
        lines.append(gettext("Open: {hours}", lang, hours=place.access_opening_hours))
    if place.access_notes:
        lines.append(place.access_notes)
    return lines


def place_feature(
    place: Place,
    names: dict[str, str],
    lang: str = "nl",
    *,
    static_url: Callable[[str], str],
    image_url: Callable[[str], str],
    public: bool = True,
) -> dict:
    """One place as a GeoJSON Feature in ``lang``; ``names`` maps area codes to names.

    ``static_url`` and ``image_url`` build the symbol's URL (see :func:`symbol_url`). A
    ``public`` answer names the contributor only when they chose so, gives the dates to the
    day, and moves a private place ("bij mij thuis") to the centre of its 250 m cell
    (:func:`plekken.privacy.coarsen`); professionals of its gemeente and the place's owner
    get the full answer.
    """
    types = place.function_types
    properties = {
        "id": place.id,
        "name": place.name,
        "quote": place.quote,
        "story": place.story,
        "function_types": types,
        "function_type_labels": [label(FUNCTION_TYPES, key, lang) for key in types],
        "symbol_icon": place.symbol_icon if place.symbol_image_id is None else None,
        "symbol_url": symbol_url(place, static_url, image_url),
        "symbol_label": icon_label(place.symbol_icon or "ster", lang)
        if place.symbol_image_id is None
        else None,
        "gemeente_code": place.gemeente_code,
        "wijk_code": place.wijk_code,
        "wijk_name": names.get(place.wijk_code or ""),
        "buurt_code": place.buurt_code,
        "buurt_name": names.get(place.buurt_code or ""),
        "status": place.status,
        "contributor_role": place.contributor_role,
        "contributor_role_label": label(ROLES, place.contributor_role, lang),
        "contributor_name": place.contributor_name if place.show_name or not public else None,
        "show_name": bool(place.show_name),
        "private": bool(place.private),
        "conditions": list(place.conditions or []),
        "condition_labels": [label(CONDITIONS, key, lang) for key in place.conditions or []],
        "access_free_entry": place.access_free_entry,
        "access_costs": place.access_costs,
        "access_wheelchair": place.access_wheelchair,
        "access_opening_hours": place.access_opening_hours,
        "access_notes": place.access_notes,
        "access": _access_lines(place, lang),
        "created_at": _when(place.created_at, public),
        "updated_at": _when(place.updated_at, public),
    }
    lon, lat = coarsen(place.lon, place.lat) if public and place.private else (place.lon, place.lat)
    geometry = {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}
    return {"type": "Feature", "id": place.id, "geometry": geometry, "properties": properties}


def _when(moment, public: bool) -> str:
    """A time as ISO 8601 in UTC: the day only in public answers."""
    return moment.date().isoformat() if public else utc_iso(moment)


def marker_feature(record, public: bool = True) -> dict:
    """A place as a compact GeoJSON Feature for the map's markers.

    ``record`` is a :class:`plekken.storage.places.MarkerRecord`. Only what a marker, a
    cluster and the list view show: name, quote, function type keys, the symbol (a built-in
    icon's key, or the key of an uploaded image), the buurt code and, when not published,
    the status; coordinates to 6 decimals (about 10 cm). A ``public`` answer moves a private
    place to the centre of its 250 m cell, as :func:`place_feature` does. The popup fetches
    the rest from ``/api/v1/places/<id>``.
    """
    properties = {"name": record.name, "types": record.types, "buurt": record.buurt_code}
    if record.quote:
        properties["quote"] = record.quote
    if record.image_key is not None:
        properties["image"] = record.image_key
    else:
        properties["symbol"] = record.symbol_icon or "ster"
    if record.status != "published":
        properties["status"] = record.status
    lon, lat = (record.lon, record.lat)
    if public and record.private:
        lon, lat = coarsen(lon, lat)
    geometry = {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}
    return {"type": "Feature", "id": record.id, "geometry": geometry, "properties": properties}


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def area_features(frame: gpd.GeoDataFrame) -> list[dict]:
    """Areas (from :func:`plekken.storage.areas_frame`) as GeoJSON Features."""
    features = []
    for row in frame.itertuples(index=False):
        properties = {
            "code": row.code,
            "name": row.name,
            "level": row.level,
            "parent_code": row.parent_code,
            "gemeente_code": row.gemeente_code,
            "inhabitants": _plain(row.inhabitants),
            "is_water": bool(row.is_water),
        }
        features.append(
            {"type": "Feature", "id": row.code, "geometry": mapping(row.geometry),
             "properties": properties}
        )  # fmt: skip
    return features


def utc_iso(moment: datetime) -> str:
    """ISO 8601 in UTC; SQLite gives back the stored UTC time without its zone."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
