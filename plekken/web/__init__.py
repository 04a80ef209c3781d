"""Pages for people: the list of wijken and the wijk map with the add-place form."""

from flask import Blueprint

bp = Blueprint("web", __name__)

from . import views  # noqa: E402, F401
