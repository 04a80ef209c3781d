"""Pages for residents without an account: their private link to change or withdraw a place,
"mijn plekken" on this device, and the privacy statement."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for

from .. import storage
from ..db import get_session
from ..errors import ValidationError
from ..http import place_features, qr_data_uri, request_lang
from ..services import moderation
from ..services.accounts import hash_token
from ..services.visibility import Viewer
from ..validation import form_to_input
from ..vocab import FUNCTION_TYPES, label
from .blueprint import bp

#: What a contributor may change on their manage page.
OWNER_FIELDS = ("name", "quote", "story", "function_types", "symbol_icon", "show_name")


def type_choices() -> list[dict]:
    """The function types for the edit forms, in the request's language."""
    lang = request_lang()
    return [{"key": key, "label": label(FUNCTION_TYPES, key, lang)} for key in FUNCTION_TYPES]


def _owned(token: str):
    place = storage.place_by_owner_hash(get_session(), hash_token(token))
    if place is None:
        abort(404)
    return place, Viewer(owned=frozenset({place.id}))


def _no_referrer(response):
    # The URL holds the token: it goes to no other site (Referrer-Policy: same-origin, as
    # everywhere; "no-referrer" would make the browser send "Origin: null" with the forms),
    # and no cache keeps the page.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/plek/<token>", methods=["GET", "POST"])
def manage_place(token: str):
    """The contributor's private page of one place: status, changes, withdrawal."""
    place, viewer = _owned(token)
    session = get_session()
    errors = {}
    if request.method == "POST":
        data = form_to_input(request.form)
        data = {key: data.get(key) for key in OWNER_FIELDS}
        data["show_name"] = bool(request.form.get("show_name"))
        try:
            moderation.change_place(
                session, place, viewer, data, lang=request_lang(),
                symbol_size=current_app.config["SYMBOL_SIZE"],
                owner_status=current_app.config["NEW_PLACE_STATUS"],
            )  # fmt: skip
            return redirect(url_for("web.manage_place", token=token, opgeslagen=1))
        except ValidationError as exc:
            errors = exc.errors
    url = url_for("web.manage_place", token=token, _external=True)
    feature = place_features(session, [place], request_lang(), viewer=viewer)[0]
    response = current_app.make_response((render_template(
        "plek_beheren.html", place=place, feature=feature, token=token, url=url,
        qr=qr_data_uri(url), new=request.args.get("nieuw"), saved=request.args.get("opgeslagen"),
        errors=errors, values=request.form if errors else moderation.place_values(place),
        function_types=type_choices(),
    ), 422 if errors else 200))  # fmt: skip
    return _no_referrer(response)


@bp.post("/plek/<token>/intrekken")
def withdraw_place(token: str):
    """Withdraw the place: nothing of it stays."""
    place, viewer = _owned(token)
    moderation.delete_place(get_session(), place, viewer)
    return _no_referrer(current_app.make_response(render_template("plek_weg.html")))


@bp.get("/mijn-plekken")
def my_places():
    """The places added on this device (read from the browser's local storage)."""
    return render_template("mijn_plekken.html")


@bp.get("/privacy")
def privacy():
    return render_template("privacy.html")
