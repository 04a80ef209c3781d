"""Thin API views: parse the request, call storage, answer JSON."""

from __future__ import annotations

import hashlib
import json

from flask import current_app, jsonify, request, url_for

from .. import storage
from ..auth import current_viewer
from ..checks import MAX_JSON_DEPTH, JSONTooDeep, loads_bounded, text_problem
from ..db import get_session
from ..errors import MalformedRequest, NotFoundError, ValidationError
from ..http import gettext, place_features, qr_data_uri, request_lang
from ..io.geojson import area_features, feature_collection, marker_feature
from ..services.cache import ResultCache
from ..services.places import add_own_place
from ..services.visibility import Viewer, visible_markers, visible_place, visible_places
from ..validation import form_to_input
from ..vocab import FUNCTION_TYPES, LEVELS
from .blueprint import bp
from .openapi import openapi_document

#: Where the app keeps the serialised map markers (``app.extensions``).
MARKER_CACHE = "plekken_marker_cache"


@bp.errorhandler(ValidationError)
def _invalid(exc: ValidationError):
    return jsonify(errors=exc.errors), exc.status


@bp.errorhandler(NotFoundError)
def _not_found(exc: NotFoundError):
    message = gettext("Niet gevonden: {what}", what=exc.args[0])
    return jsonify(errors={exc.field: message}), 404


def _choice(name: str, allowed, value: str | None) -> str | None:
    if value and value not in allowed:
        raise ValidationError({name: gettext("Kies uit: {allowed}.", allowed=", ".join(allowed))})
    return value or None


@bp.get("/areas")
def areas():
    level = _choice("level", LEVELS, request.args.get("level"))
    frame = storage.areas_frame(
        get_session(),
        level=level,
        gemeente=request.args.get("gemeente"),
        parent=request.args.get("parent"),
    )
    return jsonify(feature_collection(area_features(frame)))


def _type_filter() -> list[str] | None:
    raw = request.args.get("type")
    if not raw:
        return None
    types = [part for part in raw.split(",") if part]
    for key in types:
        _choice("type", FUNCTION_TYPES, key)
    return types


def _features(places) -> list[dict]:
    return place_features(get_session(), places, request_lang(), viewer=current_viewer())


@bp.get("/places")
def places():
    found = visible_places(
        get_session(),
        current_viewer(),
        wijk=request.args.get("wijk"),
        buurt=request.args.get("buurt"),
        gemeente=request.args.get("gemeente"),
        types=_type_filter(),
    )
    return jsonify(feature_collection(_features(found)))


@bp.get("/places/markers")
def place_markers():
    """The places as compact GeoJSON for the map: only what markers and the list show.

    Answers 304 to a browser that has the current version (the ETag follows the data).
    """
    session = get_session()
    viewer = current_viewer()
    filters = {key: request.args.get(key) for key in ("wijk", "buurt", "gemeente")}
    filters["types"] = _type_filter()
    version = repr((storage.data_version(session), filters, viewer)).encode()
    tag = hashlib.sha256(version).hexdigest()[:32]
    if tag in request.if_none_match:
        response = current_app.response_class(status=304)
    else:
        # Many phones in one room ask for the same markers: serialise them once per version.
        cache = current_app.extensions.setdefault(MARKER_CACHE, ResultCache(maxsize=16))
        body = cache.get_or_compute(tag, lambda: _marker_body(session, viewer, filters))
        response = current_app.response_class(body, mimetype="application/geo+json")
    response.set_etag(tag)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Cookie")
    response.vary.add("Authorization")
    return response


def _marker_body(session, viewer: Viewer, filters: dict) -> bytes:
    found = visible_markers(session, viewer, **filters)
    features = [marker_feature(record, public) for record, public in found]
    return json.dumps(feature_collection(features), separators=(",", ":")).encode()


@bp.get("/places/<int:place_id>")
def place(place_id: int):
    found = visible_place(get_session(), current_viewer(), place_id)
    return jsonify(_features([found])[0])


def _submitted() -> tuple[dict, bytes | None]:
    if request.is_json:
        return _json_body(), None
    upload = request.files.get("symbol_image")
    image = upload.read() if upload and upload.filename else None
    return form_to_input(request.form), image


def _json_body():
    """The JSON body, nested at most :data:`~plekken.checks.MAX_JSON_DEPTH` levels."""
    try:
        return loads_bounded(request.get_data(cache=True))
    except JSONTooDeep:
        raise MalformedRequest({"body": gettext(
            "Deze JSON is te diep genest: hoogstens {depth} niveaus.", depth=MAX_JSON_DEPTH
        )}) from None  # fmt: skip
    except ValueError:  # not JSON, or not UTF-8
        raise ValidationError({"body": gettext("Dit is geen geldige JSON.")}) from None


def _idempotency_key() -> str | None:
    """The ``Idempotency-Key`` header: up to 100 visible ASCII characters."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 100 or not key.isascii() or text_problem(key):
        raise ValidationError({"Idempotency-Key": gettext(
            "Gebruik 1 tot 100 gewone tekens (bijvoorbeeld een UUID)."
        )})  # fmt: skip
    return key


@bp.post("/places")
def create_place():
    key = _idempotency_key()
    data, image = _submitted()
    created, token = add_own_place(
        get_session(),
        data,
        secret=current_app.secret_key,
        image=image,
        status=current_app.config["NEW_PLACE_STATUS"],
        lang=request_lang(),
        symbol_size=current_app.config["SYMBOL_SIZE"],
        viewer=current_viewer(),
        request_key=key,
    )
    # The contributor sees their own place in full, with the private link to manage it.
    feature = place_features(
        get_session(), [created], request_lang(), viewer=Viewer(owned=frozenset({created.id}))
    )[0]
    feature["owner_token"] = token
    feature["manage_url"] = url_for("web.manage_place", token=token, _external=True)
    feature["manage_qr"] = qr_data_uri(feature["manage_url"])
    response = jsonify(feature)
    response.status_code = 201
    response.headers["Location"] = url_for("api.place", place_id=created.id)
    return response


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(url_for("api.places", _external=False).rsplit("/", 1)[0]))
