"""Interface language: Dutch first, English available.

Source strings are Dutch. English translations live in ``translations/*.json`` as flat
``{"Dutch": "English"}`` objects; ``translations/js_messages.json`` holds the strings the
map script needs, per key and language.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask import current_app, g, has_request_context, request

__all__ = ["LANGUAGES", "get_lang", "gettext", "js_messages", "init_app"]

LANGUAGES = ("nl", "en")
TRANSLATIONS = Path(__file__).parent / "translations"
JS_MESSAGES = "js_messages.json"


@cache
def _catalog_en() -> dict[str, str]:
    catalog: dict[str, str] = {}
    for path in sorted(TRANSLATIONS.glob("*.json")):
        if path.name != JS_MESSAGES:
            catalog.update(json.loads(path.read_text(encoding="utf-8")))
    return catalog


@cache
def _js_catalog() -> dict[str, dict[str, str]]:
    path = TRANSLATIONS / JS_MESSAGES
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def get_lang() -> str:
    """The language of the current request: ``?lang=``, then cookie, then Accept-Language."""
    if not has_request_context():
        return g.get("lang", "nl") if g else "nl"
    if "lang" in g:
        return g.lang
    lang = request.args.get("lang") or request.cookies.get("lang")
    if lang not in LANGUAGES:
        lang = request.accept_languages.best_match(LANGUAGES) or current_app.config.get(
            "DEFAULT_LANGUAGE", "nl"
        )
    g.lang = lang
    return lang


def gettext(text: str, lang: str | None = None, **values: object) -> str:
    """Translate Dutch ``text`` into the current language and fill ``{placeholders}``."""
    lang = lang or get_lang()
    if lang == "en":
        text = _catalog_en().get(text, text)
    return text.format(**values) if values else text


def js_messages(lang: str) -> dict[str, str]:
    return {key: texts.get(lang, texts.get("nl", key)) for key, texts in _js_catalog().items()}


def _remember_language(response):
    if has_request_context() and request.args.get("lang") in LANGUAGES:
        response.set_cookie("lang", request.args["lang"], max_age=365 * 24 * 3600, samesite="Lax")
    return response


def init_app(app) -> None:
    app.jinja_env.globals["_"] = gettext
    app.jinja_env.globals["get_lang"] = get_lang
    app.after_request(_remember_language)
