"""Coverage and gaps of plekken against the hand-written references, case by case.

On the real Nijmegen buurten (EPSG:28992), for every distance D × number of places × layout
(uniform, clustered) × types (one type, all types), the script times

- plekken: ``prepare`` + ``coverage`` (one call for all measured types), and ``prepare`` +
  ``gaps`` for each measured type;
- the geopandas/shapely reference: buffer with shapely's default 8 segments per quarter
  circle, ``union_all``, then ``intersection`` (coverage) or ``difference`` (gaps) per buurt;
- the same in PostGIS SQL (``ST_Buffer`` / ``ST_Union`` / ``ST_Intersection`` /
  ``ST_Difference``), when a server is given;

from the same GeoDataFrames, and prints the minimum of several runs, the largest difference
per buurt (percentage points of its land), the covered share of the city (cases of 95 % and
more are marked saturated), the machine load and the growth per tenfold step in places.

Usage, from the repository root::

    python -m benchmarks.bench_analysis [DATA_DIR] [--sizes 1000 10000] [--distances 50 400]

``DATA_DIR`` holds ``nijmegen_buurten.geojson`` (default: ``shared/data`` next to the
repository). The PostGIS column uses ``--postgis URL`` or ``$PLEKKEN_TEST_POSTGIS_URL``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from benchmarks.references import PostGIS, shapely_reference
from benchmarks.synthetic import DEFAULT_DATA, load_buurten, measured_types, synthetic_places
from plekken.analysis import coverage, gaps, prepare
from plekken.analysis.inputs import prepare_areas

SATURATED = 0.95


def best_of(func: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Minimum wall time of ``repeat`` runs of ``func`` and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def run_plekken(buurten, places, distance, types, repeat):
    """Times and per-buurt shares of plekken's coverage and gaps for one case."""
    kinds = measured_types(types)
    wanted = None if types == "all" else kinds

    def run_coverage():
        return coverage(prepare(buurten, places), distance, wanted)

    def run_gaps():
        inputs = prepare(buurten, places)
        return {kind: gaps(inputs, distance, kind) for kind in kinds}

    cov_s, cov = best_of(run_coverage, repeat)
    gaps_s, found = best_of(run_gaps, repeat)
    codes = cov["code"].iloc[: len(buurten)]
    land_m2 = shapely.area(prepare_areas(buurten)["land"].to_numpy())
    shares = {kind: cov[cov["function_type"] == kind]["covered_share"].to_numpy() for kind in kinds}
    gap_share = {
        kind: frame.groupby("code")["area_m2"].sum().reindex(codes, fill_value=0).to_numpy()
        / land_m2
        for kind, frame in found.items()
    }
    any_share = cov[cov["function_type"] == ("any" if types == "all" else kinds[0])]
    city = float((any_share["covered_share"].to_numpy() * land_m2).sum() / land_m2.sum())
    # coverage is exact (true circles); the gaps' polygonal arcs are checked against it
    exact_pp = 100 * max(float(np.nanmax(np.abs(gap_share[k] - (1 - shares[k])))) for k in kinds)
    return {"coverage_s": cov_s, "gaps_s": gaps_s, "covered_share": shares,
            "gap_share": gap_share, "city_covered": city, "gaps_exact_pp": exact_pp}  # fmt: skip


def run_reference(reference, distance, types, repeat):
    """Times (summed over the measured types) and shares of one reference."""
    out = {"coverage_s": 0.0, "gaps_s": 0.0, "covered_share": {}, "gap_share": {}}
    for kind in measured_types(types):
        first = reference(distance, kind)
        runs = [first] + [reference(distance, kind) for _ in range(repeat - 1)]
        if first["coverage_s"] > 2:  # slow references run once
            runs = [first]
        out["coverage_s"] += min(r["coverage_s"] for r in runs)
        out["gaps_s"] += min(r["gaps_s"] for r in runs)
        out["covered_share"][kind] = first["covered_share"]
        out["gap_share"][kind] = first["gap_share"]
    return out


def max_diff_pp(ours: dict, theirs: dict) -> float:
    """Largest absolute difference over buurten and types, in percentage points."""
    return 100 * max(float(np.nanmax(np.abs(ours[k] - theirs[k]))) for k in theirs)


