"""Endpoints for whoever runs the app: ``/healthz`` (the process answers) and ``/readyz``
(the database is reachable and its schema is at the newest migration)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from . import migrate
from .errorpages import DATABASE_ERRORS

__all__ = ["bp"]

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Alive: answers without touching the database."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready: the database answers and no migration is waiting; else 503 with the reason."""
    engine = current_app.extensions["plekken_engine"]
    try:
        current = migrate.current_revision(engine)
    except DATABASE_ERRORS as exc:
        return _not_ready({"database": "unreachable", "detail": type(exc).__name__})
    head = migrate.head_revision(engine)
    if current != head:
        return _not_ready({"database": "ok", "migrations": f"at {current}, newest is {head}"})
    return jsonify(status="ready", database="ok", migration=current)


def _not_ready(checks: dict):
    response = jsonify(status="not ready", **checks)
    response.status_code = 503
    response.headers["Retry-After"] = str(current_app.config.get("RETRY_AFTER", 30))
    return response
