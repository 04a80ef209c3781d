"""The codebook of an export: every field and its values, the function types and the four
social-quality conditions in plain words, the sources and their licences, and what the export
holds (filters, date, software version, audience).

Texts are Dutch and English side by side, like :mod:`plekken.vocab`; ``lang`` picks one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...vocab import CONDITIONS, FUNCTION_TYPES, label

__all__ = [
    "CONDITION_TEXTS",
    "FIELDS",
    "SOURCES",
    "codebook_markdown",
    "codebook_rows",
    "field_rows",
]

#: The four conditions of social quality in plain words: key -> (Dutch, English).
CONDITION_TEXTS: dict[str, tuple[str, str]] = {
    "sociaal_economische_zekerheid": (
        "Mensen hebben er wat ze nodig hebben om rond te komen: werk, inkomen, eten, hulp.",
        "People find what they need to get by: work, income, food, help.",
    ),
    "sociale_inclusie": (
        "Iedereen kan er meedoen en hoort erbij, wie je ook bent.",
        "Everyone can take part and belongs there, whoever they are.",
    ),
    "sociale_cohesie": (
        "Mensen leren elkaar er kennen, vertrouwen elkaar en helpen elkaar.",
        "People get to know, trust and help each other there.",
    ),
    "sociale_empowerment": (
        "Mensen krijgen er ruimte en steun om zelf iets te doen en te beslissen.",
        "People get room and support to act and decide for themselves.",
    ),
}

#: Fields of the places table: name -> (type, Dutch description, English description).
FIELDS: dict[str, tuple[str, str, str]] = {
    "id": ("integer", "Nummer van de plek in plekken.", "Number of the place in plekken."),
    "name": ("text", "Naam van de plek.", "Name of the place."),
    "quote": ("text", "Citaat: waarom de plek ertoe doet (hoogstens 280 tekens).",
              "Quote: why the place matters (at most 280 characters)."),
    "story": ("text", "Het verhaal bij de plek.", "The story of the place."),
    "function_types": ("text", "Functietypen, gescheiden door ';' (zie hieronder).",
                       "Function types, separated by ';' (see below)."),
    "conditions": ("text", "Voorwaarden van sociale kwaliteit, gescheiden door ';'.",
                   "Conditions of social quality, separated by ';'."),
    "symbol": ("text", "Het ingebouwde symbool, of 'eigen_afbeelding' voor een eigen tekening of "
               "foto.", "The built-in symbol, or 'eigen_afbeelding' for an own drawing or photo."),
    "symbol_file": ("text", "Bestand van het symbool in de ZIP (map symbols/).",
                    "File of the symbol in the ZIP (folder symbols/)."),
    "gemeente_code": ("text", "CBS-code van de gemeente (GM....).", "CBS code of the gemeente."),
    "wijk_code": ("text", "CBS-code van de wijk (WK......).", "CBS code of the wijk."),
    "wijk_name": ("text", "Naam van de wijk.", "Name of the wijk."),
    "buurt_code": ("text", "CBS-code van de buurt (BU........).", "CBS code of the buurt."),
    "buurt_name": ("text", "Naam van de buurt.", "Name of the buurt."),
    "status": ("text", "published (openbaar), pending (wacht op controle) of hidden (verborgen).",
               "published, pending (waiting for review) or hidden."),
    "contributor_role": ("text", "bewoner, opbouwwerker of student.",
                         "bewoner (resident), opbouwwerker (community worker) or student."),
    "contributor_name": ("text", "Schuilnaam van de bijdrager, alleen als die dat koos.",
                         "Pseudonym of the contributor, only when they chose so; else empty."),
    "private": ("boolean", "'Bij mij thuis': een privéplek.", "'At my home': a private place."),
    "location_coarsened": (
        "boolean", "De plek staat op het midden van haar vak van 250 m (privacy), niet op het "
        "precieze punt.", "The place is at the centre of its 250 m cell (privacy), not at the "
        "exact point."),
    "access_free_entry": ("boolean", "Vrij toegankelijk (leeg: onbekend).",
                          "Free to enter (empty: unknown)."),
    "access_costs": ("boolean", "Kost geld (leeg: onbekend).", "Costs money (empty: unknown)."),
    "access_wheelchair": ("boolean", "Rolstoeltoegankelijk (leeg: onbekend).",
                          "Wheelchair accessible (empty: unknown)."),
    "access_opening_hours": ("text", "Openingstijden.", "Opening hours."),
    "access_notes": ("text", "Toelichting op de toegankelijkheid.", "Notes on accessibility."),
    "created_at": ("date", "Dag waarop de plek is toegevoegd (ISO 8601).",
                   "Day the place was added (ISO 8601)."),
    "updated_at": ("date", "Dag van de laatste wijziging (ISO 8601).",
                   "Day of the last change (ISO 8601)."),
    "lon": ("number", "Lengtegraad, WGS84 (EPSG:4326).", "Longitude, WGS84 (EPSG:4326)."),
    "lat": ("number", "Breedtegraad, WGS84 (EPSG:4326).", "Latitude, WGS84 (EPSG:4326)."),
}  # fmt: skip

#: Data sources and their licences: (Dutch, English).
SOURCES: tuple[tuple[str, str], ...] = (
    (
        "Wijk- en buurtgrenzen en inwonertallen: CBS Wijk- en buurtkaart (Centraal Bureau voor de "
        "Statistiek en Kadaster), licentie CC-BY 4.0.",
        "Wijk and buurt boundaries and inhabitants: CBS Wijk- en buurtkaart (Statistics "
        "Netherlands and Kadaster), licence CC-BY 4.0.",
    ),
    (
        "Plekken, citaten, verhalen en symbolen: de bewoners en professionals die ze in plekken "
        "zetten. Gebruik ze met bronvermelding ('plekken, bewoners van de wijk') en alleen voor "
        "de wijk en voor onderzoek.",
        "Places, quotes, stories and symbols: the residents and professionals who put them in "
        "plekken. Use them with attribution ('plekken, residents of the wijk') and only for the "
        "wijk and for research.",
    ),
    (
        "Ingebouwde symbolen: plekken, EUPL-1.2.",
        "Built-in symbols: plekken, EUPL-1.2.",
    ),
)


def _pick(texts: tuple[str, str], lang: str) -> str:
    return texts[1] if lang == "en" else texts[0]


def field_rows(lang: str = "nl") -> list[tuple[str, str, str]]:
    """``(field, type, description)`` of every column of the places, in ``lang``.

    Examples
    --------
    >>> ("lon", "number", "Longitude, WGS84 (EPSG:4326).") in field_rows("en")
    True
    """
    rows = [(name, kind, _pick((nl, en), lang)) for name, (kind, nl, en) in FIELDS.items()]
    for key, (_nl, _en, nl_text, en_text) in FUNCTION_TYPES.items():
        text = f"{label(FUNCTION_TYPES, key, lang)}: {_pick((nl_text, en_text), lang)}"
        rows.append((f"type_{key}", "boolean", text))
    for key in CONDITIONS:
        text = f"{label(CONDITIONS, key, lang)}: {_pick(CONDITION_TEXTS[key], lang)}"
        rows.append((f"cond_{key}", "boolean", text))
    return rows


def codebook_rows(metadata: Mapping[str, Any], lang: str = "nl") -> list[tuple[str, str, str]]:
    """The codebook as ``(section, name, text)`` rows, for a sheet or a table."""
    rows = [("export", key, _text(value)) for key, value in metadata.items()]
    rows += [("field", name, f"{kind}: {text}") for name, kind, text in field_rows(lang)]
    rows += [("source", str(number), _pick(texts, lang)) for number, texts in
             enumerate(SOURCES, start=1)]  # fmt: skip
    return rows


def _text(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{key}={_text(item)}" for key, item in value.items()) or "-"
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value) or "-"
    return "-" if value is None else str(value)


_HEADINGS = {
    "title": ("Codeboek van de plekken-export", "Codebook of the plekken export"),
    "export": ("Deze export", "This export"),
    "fields": ("Velden", "Fields"),
    "types": ("Functietypen", "Function types"),
    "conditions": ("Vier voorwaarden van sociale kwaliteit", "Four conditions of social quality"),
    "sources": ("Bronnen en licenties", "Sources and licences"),
}


def codebook_markdown(metadata: Mapping[str, Any], lang: str = "nl") -> str:
    """The codebook as a Markdown document (``codebook.md`` in an export's ZIP)."""
    head = {key: _pick(texts, lang) for key, texts in _HEADINGS.items()}
    lines = [f"# {head['title']}", "", f"## {head['export']}", ""]
    lines += [f"- **{key}**: {_text(value)}" for key, value in metadata.items()]
    lines += ["", f"## {head['fields']}", ""]
    lines += ["| field | type | description |", "| --- | --- | --- |"]
    lines += [f"| `{name}` | {kind} | {text} |" for name, kind, text in field_rows(lang)]
    lines += ["", f"## {head['types']}", ""]
    for key, (_nl, _en, nl_text, en_text) in FUNCTION_TYPES.items():
        lines.append(f"- **{label(FUNCTION_TYPES, key, lang)}** (`{key}`): "
                     f"{_pick((nl_text, en_text), lang)}")  # fmt: skip
    lines += ["", f"## {head['conditions']}", ""]
    lines += [f"- **{label(CONDITIONS, key, lang)}** (`{key}`): {_pick(texts, lang)}"
              for key, texts in CONDITION_TEXTS.items()]  # fmt: skip
    lines += ["", f"## {head['sources']}", ""]
    lines += [f"- {_pick(texts, lang)}" for texts in SOURCES]
    return "\n".join(lines) + "\n"
