"""The commands of ``plekken <command>`` (or ``flask --app plekken <command>``), registered on
the app by :func:`init_app`; :mod:`plekken.cli` is the entry point."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from . import migrate, storage
from .db import get_session
from .errors import ValidationError
from .storage.base import backend_name

__all__ = ["init_app"]

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"
#: Messages of the analysis are in English, like the rest of the command line.
LANG = "en"


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
    from .io.cbs import missing_wijken, read_cbs_areas

    frame = read_cbs_areas(path, gemeente=gemeente, level=level, layer=layer)
    session = get_session()
    derived = frame.iloc[0:0]
    if level in ("auto", "buurt"):
        derived = missing_wijken(frame, storage.area_codes(session, level="wijk"))
    counts = storage.upsert_areas(session, frame, source=path.name, relocate=derived.empty)
    if not derived.empty:
        storage.upsert_areas(session, derived, source=f"{path.name} (buurten samengevoegd)")
    session.commit()
    counts["levels"] = frame["level"].value_counts().to_dict()
    counts["derived"] = len(derived)
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
    if counts["derived"]:
        click.echo(f"The file has no outline of {counts['derived']} wijk(en) its buurten belong "
                   "to; they were made by joining their buurten.")  # fmt: skip


def _load_demo_places(path: Path) -> int:
    from .services.places import add_place
    from .services.visibility import Viewer

    session = get_session()
    # The authored demo is published as it is, names and roles included.
    author = Viewer(role="beheerder")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"][:2]
        data = {**feature["properties"], "lon": lon, "lat": lat, "consent": True}
        data.setdefault("show_name", bool(data.get("contributor_name")))
        try:
            add_place(session, data, status="published", viewer=author)
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


def _read_network(path: Path):
    """A street network from ``.graphml``, ``.osm`` or ``.osm.pbf``, ready for the measures."""
    from .analysis import as_network
    from .analysis.network_io import read_graphml, read_osm

    name = path.name.lower()
    if name.endswith(".graphml"):
        reader = read_graphml
    elif name.endswith((".osm", ".osm.pbf", ".pbf")):
        reader = read_osm
    else:
        raise click.BadParameter("use a .graphml, .osm or .osm.pbf file", param_hint="--network")
    try:
        return as_network(reader(path))
    except (ValueError, OSError, RuntimeError) as exc:
        raise click.ClickException(f"Cannot read the network {path.name}: {exc}") from exc


def _analysis_steps(inputs, options: dict) -> dict:
    """Layer name → a function computing it, in the order they are written."""
    from .services import analysis as service

    distances, types, network = options["distances"], options["types"], options["network"]
    cell = options["cell"]
    return {
        "coverage": lambda: service.compute_coverage(inputs, distances, types, network),
        "surface": lambda: service.compute_surface(inputs, cell, distances, types, "square",
                                                   network, LANG),
        "gaps": lambda: service.compute_gaps_table(inputs, distances, types, network),
        "summary": lambda: service.compute_summary(inputs, types=types),
        "summary_long": lambda: service.compute_summary_long(inputs, types=types),
        "proximity": lambda: service.compute_proximity(inputs, cell, types),
        **_walking_step(inputs, types, network),
    }  # fmt: skip


def _walking_step(inputs, types, network) -> dict:
    """The walking_distances layer, with population points along a network."""
    if network is None or inputs.population is None:
        return {}
    from .services import analysis as service
    from .services.network import compute_walking

    def step():
        frame = compute_walking(inputs, types, network)
        return service.AnalysisResult(frame, service.describe(inputs, frame.attrs))

    return {"walking_distances": step}


def _network_option(path: Path | None, method: str | None):
    """The network to measure along: ``--network FILE``, else the kept one when asked."""
    if path is not None:
        if method == "straight_line":
            raise click.UsageError("--network and --distance-method straight_line contradict.")
        return _read_network(path)
    if method != "network":
        return None
    from .http import network_folder
    from .services.network import kept_network

    kept = kept_network(network_folder())
    if kept is None:
        raise click.BadParameter(
            "no walking network kept yet; run 'plekken import-network FILE.osm.pbf' first "
            "(or give --network FILE)",
            param_hint="--distance-method",
        )
    return kept


def _csv_layer(out: Path) -> str:
    """Which table a ``.csv`` gets: coverage or summary_long when the name says so."""
    for layer in ("coverage", "summary_long"):
        if out.name.lower().startswith(layer):
            return layer
    return "summary"


def _run_steps(steps: dict) -> dict:
    results = {}
    with click.progressbar(
        steps.items(), label="Analysing", item_show_func=lambda item: item and item[0]
    ) as bar:
        for name, step in bar:
            results[name] = step()
    return results


def _load_scope(wijk, gemeente, level, include_pending):
    from .commands_reach import not_imported
    from .errors import NotFoundError
    from .services.scope import analysis_inputs

    try:
        return analysis_inputs(get_session(), wijk=wijk, gemeente=gemeente, level=level,
                               include_pending=include_pending, lang=LANG)  # fmt: skip
    except NotFoundError as exc:
        raise not_imported(exc) from exc


@click.command("analyse")
@click.option("--gemeente", help="Gemeente code (GM0268) or name (Nijmegen).")
@click.option("--wijk", help="Wijk code (WK026805).")
@click.option("--level", type=click.Choice(["buurt", "wijk"]), default="buurt", show_default=True)
@click.option(
    "--distance",
    "distances",
    type=click.FloatRange(50, 5000),
    multiple=True,
    help="Distance in metres (50-5000); repeat for more. Default 400.",
)
@click.option(
    "--type",
    "types",
    type=click.Choice(["functioneel", "verbindend", "ideologisch", "any"]),
    multiple=True,
    help="Function type; repeat for more. Default all.",
)
@click.option(
    "--cell",
    type=click.FloatRange(25, 1000),
    default=100,
    show_default=True,
    help="Grid cell in metres for the surface and proximity layers.",
)
@click.option(
    "--network",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Street network (.osm, .osm.pbf or .graphml): measure along streets.",
)
@click.option(
    "--distance-method",
    type=click.Choice(["straight_line", "network"]),
    help="network: walk along the streets kept by 'plekken import-network' (or --network). "
    "With --population, a walking_distances layer gives each point's distance per type.",
)
@click.option("--include-pending", is_flag=True, help="Count places awaiting review too.")
@click.option(
    "--population",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Address or building points (any GIS file) where people live, instead of an even "
    "spread of each area's inhabitants over its land.",
)
@click.option(
    "--population-weight",
    metavar="COLUMN",
    help="Column of --population with inhabitants per point. Default: each area's CBS count "
    "divided evenly over the points in it.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="result.gpkg (all layers) or summary.csv / coverage.csv (with --reach: reach.csv).",
)
@click.option("--reach", is_flag=True, help="Print contributors per home buurt (who is heard).")
@click.option("--exact", is_flag=True, help="With --reach: exact counts, also of 1-4 people.")
@click.option("--min-inhabitants", type=click.IntRange(0, 100_000), default=50,
              show_default=True, help="With --reach: a buurt this large without contributors "
              "is not reached.")  # fmt: skip
@with_appcontext
def analyse_command(gemeente, wijk, level, distances, types, cell, network, distance_method,
                    include_pending, population, population_weight, out: Path | None,
                    reach: bool, exact: bool, min_inhabitants: int) -> None:  # fmt: skip
    """Analyse a wijk or gemeente and write the results to a GeoPackage or CSV file; or,
    with --reach, print whose voices its places hold."""
    if bool(gemeente) == bool(wijk):
        raise click.UsageError("Give exactly one of --gemeente or --wijk.")
    if reach:
        from .commands_reach import print_reach

        return print_reach(wijk, gemeente, include_pending, exact, min_inhabitants, out)
    if out is None:
        raise click.UsageError("Give --out FILE (.gpkg or .csv), or --reach.")
    if out.suffix.lower() not in (".gpkg", ".csv"):
        raise click.BadParameter("the file must end in .gpkg or .csv", param_hint="--out")
    inputs = _load_scope(wijk, gemeente, level, include_pending)
    if population is not None:
        inputs = _with_population(inputs, population, population_weight)
    options = {"distances": list(distances) or [400.0], "types": list(types) or None,
               "cell": cell, "network": _network_option(network, distance_method)}  # fmt: skip
    network = options["network"]
    steps = _analysis_steps(inputs, options)
    if out.suffix.lower() == ".csv":
        steps = {name: steps[name] for name in (_csv_layer(out),)}
    try:
        results = _run_steps(steps)
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    written = _write(out, results)
    scope = inputs.scope
    named = f"{scope.name} ({scope.code})" if scope.name else scope.code
    click.echo(
        f"{len(inputs.areas)} {scope.level} areas of {scope.kind} {named}, "
        f"{inputs.places_counted} places inside, "
        f"{'network' if network else 'straight-line'} distances."
    )
    sizes = ", ".join(f"{n} ({len(results[n].frame)} rows)" if n in results else n
                      for n in written)  # fmt: skip
    click.echo(f"Wrote {out}: {sizes}.")


def _with_population(inputs, path: Path, weight: str | None):
    """The inputs with address points read from ``path`` (any file geopandas reads)."""
    import dataclasses

    import geopandas as gpd

    from .analysis.inputs import SPREAD

    try:
        points = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several kinds
        raise click.BadParameter(
            f"cannot read {path.name}: {exc}", param_hint="--population"
        ) from exc
    if points.crs is None:
        raise click.BadParameter(
            f"{path.name} has no coordinate reference system; give it one (EPSG:28992 or "
            "EPSG:4326) and try again",
            param_hint="--population",
        )
    if weight is not None and weight not in points.columns:
        found = ", ".join(c for c in points.columns if c != points.geometry.name)
        raise click.BadParameter(
            f"{path.name} has no column {weight!r}; it has {found or 'no columns'}",
            param_hint="--population-weight",
        )
    return dataclasses.replace(inputs, population=points, population_weight=weight or SPREAD)


def _write(out: Path, results: dict) -> list[str]:
    """Write the results to ``out`` (.gpkg: every layer; .csv: the one table)."""
    from .io.analysis_export import write_csv, write_geopackage

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        ((name, result),) = results.items()
        write_csv(out, result.frame)
        return [name]
    layers = {name: result.frame for name, result in results.items()}
    return write_geopackage(out, layers, {n: r.metadata for n, r in results.items()})


def init_app(app) -> None:
    from .commands_accounts import create_token_command, create_user_command
    from .commands_exports import export_data_command, export_map_command, export_report_command
    from .commands_files import analyse_files_command
    from .commands_network import import_network_command
    from .commands_workshops import workshop_group

    for command in (
        init_db_command, import_areas_command, load_demo_command, analyse_command,
        import_network_command, create_user_command, create_token_command, analyse_files_command,
        workshop_group, export_data_command, export_map_command, export_report_command,
    ):  # fmt: skip
        app.cli.add_command(command)
