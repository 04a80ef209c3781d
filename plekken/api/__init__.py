"""JSON API, version 1: areas and places as GeoJSON (RFC 7946)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import views  # noqa: E402, F401
