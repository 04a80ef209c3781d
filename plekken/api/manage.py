"""Changing places through the API: moderation by professionals (session or personal
token) and changes or withdrawal by a place's contributor (``Authorization: Bearer
<owner_token>``).

Anonymous requests get 401, a token or login without rights to the place 403.
"""

from __future__ import annotations

from flask import abort, current_app, jsonify, request

from .. import storage
from ..auth import current_viewer
from ..db import get_session
from ..errors import ValidationError
from ..http import gettext, place_features, request_lang
from ..services import moderation
from ..services.visibility import PUBLIC, STATUSES, Viewer
from .blueprint import bp
from .views import _submitted


def _place_and_viewer(place_id: int) -> tuple:
    viewer = current_viewer()
    if viewer == PUBLIC:
        abort(401)
    return storage.get_place(get_session(), place_id, statuses=STATUSES), viewer


def _answer(place, viewer: Viewer):
    return jsonify(place_features(get_session(), [place], request_lang(), viewer=viewer)[0])


@bp.errorhandler(moderation.NotAllowed)
def _not_allowed(_exc):
    message = gettext("Je mag deze plek niet wijzigen.")
    return jsonify(errors={"authorization": message}), 403


@bp.errorhandler(401)
def _unauthorised(_exc):
    message = gettext("Log in, of stuur een token: Authorization: Bearer <token>.")
    response = jsonify(errors={"authorization": message})
    response.headers["WWW-Authenticate"] = 'Bearer realm="plekken"'
    return response, 401


@bp.patch("/places/<int:place_id>")
def change_place(place_id: int):
    """Change fields of a place (the others stay): its contributor or a moderator."""
    place, viewer = _place_and_viewer(place_id)
    data, image = _submitted()
    if not isinstance(data, dict):
        raise ValidationError({"body": gettext("Stuur een JSON-object met de velden van de plek.")})
    changed = moderation.change_place(
        get_session(), place, viewer, data, image=image, lang=request_lang(),
        symbol_size=current_app.config["SYMBOL_SIZE"],
        owner_status=current_app.config["NEW_PLACE_STATUS"],
    )  # fmt: skip
    return _answer(changed, viewer)


@bp.delete("/places/<int:place_id>")
def delete_place(place_id: int):
    """Withdraw (contributor) or delete (moderator) a place: nothing of it stays."""
    place, viewer = _place_and_viewer(place_id)
    moderation.delete_place(get_session(), place, viewer, request.args.get("reason", ""))
    return "", 204


@bp.post("/places/<int:place_id>/moderation")
def moderate_place(place_id: int):
    """``{"action": "approve" | "hide" | "delete", "reason": "…"}`` by a moderator."""
    place, viewer = _place_and_viewer(place_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError({"body": gettext("Stuur een JSON-object met action en reason.")})
    reason = body.get("reason") or ""
    if not isinstance(reason, str):
        raise ValidationError({"reason": gettext("Dit moet tekst zijn.")})
    done = moderation.moderate(
        get_session(), place, viewer, body.get("action"), reason, lang=request_lang()
    )
    return ("", 204) if done is None else _answer(done, viewer)
