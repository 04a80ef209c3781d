"""Command line: ``plekken <command>`` (or ``flask --app plekken <command>``)."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from . import migrate, storage
from .db import backend_name, get_session
from .errors import ValidationError

__all__ = ["main", "init_app"]

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"


def _engine():
    return current_app.extensions["plekken_engine"]


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database schema, or upgrade it to the newest version."""
    migrate.upgrade(_engine())
    click.echo(
        f"Database ready ({backend_name(_engine())}, schema {migrate.current_revision(_engine())})."
    )


def _import(path: Path, gemeente: str | None, level: str, layer: str | None) -> dict:
    from .io.cbs import read_cbs_areas

    frame = read_cbs_areas(path, gemeente=gemeente, level=level, layer=layer)
    session = get_session()
    counts = storage.upsert_areas(session, frame, source=path.name)
    session.commit()
    counts["levels"] = frame["level"].value_counts().to_dict()
    return counts


@click.command("import-areas")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gemeente", help="Only this gemeente: code (GM0268) or name (Nijmegen).")
@click.option(
    "--level",
    type=click.Choice(["auto", "gemeente", "wijk", "buurt"]),
    default="auto",
    show_default=True,
    help="Which areas to read.",
)
@click.option("--layer", help="Layer of a GeoPackage (default: every layer it recognises).")
@with_appcontext
def import_areas_command(path: Path, gemeente: str | None, level: str, layer: str | None) -> None:
    """Import CBS wijk/buurt boundaries (GeoPackage, Shapefile or GeoJSON)."""
    from .io.cbs import CBSFormatError

    migrate.upgrade(_engine())
    try:
        counts = _import(path, gemeente, level, layer)
    except CBSFormatError as exc:
        raise click.ClickException(str(exc)) from exc
    levels = ", ".join(f"{n} {lvl}" for lvl, n in sorted(counts["levels"].items()))
    click.echo(f"Imported {levels} from {path.name}: "
               f"{counts['created']} new, {counts['updated']} updated.")  # fmt: skip


def _load_demo_places(path: Path) -> int:
    from .places import add_place

    session = get_session()
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"][:2]
        data = {**feature["properties"], "lon": lon, "lat": lat, "consent": True}
        try:
            add_place(session, data)
        except ValidationError as exc:
            raise click.ClickException(f"{feature['properties'].get('name')}: {exc}") from exc
    return len(features)


@click.command("load-demo")
@click.option(
    "--path",
    "demo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEMO_DIR,
    show_default=True,
    help="Folder with the demo files.",
)
@click.option("--force", is_flag=True, help="Add the demo places even if places exist.")
@with_appcontext
def load_demo_command(demo_dir: Path, force: bool) -> None:
    """Load the demo wijken, buurten and places (once)."""
    if not (demo_dir / "places.geojson").exists():
        raise click.ClickException(f"No demo data in {demo_dir}.")
    migrate.upgrade(_engine())
    for name in ("wijken.geojson", "buurten.geojson"):
        _import(demo_dir / name, None, "auto", None)
    session = get_session()
    if storage.count_places(session, statuses=("published", "pending", "hidden")) and not force:
        click.echo("Demo areas loaded; places already present, none added.")
        return
    click.echo(f"Demo loaded: {_load_demo_places(demo_dir / 'places.geojson')} places.")


def init_app(app) -> None:
    for command in (init_db_command, import_areas_command, load_demo_command):
        app.cli.add_command(command)


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """plekken: meaningful places on a wijk map."""
