"""The blueprint of the JSON API; its views register on it."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
