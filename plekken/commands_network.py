"""``plekken import-network``: read the walking network once and keep it for the analysis."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .db import get_session
from .errors import NotFoundError, ValidationError
from .http import network_folder

__all__ = ["import_network_command"]


@click.command("import-network")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--gemeente",
    help="Keep only the streets of this gemeente (code GM0268 or name), with 1 km around it.",
)
@with_appcontext
def import_network_command(path: Path, gemeente: str | None) -> None:
    """Read the walkable streets of an OpenStreetMap file (.osm.pbf or .osm) and keep them,
    so the analysis can measure walking distance along streets."""
    from .services.network import import_network

    if not path.name.lower().endswith((".osm", ".pbf")):
        raise click.BadParameter("use an OpenStreetMap .osm.pbf or .osm file", param_hint="PATH")
    try:
        about = import_network(get_session(), path, network_folder(), gemeente)
    except NotFoundError as exc:
        raise click.BadParameter(
            f"{exc.args[0]} is not in the database; import its areas with "
            "'plekken import-areas' first",
            param_hint="--gemeente",
        ) from exc
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    except (ValueError, OSError, RuntimeError) as exc:
        raise click.ClickException(f"Cannot read the network {path.name}: {exc}") from exc
    where = f" of gemeente {about['gemeente']}" if about["gemeente"] else ""
    click.echo(
        f"Walking network{where} kept: {about['street_km']} km of street in "
        f"{about['segments']} segments; {about['pieces_set_aside']} cut-off pieces "
        f"({about['set_aside_m']} m) set aside."
    )
