"""Pages for people: the list of wijken and the wijk map with the add-place form."""

from . import accounts, owners, statement, views, where  # noqa: F401  (register the views)
from .blueprint import bp

__all__ = ["bp"]
