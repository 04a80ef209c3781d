"""``plekken workshop create``: a workshop for a wijk, with its join code and link."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app, url_for
from flask.cli import with_appcontext

from . import migrate, storage
from .db import get_session
from .errors import ValidationError
from .services.accounts import viewer_of
from .services.workshops import create_workshop

__all__ = ["workshop_group"]


@click.group("workshop")
def workshop_group() -> None:
    """Workshops: residents add places to one wijk, joined by a short code."""


#: Where ``scripts/run.sh`` serves, when PLEKKEN_PUBLIC_URL does not say otherwise.
LOCAL_URL = "http://127.0.0.1:5000"


def _join_url(code: str) -> str:
    base = (current_app.config.get("PUBLIC_URL") or LOCAL_URL).rstrip("/")
    with current_app.test_request_context():
        return base + url_for("web.join_workshop", code=code)


@workshop_group.command("create")
@click.option("--wijk", required=True, help="Code of the wijk (WK026805).")
@click.option("--title", required=True, help='Title, for example "De Goffert, 10 december".')
@click.option("--owner", required=True, metavar="EMAIL", help="Account of the opbouwwerker.")
@click.option("--date", "held_on", type=click.DateTime(["%Y-%m-%d"]), help="Day (default today).")
@click.option("--closes", type=click.DateTime(["%Y-%m-%d %H:%M"]),
              help='Stop taking places at this local time, "2026-12-10 21:00".')  # fmt: skip
@click.option("--no-moderation", is_flag=True, help="Show places at once, without approval.")
@click.option("--question", help="The question asked (default: the De Goffert question).")
@click.option("--residents-write", is_flag=True,
              help="Residents who join may write findings and actions too.")  # fmt: skip
@with_appcontext
def create_command(
    wijk, title, owner, held_on, closes, no_moderation, question, residents_write
) -> None:
    """Create a workshop and print its join code and join URL."""
    migrate.upgrade(current_app.extensions["plekken_engine"])
    session = get_session()
    user = storage.user_by_email(session, owner.strip().lower())
    if user is None:
        raise click.BadParameter(
            f"no account {owner}; add it with create-user", param_hint="--owner"
        )
    try:
        workshop = create_workshop(
            session, viewer_of(user), wijk=wijk, title=title,
            held_on=held_on.date() if held_on else date.today(),
            # click gives a naive time: astimezone() reads it as this computer's local time
            closes_at=closes.astimezone() if closes else None,
            moderated=not no_moderation, question=question, lang="en",
            residents_write=residents_write,
        )  # fmt: skip
    except ValidationError as exc:
        raise click.ClickException("; ".join(f"{k}: {v}" for k, v in exc.errors.items())) from exc
    click.echo(f"Workshop {workshop.title!r} in {workshop.wijk_code}")
    click.echo(f"Join code: {workshop.code}")
    click.echo(f"Join URL:  {_join_url(workshop.code)}")
    if not current_app.config.get("PUBLIC_URL"):
        click.echo("Set PLEKKEN_PUBLIC_URL to the address phones reach (the join page shows it).")
