"""Commands for accounts: ``plekken create-user`` and ``plekken create-token``."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from . import migrate
from .db import get_session
from .errors import ValidationError
from .services.accounts import MIN_PASSWORD, create_token, create_user
from .services.visibility import PROFESSIONAL_ROLES

__all__ = ["create_token_command", "create_user_command"]


def _password() -> str:
    """Asked twice on a terminal; otherwise one line from standard input."""
    if sys.stdin.isatty():
        return click.prompt(
            f"Password (at least {MIN_PASSWORD} characters)",
            hide_input=True,
            confirmation_prompt=True,
        )
    return sys.stdin.readline().rstrip("\r\n")


def _fail(exc: ValidationError) -> click.ClickException:
    return click.ClickException("; ".join(f"{k}: {v}" for k, v in exc.errors.items()))


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(PROFESSIONAL_ROLES), required=True)
@click.option(
    "--gemeente",
    "gemeenten",
    multiple=True,
    help="Gemeente code this person works in (GM0268); repeat for more.",
)
@with_appcontext
def create_user_command(email: str, role: str, gemeenten: tuple[str, ...]) -> None:
    """Add an account (or set a new password, role and gemeenten of an existing one)."""
    migrate.upgrade(current_app.extensions["plekken_engine"])
    try:
        user = create_user(get_session(), email, _password(), role, gemeenten, lang="en")
    except ValidationError as exc:
        raise _fail(exc) from exc
    where = ", ".join(user.gemeenten) or "every gemeente"
    click.echo(f"Account {user.email} ({user.role}, {where}) ready.")


@click.command("create-token")
@click.argument("email")
@with_appcontext
def create_token_command(email: str) -> None:
    """Print a new personal API token (Authorization: Bearer <token>); only its hash is kept."""
    try:
        token = create_token(get_session(), email, lang="en")
    except ValidationError as exc:
        raise _fail(exc) from exc
    click.echo(token)
