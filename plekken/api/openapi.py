"""The OpenAPI 3.1 description of the JSON API."""

from __future__ import annotations

from importlib.metadata import version

from ..validation import LIMITS
from ..vocab import CONDITIONS, FUNCTION_TYPES, LEVELS, ROLES, STATUSES
from .openapi_doing import doing_paths, doing_schemas
from .openapi_parts import json_answer as _json
from .openapi_parts import query_param as _query
from .openapi_parts import ref as _ref
from .openapi_reach import CONTRIBUTOR_PROPERTIES, reach_path, reach_schemas

__all__ = ["openapi_document"]


def _schemas() -> dict:
    point = {
        "type": "object",
        "properties": {
            "type": {"const": "Point"},
            "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2},
        },
    }
    nullable_bool = {"type": ["boolean", "null"]}
    place_props = {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "quote": {"type": "string"},
        "story": {"type": "string"},
        "function_types": {"type": "array", "items": {"enum": list(FUNCTION_TYPES)}},
        "wijk_code": {"type": ["string", "null"]},
        "buurt_code": {"type": ["string", "null"]},
        "status": {"enum": list(STATUSES)},
        "symbol_url": {"type": "string"},
        "symbol_icon": {"type": ["string", "null"]},
        "contributor_role": {"enum": list(ROLES)},
        "contributor_name": {"type": ["string", "null"]},
        "conditions": {"type": "array", "items": {"enum": list(CONDITIONS)}},
        "access_free_entry": nullable_bool,
        "access_costs": nullable_bool,
        "access_wheelchair": nullable_bool,
        "created_at": {"type": "string", "format": "date-time"},
    }
    new_place = {
        "type": "object",
        "required": ["lon", "lat", "name", "function_types", "consent"],
        "properties": {
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            **{field: {"type": "string", "maxLength": limit} for field, limit in LIMITS.items()},
            "function_types": {"type": "array", "minItems": 1,
                               "items": {"enum": list(FUNCTION_TYPES)}},
            "conditions": {"type": "array", "items": {"enum": list(CONDITIONS)}},
            "symbol_icon": {"type": "string", "description": "Key of a built-in symbol."},
            "contributor_role": {"enum": list(ROLES)},
            "access_free_entry": nullable_bool,
            "access_costs": nullable_bool,
            "access_wheelchair": nullable_bool,
            "consent": {"const": True,
                        "description": "The contributor agrees to show the place on the map."},
            "workshop": {"type": "string", "description": "Join code of an open workshop: the "
                         "place must lie in its wijk and gets its moderation setting."},
            "placement": {"enum": ["map", "list", "gps"],
                          "description": "How the point was placed (workshop places)."},
            "map_zoom": {"type": "number", "minimum": 0, "maximum": 24,
                         "description": "Zoom of the map when the point was placed."},
            **CONTRIBUTOR_PROPERTIES,
        },
    }  # fmt: skip
    return {
        "PlaceFeature": {
            "type": "object",
            "properties": {
                "type": {"const": "Feature"},
                "geometry": point,
                "properties": {"type": "object", "properties": place_props},
            },
        },
        "AreaFeature": {
            "type": "object",
            "properties": {
                "type": {"const": "Feature"},
                "geometry": {"type": "object"},
                "properties": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "name": {"type": "string"},
                        "level": {"enum": list(LEVELS)},
                        "parent_code": {"type": ["string", "null"]},
                        "inhabitants": {"type": ["integer", "null"]},
                    },
                },
            },
        },
        "FeatureCollection": {
            "type": "object",
            "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array"}},
        },  # fmt: skip
        "NewPlace": new_place,
        "AnalysisMetadata": {
            "type": "object",
            "description": "How the result was made: distance_method (straight_line or "
            "network), distance_m, cell_m, function_type(s), level, scope, data_date, "
            "places_counted, include_pending, inhabitants_assumption.",
            "properties": {
                "distance_method": {"enum": ["straight_line", "network"]},
                "distance_m": {"type": ["number", "array"]},
                "level": {"enum": ["buurt", "wijk"]},
                "scope": {"type": "object"},
                "data_date": {"type": ["string", "null"], "format": "date-time"},
                "places_counted": {"type": "integer"},
                "include_pending": {"type": "boolean"},
                "inhabitants_assumption": {"type": "string"},
            },
        },
        "AnalysisCollection": {
            "type": "object",
            "properties": {
                "type": {"const": "FeatureCollection"},
                "features": {"type": "array"},
                "metadata": _ref("AnalysisMetadata"),
            },
        },
        "AnalysisGrid": {
            "type": "object",
            "description": "A grid without a polygon per cell: per cell its id (E<x>N<y>, the "
            "lower-left corner in EPSG:28992 metres, or H<col>_<row> for hexagons) and centre, "
            "and one array per value, in the same order.",
            "properties": {
                "type": {"const": "Grid"},
                "cells": {
                    "type": "object",
                    "properties": {
                        "cell_id": {"type": "array", "items": {"type": "string"}},
                        "lon": {"type": "array", "items": {"type": "number"}},
                        "lat": {"type": "array", "items": {"type": "number"}},
                    },
                },
                "values": {"type": "object", "additionalProperties": {"type": "array"}},
                "metadata": _ref("AnalysisMetadata"),
            },
        },
        "AnalysisTable": {
            "type": "object",
            "properties": {
                "records": {"type": "array", "items": {"type": "object"}},
                "metadata": _ref("AnalysisMetadata"),
            },
        },
        **reach_schemas(_ref),
        "Errors": {
            "type": "object",
            "properties": {
                "errors": {"type": "object", "additionalProperties": {"type": "string"}}
            },
            "description": "One message per field that is wrong (Dutch, or English with "
            "Accept-Language: en).",
        },  # fmt: skip
    }


