"""Findings and actions as GeoJSON features: with a point (a finding's witte vlek, an
action's location) as a Point, otherwise with ``geometry: null``.

A finding's evidence places are looked up when it is read: a place that is gone shows as
"plek ingetrokken", one the reader may not see as "plek niet openbaar" (nothing of it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from .. import storage
from ..i18n import gettext
from ..io.geojson import utc_iso
from ..storage.doing_models import Action, Finding
from .visibility import Viewer, can_see

__all__ = ["action_features", "evidence", "finding_features", "newest_first"]


def _point(geom) -> dict | None:
    if geom is None:
        return None
    return {"type": "Point", "coordinates": [round(geom.x, 7), round(geom.y, 7)]}


def _when(moment: date | datetime | None) -> str | None:
    if isinstance(moment, datetime):
        return utc_iso(moment)
    return moment.isoformat() if moment is not None else None


def evidence(session: Session, viewer: Viewer, findings: Sequence[Finding], lang: str) -> dict:
    """Place id -> what a reader sees of it: ``state`` ``"present"`` (with name, quote,
    function types and buurt), ``"withdrawn"`` or ``"not_public"``, and a ``label``."""
    ids = sorted({pid for finding in findings for pid in finding.place_ids})
    places = storage.places_by_id(session, ids)
    seen = {}
    for pid in ids:
        place = places.get(pid)
        if place is None:
            seen[pid] = {
                "id": pid,
                "state": "withdrawn",
                "label": gettext("plek ingetrokken", lang),
            }
        elif not can_see(viewer, place):
            seen[pid] = {"id": pid, "state": "not_public",
                         "label": gettext("plek niet openbaar", lang)}  # fmt: skip
        else:
            seen[pid] = {
                "id": pid, "state": "present", "label": place.name, "name": place.name,
                "quote": place.quote, "function_types": place.function_types,
                "buurt": place.buurt_code,
            }  # fmt: skip
    return seen


def finding_features(
    session: Session, viewer: Viewer, findings: Sequence[Finding], lang: str = "nl"
) -> list[dict[str, Any]]:
    """GeoJSON features of ``findings``, their evidence resolved for ``viewer``."""
    places = evidence(session, viewer, findings, lang)
    actions = storage.actions_of_findings(session, [f.id for f in findings])
    features = []
    for finding in findings:
        gap = None
        if finding.gap_geom is not None:
            gap = {"lon": round(finding.gap_geom.x, 7), "lat": round(finding.gap_geom.y, 7),
                   "function_type": finding.gap_function_type,
                   "distance": finding.gap_distance}  # fmt: skip
        properties = {
            "kind": "finding", "wijk": finding.wijk_code, "gemeente": finding.gemeente_code,
            "text": finding.text, "function_type": finding.function_type,
            "conditions": list(finding.conditions or []), "buurten": list(finding.buurten or []),
            "places": [places[pid] for pid in finding.place_ids], "gap": gap,
            "status": finding.status,
            "actions": [a.id for a in actions.get(finding.id, []) if a.moderation == "published"
                        or viewer.covers(a.gemeente_code)],
            "created_at": _when(finding.created_at),
        }  # fmt: skip
        geometry = _point(finding.gap_geom)
        features.append(
            {"type": "Feature", "id": finding.id, "geometry": geometry, "properties": properties}
        )
    return features


def newest_first(updates) -> list:
    """An action's updates, the latest day first (the order of adding within a day)."""
    return sorted(updates, key=lambda u: (u.happened_on, u.id or 0), reverse=True)


def _update(update, image_url) -> dict[str, Any]:
    return {
        "date": _when(update.happened_on), "text": update.text,
        "status_from": update.status_from, "status_to": update.status_to,
        "image_url": image_url(update.image.key) if update.image is not None else None,
    }  # fmt: skip


def action_features(
    actions: Sequence[Action], image_url=lambda key: f"/symbolen/{key}.png"
) -> list[dict[str, Any]]:
    """GeoJSON features of ``actions`` with their log, newest update first; ``image_url``
    turns a photo's key into its URL."""
    return [
        {
            "type": "Feature", "id": action.id, "geometry": _point(action.geom),
            "properties": {
                "kind": "action", "wijk": action.wijk_code, "gemeente": action.gemeente_code,
                "title": action.title, "description": action.description, "who": action.who,
                "findings": action.finding_ids, "starts": _when(action.starts),
                "due": _when(action.due), "status": action.status,
                "stop_reason": action.stop_reason, "moderation": action.moderation,
                "updates": [_update(u, image_url) for u in newest_first(action.updates)],
                "created_at": _when(action.created_at), "updated_at": _when(action.updated_at),
            },
        }
        for action in actions
    ]  # fmt: skip
