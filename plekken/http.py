"""What the pages and the API share about the current request: its language and URLs.

The only module besides the blueprints that reads Flask's ``request``; services, storage and
the map builders get the language and URL builders from here as plain arguments.
"""

from __future__ import annotations

import segno
from flask import current_app, g, request, url_for
from sqlalchemy.orm import Session

from . import i18n, storage
from .i18n import LANGUAGES
from .io.geojson import place_feature
from .services.visibility import PUBLIC, Viewer, shows_details

#: Where each app keeps its analysis result cache (set up with the API's blueprint).
LIMITED_KEY = "plekken_analysis_limited"

__all__ = [
    "analysis_cache",
    "network_folder",
    "request_lang",
    "gettext",
    "static_url",
    "symbol_image_url",
    "place_features",
    "qr_data_uri",
    "public_url",
    "init_app",
]


def network_folder() -> str:
    """Where this app keeps its walking network (``NETWORK_FOLDER`` or the instance folder)."""
    return current_app.config.get("NETWORK_FOLDER") or current_app.instance_path


def request_lang() -> str:
    """The language of the current request: ``?lang=``, then cookie, then Accept-Language."""
    if "lang" in g:
        return g.lang
    lang = request.args.get("lang") or request.cookies.get("lang")
    if lang not in LANGUAGES:
        lang = request.accept_languages.best_match(LANGUAGES) or current_app.config.get(
            "DEFAULT_LANGUAGE", "nl"
        )
    g.lang = lang
    return lang


def gettext(text: str, **values: object) -> str:
    """Translate Dutch ``text`` into the language of the current request."""
    return i18n.gettext(text, request_lang(), **values)


def static_url(path: str) -> str:
    """The URL of ``path`` under ``plekken/static``."""
    return url_for("static", filename=path)


def symbol_image_url(key: str) -> str:
    """The URL of an uploaded symbol image (named by its unguessable key)."""
    return url_for("web.symbol_image", key=key)


def public_url(endpoint: str, **values: object) -> str:
    """The full URL of ``endpoint`` as people outside reach it: ``PLEKKEN_PUBLIC_URL`` when
    set, else the address this request came in on (a laptop on a community centre's
    network)."""
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def place_features(
    session: Session, places, lang: str, codes=None, viewer: Viewer = PUBLIC
) -> list[dict]:
    """The places as GeoJSON Features in ``lang``, with the names of the areas ``codes``
    (default: their wijken and buurten), as ``viewer`` may see them."""
    if codes is None:
        codes = {p.wijk_code for p in places} | {p.buurt_code for p in places}
    names = storage.area_names(session, codes)
    shared = storage.endorsement_counts(session, [p.id for p in places])
    features = [
        place_feature(
            p, names, lang, static_url=static_url, image_url=symbol_image_url,
            public=not shows_details(viewer, p),
        )
        for p in places
    ]  # fmt: skip
    for feature in features:  # how many others said "ook voor mij"
        feature["properties"]["endorsements"] = shared.get(feature["id"], 0)
    return features


def _remember_language(response):
    if request.args.get("lang") in LANGUAGES:
        response.set_cookie("lang", request.args["lang"], max_age=365 * 24 * 3600, samesite="Lax")
    return response


def init_app(app) -> None:
    """Give templates ``_`` (translate) and ``get_lang``; remember a chosen language."""
    app.jinja_env.globals["_"] = gettext
    app.jinja_env.globals["get_lang"] = request_lang
    app.after_request(_remember_language)


def analysis_cache():
    """The app's analysis result cache, through which at most ``HEAVY_ANALYSES`` computations
    run at once; ``None`` before the API has set it up."""
    return current_app.extensions.get(LIMITED_KEY)
