"""Interface language: Dutch first, English available.

Source strings are Dutch. English translations live in ``translations/*.json`` as flat
``{"Dutch": "English"}`` objects; ``translations/js_messages.json`` holds the strings the
map script needs, per key and language. No request here: callers pass the language (the web
layer reads it from the request, see :mod:`plekken.http`).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

__all__ = ["LANGUAGES", "gettext", "js_messages"]

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


def gettext(text: str, lang: str = "nl", **values: object) -> str:
    """Translate Dutch ``text`` into ``lang`` and fill ``{placeholders}``."""
    if lang == "en":
        text = _catalog_en().get(text, text)
    return text.format(**values) if values else text


def js_messages(lang: str) -> dict[str, str]:
    return {key: texts.get(lang, texts.get("nl", key)) for key, texts in _js_catalog().items()}
