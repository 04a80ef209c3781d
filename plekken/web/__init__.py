"""Pages for people: the list of wijken and the wijk map with the add-place form."""

from . import accounts, compare, exports, owners, statement, views, where, workshop_rooms, workshops  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
