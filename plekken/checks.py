"""Checks of raw input shared by the form, the API and the query parameters (no Flask).

Text is a ``str`` without unpaired surrogates and without control characters other than
newline and tab (a carriage return is read as a newline, as browsers send ``\\r\\n``).
Numbers are finite and written in plain ASCII. JSON bodies are nested only a few levels deep.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

__all__ = [
    "TextProblem",
    "MAX_JSON_DEPTH",
    "clean_text",
    "text_problem",
    "parse_number",
    "parse_integer",
    "json_depth",
    "loads_bounded",
    "JSONTooDeep",
]

#: How deeply a JSON body may nest objects and arrays (a place needs two levels).
MAX_JSON_DEPTH = 8

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
# C0 and C1 control characters other than tab (\x09) and newline (\x0a).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class TextProblem(ValueError):
    """Why a value is not acceptable text: ``"type"``, ``"surrogate"`` or ``"control"``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class JSONTooDeep(ValueError):
    """A JSON document nested deeper than allowed (or too deep to parse at all)."""


def text_problem(value: str) -> str | None:
    """The reason ``value`` is not clean text, or ``None``.

    >>> text_problem("Goffertpark"), text_problem("a\\x00b"), text_problem("\\ud800")
    (None, 'control', 'surrogate')
    """
    if _SURROGATE.search(value):
        return "surrogate"
    if _CONTROL.search(value.replace("\r", "")):
        return "control"
    return None


def clean_text(value: Any) -> str:
    """``value`` as stripped text with ``\\r\\n`` read as ``\\n``; ``None`` is ``""``.

    Raises :class:`TextProblem` for anything that is not a ``str`` (booleans, numbers,
    lists, objects), for unpaired surrogates and for control characters.

    >>> clean_text("  Het bankje\\r\\nbij de vijver ")
    'Het bankje\\nbij de vijver'
    >>> clean_text(True)
    Traceback (most recent call last):
    ...
    plekken.checks.TextProblem: type
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TextProblem("type")
    reason = text_problem(value)
    if reason:
        raise TextProblem(reason)
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_number(value: Any) -> float | None:
    """A finite number from a JSON number or a plain ASCII decimal string, else ``None``.

    Booleans, ``"inf"``, ``"nan"``, ``1e309``, full-width digits and ``"1_000"`` are refused.

    >>> parse_number("5.85"), parse_number(" -3e2 "), parse_number("５.８５"), parse_number(True)
    (5.85, -300.0, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        value = value.strip()
    elif not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer with hundreds of digits
        return None
    return number if math.isfinite(number) else None


def parse_integer(value: Any) -> int | None:
    """An integer written in plain ASCII digits, else ``None``.

    >>> parse_integer("12"), parse_integer("²"), parse_integer("1.0")
    (12, None, None)
    """
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    return None


def json_depth(value: Any) -> int:
    """How deeply objects and arrays nest in ``value`` (a scalar is 0), without recursion.

    >>> json_depth({"a": [1, {"b": []}]})
    4
    """
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, depth = todo.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            todo.extend((child, depth + 1) for child in children)
    return deepest


def loads_bounded(text: str | bytes, max_depth: int = MAX_JSON_DEPTH, **kwargs: Any) -> Any:
    """``json.loads`` that refuses documents nested deeper than ``max_depth``.

    Raises :class:`JSONTooDeep` (a ``ValueError``) instead of letting a ``RecursionError``
    escape, and ``ValueError`` for text that is not JSON.
    """
    try:
        value = json.loads(text, **kwargs)
    except RecursionError as exc:
        raise JSONTooDeep(f"nested deeper than {max_depth} levels") from exc
    if json_depth(value) > max_depth:
        raise JSONTooDeep(f"nested deeper than {max_depth} levels")
    return value
