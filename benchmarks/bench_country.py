"""A country-sized run: about 14,000 buurten and 1,000,000 places, split per gemeente.

Without the CBS file of all buurten at hand, the country is synthesised by tiling the real
Nijmegen buurten: tile ``k`` is gemeente ``GMk`` with a copy of the 44 buurten, shifted so the
tiles lie side by side with no gap (places near a tile edge also cover the next tile). Each
tile gets its own clustered places (normal offsets of 150 m around 300 centres). The run
computes coverage (400 and 800 m, every type), gaps (400 m, every type) and the summary for
every buurt, gemeente by gemeente, in parallel processes, with a progress bar, and prints the
wall time and the peak resident memory of all processes.

It writes the tiled buurten (CBS columns) and the places to GeoPackages and runs
``plekken analyse-files`` on them. Usage, from the repository root::

    python -m benchmarks.bench_country [DATA_DIR] [--buurten 14000] [--places 1000000]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from benchmarks.synthetic import DEFAULT_DATA, clustered_xy, load_buurten, places_frame
from plekken.analysis.inputs import prepare_areas
from plekken.commands_files import analyse_files_command


def tile(buurten: gpd.GeoDataFrame, n_buurten: int, n_places: int, seed: int):
    """Tiled buurten in the CBS file layout (one gemeente per tile) and their places."""
    lands = prepare_areas(buurten)["land"].to_numpy()
    land = shapely.union_all(lands)
    minx, miny, maxx, maxy = buurten.total_bounds
    tiles = int(np.ceil(n_buurten / len(buurten)))
    columns = int(np.ceil(np.sqrt(tiles)))
    rng = np.random.default_rng(seed)
    area_parts, place_parts = [], []
    for k in range(tiles):
        dx, dy = (k % columns) * (maxx - minx), (k // columns) * (maxy - miny)
        suffix = buurten["code"].str[6:]
        area_parts.append(
            pd.DataFrame(
                {
                    "BU_CODE": f"BU{k:04d}" + suffix,
                    "BU_NAAM": buurten["name"] + f" {k}",
                    "WK_CODE": f"WK{k:04d}" + suffix.str[:2],
                    "GM_CODE": f"GM{k:04d}",
                    "GM_NAAM": f"Gemeente {k}",
                    "AANT_INW": buurten["inhabitants"],
                    "OPP_LAND": buurten["land_area_m2"] / 10_000,
                    "OPP_WATER": buurten["water_area_m2"] / 10_000,
                    "geometry": buurten.geometry.translate(dx, dy).to_numpy(),
                }
            )
        )
        place_parts.append(clustered_xy(land, n_places // tiles, rng) + [dx, dy])
    areas = gpd.GeoDataFrame(pd.concat(area_parts, ignore_index=True), crs=buurten.crs)
    places = places_frame(np.concatenate(place_parts), "all", rng)
    places["function_types"] = places["function_types"].map(",".join)
    return areas, places


def peak_mib() -> tuple[float, float]:
    """Peak resident memory (MiB) of this process and of the largest worker process."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return own / 1024, children / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--buurten", type=int, default=14000)
    parser.add_argument("--places", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dir", type=Path, default=Path("country-run"), help="files go here")
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    areas_path, places_path = args.dir / "buurten.gpkg", args.dir / "places.gpkg"
    areas, places = tile(load_buurten(args.data), args.buurten, args.places, args.seed)
    areas.to_file(areas_path)
    places.to_file(places_path)
    print(
        f"{len(areas):,} buurten in {areas['GM_CODE'].nunique()} gemeenten and "
        f"{len(places):,} places written to {args.dir}; load {os.getloadavg()}",
        flush=True,
    )
    command = [str(areas_path), str(places_path), "--out", str(args.dir / "result.gpkg"),
               "--workers", str(args.workers)]  # fmt: skip
    print("plekken analyse-files " + " ".join(command), flush=True)
    start = time.perf_counter()
    analyse_files_command.main(command, standalone_mode=False)
    elapsed = time.perf_counter() - start
    own, worker = peak_mib()
    print(f"Wall time {elapsed:.0f} s (reading, analysing, writing); peak resident memory "
          f"{own:,.0f} MiB (main process), {worker:,.0f} MiB (largest worker); "
          f"load at the end {os.getloadavg()}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
