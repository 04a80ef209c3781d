"""The poster download of the wijk page's "Exporteren" menu (the data files come from the API,
``/api/v1/export``). Public content only: a poster is made to hang on a wall."""

from __future__ import annotations

import io

from flask import Response, abort, current_app, request

from ..db import get_session
from ..http import gettext, request_lang
from ..maps.poster import PAGE_SIZES
from ..services.exports import ExportQuery
from ..services.exports.poster import (
    LAYERS,
    MAP_FORMATS,
    ORIENTATIONS,
    offline_html,
    write_poster,
)
from ..services.maps import wijk_scope
from ..services.report import write_report
from ..services.scope import Scope
from .blueprint import bp
from .views import get_wijk_or_404

MEDIA = {"pdf": "application/pdf", "png": "image/png", "html": "text/html; charset=utf-8"}


def _pick(name: str, allowed, default: str | None) -> str | None:
    value = request.args.get(name) or default
    if value is not None and value not in allowed:
        abort(400, description=gettext("{field}: kies uit {allowed}.", field=name,
                                       allowed=", ".join(allowed)))  # fmt: skip
    return value


@bp.get("/wijk/<code>/poster")
def wijk_poster(code: str):
    """The wijk as a printable poster (PDF with vectors or PNG at 300 dpi, A4 or A3), or as
    one HTML file that works offline."""
    area = wijk_scope(get_wijk_or_404(code))
    fmt = _pick("format", MAP_FORMATS, "pdf")
    size = _pick("size", tuple(PAGE_SIZES), "A4")
    orientation = _pick("orientation", ORIENTATIONS, "portrait")
    layer = _pick("layer", LAYERS, None)
    query = ExportQuery(Scope("wijk", area.code, area.name, "buurt"), lang=request_lang())
    if fmt == "html":
        tiles = current_app.config["TILE_LAYERS"]
        body = offline_html(get_session(), query, layer=layer, tile_layers=tiles).encode()
        name = f"kaart-{area.code}.html"
    else:
        out = io.BytesIO()
        write_poster(get_session(), query, out, fmt=fmt, size=size, orientation=orientation,
                     layer=layer)  # fmt: skip
        body, name = out.getvalue(), f"poster-{area.code}-{size}-{orientation}.{fmt}"
    response = Response(body, content_type=MEDIA[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/wijk/<code>/verslag.pdf")
def wijk_report(code: str):
    """The wijkverslag: the document an opbouwwerker takes to the municipality."""
    area = get_wijk_or_404(code)
    out = io.BytesIO()
    write_report(get_session(), area.code, out, lang=request_lang())
    response = Response(out.getvalue(), content_type=MEDIA["pdf"])
    response.headers["Content-Disposition"] = f'attachment; filename="wijkverslag-{area.code}.pdf"'
    return response
