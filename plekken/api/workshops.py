"""The workshop feed: the public places of a workshop after a cursor, for the wall map."""

from __future__ import annotations

from flask import jsonify, request

from ..db import get_session
from ..errors import NotFoundError, ValidationError
from ..http import gettext
from ..services import workshops
from .blueprint import bp
from .views import _features


def _cursor() -> int:
    raw = request.args.get("since", "0")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise ValidationError(
            {"since": gettext("Stuur de cursor van het vorige antwoord: een getal.")}
        )
    return int(raw)


@bp.get("/workshops/<code>/places")
def workshop_places(code: str):
    """``?since=<cursor>``: the workshop's public places added to its feed after the cursor
    (each exactly once over successive calls), the next cursor and counts per type."""
    session = get_session()
    workshop = workshops.find_workshop(session, code)
    if workshop is None:
        raise NotFoundError(code, field="workshop")
    found = workshops.feed(session, workshop, _cursor())
    response = jsonify(
        type="FeatureCollection", features=_features(found.places), cursor=found.cursor,
        counts=found.counts, open=workshops.is_open(workshop),
    )  # fmt: skip
    response.headers["Cache-Control"] = "no-store"
    return response
