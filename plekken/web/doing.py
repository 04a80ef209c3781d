"""Pages of "van praten naar doen": a wijk's findings and actions, the actions of all
gemeenten (``/acties``), and an action's private page for whoever took it on."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for

from .. import storage
from ..auth import current_viewer
from ..db import get_session
from ..errors import ValidationError
from ..http import qr_data_uri, request_lang
from ..services import actions, findings
from ..services.accounts import hash_token
from ..services.doing import ACTION_STATUSES
from ..services.doing_answers import evidence
from ..services.visibility import Viewer
from ..vocab import ACTION_STATUS_LABELS, CONDITIONS, FUNCTION_TYPES, label
from .blueprint import bp
from .owners import _no_referrer
from .views import get_wijk_or_404


def _choices(vocabulary: dict) -> list[dict]:
    lang = request_lang()
    return [{"key": key, "label": label(vocabulary, key, lang)} for key in vocabulary]


def _labels() -> dict:
    lang = request_lang()
    return {
        "types": {c["key"]: c["label"] for c in _choices(FUNCTION_TYPES)},
        "conditions_labels": {c["key"]: c["label"] for c in _choices(CONDITIONS)},
        "status_labels": {k: label(ACTION_STATUS_LABELS, k, lang) for k in ACTION_STATUS_LABELS},
    }


@bp.get("/wijk/<code>/doen")
def wijk_doing(code: str):
    """Van praten naar doen: what the wijk concluded and what it does about it."""
    area = get_wijk_or_404(code)
    session, viewer = get_session(), current_viewer()
    found = findings.visible_findings(session, viewer, wijk=area.code)
    done = actions.visible_actions(session, viewer, wijk=area.code)
    buurten = storage.area_names(session, {b for f in found for b in f.buurten or []})
    return render_template(
        "doen.html", area=area, findings=found, actions=done, buurten=buurten,
        places=evidence(session, viewer, found, request_lang()), **_labels(),
    )  # fmt: skip


@bp.get("/acties")
def all_actions():
    """The published actions of every gemeente, filtered by a plain GET form."""
    picked = {
        "function_type": request.args.get("function_type") or None,
        "condition": request.args.get("condition") or None,
        "status": request.args.get("status") or None,
    }
    allowed = {"function_type": FUNCTION_TYPES, "condition": CONDITIONS, "status": ACTION_STATUSES}
    picked = {k: v if v in allowed[k] else None for k, v in picked.items()}
    session = get_session()
    found = actions.visible_actions(
        session, current_viewer(), function_type=picked["function_type"],
        condition=picked["condition"], statuses=(picked["status"],) if picked["status"] else None,
        public_only=True,
    )  # fmt: skip
    wijken = storage.area_names(session, {a.wijk_code for a in found})
    return render_template(
        "acties.html", actions=found, wijken=wijken, picked=picked,
        function_types=_choices(FUNCTION_TYPES), conditions=_choices(CONDITIONS),
        statuses=ACTION_STATUSES, **_labels(),
    )  # fmt: skip


def _owned_action(token: str):
    action = storage.action_by_owner_hash(get_session(), hash_token(token))
    if action is None:
        abort(404)
    return action, Viewer(owned_actions=frozenset({action.id}))


@bp.route("/actie/<token>", methods=["GET", "POST"])
def manage_action(token: str):
    """The private page of an action: change its status and add an update, no account."""
    action, viewer = _owned_action(token)
    session = get_session()
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = {key: request.form.get(key) or None for key in ("text", "status", "stop_reason")}
        if data["status"] == action.status:
            data["status"] = None
        upload = request.files.get("image")
        image = upload.read() if upload and upload.filename else None
        try:
            actions.add_update(session, viewer, action, data, image=image, lang=request_lang())
            return redirect(url_for("web.manage_action", token=token, opgeslagen=1))
        except ValidationError as exc:
            errors = exc.errors
    url = url_for("web.manage_action", token=token, _external=True)
    response = current_app.make_response((render_template(
        "actie_beheren.html", action=action, token=token, url=url, qr=qr_data_uri(url),
        saved=request.args.get("opgeslagen"), errors=errors, values=request.form,
        statuses=ACTION_STATUSES, wijk=storage.get_area(session, action.wijk_code), **_labels(),
    ), 422 if errors else 200))  # fmt: skip
    return _no_referrer(response)
