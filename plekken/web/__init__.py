"""Pages for people: the list of wijken and the wijk map with the add-place form."""

from . import accounts, exports, owners, views  # noqa: F401  (register the views)
from .blueprint import bp

__all__ = ["bp"]
