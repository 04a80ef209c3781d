"""Built-in symbols that residents can pick for a meaningful place.

Each symbol is a small SVG drawing in ``plekken/static/symbols/<key>.svg``: a white
disc with a dark drawing (and at most one accent colour), so it reads on any base map
at 32 px. Keys are stored in the database and used in the API; labels are shown to
people. Residents can also upload their own picture instead, see :mod:`plekken.media`.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ICONS",
    "DEFAULT_ICON",
    "SYMBOLS_DIR",
    "icon_label",
    "icon_path",
    "is_icon",
]

#: Folder with the SVG files of the built-in symbols.
SYMBOLS_DIR: Path = Path(__file__).resolve().parent / "static" / "symbols"

#: Built-in symbols: key -> (Dutch label, English label).
ICONS: dict[str, tuple[str, str]] = {
    "zon": ("Zon", "Sun"),
    "boom": ("Boom", "Tree"),
    "bankje": ("Bankje", "Bench"),
    "huis": ("Huis", "House"),
    "hart": ("Hart", "Heart"),
    "koffie": ("Koffie", "Coffee"),
    "boek": ("Boek", "Book"),
    "bal": ("Bal", "Ball"),
    "bloem": ("Bloem", "Flower"),
    "handen": ("Handen", "Hands"),
    "muziek": ("Muziek", "Music"),
    "fiets": ("Fiets", "Bicycle"),
    "winkelmand": ("Winkelmand", "Shopping basket"),
    "schommel": ("Schommel", "Swing"),
    "ster": ("Ster", "Star"),
    "paden": ("Paden", "Crossing paths"),
    "kiemplant": ("Kiemplant", "Sprout"),
    "water": ("Water", "Water"),
}

#: Symbol used when a place has no symbol of its own.
DEFAULT_ICON: str = "ster"


def is_icon(key: object) -> bool:
    """Return whether ``key`` is the key of a built-in symbol.

    Parameters
    ----------
    key : object
        Candidate key, for example from a form or an API request.

    Returns
    -------
    bool
        ``True`` for a known key, ``False`` for anything else (also for non-strings).

    Examples
    --------
    >>> is_icon("zon"), is_icon("Zon"), is_icon(None)
    (True, False, False)
    """
    return isinstance(key, str) and key in ICONS


def icon_label(key: str, lang: str = "nl") -> str:
    """Return the label of the built-in symbol ``key`` in ``lang`` ("nl" or "en").

    Parameters
    ----------
    key : str
        Key of a built-in symbol, see :data:`ICONS`.
    lang : str, default "nl"
        ``"en"`` for English; any other value gives Dutch.

    Returns
    -------
    str
        The label.

    Raises
    ------
    KeyError
        If ``key`` is not a built-in symbol.

    Examples
    --------
    >>> icon_label("paden"), icon_label("paden", "en")
    ('Paden', 'Crossing paths')
    """
    entry = ICONS[key]
    return entry[1] if lang == "en" else entry[0]


def icon_path(key: str) -> Path:
    """Return the path of the SVG file of the built-in symbol ``key``.

    Parameters
    ----------
    key : str
        Key of a built-in symbol, see :data:`ICONS`.

    Returns
    -------
    pathlib.Path
        Absolute path to ``plekken/static/symbols/<key>.svg``.

    Raises
    ------
    KeyError
        If ``key`` is not a built-in symbol. Only known keys are turned into paths, so
        user input can never point outside the symbols folder.

    Examples
    --------
    >>> icon_path("zon").name
    'zon.svg'
    """
    if not is_icon(key):
        raise KeyError(key)
    return SYMBOLS_DIR / f"{key}.svg"
