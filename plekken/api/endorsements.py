"""Endorsements through the API: "ook voor mij" on a public place, and withdrawing it."""

from __future__ import annotations

from flask import abort, jsonify, request

from ..auth import bearer_token
from ..db import get_session
from ..errors import ValidationError
from ..http import gettext, request_lang
from ..services import endorsements
from .blueprint import bp


@bp.post("/places/<int:place_id>/endorsements")
def endorse_place(place_id: int):
    """``{"resident": "<key kept by the browser>", "quote": "…", "function_types": [...]}``:
    ``201`` with the endorsement's ``owner_token`` (it withdraws it) and the new count."""
    data = request.get_json(silent=True) if request.is_json else None
    if data is None:
        raise ValidationError({"body": gettext("Dit is geen geldige JSON.")})
    session = get_session()
    endorsement, token = endorsements.endorse(session, place_id, data, request_lang())
    count = endorsements.count_for(session, [place_id]).get(place_id, 0)
    response = jsonify(id=endorsement.id, place_id=place_id, owner_token=token, endorsements=count)
    return response, 201


@bp.delete("/places/<int:place_id>/endorsements")
def withdraw_endorsement(place_id: int):
    """Withdraw an endorsement with its token: ``Authorization: Bearer <owner_token>``."""
    token = bearer_token()
    if token is None:
        abort(401)
    endorsements.withdraw(get_session(), place_id, token)
    return "", 204