def run_case(buurten, places, distance, types, args, postgis, projected):
    """One row of the table: plekken, the references, differences and load."""
    row = {"places": len(places), "distance_m": distance, "load": os.getloadavg()[0]}
    fast = run_plekken(buurten, places, distance, types, args.repeat)
    row.update(plekken_cov_s=fast["coverage_s"], plekken_gaps_s=fast["gaps_s"],
               covered=fast["city_covered"], gaps_exact_pp=fast["gaps_exact_pp"])  # fmt: skip
    references = {"shapely": lambda d, k: shapely_reference(buurten, places, d, k)}
    if postgis is not None:
        references["postgis"] = lambda d, k: postgis.reference(buurten["code"], d, k)
    for name, reference in references.items():
        if projected.get(name, 0.0) > args.reference_limit:
            row.setdefault("notes", []).append(
                f"{name} skipped: projected {projected[name]:.0f} s > {args.reference_limit:.0f} s"
            )
            continue
        ref = run_reference(reference, distance, types, args.repeat)
        row[f"{name}_cov_s"], row[f"{name}_gaps_s"] = ref["coverage_s"], ref["gaps_s"]
        row[f"{name}_cov_pp"] = max_diff_pp(fast["covered_share"], ref["covered_share"])
        row[f"{name}_gaps_pp"] = max_diff_pp(fast["gap_share"], ref["gap_share"])
    return row


