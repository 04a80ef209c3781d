"""Fixed vocabularies of plekken, with Dutch and English labels.

These are the words of the "betekenisvolle plekken" exercise. Keys are stored in the
database and used in the API; labels are shown to people.
"""

from __future__ import annotations

__all__ = [
    "ACTION_STATUS_LABELS",
    "FUNCTION_TYPES",
    "CONDITIONS",
    "ROLES",
    "STATUSES",
    "ACCESS_FIELDS",
    "LEVELS",
    "AGE_BANDS",
    "AGE_GROUPS",
    "label",
]

#: key -> (Dutch label, English label, Dutch one-line explanation, English explanation)
FUNCTION_TYPES: dict[str, tuple[str, str, str, str]] = {
    "functioneel": (
        "Functioneel",
        "Functional",
        "Je gaat erheen voor iets wat je nodig hebt, zoals een winkel of de opvang.",
        "You go there for something you need, such as a shop or day care.",
    ),
    "verbindend": (
        "Verbindend",
        "Connecting",
        "Je ontmoet er andere mensen, zoals in een buurthuis, op een bankje of schoolplein.",
        "You meet other people there, such as a community centre, a bench or a schoolyard.",
    ),
    "ideologisch": (
        "Ideologisch",
        "Ideological",
        "De plek staat voor waarden, zoals een biologische buurttuin of werken aan gezondheid.",
        "The place stands for values, such as an organic community garden or working on health.",
    ),
}

#: Colours per function type, used on the map and in the legend (colour-blind safe).
FUNCTION_TYPE_COLOURS: dict[str, str] = {
    "functioneel": "#0072B2",
    "verbindend": "#D55E00",
    "ideologisch": "#009E73",
}

#: Social-quality conditions a place supports: key -> (Dutch, English).
CONDITIONS: dict[str, tuple[str, str]] = {
    "sociaal_economische_zekerheid": ("Sociaal-economische zekerheid", "Socio-economic security"),
    "sociale_inclusie": ("Sociale inclusie", "Social inclusion"),
    "sociale_cohesie": ("Sociale cohesie", "Social cohesion"),
    "sociale_empowerment": ("Sociale empowerment", "Social empowerment"),
}

#: Contributor roles: key -> (Dutch, English).
ROLES: dict[str, tuple[str, str]] = {
    "bewoner": ("Bewoner", "Resident"),
    "opbouwwerker": ("Opbouwwerker", "Community worker"),
    "student": ("Student", "Student"),
}

#: Publication status of a place: key -> (Dutch, English).
STATUSES: dict[str, tuple[str, str]] = {
    "published": ("Gepubliceerd", "Published"),
    "pending": ("Wacht op controle", "Pending review"),
    "hidden": ("Verborgen", "Hidden"),
}

#: An action's progress: key -> (Dutch, English).
ACTION_STATUS_LABELS = {
    "idee": ("Idee", "Idea"),
    "gepland": ("Gepland", "Planned"),
    "bezig": ("Bezig", "Under way"),
    "gedaan": ("Gedaan", "Done"),
    "gestopt": ("Gestopt", "Stopped"),
}

#: Accessibility of the place itself: key -> (Dutch, English).
ACCESS_FIELDS: dict[str, tuple[str, str]] = {
    "access_free_entry": ("Vrij toegankelijk", "Free to enter"),
    "access_costs": ("Kost geld", "Costs money"),
    "access_wheelchair": ("Rolstoeltoegankelijk", "Wheelchair accessible"),
    "access_opening_hours": ("Openingstijden", "Opening hours"),
    "access_notes": ("Toegankelijkheid, toelichting", "Accessibility notes"),
}

#: Area levels of the CBS wijk- en buurtkaart, from large to small.
LEVELS: tuple[str, ...] = ("gemeente", "wijk", "buurt")

#: Age bands a contributor may give (optional): key -> (Dutch, English).
AGE_BANDS: dict[str, tuple[str, str]] = {
    "<18": ("Jonger dan 18", "Under 18"),
    "18-29": ("18 tot 30", "18 to 29"),
    "30-44": ("30 tot 45", "30 to 44"),
    "45-64": ("45 tot 65", "45 to 64"),
    "65+": ("65 of ouder", "65 or older"),
}

#: The age groups of the CBS wijk- en buurtkaart, stored per area as counts: column ->
#: (Dutch, English).
AGE_GROUPS: dict[str, tuple[str, str]] = {
    "age_00_14": ("0 tot 15", "0 to 14"),
    "age_15_24": ("15 tot 25", "15 to 24"),
    "age_25_44": ("25 tot 45", "25 to 44"),
    "age_45_64": ("45 tot 65", "45 to 64"),
    "age_65_plus": ("65 of ouder", "65 or older"),
}


def label(vocabulary: dict, key: str, lang: str = "nl") -> str:
    """Return the label of ``key`` in ``vocabulary`` for ``lang`` ("nl" or "en").

    Examples
    --------
    >>> label(FUNCTION_TYPES, "verbindend", "en")
    'Connecting'
    """
    entry = vocabulary[key]
    return entry[1] if lang == "en" else entry[0]
