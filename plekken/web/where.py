"""Which wijk and buurt hold a point: the map page asks before saving a pin outside its wijk."""

from __future__ import annotations

import math

from flask import abort, jsonify, request, url_for

from .. import storage
from ..db import get_session
from .blueprint import bp


def _coordinate(name: str, limit: float) -> float:
    try:
        value = float(request.args.get(name, ""))
    except ValueError:
        abort(400)
    if not math.isfinite(value) or abs(value) > limit:
        abort(400)
    return value


@bp.get("/waar")
def where():
    """The wijk and buurt holding ``?lon=&lat=`` (``null`` where none does), with their names.

    Answers JSON for the map page's script, e.g.
    ``{"wijk": {"code": "WK026805", "name": "…", "url": "/wijk/WK026805"}, "buurt": …}``.
    """
    lon, lat = _coordinate("lon", 180), _coordinate("lat", 90)
    session = get_session()
    found = storage.locate(session, lon, lat)
    names = storage.area_names(session, found.values())

    def area(level: str):
        code = found[f"{level}_code"]
        if code is None:
            return None
        answer = {"code": code, "name": names.get(code, code)}
        if level == "wijk":
            answer["url"] = url_for("web.wijk", code=code)
        return answer

    response = jsonify(wijk=area("wijk"), buurt=area("buurt"))
    response.headers["Cache-Control"] = "no-store"
    return response