def _failures() -> dict:
    """Answers any endpoint may give when the server cannot serve it now."""
    return {"503": _json("Errors", "The database cannot be reached now; try again after "
                                   "the Retry-After header's seconds.")}  # fmt: skip


def _analysis_paths(invalid: dict) -> dict:
    """The analysis endpoints; they share the scope parameters."""
    types = ", ".join([*FUNCTION_TYPES, "any"])
    scope = [
        _query("wijk", "Wijk code, e.g. WK026805 (give wijk or gemeente, not both)."),
        _query("gemeente", "Gemeente code (GM0268) or name (Nijmegen)."),
        _query("level", "Areas to report on (default buurt).", ("buurt", "wijk")),
        _query(
            "include_pending",
            "1: count places awaiting review too (professionals of the gemeente only: "
            "401 anonymous, 403 others).",
            ("0", "1"),
        ),
    ]
    distances = _query("distance", "Distance(s) in metres, 50–5000, comma separated (default 400).")
    typed = _query("type", f"Function type(s), comma separated: {types} (default all).")
    csv = _query("format", "json (default) or csv (table without geometry).", ("json", "csv"))
    method = _query(
        "distance_method",
        "straight_line (default, as the crow flies) or network (walking along the streets kept "
        "with 'plekken import-network'; 422 naming this field when none is kept).",
        ("straight_line", "network"),
    )
    missing = _json("Errors", "No such wijk or gemeente (the field is named).")

    def get(summary: str, params: list, ok: dict) -> dict:
        return {
            "get": {
                "summary": summary,
                "parameters": scope + params,
                "responses": {
                    "200": ok,
                    "404": missing,
                    "422": invalid,
                    **_failures(),
                    "429": _json(
                        "Errors",
                        "Too many heavy analyses at once; try "
                        "again after the Retry-After header's seconds.",
                    ),
                },
            }
        }

    reach = reach_path(scope, _query, _json, _failures(), invalid)
    table = {
        "description": "Records and metadata as JSON, or CSV.",
        "content": {
            "application/json": {"schema": _ref("AnalysisTable")},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
    return {
        **reach,
        "/analysis/coverage": get(
            "Share of land and inhabitants within a distance of a place, per area × type",
            [distances, typed, csv, method],
            {
                "description": "One Feature per area × function type × distance, or CSV.",
                "content": {
                    "application/json": {"schema": _ref("AnalysisCollection")},
                    "text/csv": {"schema": {"type": "string"}},
                },
            },
        ),
        "/analysis/surface": get(
            "Grid cells with the distance to the nearest place of each type",
            [
                _query("cell", "Cell size in metres, 25–1000 (default 100)."),
                distances,
                typed,
                _query("shape", "Cell shape (default square).", ("square", "hex")),
                _query(
                    "format",
                    "json (default): a Feature per cell; grid: cell ids, centres and value "
                    "arrays, several times smaller.",
                    ("json", "grid"),
                ),
                method,
            ],
            {
                "description": "One Feature per grid cell, or the compact grid.",
                "content": {
                    "application/json": {
                        "schema": {"oneOf": [_ref("AnalysisCollection"), _ref("AnalysisGrid")]}
                    }
                },
            },
        ),
        "/analysis/gaps": get(
            "Land farther than a distance from any place of a type, largest first",
            [
                _query("distance", "Distance in metres, 50–5000 (default 400)."),
                _query("type", f"One function type: {types} (default verbindend)."),
                method,
            ],
            _json("AnalysisCollection", "One Feature per gap polygon."),
        ),
        "/analysis/summary": get(
            "Places per area: counts, shares, density, diversity, sample size",
            [
                typed,
                csv,
                _query("long", "1: one row per area × type.", ("0", "1")),
                _query("min_places", "Fewer places than this is a small sample (default 5)."),
                _query(
                    "weight",
                    "places (default): each pin counts once. endorsements: each pin counts once "
                    "plus once per resident who said 'ook voor mij'; the type counts, shares "
                    "and diversity then describe people, n_weighted is their total and "
                    "n_places stays the number of pins.",
                    ("places", "endorsements"),
                ),
            ],
            table,
        ),
        "/analysis/proximity": get(
            "Distance from residents to the nearest place per area × type (CBS Nabijheid style)",
            [
                _query("cell", "Cell size in metres of the residence grid, 25–1000 (default 100)."),
                typed,
                csv,
            ],
            {
                "description": "One Feature per area × function type: mean and median distance, "
                "places within 400, 800 and 1,600 m on average; or CSV.",
                "content": {
                    "application/json": {"schema": _ref("AnalysisCollection")},
                    "text/csv": {"schema": {"type": "string"}},
                },
            },
        ),
    }


def _export_path(invalid: dict) -> dict:
    """``/export``: the places as a file to hand on."""
    files = {
        media: {"schema": {"type": "string", "format": "binary"}}
        for media in ("application/geo+json", "text/csv", "application/geopackage+sqlite3",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      "application/zip")
    }  # fmt: skip
    params = [
        _query("wijk", "Wijk code (or give gemeente)."),
        _query("gemeente", "Gemeente code or name (or give wijk)."),
        _query("format", "File format (default geojson).", ("geojson", "csv", "xlsx", "gpkg")),
        _query("buurt", "Only this buurt code."),
        _query("type", "Function type(s), comma separated."),
        _query("since", "Added on or after this day (YYYY-MM-DD)."),
        _query("until", "Added on or before this day (YYYY-MM-DD)."),
        _query("status", "Statuses, comma separated (professionals only).", STATUSES),
        _query("full", "1: exact points, names, times (professionals only).", ("0", "1")),
        _query("with_images", "1: a ZIP with the file, codebook.md and the symbols.", ("0", "1")),
        _query("with_analysis", "1: analysis layers in the GeoPackage.", ("0", "1")),
        _query(
            "workshop",
            "Only the places added in this workshop (its join code); on its "
            "own, the workshop's wijk is the scope.",
        ),
    ]
    return {"/export": {"get": {
        "summary": "The places of a wijk or gemeente as a file, with a codebook",
        "parameters": params,
        "responses": {"200": {"description": "The file, as an attachment.", "content": files},
                      "401": _json("Errors", "status or full without login."),
                      "404": _json("Errors", "No such wijk or gemeente."), "422": invalid},
    }}}  # fmt: skip


def openapi_document(base_url: str) -> dict:
    """The OpenAPI document, with ``base_url`` (e.g. ``/api/v1``) as server."""
    invalid = _json("Errors", "Invalid input; nothing was stored.")
    return {
        "openapi": "3.1.0",
        "info": {"title": "plekken API", "version": version("plekken"),
                 "description": "Meaningful places and CBS areas as GeoJSON (RFC 7946, "
                 "WGS84 lon/lat)."},
        "servers": [{"url": base_url}],
        "paths": {
            "/areas": {"get": {
                "summary": "CBS areas (gemeente, wijk, buurt)",
                "parameters": [_query("level", "Area level.", LEVELS),
                               _query("gemeente", "Gemeente code, e.g. GM0268."),
                               _query("parent", "Code of the parent area.")],
                "responses": {"200": _json("FeatureCollection", "Areas."), "422": invalid,
                              **_failures()},
            }},
            "/places": {
                "get": {
                    "summary": "Published places",
                    "parameters": [_query("wijk", "Wijk code."), _query("buurt", "Buurt code."),
                                   _query("gemeente", "Gemeente code."),
                                   _query("type", "Function type(s), comma separated.")],
                    "responses": {"200": _json("FeatureCollection", "Places."),
                                  "422": invalid, **_failures()},
                },
                "post": {
                    "summary": "Add a place",
                    "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                    "description": "Up to 100 ASCII characters, e.g. a UUID. "
                                    "The same key with the same body within a day returns the "
                                    "first answer; with another body it is a 422.",
                                    "schema": {"type": "string", "maxLength": 100}}],
                    "requestBody": {"required": True, "content": {
                        "application/json": {"schema": _ref("NewPlace")},
                        "multipart/form-data": {"schema": {"allOf": [_ref("NewPlace")],
                            "properties": {"symbol_image": {"type": "string",
                                                            "format": "binary"}}}},
                    }},
                    "responses": {"201": _json("PlaceFeature", "The stored place."),
                                  "400": _json("Errors", "The body cannot be read (JSON "
                                               "nested too deeply); nothing was stored."),
                                  "413": _json("Errors", "The body is over the size limit "
                                               "(symbol_image or body named); nothing was stored."),
                                  "422": invalid, **_failures()},
                },
            },
            "/places/markers": {"get": {
                "summary": "Published places as compact GeoJSON for a map",
                "description": "Per place only name, quote, types (keys), symbol (an icon "
                               "key) or image (an uploaded symbol's id), and buurt (code); "
                               "coordinates to 6 decimals. Sends an ETag; answers 304 "
                               "while the data is unchanged.",
                "parameters": [_query("wijk", "Wijk code."), _query("buurt", "Buurt code."),
                               _query("gemeente", "Gemeente code."),
                               _query("type", "Function type(s), comma separated.")],
                "responses": {"200": _json("FeatureCollection", "Places, compact."),
                              "304": {"description": "Not changed since the ETag sent."},
                              "422": invalid},
            }},
            "/places/{id}": {"get": {
                "summary": "One published place",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {"200": _json("PlaceFeature", "The place."),
                              "404": _json("Errors", "No such published place."),
                              **_failures()},
            }},
            "/workshops/{code}/places": {"get": {
                "summary": "A workshop's public places after a cursor (the wall map's feed)",
                "parameters": [{"name": "code", "in": "path", "required": True,
                                "schema": {"type": "string"}},
                               {"name": "since", "in": "query", "schema": {
                                   "type": "integer", "minimum": 0},
                                "description": "The cursor of the previous answer (0 first)."}],
                "responses": {"200": _json("FeatureCollection", "New places, with `cursor` "
                                           "(pass it on as since), `counts` per type, `open`."),
                              "404": _json("Errors", "No such workshop."), "422": invalid},
            }},
            **_analysis_paths(invalid),
            **_export_path(invalid),
            **doing_paths(invalid),
        },
        "components": {"schemas": {**_schemas(), **doing_schemas()}},
    }  # fmt: skip
