"""The blueprint of the pages; its views register on it."""

from flask import Blueprint

bp = Blueprint("web", __name__)
