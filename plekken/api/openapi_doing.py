"""The OpenAPI description of findings and actions (see :mod:`plekken.api.openapi`)."""

from __future__ import annotations

from ..services.actions import LIMITS
from ..services.doing import ACTION_STATUSES
from ..services.findings import GAP_DISTANCE, TEXT_LIMIT
from ..vocab import CONDITIONS, FUNCTION_TYPES, STATUSES
from .openapi_parts import json_answer as _json
from .openapi_parts import query_param as _query
from .openapi_parts import ref as _ref

__all__ = ["doing_paths", "doing_schemas"]

_POINT = {"type": ["object", "null"], "properties": {
    "type": {"const": "Point"},
    "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2}}}  # fmt: skip
_IDS = {"type": "array", "items": {"type": "integer", "minimum": 1}, "maxItems": 50}
_DATE = {"type": ["string", "null"], "format": "date", "description": "YYYY-MM-DD"}
_WORKSHOP = {
    "type": "string",
    "description": "Join code of an open workshop in the wijk that lets residents write; "
    "the item then waits for approval when the workshop is moderated.",
}


def doing_schemas() -> dict:
    """Request bodies and answers of findings and actions."""
    gap = {"type": ["object", "null"], "required": ["lon", "lat", "function_type", "distance"],
           "properties": {"lon": {"type": "number", "minimum": -180, "maximum": 180},
                          "lat": {"type": "number", "minimum": -90, "maximum": 90},
                          "function_type": {"enum": [*FUNCTION_TYPES, "any"]},
                          "distance": {"type": "number", "minimum": GAP_DISTANCE[0],
                                       "maximum": GAP_DISTANCE[1]}}}  # fmt: skip
    finding = {
        "wijk": {"type": "string", "description": "Wijk code, e.g. WK026805."},
        "text": {"type": "string", "maxLength": TEXT_LIMIT},
        "places": {**_IDS, "description": "Ids of the evidence places."},
        "buurten": {"type": "array", "items": {"type": "string"}, "maxItems": 50},
        "gap": gap,
        "function_type": {"enum": list(FUNCTION_TYPES)},
        "conditions": {"type": "array", "items": {"enum": list(CONDITIONS)}},
    }
    action = {
        "wijk": {"type": "string", "description": "Wijk code, e.g. WK026805."},
        **{key: {"type": "string", "maxLength": limit} for key, limit in LIMITS.items()},
        "findings": {**_IDS, "description": "Ids of findings in the same wijk."},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "starts": _DATE, "due": _DATE,
        "status": {"enum": list(ACTION_STATUSES), "description": "Default idee; gestopt needs "
                   "a stop_reason."},
    }  # fmt: skip
    update = {"text": {"type": "string", "maxLength": 2000}, "date": _DATE,
              "status": {"enum": list(ACTION_STATUSES)},
              "stop_reason": {"type": "string", "maxLength": LIMITS["stop_reason"]}}  # fmt: skip
    feature = {"type": "object", "properties": {"type": {"const": "Feature"},
               "id": {"type": "integer"}, "geometry": _POINT,
               "properties": {"type": "object"}}}  # fmt: skip
    return {
        "NewFinding": {"type": "object", "required": ["wijk", "text"],
                       "properties": {**finding, "workshop": _WORKSHOP}},
        "FindingChange": {"type": "object", "properties": {
            **{k: v for k, v in finding.items() if k != "wijk"},
            "status": {"enum": list(STATUSES), "description": "Moderation."}}},
        "FindingFeature": {**feature, "description": "properties: wijk, gemeente, text, "
                           "function_type, conditions, buurten, places (each with state present"
                           ", withdrawn — label 'plek ingetrokken' — or not_public), gap, status "
                           "(moderation), actions (ids), created_at. geometry: the gap's point "
                           "or null."},
        "NewAction": {"type": "object", "required": ["wijk", "title"],
                      "properties": {**action, "workshop": _WORKSHOP}},
        "ActionChange": {"type": "object", "properties": {
            **{k: v for k, v in action.items() if k != "wijk"},
            "moderation": {"enum": list(STATUSES), "description": "Moderators only."}}},
        "ActionFeature": {**feature, "description": "properties: wijk, gemeente, title, "
                          "description, who, findings, starts, due, status, stop_reason, "
                          "moderation, updates (date, text, status_from, status_to, "
                          "image_url; newest first), created_at, updated_at. geometry: the "
                          "location or null. On creation also owner_token, manage_url and "
                          "manage_qr."},
        "NewActionUpdate": {"type": "object", "required": ["text"], "properties": update},
    }  # fmt: skip


def _id(name: str = "id") -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _filters(statuses, what: str) -> list[dict]:
    return [
        _query("gemeente", "Gemeente code, e.g. GM0268."), _query("wijk", "Wijk code."),
        _query("status", what, statuses),
        _query("function_type", "Function type (of the finding, or of an action's findings).",
               FUNCTION_TYPES),
        _query("condition", "Social-quality condition.", CONDITIONS),
    ]  # fmt: skip


def doing_paths(invalid: dict) -> dict:
    """``/findings``, ``/actions`` and their items."""
    denied = {"401": _json("Errors", "No login, token or workshop code."),
              "403": _json("Errors", "A login or token without rights here.")}  # fmt: skip
    gone = {"404": _json("Errors", "No such item that you may see.")}
    body = lambda name: {"required": True, "content": {"application/json": {"schema": _ref(name)}}}  # noqa: E731
    collection = _json("FeatureCollection", "Items the caller may see, newest first.")

    def item(kind: str, change: str) -> dict:
        one = _json(f"{kind}Feature", f"The {kind.lower()}.")
        return {
            "get": {"summary": f"One {kind.lower()}", "parameters": [_id()],
                    "responses": {"200": one, **gone}},
            "patch": {"summary": f"Change a {kind.lower()} (the fields sent)",
                      "parameters": [_id()], "requestBody": body(change),
                      "responses": {"200": one, **denied, **gone, "422": invalid}},
            "delete": {"summary": f"Delete a {kind.lower()} (moderators)", "parameters": [_id()],
                       "responses": {"204": {"description": "Deleted."}, **denied, **gone}},
        }  # fmt: skip

    return {
        "/findings": {
            "get": {"summary": "Findings (bevindingen)", "parameters": _filters(
                        STATUSES, "Moderation status (non-public ones for professionals)."),
                    "responses": {"200": collection, "422": invalid}},
            "post": {"summary": "Write a finding", "requestBody": body("NewFinding"),
                     "responses": {"201": _json("FindingFeature", "The stored finding."),
                                   **denied, "422": invalid}},
        },
        "/findings/{id}": item("Finding", "FindingChange"),
        "/actions": {
            "get": {"summary": "Actions (acties)", "parameters": _filters(
                        ACTION_STATUSES, "Progress status."),
                    "responses": {"200": collection, "422": invalid}},
            "post": {"summary": "Start an action; answers its private link (owner_token)",
                     "requestBody": body("NewAction"),
                     "responses": {"201": _json("ActionFeature", "The stored action, with "
                                                "owner_token and manage_url."),
                                   **denied, "422": invalid}},
        },
        "/actions/{id}": item("Action", "ActionChange"),
        "/actions/{id}/updates": {"post": {
            "summary": "Add a progress update (moderators or Bearer <owner_token>)",
            "parameters": [_id()],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": _ref("NewActionUpdate")},
                "multipart/form-data": {"schema": {"allOf": [_ref("NewActionUpdate")],
                    "properties": {"image": {"type": "string", "format": "binary"}}}}}},
            "responses": {"201": _json("ActionFeature", "The action with its updates."),
                          **denied, **gone, "422": invalid},
        }},
    }  # fmt: skip
