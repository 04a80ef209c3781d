"""The accessibility statement (toegankelijkheidsverklaring)."""

from __future__ import annotations

from flask import current_app, render_template

from .blueprint import bp


@bp.get("/toegankelijkheid")
def accessibility():
    """The statement in the format Dutch public bodies publish: standard, status, gaps, contact."""
    return render_template(
        "toegankelijkheid.html", contact=current_app.config.get("ACCESSIBILITY_CONTACT")
    )
