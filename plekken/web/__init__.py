"""Pages for people: the list of wijken and the wijk map with the add-place form."""

from . import (  # noqa: F401
    accounts,
    compare,
    doing,
    exports,
    owners,
    statement,
    views,
    where,
    workshop_rooms,
    workshops,
)
from .blueprint import bp

__all__ = ["bp"]
