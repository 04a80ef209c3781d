"""Validation of a place as submitted by a person (form) or another tool (JSON API).

:func:`validate_place` returns clean values or raises :class:`ValidationError` with one
message per field, in plain Dutch (or English), naming what is wrong and how to fix it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .checks import TextProblem, clean_text, parse_number, text_problem
from .errors import ValidationError
from .i18n import gettext
from .symbols import is_icon
from .vocab import CONDITIONS, FUNCTION_TYPES, ROLES

__all__ = ["validate_place", "form_to_input", "LIMITS"]

LIMITS = {
    "name": 120,
    "quote": 280,
    "story": 4000,
    "contributor_name": 80,
    "access_opening_hours": 200,
    "access_notes": 2000,
}
LIST_FIELDS = ("function_types", "conditions")
TRISTATE_FIELDS = ("access_free_entry", "access_costs", "access_wheelchair")
_TRUE = {"true", "1", "ja", "yes", "on"}
_FALSE = {"false", "0", "nee", "no", "off"}


def form_to_input(form: Any) -> dict[str, Any]:
    """Turn a werkzeug ``MultiDict`` (an HTML form) into the same shape as API JSON."""
    data: dict[str, Any] = {key: form.get(key) for key in form}
    for key in LIST_FIELDS:
        values = []
        for value in form.getlist(key):
            values.extend(part for part in value.split(",") if part)
        data[key] = values
    data.setdefault("consent", None)
    return data


def validate_place(data: Mapping[str, Any], lang: str = "nl") -> dict[str, Any]:
    """Check a submitted place and return its clean values.

    Parameters
    ----------
    data : mapping
        Fields as in the API: ``lon``, ``lat``, ``name``, ``quote``, ``story``,
        ``function_types`` (list), ``symbol_icon``, ``conditions`` (list),
        ``contributor_role``, ``contributor_name``, ``access_*`` and ``consent``.
    lang : {"nl", "en"}
        Language of the messages.

    Raises
    ------
    ValidationError
        With ``errors`` mapping every wrong field to a message.

    Examples
    --------
    >>> validate_place({"lon": 5.85, "lat": 51.82, "name": "Goffertpark",
    ...                 "function_types": ["verbindend"], "consent": True})["name"]
    'Goffertpark'
    """
    if not isinstance(data, Mapping):
        raise ValidationError(
            {"body": _t("Stuur een JSON-object met de velden van de plek.", lang)}
        )
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for step in (_location, _texts, _types, _symbol, _people, _access, _consent):
        step(data, clean, errors, lang)
    if errors:
        raise ValidationError(errors)
    return clean


def _t(text: str, lang: str, **values: Any) -> str:
    return gettext(text, lang, **values)


_TEXT_PROBLEMS = {
    "type": "Dit moet tekst zijn.",
    "surrogate": "Deze tekst bevat een ongeldig teken. Typ de tekst opnieuw.",
    "control": "Deze tekst bevat een onzichtbaar stuurteken. Haal het weg of typ de tekst opnieuw.",
}


def _text(data, field: str, errors: dict, lang: str) -> str:
    """The clean text of ``data[field]``; a problem is recorded in ``errors`` (then ``""``)."""
    try:
        return clean_text(data.get(field))
    except TextProblem as problem:
        errors[field] = _t(_TEXT_PROBLEMS[problem.reason], lang)
        return ""


def _location(data, clean, errors, lang) -> None:
    for field, low, high in (("lon", -180.0, 180.0), ("lat", -90.0, 90.0)):
        raw = data.get(field)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            errors[field] = _t("Kies een plek op de kaart of kies een buurt.", lang)
            continue
        value = parse_number(raw)
        if value is None:
            errors[field] = _t("Dit is geen getal.", lang)
            continue
        if not low <= value <= high:
            errors[field] = _t(
                "Dit moet een getal tussen {low} en {high} zijn.",
                lang,
                low=int(low),
                high=int(high),
            )
            continue
        clean[field] = value


def _texts(data, clean, errors, lang) -> None:
    for field, limit in LIMITS.items():
        text = _text(data, field, errors, lang)
        if len(text) > limit:
            errors[field] = _t(
                "Maximaal {limit} tekens; nu zijn het er {count}.",
                lang,
                limit=limit,
                count=len(text),
            )
        clean[field] = text or None
    if not clean.get("name") and "name" not in errors:
        errors["name"] = _t("Geef de plek een naam.", lang)
    clean["quote"] = clean.get("quote") or ""
    clean["story"] = clean.get("story") or ""


def _as_list(value: Any) -> list | None:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return list(value)
    return None


def _types(data, clean, errors, lang) -> None:
    types = _as_list(data.get("function_types"))
    if types is None or not all(isinstance(t, str) for t in types):
        errors["function_types"] = _t("Stuur de soorten als lijst.", lang)
    elif not types:
        errors["function_types"] = _t("Kies minstens één soort plek.", lang)
    elif unknown := [t for t in types if t not in FUNCTION_TYPES]:
        errors["function_types"] = _t(
            "Onbekende soort: {unknown}. Kies uit {known}.",
            lang,
            unknown=", ".join(t if text_problem(t) is None else "?" for t in unknown),
            known=", ".join(FUNCTION_TYPES),
        )
    else:
        clean["function_types"] = [key for key in FUNCTION_TYPES if key in types]
    conditions = _as_list(data.get("conditions"))
    if conditions is None or not all(isinstance(c, str) and c in CONDITIONS for c in conditions):
        errors["conditions"] = _t(
            "Onbekende voorwaarde. Kies uit {known}.", lang, known=", ".join(CONDITIONS)
        )
    else:
        clean["conditions"] = [key for key in CONDITIONS if key in conditions]


def _symbol(data, clean, errors, lang) -> None:
    icon = _text(data, "symbol_icon", errors, lang) or None
    if icon is not None and not is_icon(icon):
        errors["symbol_icon"] = _t("Dit symbool bestaat niet. Kies een symbool uit de lijst.", lang)
    clean["symbol_icon"] = icon


def _people(data, clean, errors, lang) -> None:
    role = _text(data, "contributor_role", errors, lang) or "bewoner"
    if role not in ROLES and "contributor_role" not in errors:
        errors["contributor_role"] = _t("Kies bewoner, opbouwwerker of student.", lang)
    clean["contributor_role"] = role
    for field in ("show_name", "private"):
        raw = data.get(field)
        if raw is None or raw == "" or isinstance(raw, bool):
            clean[field] = bool(raw)
        elif str(raw).strip().lower() in _TRUE | _FALSE:
            clean[field] = str(raw).strip().lower() in _TRUE
        else:
            errors[field] = _t("Kies ja of nee.", lang)


def _access(data, clean, errors, lang) -> None:
    for field in TRISTATE_FIELDS:
        raw = data.get(field)
        if raw is None or raw == "" or isinstance(raw, bool):
            clean[field] = raw if isinstance(raw, bool) else None
        elif str(raw).strip().lower() in _TRUE:
            clean[field] = True
        elif str(raw).strip().lower() in _FALSE:
            clean[field] = False
        else:
            errors[field] = _t("Kies ja, nee of weet ik niet.", lang)


def _consent(data, clean, errors, lang) -> None:
    raw = data.get("consent")
    if raw is True or (isinstance(raw, str) and raw.strip().lower() in _TRUE):
        return
    errors["consent"] = _t(
        "Geef toestemming om de plek op de kaart te zetten, anders kunnen we hem niet opslaan.",
        lang,
    )
