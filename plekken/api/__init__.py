"""JSON API, version 1: areas and places as GeoJSON (RFC 7946), and their analysis."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import analysis, views  # noqa: E402, F401
