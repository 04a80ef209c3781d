"""JSON API, version 1: areas and places as GeoJSON (RFC 7946), and their analysis."""

from . import analysis, doing, endorsements, exports, manage, views, workshops  # noqa: F401
from .blueprint import bp

__all__ = ["bp"]
