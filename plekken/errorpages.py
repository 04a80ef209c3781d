"""Every failed request gets a clear answer: a page in the site's own layout for people, the
documented ``{"errors": {field: message}}`` shape for the API.

HTTP errors (400, 404, 405, 413, 429, 500, …) and an unreachable database (503 with
``Retry-After``) are turned into answers here, in one place. Messages are plain Dutch, or
English with ``?lang=en`` or ``Accept-Language: en``.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from .http import gettext

__all__ = ["init_app", "is_api_request", "error_response", "DATABASE_ERRORS"]

log = logging.getLogger(__name__)

#: Errors that mean the database cannot be reached right now (down, restarting, locked).
DATABASE_ERRORS = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)

#: Title and explanation per status, in Dutch (translations in ``translations/en_errors.json``).
MESSAGES = {
    400: ("Dit verzoek klopt niet",
          "Wat er gestuurd is, kunnen we niet lezen. Ga terug en probeer het opnieuw."),
    404: ("Deze pagina bestaat niet",
          "Misschien is het adres niet goed, of is de plek of wijk er niet meer."),
    405: ("Dit kan hier niet", "Deze pagina kan dit verzoek niet uitvoeren."),
    413: ("Dit is te groot",
          "Wat u stuurde is groter dan {limit} MB. Kies een kleinere foto of tekening."),
    429: ("Even wachten", "Te veel verzoeken in korte tijd. "
          "Wacht even en probeer het over {seconds} seconden opnieuw."),
    500: ("Er ging iets mis",
          "Er ging bij ons iets mis. Probeer het straks opnieuw."),
    503: ("De kaart is even niet bereikbaar",
          "De gegevens zijn nu niet bereikbaar. Probeer het over {seconds} seconden opnieuw."),
}  # fmt: skip


def is_api_request() -> bool:
    """Whether the current request is for the JSON API (or a machine endpoint)."""
    return request.path.startswith("/api/")


def _retry_after(error: HTTPException) -> int:
    value = dict(error.get_headers()).get("Retry-After")
    if value and str(value).isdigit():
        return int(value)
    return int(current_app.config.get("RETRY_AFTER", 30))


def _same_site_referrer() -> str | None:
    """The page the person came from, when it is on this site (a way back)."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else None


def _explanation(error: HTTPException) -> tuple[str, str]:
    code = error.code or 500
    if code not in MESSAGES:
        return error.name, error.description or ""
    title, text = MESSAGES[code]
    limit = round((current_app.config.get("MAX_CONTENT_LENGTH") or 0) / 1024 / 1024)
    return gettext(title), gettext(text, limit=limit, seconds=_retry_after(error))


def error_response(error: HTTPException, field: str = "request", status: int | None = None):
    """The answer to ``error``: JSON for the API, the error page for people.

    The error's own headers (``Allow`` on a 405, ``Retry-After`` on a 429 or 503) are kept.
    """
    status = status or error.code or 500
    title, text = _explanation(error)
    if is_api_request():
        response = jsonify(errors={field: f"{title}. {text}" if text else title})
    else:
        page = render_template(
            "error.html", status=status, title=title, text=text, back=_same_site_referrer()
        )
        response = current_app.response_class(page, mimetype="text/html")
    response.status_code = status
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    if status in (429, 503):
        response.headers["Retry-After"] = str(_retry_after(error))
    return response


def _http_error(error: HTTPException):
    if error.code == 413 and is_api_request():
        field = "symbol_image" if request.mimetype == "multipart/form-data" else "body"
        return error_response(error, field=field)
    if error.code == 500:
        original = getattr(error, "original_exception", None)
        if original is not None:
            log.error("unhandled error on %s %s", request.method, request.path, exc_info=original)
    return error_response(error)


def _database_down(error: Exception):
    log.warning("database unreachable on %s %s: %s", request.method, request.path, error)
    return error_response(ServiceUnavailable())


def init_app(app: Flask) -> None:
    """Register the error handlers on ``app``."""
    app.config.setdefault("RETRY_AFTER", 30)
    app.register_error_handler(HTTPException, _http_error)
    for error in DATABASE_ERRORS:
        app.register_error_handler(error, _database_down)
