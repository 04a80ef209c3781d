"""Pages for professionals: logging in and out, and moderation (/beheer)."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import login_user, logout_user

from .. import storage
from ..auth import LoginUser, current_viewer
from ..db import get_session
from ..errors import NotFoundError, ValidationError
from ..http import gettext, place_features, request_lang
from ..services import moderation
from ..services.accounts import LoginRefused, authenticate
from ..services.visibility import MODERATOR_ROLES, STATUSES
from ..validation import form_to_input
from .blueprint import bp
from .context import base_tiles
from .owners import type_choices


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//other.example``) after logging in."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.moderation_page")


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    """Login for opbouwwerkers, onderzoekers and beheerders."""
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    try:
        user = authenticate(
            get_session(), request.form.get("email", ""), request.form.get("password", "")
        )
    except LoginRefused as exc:
        if exc.wait:
            minutes = max(1, round(exc.wait.total_seconds() / 60))
            error = gettext(
                "Te veel mislukte pogingen. Probeer het over {n} minuten opnieuw.", n=minutes
            )
        else:
            error = gettext("Dit e-mailadres en wachtwoord horen niet bij elkaar.")
        context = {"error": error, "email": request.form.get("email", "")}
        return render_template("login.html", next=request.form.get("next", ""), **context), 401
    login_user(LoginUser(user))
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/uitloggen")
def logout():
    logout_user()
    return redirect(url_for("web.index"))


def _moderator():
    """The viewer of a logged-in moderator: log in first (pages), 401 (forms), 403 others."""
    viewer = current_viewer()
    if not viewer.is_professional:
        if request.method == "GET":
            abort(redirect(url_for("web.login", next=request.path)))
        abort(401)
    if viewer.role not in MODERATOR_ROLES:
        abort(403)
    return viewer


def _place_of(place_id: int, viewer):
    try:
        place = storage.get_place(get_session(), place_id, statuses=STATUSES)
    except NotFoundError:
        abort(404)
    if not viewer.may_moderate(place.gemeente_code):
        abort(403)
    return place


@bp.get("/beheer")
def moderation_page():
    """Pending places of the moderator's gemeenten, newest first."""
    viewer = _moderator()
    session = get_session()
    places = moderation.pending_for(session, viewer)
    features = place_features(session, places, request_lang(), viewer=viewer)
    return render_template(
        "beheer.html", items=list(zip(places, features, strict=True)), viewer=viewer,
        done=request.args.get("gedaan"), tiles=base_tiles(),
    )  # fmt: skip


@bp.post("/beheer/plekken/<int:place_id>/actie")
def moderate_place(place_id: int):
    """Approve, hide or delete one place."""
    viewer = _moderator()
    place = _place_of(place_id, viewer)
    action = request.form.get("action", "")
    moderation.moderate(
        get_session(), place, viewer, action, request.form.get("reason", ""), request_lang()
    )
    if request.form.get("next"):  # back to the page the button was on (a workshop's)
        return redirect(_safe_next(request.form["next"]))
    return redirect(url_for("web.moderation_page", gedaan=action))


@bp.post("/beheer/goedkeuren")
def approve_many():
    """Approve the ticked places at once."""
    viewer = _moderator()
    ids = [int(value) for value in request.form.getlist("place_id") if value.isdigit()]
    session = get_session()
    for place_id in ids:
        moderation.moderate(session, _place_of(place_id, viewer), viewer, "approve")
    return redirect(url_for("web.moderation_page", gedaan="approve"))


@bp.route("/beheer/plekken/<int:place_id>", methods=["GET", "POST"])
def moderate_edit(place_id: int):
    """One place in full with its history; the form fixes a typo, moves it, changes types."""
    viewer = _moderator()
    place = _place_of(place_id, viewer)
    session = get_session()
    errors = {}
    if request.method == "POST":
        data = form_to_input(request.form)
        data = {k: v for k, v in data.items() if k in moderation.FIELDS}
        try:
            moderation.change_place(
                session, place, viewer, data, lang=request_lang(),
                symbol_size=current_app.config["SYMBOL_SIZE"], owner_status="published",
            )  # fmt: skip
            return redirect(url_for("web.moderate_edit", place_id=place.id, opgeslagen=1))
        except ValidationError as exc:
            errors = exc.errors
    feature = place_features(session, [place], request_lang(), viewer=viewer)[0]
    return render_template(
        "beheer_plek.html", place=place, feature=feature, errors=errors,
        history=moderation.history(session, place.id), saved=request.args.get("opgeslagen"),
        values=request.form if errors else moderation.place_values(place),
        function_types=type_choices(), tiles=base_tiles(),
    ), 422 if errors else 200  # fmt: skip
