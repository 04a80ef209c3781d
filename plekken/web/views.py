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
from sqlalchemy import select

from .. import storage
from ..db import get_session
from ..errors import NotFoundError, ValidationError
from ..i18n import get_lang
from ..models import SymbolImage
from ..places import add_place
from ..validation import form_to_input
from . import bp
from .context import index_context, wijk_context


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


@bp.get("/wijk/<code>")
def wijk(code: str):
    area = get_wijk_or_404(code)
    added = request.args.get("toegevoegd", type=int)
    return render_template("wijk.html", **wijk_context(get_session(), area, added=added))


def _place_from_buurt(session, wijk_code: str, data: dict) -> dict:
    """Without a map click, a chosen buurt puts the place at that buurt's inner point."""
    if data.get("lon") or data.get("lat") or not data.get("buurt_pick"):
        return data
    buurten = storage.areas_frame(
        session, level="buurt", parent=wijk_code, codes=[data["buurt_pick"]]
    )
    if buurten.empty:
        return data
    point = buurten.geometry.iloc[0].representative_point()
    return {**data, "lon": round(point.x, 6), "lat": round(point.y, 6)}


@bp.post("/wijk/<code>/plekken")
def add_place_form(code: str):
    """Fallback for browsers without JavaScript: a normal form post."""
    area = get_wijk_or_404(code)
    upload = request.files.get("symbol_image")
    image = upload.read() if upload and upload.filename else None
    session = get_session()
    try:
        place = add_place(
            session,
            _place_from_buurt(session, area.code, form_to_input(request.form)),
            image=image,
            status=current_app.config["NEW_PLACE_STATUS"],
            lang=get_lang(),
            symbol_size=current_app.config["SYMBOL_SIZE"],
        )
    except ValidationError as exc:
        context = wijk_context(session, area, errors=exc.errors, values=request.form)
        return render_template("wijk.html", **context), 422
    return redirect(url_for("web.wijk", code=area.code, toegevoegd=place.id))


@bp.get("/symbolen/<int:image_id>.png")
def symbol_image(image_id: int):
    png = get_session().scalar(select(SymbolImage.png).where(SymbolImage.id == image_id))
    if png is None:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
