"""Thin page views."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)

from .. import storage
from ..auth import current_viewer
from ..checks import text_problem
from ..db import get_session
from ..errors import NotFoundError, ValidationError
from ..http import gettext, request_lang
from ..services.maps import MapScope, wijk_scope
from ..services.places import add_own_place
from ..services.visibility import PUBLIC, visible_symbol
from ..validation import form_to_input
from .blueprint import bp
from .context import index_context, map_context


def get_wijk_or_404(code: str):
    """The wijk with ``code``; the one place that answers 404 for pages."""
    try:
        area = storage.get_area(get_session(), code)
    except NotFoundError:
        abort(404)
    if area.level != "wijk":
        abort(404)
    return area


@bp.get("/")
def index():
    return render_template("index.html", **index_context(get_session()))


def get_gemeente_or_404(code: str) -> MapScope:
    """The gemeente ``code`` as a map scope, when any of its areas is imported."""
    name = storage.gemeente_name(get_session(), code)
    if name is None:
        abort(404)
    return MapScope("gemeente", code, name, code, name)


@bp.get("/wijk/<code>")
def wijk(code: str):
    scope = wijk_scope(get_wijk_or_404(code))
    added = request.args.get("toegevoegd", type=int)
    return render_template("wijk.html", **map_context(get_session(), scope, added=added))


@bp.get("/gemeente/<code>")
def gemeente(code: str):
    """All wijken and buurten of a gemeente on one map."""
    scope = get_gemeente_or_404(code)
    added = request.args.get("toegevoegd", type=int)
    return render_template("wijk.html", **map_context(get_session(), scope, added=added))


def _place_from_buurt(session, scope: MapScope, data: dict) -> dict:
    """Without a map click, a chosen buurt puts the place at that buurt's inner point."""
    pick = data.get("buurt_pick")
    if data.get("lon") or data.get("lat") or not pick or text_problem(pick):
        return data
    within = {"parent": scope.code} if scope.kind == "wijk" else {"gemeente": scope.code}
    buurten = storage.areas_frame(session, level="buurt", codes=[data["buurt_pick"]], **within)
    if buurten.empty:
        return data
    point = buurten.geometry.iloc[0].representative_point()
    return {**data, "lon": round(point.x, 6), "lat": round(point.y, 6)}


def too_large_upload() -> dict[str, str] | None:
    """A message for the image field when the form carried more than the upload limit."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit or (request.content_length or 0) <= limit:
        return None
    return {"symbol_image": gettext(
        "Dit bestand is te groot: hoogstens {mb} MB. Kies een kleinere foto of tekening.",
        mb=round(limit / 1024 / 1024),
    )}  # fmt: skip


def _add_place_form(scope: MapScope, endpoint: str):
    """Fallback for browsers without JavaScript: a normal form post.

    A form with an image over the limit is shown again (413) with everything typed kept.
    """
    session = get_session()
    if too_large := too_large_upload():
        context = map_context(session, scope, errors=too_large, values=request.form)
        return render_template("wijk.html", **context), 413
    upload = request.files.get("symbol_image")
    image = upload.read() if upload and upload.filename else None
    data = form_to_input(request.form)
    key = (data.pop("idempotency_key", None) or "").strip()[:100] or None
    key = key if key and not text_problem(key) else None
    data = _place_from_buurt(session, scope, data)
    try:
        _, token = add_own_place(
            session,
            data,
            secret=current_app.secret_key,
            image=image,
            status=current_app.config["NEW_PLACE_STATUS"],
            lang=request_lang(),
            symbol_size=current_app.config["SYMBOL_SIZE"],
            viewer=current_viewer(),
            request_key=key,
        )
    except ValidationError as exc:
        context = map_context(session, scope, errors=exc.errors, values=request.form)
        return render_template("wijk.html", **context), 422
    # The private link to change or withdraw the place, shown once with its explanation.
    return redirect(url_for("web.manage_place", token=token, nieuw=1))


@bp.post("/wijk/<code>/plekken")
def add_place_wijk(code: str):
    return _add_place_form(wijk_scope(get_wijk_or_404(code)), "web.wijk")


@bp.post("/gemeente/<code>/plekken")
def add_place_gemeente(code: str):
    return _add_place_form(get_gemeente_or_404(code), "web.gemeente")


@bp.get("/symbolen/<key>.png")
def symbol_image(key: str):
    """An uploaded symbol, named by a random key, for whoever may see a place using it."""
    try:
        png = visible_symbol(get_session(), current_viewer(), key)
    except NotFoundError:
        abort(404)
    try:
        public = bool(visible_symbol(get_session(), PUBLIC, key))
    except NotFoundError:
        public = False
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = (
        "public, max-age=31536000, immutable" if public else "private, no-store"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
