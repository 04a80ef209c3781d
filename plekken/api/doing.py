"""Findings and actions through the API: ``/findings``, ``/actions`` and an action's
``/updates``.

Writing: moderators of the gemeente (login or personal token), residents with a workshop's
join code (``workshop`` in the body) where the workshop allows it, and for one action the
holder of its private link (``Authorization: Bearer <owner_token>``). Anonymous requests
that may not write get 401, a login or token without rights 403.
"""

from __future__ import annotations

from flask import abort, jsonify, request, url_for

from ..auth import current_viewer
from ..db import get_session
from ..errors import ValidationError
from ..http import gettext, qr_data_uri, request_lang
from ..io.geojson import feature_collection
from ..services import actions, findings
from ..services.doing import ACTION_STATUSES, NotAllowed
from ..services.doing_answers import action_features, finding_features
from ..services.visibility import PUBLIC, STATUSES
from ..vocab import CONDITIONS, FUNCTION_TYPES
from .blueprint import bp
from .manage import _unauthorised
from .params import QueryParams
from .views import _json_body


@bp.errorhandler(NotAllowed)
def _not_allowed(_exc):
    if current_viewer() == PUBLIC:
        return _unauthorised(None)
    message = gettext("Je mag dit niet schrijven of wijzigen.")
    return jsonify(errors={"authorization": message}), 403


def _body() -> dict:
    """The JSON body, or the fields of a form (an update with a photo comes as one)."""
    if request.is_json or not request.mimetype.startswith(("multipart/", "application/x-www")):
        return _json_body()
    return {key: request.form.get(key) for key in request.form}


def _filters(statuses) -> dict:
    params = QueryParams(request.args)
    filters = {
        "gemeente": params._get("gemeente").upper() or None,
        "wijk": params._get("wijk").upper() or None,
        "function_type": params.choice("function_type", FUNCTION_TYPES, "") or None,
        "condition": params.choice("condition", CONDITIONS, "") or None,
    }
    status = params.choice("status", statuses, "")
    filters["statuses"] = (status,) if status else None
    params.check()
    return filters


def _finding_features(found) -> list[dict]:
    return finding_features(get_session(), current_viewer(), found, request_lang())


def _image_url(key: str) -> str:
    return url_for("web.symbol_image", key=key)


@bp.get("/findings")
def list_findings():
    found = findings.visible_findings(get_session(), current_viewer(), **_filters(STATUSES))
    return jsonify(feature_collection(_finding_features(found)))


@bp.post("/findings")
def create_finding():
    created = findings.create_finding(get_session(), current_viewer(), _body(), request_lang())
    response = jsonify(_finding_features([created])[0])
    response.headers["Location"] = url_for("api.finding", finding_id=created.id)
    return response, 201


@bp.get("/findings/<int:finding_id>")
def finding(finding_id: int):
    found = findings.visible_finding(get_session(), current_viewer(), finding_id)
    return jsonify(_finding_features([found])[0])


def _writable_finding(finding_id: int):
    viewer = current_viewer()
    if viewer == PUBLIC:
        abort(401)
    return findings.visible_finding(get_session(), viewer, finding_id), viewer


@bp.patch("/findings/<int:finding_id>")
def change_finding(finding_id: int):
    found, viewer = _writable_finding(finding_id)
    findings.change_finding(get_session(), viewer, found, _body(), request_lang())
    return jsonify(_finding_features([found])[0])


@bp.delete("/findings/<int:finding_id>")
def delete_finding(finding_id: int):
    found, viewer = _writable_finding(finding_id)
    findings.delete_finding(get_session(), viewer, found)
    return "", 204


def _action_answer(found) -> dict:
    return action_features([found], _image_url)[0]


@bp.get("/actions")
def list_actions():
    found = actions.visible_actions(get_session(), current_viewer(), **_filters(ACTION_STATUSES))
    return jsonify(feature_collection(action_features(found, _image_url)))


@bp.post("/actions")
def create_action():
    created, token = actions.create_action(get_session(), current_viewer(), _body(), request_lang())
    feature = _action_answer(created)
    feature["owner_token"] = token
    feature["manage_url"] = url_for("web.manage_action", token=token, _external=True)
    feature["manage_qr"] = qr_data_uri(feature["manage_url"])
    response = jsonify(feature)
    response.headers["Location"] = url_for("api.action", action_id=created.id)
    return response, 201


@bp.get("/actions/<int:action_id>")
def action(action_id: int):
    return jsonify(
        _action_answer(actions.visible_action(get_session(), current_viewer(), action_id))
    )


def _writable_action(action_id: int):
    viewer = current_viewer()
    if viewer == PUBLIC:
        abort(401)
    return actions.visible_action(get_session(), viewer, action_id), viewer


@bp.patch("/actions/<int:action_id>")
def change_action(action_id: int):
    found, viewer = _writable_action(action_id)
    actions.change_action(get_session(), viewer, found, _body(), request_lang())
    return jsonify(_action_answer(found))


@bp.delete("/actions/<int:action_id>")
def delete_action(action_id: int):
    found, viewer = _writable_action(action_id)
    actions.delete_action(get_session(), viewer, found)
    return "", 204


@bp.post("/actions/<int:action_id>/updates")
def add_action_update(action_id: int):
    found, viewer = _writable_action(action_id)
    upload = request.files.get("image")
    image = upload.read() if upload and upload.filename else None
    body = _body()
    if not isinstance(body, dict):
        raise ValidationError({"body": gettext("Stuur een JSON-object met de velden.")})
    actions.add_update(get_session(), viewer, found, body, image=image, lang=request_lang())
    return jsonify(_action_answer(found)), 201
