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
from .context import base_tiles, icon_choices
from .views import too_large_upload

#: What a contributor may change on their manage page.
OWNER_FIELDS = (
    "name", "quote", "story", "function_types", "symbol_icon", "show_name", "lon", "lat",
)  # fmt: skip


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
        errors = too_large_upload() or _change(session, place, viewer)
        if not errors:
            return redirect(url_for("web.manage_place", token=token, opgeslagen=1))
    url = url_for("web.manage_place", token=token, _external=True)
    feature = place_features(session, [place], request_lang(), viewer=viewer)[0]
    response = current_app.make_response((render_template(
        "plek_beheren.html", place=place, feature=feature, token=token, url=url,
        qr=qr_data_uri(url), new=request.args.get("nieuw"), saved=request.args.get("opgeslagen"),
        errors=errors, values=request.form if errors else moderation.place_values(place),
        function_types=type_choices(), icons=icon_choices(request_lang()), tiles=base_tiles(),
        current_symbol=feature["properties"]["symbol_url"] if place.symbol_image_id else None,
    ), _error_status(errors)))  # fmt: skip
    return _no_referrer(response)


def _error_status(errors: dict) -> int:
    if not errors:
        return 200
    return 413 if too_large_upload() else 422


def _change(session, place, viewer) -> dict[str, str]:
    """Apply the contributor's form to their place; the messages per wrong field, if any."""
    data = form_to_input(request.form)
    # A form without the location fields (an older page) leaves the pin where it is.
    data = {key: data.get(key) for key in OWNER_FIELDS if key in data or key not in ("lon", "lat")}
    data["show_name"] = bool(request.form.get("show_name"))
    upload = request.files.get("symbol_image")
    image = upload.read() if upload and upload.filename else None
    try:
        moderation.change_place(
            session, place, viewer, data, image=image, lang=request_lang(),
            symbol_size=current_app.config["SYMBOL_SIZE"],
            owner_status=current_app.config["NEW_PLACE_STATUS"],
        )  # fmt: skip
    except ValidationError as exc:
        return exc.errors
    return {}


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
