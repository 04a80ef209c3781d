"""Workshop pages: joining by code, the QR codes and the printable join sheet."""

from __future__ import annotations

import io

import segno
from flask import Response, abort, redirect, render_template, request, url_for

from .. import storage
from ..db import get_session
from ..http import gettext, public_url
from ..services import workshops
from ..storage.models import Workshop
from .blueprint import bp

#: Answer for a closed workshop: the code existed, its door is shut (410 Gone).
CLOSED = 410


def get_workshop_or_404(code: str) -> Workshop:
    """The workshop with join ``code`` (any case); a friendly 404 page otherwise."""
    workshop = workshops.find_workshop(get_session(), code)
    if workshop is None:
        abort(_unknown_code())
    return workshop


def _unknown_code() -> Response:
    html = render_template(
        "workshop_dicht.html", title=gettext("Deze code kennen we niet"),
        message=gettext("Kijk de code nog eens na: hij staat op het blad of op het scherm in "
                        "de zaal. Kleine of grote letters maakt niet uit."),
    )  # fmt: skip
    return Response(html, status=404)


def join_url(workshop: Workshop) -> str:
    return public_url("web.join_workshop", code=workshop.code)


def workshop_context(workshop: Workshop) -> dict:
    """What the workshop pages share: the workshop, its wijk's name and its join link."""
    area = storage.wijk_outline(get_session(), workshop.wijk_code)
    return {
        "workshop": workshop,
        "wijk_name": area.name if area is not None else workshop.wijk_code,
        "join_url": join_url(workshop),
        "code_url": public_url("web.enter_code"),
        "is_open": workshops.is_open(workshop),
    }


@bp.get("/w/<code>")
def join_workshop(code: str):
    """Where the code or QR leads: the question, and the way in (or a friendly 'closed')."""
    workshop = get_workshop_or_404(code)
    context = workshop_context(workshop)
    if not context["is_open"]:
        html = render_template(
            "workshop_dicht.html", title=gettext("Deze workshop is gesloten"),
            message=gettext("Er kunnen geen plekken meer bij. De plekken die zijn toegevoegd, "
                            "blijven op de kaart. Bedankt voor het meedoen!"),
            workshop=workshop,
        )  # fmt: skip
        return html, CLOSED
    return render_template("workshop_join.html", **context)


def _qr(workshop: Workshop):
    return segno.make(join_url(workshop), error="m")


@bp.get("/w/<code>/qr.png")
def workshop_qr_png(code: str):
    buffer = io.BytesIO()
    _qr(get_workshop_or_404(code)).save(buffer, kind="png", scale=10, border=4)
    return Response(buffer.getvalue(), mimetype="image/png")


@bp.get("/w/<code>/qr.svg")
def workshop_qr_svg(code: str):
    buffer = io.BytesIO()
    _qr(get_workshop_or_404(code)).save(buffer, kind="svg", scale=10, border=4, xmldecl=False)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


@bp.get("/w/<code>/blad")
def workshop_sheet(code: str):
    """The printable A4 join sheet: code, QR and three lines of instructions."""
    return render_template("workshop_blad.html", **workshop_context(get_workshop_or_404(code)))


@bp.get("/w")
def enter_code():
    """Type a join code (``?code=``) and go to its workshop."""
    code = workshops.normalise_code(request.args.get("code"))
    if code:
        return redirect(url_for("web.join_workshop", code=code))
    return render_template("workshop_code.html")
