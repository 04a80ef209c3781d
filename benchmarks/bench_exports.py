"""Benchmark of the data exports: peak memory and time of exporting many places.

A fresh SQLite database gets the demo wijken and buurten and ``--places`` synthetic
published places (seeded, spread over the demo wijk), inserted in bulk. Then each case runs
in a process of its own, so that its peak resident memory (``ru_maxrss``) is its own:

- ``baseline``: the process after opening the app and the database, exporting nothing;
- ``reference``: what a competent user writes with default settings: all visible places
  as GeoJSON Features in one list (the API's ``place_features``), dumped as one string;
- ``geojson``, ``csv``, ``xlsx``, ``gpkg``: :func:`plekken.services.exports.write_export`.

Usage, from the repository root::

    python -m benchmarks.bench_exports [--places 100000] [--cases ...]

Prints a Markdown table; results are in docs/exports.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

CASES = ("baseline", "reference", "geojson", "csv", "xlsx", "gpkg")
WIJK = "WK026805"


def _app(folder: Path):
    from plekken import create_app

    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TILE_LAYERS": []})


def fill(folder: Path, n: int, seed: int = 7) -> None:
    """The demo areas and ``n`` synthetic places in the wijk."""
    from shapely.geometry import Point
    from sqlalchemy import insert

    from plekken import storage
    from plekken.commands import DEMO_DIR
    from plekken.db import get_session
    from plekken.storage.models import Place, PlaceFunctionType

    app = _app(folder)
    result = app.test_cli_runner().invoke(args=["load-demo", "--path", str(DEMO_DIR)])
    assert result.exit_code == 0, result.output
    rng = np.random.default_rng(seed)
    with app.app_context():
        session = get_session()
        outline = storage.wijk_outline(session, WIJK)
        minx, miny, maxx, maxy = outline.geom.bounds
        start = storage.count_places(session) + 1000
        for first in range(0, n, 10_000):
            ids = range(start + first, start + min(first + 10_000, n))
            rows = [
                {"id": i, "name": f"Plek {i}", "quote": "Hier ontmoet ik de buren.",
                 "story": "Een verhaal van een paar zinnen over deze plek. " * 3,
                 "geom": Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy)),
                 "gemeente_code": "GM0268", "wijk_code": WIJK, "buurt_code": None,
                 "symbol_icon": "bankje", "conditions": ["sociale_cohesie"],
                 "status": "published", "private": bool(i % 10 == 0)}
                for i in ids
            ]  # fmt: skip
            session.execute(insert(Place), rows)
            types = [{"place_id": i, "function_type": "verbindend"} for i in ids]
            session.execute(insert(PlaceFunctionType), types)
        session.commit()
    app.extensions["plekken_engine"].dispose()


def run_case(folder: Path, case: str) -> dict:
    """One case in this process: seconds, peak memory in MiB, output size in MiB."""
    from plekken.db import get_session
    from plekken.http import place_features
    from plekken.services.exports import ExportQuery, resolve_scope, write_export
    from plekken.services.visibility import PUBLIC, visible_places

    app = _app(folder)
    out = folder / f"out.{case}"
    start = time.perf_counter()
    with app.test_request_context(), app.app_context():
        session = get_session()
        if case == "reference":
            places = visible_places(session, PUBLIC, wijk=WIJK)
            features = place_features(session, places, "nl")
            out.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
            count = len(features)
        elif case == "baseline":
            count = 0
        else:
            query = ExportQuery(resolve_scope(session, wijk=WIJK))
            count = write_export(session, PUBLIC, query, case, out)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = out.stat().st_size / 2**20 if out.exists() else 0.0
    return {"case": case, "places": count, "seconds": seconds, "peak_mib": peak, "mib": size}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=100_000)
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=CASES)
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one case, in a child process
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        print(json.dumps(run_case(Path(args.folder), args.run)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        fill(folder, args.places)
        print(f"{args.places} synthetic places in {WIJK}, SQLite, Python {sys.version.split()[0]}")
        print("\n| case | places | seconds | peak memory (MiB) | file (MiB) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for case in args.cases:
            child = [sys.executable, "-m", "benchmarks.bench_exports", "--run", case,
                     "--folder", str(folder)]  # fmt: skip
            row = json.loads(subprocess.run(child, check=True, capture_output=True,
                                            text=True).stdout.strip().splitlines()[-1])  # fmt: skip
            print(f"| {row['case']} | {row['places']} | {row['seconds']:.1f} | "
                  f"{row['peak_mib']:.0f} | {row['mib']:.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
