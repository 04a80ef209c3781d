"""Query parameters of the analysis endpoints: parsed, checked, one message per wrong field.

A :class:`QueryParams` reads a werkzeug ``MultiDict`` (``request.args``) and collects every
problem before :meth:`QueryParams.check` raises them together as a ValidationError.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..analysis import ANY
from ..checks import parse_integer, parse_number
from ..errors import ValidationError
from ..http import gettext
from ..vocab import FUNCTION_TYPES

__all__ = ["QueryParams", "DISTANCE_RANGE", "CELL_RANGE", "TYPE_CHOICES"]

DISTANCE_RANGE = (50, 5000)
CELL_RANGE = (25, 1000)
MIN_PLACES_RANGE = (1, 1000)
INHABITANTS_RANGE = (0, 100_000)
MAX_DISTANCES = 5
TYPE_CHOICES = (*FUNCTION_TYPES, ANY)
_TRUE, _FALSE = ("1", "true", "ja", "yes"), ("0", "false", "nee", "no")
#: Parameters every endpoint accepts besides its own: the language of the messages.
COMMON = ("lang",)


def _kies(allowed: Iterable[str]) -> str:
    return gettext("Kies uit: {allowed}.", allowed=", ".join(allowed))


class QueryParams:
    """Checked values of an analysis request; wrong ones are gathered in ``errors``."""

    def __init__(self, args: Any) -> None:
        self.args = args
        self.errors: dict[str, str] = {}
        self.known: set[str] = set(COMMON)

    def _get(self, name: str) -> str:
        """The (first) value of ``name``, stripped; ``""`` when absent."""
        self.known.add(name)
        return (self.args.get(name) or "").strip()

    def _parts(self, name: str) -> list[str]:
        """Values of ``name``, repeated (``?a=1&a=2``) or comma separated (``?a=1,2``)."""
        self.known.add(name)
        values = self.args.getlist(name) if hasattr(self.args, "getlist") else [self.args[name]]
        return [part.strip() for value in values for part in value.split(",") if part.strip()]

    def scope(self) -> dict[str, Any]:
        """``wijk`` or ``gemeente`` (exactly one), ``level`` and ``include_pending``."""
        wijk = self._get("wijk") or None
        gemeente = self._get("gemeente") or None
        if bool(wijk) == bool(gemeente):
            message = gettext("Geef een wijk óf een gemeente op (precies één van beide).")
            self.errors.update(wijk=message, gemeente=message)
        return {
            "wijk": wijk,
            "gemeente": gemeente,
            "level": self.choice("level", ("buurt", "wijk"), "buurt"),
            "include_pending": self.flag("include_pending"),
        }

    def choice(self, name: str, allowed: Iterable[str], default: str) -> str:
        allowed = tuple(allowed)
        value = self._get(name)
        if value and value not in allowed:
            self.errors[name] = _kies(allowed)
        return value if value in allowed else default

    def flag(self, name: str, default: bool = False) -> bool:
        value = self._get(name).lower()
        if value and value not in _TRUE + _FALSE:
            self.errors[name] = gettext("Gebruik 0 (nee) of 1 (ja).")
        return value in _TRUE if value else default

    def _number(self, name: str, text: str, low: float, high: float) -> float | None:
        number = parse_number(text)
        if number is None or not low <= number <= high:
            self.errors[name] = gettext(
                "Dit moet een getal tussen {low} en {high} meter zijn.", low=low, high=high
            )
            return None
        return number

    def metres(self, name: str, bounds: tuple[int, int], default: float) -> float:
        """One number of metres within ``bounds``."""
        parts = self._parts(name)
        if len(parts) > 1:
            self.errors[name] = gettext("Geef hier één waarde.")
            return default
        return (self._number(name, parts[0], *bounds) if parts else None) or default

    def distances(self, name: str = "distance", default: Iterable[float] = (400,)) -> list[float]:
        """One or more distances in metres (comma separated), at most :data:`MAX_DISTANCES`."""
        parts = self._parts(name)
        if len(parts) > MAX_DISTANCES:
            self.errors[name] = gettext("Geef hoogstens {n} afstanden.", n=MAX_DISTANCES)
            return list(default)
        numbers = [self._number(name, part, *DISTANCE_RANGE) for part in parts]
        if name in self.errors:
            return list(default)
        return sorted(set(numbers)) or list(default)

    def types(self, name: str = "type", many: bool = True) -> list[str] | None:
        """Function types (``any`` for all together); ``None`` when not given."""
        parts = self._parts(name)
        if any(part not in TYPE_CHOICES for part in parts):
            self.errors[name] = _kies(TYPE_CHOICES)
            return None
        if len(parts) > 1 and not many:
            self.errors[name] = gettext("Geef hier één waarde.")
            return None
        return list(dict.fromkeys(parts)) or None

    def integer(self, name: str, bounds: tuple[int, int], default: int) -> int:
        value = self._get(name)
        if not value:
            return default
        low, high = bounds
        number = parse_integer(value)
        if number is None or not low <= number <= high:
            self.errors[name] = gettext(
                "Dit moet een heel getal tussen {low} en {high} zijn.", low=low, high=high
            )
            return default
        return number

    def check(self) -> None:
        """Raise the gathered problems, and every parameter nobody asked for, as one
        :class:`ValidationError`."""
        for name in self.args:
            if name not in self.known:
                self.errors[name] = gettext(
                    "Deze parameter bestaat hier niet. Wel: {known}.",
                    known=", ".join(sorted(self.known - set(COMMON))),
                )
        if self.errors:
            raise ValidationError(self.errors)
