"""JSON API, version 1: areas and places as GeoJSON (RFC 7946), and their analysis."""

from . import analysis, exports, manage, views  # noqa: F401  (register the views)
from .blueprint import bp

__all__ = ["bp"]
