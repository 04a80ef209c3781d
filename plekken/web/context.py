"""What the page templates need, gathered from storage (no request parsing here)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app, url_for
from sqlalchemy.orm import Session

from .. import storage
from ..auth import current_viewer
from ..http import network_folder, request_lang, static_url, symbol_image_url
from ..i18n import gettext, js_messages
from ..maps import map_parts
from ..services.maps import MapScope, scope_map
from ..services.network import network_file
from ..services.places import PROFESSIONAL_POSTERS
from ..symbols import ICONS, icon_label
from ..vocab import AGE_BANDS, CONDITIONS, FUNCTION_TYPE_COLOURS, FUNCTION_TYPES, ROLES, label
from .reach import reach_context

__all__ = ["base_tiles", "icon_choices", "index_context", "map_context"]


def index_context(session: Session) -> dict[str, Any]:
    counts = storage.published_counts_by_wijk(session)
    gemeenten: dict[str, dict] = {}
    for area in storage.wijken(session):
        gemeente = gemeenten.setdefault(
            area.gemeente_code,
            {"code": area.gemeente_code, "name": area.gemeente_name or area.gemeente_code,
             "wijken": []},
        )  # fmt: skip
        gemeente["wijken"].append(
            {"code": area.code, "name": area.name, "inhabitants": area.inhabitants,
             "places": counts.get(area.code, 0)}
        )  # fmt: skip
    return {"gemeenten": list(gemeenten.values())}


def icon_choices(lang: str) -> list[dict]:
    """The built-in symbols, with their names in ``lang`` and their image URLs."""
    return [
        {"key": key, "label": icon_label(key, lang), "url": static_url(f"symbols/{key}.svg")}
        for key in ICONS
    ]


def base_tiles() -> list[dict]:
    """The default base-map layer, for the small maps that show one layer only."""
    return current_app.config["TILE_LAYERS"][:1]


def _vocab_lists(lang: str, professional: bool = False) -> dict[str, list[dict]]:
    return {
        "function_types": [
            {"key": key, "label": label(FUNCTION_TYPES, key, lang),
             "explanation": FUNCTION_TYPES[key][3 if lang == "en" else 2],
             "colour": FUNCTION_TYPE_COLOURS[key]}
            for key in FUNCTION_TYPES
        ],
        "icons": icon_choices(lang),
        "conditions": [{"key": k, "label": label(CONDITIONS, k, lang)} for k in CONDITIONS],
        "roles": [
            {"key": k, "label": label(ROLES, k, lang)}
            for k in ROLES
            if professional or k not in PROFESSIONAL_POSTERS
        ],
        "age_bands": [{"key": k, "label": label(AGE_BANDS, k, lang)} for k in AGE_BANDS],
        "access_tristate": [
            {"value": "", "label": gettext("Weet ik niet", lang)},
            {"value": "true", "label": gettext("Ja", lang)},
            {"value": "false", "label": gettext("Nee", lang)},
        ],
    }  # fmt: skip


def home_buurten(session: Session, gemeente_code: str) -> list[dict]:
    """The buurten of a gemeente by name, for "waar woon je?" (optional)."""
    buurten = storage.areas_frame(session, level="buurt", gemeente=gemeente_code)
    buurten = buurten[~buurten["is_water"].fillna(False).astype(bool)]
    rows = sorted(zip(buurten["name"], buurten["code"], strict=True))
    return [{"code": code, "name": name} for name, code in rows]


def _buurten_list(buurten) -> list[dict]:
    points = buurten.geometry.representative_point()
    return [
        {"code": code, "name": name, "lon": round(pt.x, 6), "lat": round(pt.y, 6)}
        for code, name, pt in zip(buurten["code"], buurten["name"], points, strict=True)
    ]


ANALYSIS_MEASURES = ("coverage", "surface", "gaps", "summary", "proximity")


def _analysis_urls() -> dict[str, str]:
    """Where the analysis panel fetches its layers and its table per buurt."""
    return {name: url_for(f"api.analysis_{name}") for name in ANALYSIS_MEASURES}


def _place_urls(scope: MapScope) -> dict[str, str]:
    """Where the map posts a new place, loads its markers and the whole of one place."""
    places = url_for("api.places")
    return {
        "places": url_for("api.create_place"),
        "markers": url_for("api.place_markers", **{scope.kind: scope.code}),
        "place": f"{places}/{{id}}",
    }


def _form_values(values) -> dict[str, Any]:
    if values is None:
        return {}
    plain = {key: values.get(key) for key in values}
    for key in ("function_types", "conditions"):
        plain[key] = values.getlist(key) if hasattr(values, "getlist") else values.get(key, [])
    return plain


def map_context(
    session: Session,
    scope: MapScope,
    *,
    errors: dict | None = None,
    values=None,
    added: int | None = None,
) -> dict[str, Any]:
    """Everything the map page of a wijk or a gemeente needs."""
    lang = request_lang()
    m, buurten = scope_map(
        session, scope, static_url=static_url, tile_layers=current_app.config["TILE_LAYERS"],
        lang=lang,
    )  # fmt: skip
    viewer = current_viewer()
    place_count = storage.count_places(session, **{scope.kind: scope.code})
    parts = map_parts(m)
    vocab = _vocab_lists(lang, viewer.is_professional)
    buurt_list = _buurten_list(buurten)
    config = {
        "lang": lang,
        "mapName": parts["name"],
        "wijk": {"code": scope.code, "name": scope.name},
        "scope": {"kind": scope.kind, "code": scope.code, "name": scope.name},
        "api": _place_urls(scope),
        "placesUrl": url_for("api.places"),
        "whereUrl": url_for("web.where"),
        "symbolImageUrl": symbol_image_url("0").replace("/0.png", "/{id}.png"),
        "analysisApi": _analysis_urls(),
        "functionTypes": vocab["function_types"],
        "icons": vocab["icons"],
        "buurten": buurt_list,
        "messages": js_messages(lang),
        "canAdd": True,
        "added": added,
    }
    return {
        "area": scope,
        "map": parts,
        "config": config,
        "buurten": buurt_list,
        "home_buurten": home_buurten(session, scope.gemeente_code),
        "reach": reach_context(session, scope),
        "place_count": place_count,
        "form_action": url_for(f"web.add_place_{scope.kind}", code=scope.code),
        "summary_csv": url_for(
            "api.analysis_summary", **{scope.kind: scope.code}, level="buurt", format="csv"
        ),
        "gemeente_url": url_for("web.gemeente", code=scope.gemeente_code)
        if scope.kind == "wijk"
        else None,
        "walking": network_file(network_folder()).exists(),
        "errors": errors or {},
        "values": _form_values(values),
        "idempotency_key": uuid.uuid4().hex,
        **vocab,
    }
