"""plekken: pin meaningful places on a wijk map and see what a neighbourhood has and lacks."""

from __future__ import annotations

import os
from importlib.metadata import version
from typing import Any

from flask import Flask

__all__ = ["create_app"]
__version__ = version("plekken")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory.

    Settings come from :mod:`plekken.config`, then environment variables ``PLEKKEN_*``
    (for example ``PLEKKEN_DATABASE_URL``), then ``test_config``.
    """
    app = Flask(__name__, instance_path=os.environ.get("PLEKKEN_INSTANCE_PATH") or None)
    app.config.from_object("plekken.config")
    app.config.from_prefixed_env("PLEKKEN")
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False

    from . import auth, commands, db, errorpages, guards, health, http, protect
    from .api import bp as api_bp
    from .web import bp as web_bp

    db.init_app(app)
    http.init_app(app)
    errorpages.init_app(app)
    guards.init_app(app)
    app.register_blueprint(web_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(health.bp)
    auth.init_app(app)
    protect.init_app(app, api_bp)
    commands.init_app(app)
    return app
