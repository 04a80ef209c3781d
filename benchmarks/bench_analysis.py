"""Benchmark of plekken.analysis on the real Nijmegen buurten with synthetic places.

Synthetic places are drawn around the real points of interest in the shared POI files
(seeded, normally distributed offsets) and get one to three random function types. For each
size the script times coverage (400 and 800 m), the accessibility surface (100 m cells) and
the gaps (400 m, verbindend) for all buurten, and the naive reference (buffer every place,
union, overlay per area) on the same data, and prints a Markdown table.

Usage, from the repository root::

    python -m benchmarks.bench_analysis [DATA_DIR] [--sizes 1000 10000 100000]

``DATA_DIR`` holds ``nijmegen_buurten.geojson`` and ``nijmegen_pois_*.geojson``; by default
the ``shared/data`` folder next to the repository.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from plekken.analysis import coverage, gaps, surface
from plekken.analysis.reference import reference_coverage, reference_gaps
from plekken.io.cbs import read_cbs_areas

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TYPES = np.array(["functioneel", "verbindend", "ideologisch"])
DISTANCES = (400, 800)


def load_buurten(data: Path) -> gpd.GeoDataFrame:
    """The CBS buurten in the storage shape (EPSG:4326)."""
    return read_cbs_areas(data / "nijmegen_buurten.geojson")


def load_seeds(data: Path) -> np.ndarray:
    """RD New coordinates of all real points of interest inside the gemeente."""
    frames = [gpd.read_file(path) for path in sorted(data.glob("nijmegen_pois_*.geojson"))]
    seeds = pd.concat(frames, ignore_index=True)
    if "inside_gemeente" in seeds:
        seeds = seeds[seeds["inside_gemeente"].fillna(True).astype(bool)]
    return shapely.get_coordinates(seeds.to_crs(28992).geometry.to_numpy())


def synthetic_places(seeds: np.ndarray, n: int, seed: int, spread: float) -> gpd.GeoDataFrame:
    """``n`` published places clustered around ``seeds`` with random types (EPSG:4326)."""
    rng = np.random.default_rng(seed)
    xy = seeds[rng.integers(0, len(seeds), n)] + rng.normal(0, spread, (n, 2))
    picks = rng.random((n, 3)) < 0.45
    picks[~picks.any(axis=1), rng.integers(0, 3, n)[~picks.any(axis=1)]] = True
    frame = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "function_types": [list(TYPES[row]) for row in picks],
            "status": "published",
            "contributor": [f"bewoner-{i}" for i in rng.integers(0, max(n // 5, 1), n)],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=shapely.points(xy), crs=28992).to_crs(4326)


def timed(func: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Best wall time of ``repeat`` runs and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_mib(func: Callable[[], object]) -> float:
    """Peak traced memory (Python and NumPy allocations) of one run, in MiB."""
    gc.collect()
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def coverage_diff_pp(fast, reference) -> float:
    """Largest difference in covered share between the two, in percentage points."""
    merged = fast.merge(reference, on=["code", "function_type", "distance_m"])
    return 100 * (merged["covered_share_x"] - merged["covered_share_y"]).abs().max()


def gaps_diff_pp(fast, reference, land) -> float:
    """Largest difference in gap area per buurt, in percentage points of its land."""
    codes = reference["code"]
    fast_m2 = fast.groupby("code")["area_m2"].sum().reindex(codes, fill_value=0).to_numpy()
    diff = (fast_m2 - reference["gap_m2"].to_numpy()) / land.reindex(codes).to_numpy()
    return 100 * np.abs(diff).max()


def run_size(buurten, seeds, n, args, projected: dict[str, float]) -> dict:
    """Time the fast steps and, unless projected too slow, the references for ``n`` places."""
    places = synthetic_places(seeds, n, args.seed, args.spread)
    steps = {
        "coverage": lambda: coverage(buurten, places, distances=DISTANCES),
        "surface": lambda: surface(buurten, places, cell=100, distance=400),
        "gaps": lambda: gaps(buurten, places, distance=400, function_type="verbindend"),
    }
    row, results = {"places": n}, {}
    for name, step in steps.items():
        row[f"{name}_s"], results[name] = timed(step, args.repeat)
    row["fast_peak_mib"] = max(peak_mib(step) for step in steps.values())
    land = results["coverage"].drop_duplicates("code").set_index("code")["land_area_m2"]
    references = {
        "coverage": (
            lambda: reference_coverage(buurten, places, DISTANCES),
            lambda ref: coverage_diff_pp(results["coverage"], ref),
        ),
        "gaps": (
            lambda: reference_gaps(buurten, places, 400, "verbindend"),
            lambda ref: gaps_diff_pp(results["gaps"], ref, land),
        ),
    }
    for name, (run, compare) in references.items():
        if projected.get(name, 0.0) > args.reference_limit:
            row.setdefault("notes", []).append(
                f"{name} reference skipped: projected {projected[name]:.0f} s "
                f"> limit {args.reference_limit:.0f} s"
            )
            continue
        row[f"reference_{name}_s"], reference = timed(run, 1)
        row[f"speedup_{name}"] = row[f"reference_{name}_s"] / row[f"{name}_s"]
        row[f"{name}_max_diff_pp"] = compare(reference)
    return row


def report(rows: list[dict]) -> str:
    columns = [
        ("places", "{:,}"), ("coverage_s", "{:.3f}"), ("surface_s", "{:.3f}"), ("gaps_s", "{:.3f}"),
        ("fast_peak_mib", "{:.0f}"), ("reference_coverage_s", "{:.2f}"),
        ("reference_gaps_s", "{:.2f}"), ("speedup_coverage", "{:.0f}×"),
        ("speedup_gaps", "{:.0f}×"), ("coverage_max_diff_pp", "{:.4f}"),
        ("gaps_max_diff_pp", "{:.4f}"),
    ]  # fmt: skip
    lines = ["| " + " | ".join(name for name, _ in columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    for row in rows:
        cells = []
        for name, fmt in columns:
            value = row.get(name)
            cells.append(
                "—"
                if value is None or (isinstance(value, float) and np.isnan(value))
                else fmt.format(value)
            )
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- {row['places']:,} places: {note}" for row in rows for note in row.get("notes", [])]
    return "\n".join(lines + notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--spread", type=float, default=150.0, help="offset sd in metres")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--reference-limit", type=float, default=120.0, help="seconds")
    args = parser.parse_args(argv)
    if not (args.data / "nijmegen_buurten.geojson").exists():
        parser.error(f"{args.data} has no nijmegen_buurten.geojson")
    buurten, seeds = load_buurten(args.data), load_seeds(args.data)
    print(f"{len(buurten)} buurten, {len(seeds)} seed points, sizes {args.sizes}", flush=True)
    rows, last = [], {}  # last: per reference, (places, seconds) of the latest run
    for n in sorted(args.sizes):
        # the references grow a little faster than linearly; extrapolate from the last size
        projected = {name: t * (n / m) ** 1.2 for name, (m, t) in last.items()}
        row = run_size(buurten, seeds, n, args, projected)
        for name in ("coverage", "gaps"):
            if f"reference_{name}_s" in row:
                last[name] = (n, row[f"reference_{name}_s"])
        rows.append(row)
        print(
            f"{n:>7,} places: coverage {row['coverage_s']:.3f} s, surface {row['surface_s']:.3f} "
            f"s, gaps {row['gaps_s']:.3f} s",
            flush=True,
        )
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(report(rows))
    print(
        f"\nPeak resident memory of the whole run: {peak_rss:.0f} MiB "
        f"(Python {sys.version.split()[0]}, shapely {shapely.__version__}, "
        f"GEOS {shapely.geos_version_string})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
