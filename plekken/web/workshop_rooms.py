"""Workshop pages in the room: the residents' step-by-step flow, the wall map for the
projector, and the facilitator's page and the form that creates a workshop."""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, current_app, redirect, render_template, request, url_for

from .. import storage
from ..db import get_session
from ..errors import ValidationError
from ..http import gettext, place_features, request_lang, static_url
from ..i18n import js_messages
from ..io.geojson import area_features, feature_collection
from ..services import workshops
from ..services.visibility import STATUSES
from ..storage.models import Workshop
from ..vocab import FUNCTION_TYPE_COLOURS, FUNCTION_TYPES, label
from .accounts import _moderator
from .blueprint import bp
from .context import _buurten_list, _vocab_lists, home_buurten
from .workshops import get_workshop_or_404, join_url, workshop_context

#: How often the wall map asks for new places, in milliseconds.
WALL_POLL_MS = 3000


def _areas(workshop: Workshop) -> tuple[dict, list[dict]]:
    """The wijk's outline as GeoJSON and its buurten as a list (name, inner point)."""
    session = get_session()
    wijk = storage.areas_frame(session, level="wijk", codes=[workshop.wijk_code])
    buurten = storage.areas_frame(session, level="buurt", parent=workshop.wijk_code)
    return feature_collection(area_features(wijk)), _buurten_list(buurten)


def _room_config(workshop: Workshop, **extra) -> dict:
    lang = request_lang()
    outline, buurten = _areas(workshop)
    return {
        "lang": lang,
        "code": workshop.code,
        "outline": outline,
        "buurten": buurten,
        "tiles": current_app.config["TILE_LAYERS"][:1],
        "messages": js_messages(lang),
        "feedUrl": url_for("api.workshop_places", code=workshop.code),
        "symbolFallback": static_url("symbols/ster.svg"),
        **extra,
    }


@bp.get("/w/<code>/plek")
def workshop_flow(code: str):
    """The resident's flow: one question per screen, posting to the API with the code."""
    workshop = get_workshop_or_404(code)
    context = workshop_context(workshop)
    if not context["is_open"]:
        return redirect(url_for("web.join_workshop", code=workshop.code))
    vocab = _vocab_lists(request_lang())
    config = _room_config(
        workshop, api=url_for("api.create_place"), icons=vocab["icons"],
        join=url_for("web.workshop_flow", code=workshop.code),
    )  # fmt: skip
    homes = home_buurten(get_session(), workshop.gemeente_code)
    return render_template(
        "workshop_flow.html", config=config, home_buurten=homes, **vocab, **context
    )


def _type_counts(workshop: Workshop, statuses=("published",)) -> list[dict]:
    counts = storage.type_counts(get_session(), workshop.id, statuses)
    lang = request_lang()
    return [
        {"key": key, "label": label(FUNCTION_TYPES, key, lang),
         "colour": FUNCTION_TYPE_COLOURS[key], "count": counts.get(key, 0)}
        for key in FUNCTION_TYPES
    ]  # fmt: skip


@bp.get("/w/<code>/muur")
def workshop_wall(code: str):
    """The wall map for the projector: new places appear without reloading."""
    workshop = get_workshop_or_404(code)
    config = _room_config(workshop, pollMs=WALL_POLL_MS)
    return render_template(
        "workshop_wall.html", config=config, counts=_type_counts(workshop),
        **workshop_context(workshop),
    )  # fmt: skip


def _facilitator(code: str) -> tuple[Workshop, object]:
    viewer = _moderator()
    workshop = get_workshop_or_404(code)
    if not workshops.may_facilitate(viewer, workshop):
        abort(403)
    return workshop, viewer


@bp.route("/w/<code>/beheer", methods=["GET", "POST"])
def workshop_facilitator(code: str):
    """Counts per type, this workshop's moderation queue, and close or reopen."""
    workshop, viewer = _facilitator(code)
    session = get_session()
    if request.method == "POST":
        workshops.set_closed(session, workshop, request.form.get("action") == "close")
        return redirect(url_for("web.workshop_facilitator", code=workshop.code))
    pending = storage.list_places(session, workshop=workshop.id, statuses=("pending",))
    features = place_features(session, pending, request_lang(), viewer=viewer)
    everything = storage.count_places(session, workshop=workshop.id, statuses=STATUSES)
    return render_template(
        "workshop_facilitator.html", items=list(zip(pending, features, strict=True)),
        counts=_type_counts(workshop, ("published", "pending")), total=everything,
        shown=storage.count_places(session, workshop=workshop.id),
        back=url_for("web.workshop_facilitator", code=workshop.code),
        **workshop_context(workshop),
    )  # fmt: skip


def _form_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value).astimezone()  # the facilitator's local time


@bp.route("/workshops", methods=["GET", "POST"])
def workshops_page():
    """A facilitator's workshops, and the form that creates one."""
    viewer = _moderator()
    session = get_session()
    errors, values = {}, {"moderated": True, "held_on": date.today().isoformat()}
    if request.method == "POST":
        values = request.form
        try:
            held_on = date.fromisoformat(values.get("held_on") or date.today().isoformat())
        except ValueError:
            errors["held_on"] = gettext("Dit is geen geldige datum.")
        try:
            closes_at = _form_datetime(values.get("closes_at"))
        except ValueError:
            errors["closes_at"] = gettext("Dit is geen geldige datum.")
        if not errors:
            try:
                workshop = workshops.create_workshop(
                    session, viewer, wijk=values.get("wijk", ""), title=values.get("title", ""),
                    held_on=held_on, closes_at=closes_at, question=values.get("question"),
                    moderated=bool(values.get("moderated")), lang=request_lang(),
                    residents_write=bool(values.get("residents_write")),
                )  # fmt: skip
                return redirect(url_for("web.workshop_facilitator", code=workshop.code))
            except ValidationError as exc:
                errors = exc.errors
    wijken = [w for w in storage.wijken(session) if viewer.may_moderate(w.gemeente_code)]
    return render_template(
        "workshops.html", workshops=workshops.workshops_for(session, viewer), wijken=wijken,
        errors=errors, values=values, default_question=gettext(workshops.DEFAULT_QUESTION),
        join_url=join_url,
    ), 422 if errors else 200  # fmt: skip
