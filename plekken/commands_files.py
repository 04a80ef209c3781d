"""``plekken analyse-files``: coverage, gaps and summary of area and place files, in parts.

For runs too large for the database scopes of ``plekken analyse`` (all buurten of the
country), straight from files: the areas are split per gemeente, each part with the places
within reach, and the parts run in parallel processes (:mod:`plekken.analysis.batch`).
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

import click
import geopandas as gpd

__all__ = ["analyse_files_command"]


@click.command("analyse-files")
@click.argument("areas_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("places_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="GeoPackage to write: layers coverage, gaps, summary, metadata.")  # fmt: skip
@click.option("--by", default="gemeente_code", show_default=True,
              help="Column of the areas to split the work by.")  # fmt: skip
@click.option("--distance", "distances", type=float, multiple=True, default=(400.0, 800.0),
              show_default=True, help="Coverage distance in metres (repeat).")  # fmt: skip
@click.option("--gap-distance", type=float, default=400.0, show_default=True)
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Parallel processes.")  # fmt: skip
def analyse_files_command(areas_path, places_path, out, by, distances, gap_distance, workers):
    """Coverage, gaps and summary for every area of AREAS_PATH with the places of PLACES_PATH.

    AREAS_PATH is a CBS wijk/buurt file (GeoPackage, GeoJSON, shapefile); PLACES_PATH holds
    points with a ``function_types`` column (a list or comma-separated text) and optionally
    ``status``.
    """
    from .analysis.batch import run_split, split_areas, standard_measures
    from .io.analysis_export import write_geopackage
    from .io.cbs import read_cbs_areas

    areas = read_cbs_areas(areas_path, level="buurt")
    places = gpd.read_file(places_path)
    if by not in areas.columns:
        raise click.BadParameter(f"the areas have no column {by!r}", param_hint="--by")
    margin = max(*distances, gap_distance)
    parts = split_areas(areas, places, by=by, margin=margin)
    measure = partial(standard_measures, distances=distances, gap_distance=gap_distance)
    groups = areas[by].nunique()
    start = time.perf_counter()
    with click.progressbar(length=groups, label=f"Analysing per {by}", show_pos=True) as bar:
        results = run_split(parts, measure, workers, progress=lambda _key: bar.update(1))
    seconds = time.perf_counter() - start
    meta = {"distances_m": list(distances), "gap_distance_m": gap_distance, "split_by": by}
    layers = write_geopackage(out, results, {name: meta for name in results})
    click.echo(f"{len(areas):,} areas in {groups:,} parts, {len(places):,} places, "
               f"{seconds:.0f} s: layers {', '.join(layers)} in {out}")  # fmt: skip
