"""Pages of "van praten naar doen": a wijk's findings and actions, the actions of all
gemeenten (``/acties``), and an action's private page for whoever took it on."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for

from .. import storage
from ..auth import current_viewer
from ..db import get_session
from ..errors import NotFoundError, ValidationError
from ..http import qr_data_uri, request_lang
from ..services import actions, findings
from ..services.accounts import hash_token
from ..services.doing import ACTION_STATUSES, NotAllowed
from ..services.doing_answers import evidence
from ..services.visibility import PUBLIC, Viewer, visible_places
from ..vocab import ACTION_STATUS_LABELS, CONDITIONS, FUNCTION_TYPES, label
from .accounts import _moderator
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


def _writing(session, area) -> dict:
    """What the forms of a moderator need: the wijk's published places and its buurten."""
    buurten = storage.areas_frame(session, level="buurt", parent=area.code)
    return {
        "wijk_places": visible_places(session, PUBLIC, wijk=area.code),
        "wijk_buurten": sorted(zip(buurten["name"], buurten["code"], strict=True)),
        "function_types": _choices(FUNCTION_TYPES),
        "condition_choices": _choices(CONDITIONS),
    }


def _doing_page(area, errors: dict | None = None, form: str | None = None):
    session, viewer = get_session(), current_viewer()
    found = findings.visible_findings(session, viewer, wijk=area.code)
    done = actions.visible_actions(session, viewer, wijk=area.code)
    buurten = storage.area_names(session, {b for f in found for b in f.buurten or []})
    writer = viewer.may_moderate(area.gemeente_code)
    return render_template(
        "doen.html", area=area, findings=found, actions=done, buurten=buurten,
        places=evidence(session, viewer, found, request_lang()), writer=writer,
        errors=errors or {}, form=form, values=request.form, **_labels(),
        **(_writing(session, area) if writer else {}),
    ), 422 if errors else 200  # fmt: skip


@bp.get("/wijk/<code>/doen")
def wijk_doing(code: str):
    """Van praten naar doen: what the wijk concluded and what it does about it."""
    return _doing_page(get_wijk_or_404(code))


def _write(area, form: str, create):
    """Run ``create(session, viewer, data, lang)`` for a moderator's form on the doen page."""
    viewer = _moderator()
    data = {key: request.form.get(key) for key in request.form if key != "csrf_token"}
    for key in ("places", "buurten", "conditions", "findings"):
        if key in request.form:
            data[key] = request.form.getlist(key)
    data["wijk"] = area.code
    try:
        return create(get_session(), viewer, data, request_lang()), None
    except NotAllowed:
        abort(403)
    except ValidationError as exc:
        return None, _doing_page(area, exc.errors, form)


@bp.post("/wijk/<code>/bevindingen")
def write_finding(code: str):
    """A moderator's form: a finding with places, buurten, type and conditions."""
    area = get_wijk_or_404(code)
    created, page = _write(area, "finding", findings.create_finding)
    if page is not None:
        return page
    return redirect(url_for("web.wijk_doing", code=area.code, _anchor=f"bevinding-{created.id}"))


@bp.post("/wijk/<code>/acties")
def write_action(code: str):
    """A moderator's form: an action about a finding; shows its private link to hand on."""
    area = get_wijk_or_404(code)
    created, page = _write(area, "action", actions.create_action)
    if page is not None:
        return page
    return redirect(url_for("web.manage_action", token=created[1], nieuw=1))


#: The moderation buttons of the doen page: which change each one sends to the services.
MODERATION = {
    ("finding", "approve"): {"status": "published"},
    ("finding", "hide"): {"status": "hidden"},
    ("action", "approve"): {"moderation": "published"},
    ("action", "hide"): {"moderation": "hidden"},
}


@bp.post("/wijk/<code>/doen/moderatie")
def moderate_doing(code: str):
    """Approve or hide a finding or action of the wijk (moderators of its gemeente)."""
    area = get_wijk_or_404(code)
    viewer, session = _moderator(), get_session()
    kind, item_id = request.form.get("kind"), request.form.get("id", "")
    change = MODERATION.get((kind, request.form.get("action")))
    if change is None or not item_id.isdigit() or len(item_id) > 9:
        abort(404)
    module = findings if kind == "finding" else actions
    try:
        found = getattr(module, f"visible_{kind}")(session, viewer, int(item_id))
        if found.wijk_code != area.code:
            abort(404)
        getattr(module, f"change_{kind}")(session, viewer, found, change, request_lang())
    except NotFoundError:
        abort(404)
    except NotAllowed:
        abort(403)
    return redirect(url_for("web.wijk_doing", code=area.code))


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
        saved=request.args.get("opgeslagen"), new=request.args.get("nieuw"), errors=errors,
        values=request.form, statuses=ACTION_STATUSES,
        wijk=storage.get_area(session, action.wijk_code), **_labels(),
    ), 422 if errors else 200))  # fmt: skip
    return _no_referrer(response)
