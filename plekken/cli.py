"""The ``plekken`` command: the app's commands (:mod:`plekken.commands`) on a Flask group."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from . import create_app

__all__ = ["main"]


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """plekken: meaningful places on a wijk map."""