def _fmt(value, spec: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    return format(value, spec)


def table(rows: list[dict], with_postgis: bool) -> str:
    """The results as a Markdown table, one row per case."""
    head = ["layout", "types", "places", "D m", "covered", "plekken cov s", "shapely cov s", "×"]
    head += ["PostGIS cov s", "×"] if with_postgis else []
    head += ["plekken gaps s", "shapely gaps s", "×"]
    head += ["PostGIS gaps s", "×"] if with_postgis else []
    head += ["max diff cov pp", "max diff gaps pp", "gaps vs exact pp", "load"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    refs = ["shapely", "postgis"] if with_postgis else ["shapely"]
    for r in rows:
        covered = f"{100 * r['covered']:.0f} %" + (" sat." if r["covered"] >= SATURATED else "")
        cells = [r["layout"], r["types"], f"{r['places']:,}", f"{r['distance_m']:g}", covered]
        for measure in ("cov", "gaps"):
            cells.append(_fmt(r[f"plekken_{measure}_s"], ".3f"))
            for ref in refs:
                t = r.get(f"{ref}_{measure}_s")
                cells += [_fmt(t, ".3f"), _fmt(t and t / r[f"plekken_{measure}_s"], ".1f")]
        for measure in ("cov", "gaps"):
            diffs = [_fmt(r.get(f"{ref}_{measure}_pp"), ".2f") for ref in refs]
            cells.append(" / ".join(diffs))
        cells += [_fmt(r["gaps_exact_pp"], ".2f"), f"{r['load']:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- {r['layout']} {r['types']} {r['places']:,} places, {r['distance_m']:g} m: {n}"
             for r in rows for n in r.get("notes", [])]  # fmt: skip
    return "\n".join(lines + notes)


def growth(rows: list[dict]) -> str:
    """Time factor per tenfold step in places, per layout, types and distance."""
    frame = pd.DataFrame(rows)
    lines = ["| layout | types | D m | step | plekken cov | plekken gaps | shapely cov |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    for (layout, types, distance), group in frame.groupby(["layout", "types", "distance_m"]):
        group = group.set_index("places").sort_index()
        for small, large in zip(group.index[:-1], group.index[1:], strict=True):
            if large != 10 * small:
                continue
            cells = [
                _fmt(group.at[large, c] / group.at[small, c], ".1f") if c in group else "—"
                for c in ("plekken_cov_s", "plekken_gaps_s", "shapely_cov_s")
            ]
            step = f"{small:,} → {large:,}"
            lines.append(
                f"| {layout} | {types} | {distance:g} | {step} | " + " | ".join(cells) + " |"
            )
    return "\n".join(lines)


def verdict(rows: list[dict]) -> str:
    """Which non-saturated cases from 1,000 places up meet 10× (coverage) and 3× (gaps), and
    the median case of each measure."""
    judged = [r for r in rows if r["places"] >= 1000 and r["covered"] < SATURATED]
    lines = [f"Non-saturated cases from 1,000 places: {len(judged)}."]
    for measure, target in (("cov", 10), ("gaps", 3)):
        timed = [r for r in judged if f"shapely_{measure}_s" in r]
        ratios = sorted(r[f"shapely_{measure}_s"] / r[f"plekken_{measure}_s"] for r in timed)
        if not ratios:
            continue
        met = sum(ratio >= target for ratio in ratios)
        median = ratios[len(ratios) // 2]
        case = min(timed, key=lambda r: abs(r[f"shapely_{measure}_s"] / r[f"plekken_{measure}_s"]
                                            - median))  # fmt: skip
        lines.append(
            f"{'coverage' if measure == 'cov' else 'gaps'}: ≥ {target}× the shapely reference in "
            f"{met} of {len(ratios)}; range {ratios[0]:.1f}–{ratios[-1]:.1f}×, "
            f"median {median:.1f}× "
            f"({case['layout']}, {case['types']} type(s), {case['places']:,} places, "
            f"{case['distance_m']:g} m: {case[f'plekken_{measure}_s']:.3f} s against "
            f"{case[f'shapely_{measure}_s']:.3f} s)"
        )
    return "\n".join(lines)


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000, 100000])
    parser.add_argument("--distances", type=float, nargs="+", default=[50, 100, 400, 800])
    parser.add_argument("--layouts", nargs="+", default=["uniform", "clustered"])
    parser.add_argument("--types", nargs="+", default=["one", "all"])
    parser.add_argument("--repeat", type=int, default=3, help="minimum of this many runs")
    parser.add_argument("--reference-limit", type=float, default=120.0, help="seconds")
    parser.add_argument("--postgis", default=os.environ.get("PLEKKEN_TEST_POSTGIS_URL"))
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument("--seed", type=int, default=20260101)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if not (args.data / "nijmegen_buurten.geojson").exists():
        raise SystemExit(f"{args.data} has no nijmegen_buurten.geojson")
    buurten = load_buurten(args.data)
    land = shapely.union_all(prepare_areas(buurten)["land"].to_numpy())
    postgis = PostGIS(args.postgis) if args.postgis else None
    machine = f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}"
    versions = f"Python {sys.version.split()[0]}, shapely {shapely.__version__}, " + (
        f"GEOS {shapely.geos_version_string}"
    )
    print(f"{len(buurten)} buurten; {machine}; {versions}", flush=True)
    if postgis is None:
        print("No PostGIS server given (--postgis or PLEKKEN_TEST_POSTGIS_URL): "
              "the PostGIS reference is left out.", flush=True)  # fmt: skip
    rows = []
    try:
        for layout in args.layouts:
            for types in args.types:
                rows += run_series(buurten, land, layout, types, args, postgis)
    finally:
        if postgis is not None:
            postgis.close()
    print()
    print(table(rows, postgis is not None))
    print()
    print(growth(rows))
    print()
    print(verdict(rows))
    print(f"Load average at the end: {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=float))
    return 0


def run_series(buurten, land, layout, types, args, postgis) -> list[dict]:
    """All sizes and distances of one layout and types; references skipped when too slow."""
    rows, last = [], {}
    for n in sorted(args.sizes):
        places = synthetic_places(land, n, layout, types, args.seed + n)
        if postgis is not None:
            postgis.load(buurten, places)
        for distance in args.distances:
            projected = {name: t * (n / m) ** 1.1 for (name, d), (m, t) in last.items()
                         if d == distance}  # fmt: skip
            row = run_case(buurten, places, distance, types, args, postgis, projected)
            row.update(layout=layout, types=types)
            for name in ("shapely", "postgis"):
                if f"{name}_cov_s" in row:
                    last[name, distance] = (n, row[f"{name}_cov_s"])
            rows.append(row)
            print(f"{layout:>9} {types:>3} {n:>7,} {distance:>4g} m: covered "
                  f"{100 * row['covered']:.0f} %, plekken {row['plekken_cov_s']:.3f} / "
                  f"{row['plekken_gaps_s']:.3f} s, shapely {row.get('shapely_cov_s', 0):.3f} / "
                  f"{row.get('shapely_gaps_s', 0):.3f} s, PostGIS "
                  f"{row.get('postgis_cov_s', 0):.3f} / {row.get('postgis_gaps_s', 0):.3f} s, "
                  f"load {row['load']:.1f}", flush=True)  # fmt: skip
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
