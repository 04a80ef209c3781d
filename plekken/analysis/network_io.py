"""Reading street networks from files into the graphs :mod:`plekken.analysis.network` uses.

This is the one module of the analysis package that touches files; the measures themselves
only take graphs. :func:`save_network` / :func:`load_network` keep a prepared network. Both
readers return an undirected ``networkx`` graph with node ``x``/``y``
and ``graph.graph["crs"]`` set.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import shapely

from .network import Network, network_from_arrays

__all__ = [
    "WALKABLE",
    "load_network",
    "network_about",
    "read_graphml",
    "read_osm",
    "save_network",
    "walkable",
]

#: OSM ``highway`` values people can walk along (motorways and the like left out).
WALKABLE = frozenset(
    {
        "residential", "living_street", "pedestrian", "footway", "path", "steps", "cycleway",
        "service", "unclassified", "tertiary", "tertiary_link", "secondary", "secondary_link",
        "primary", "primary_link", "track", "road", "bridleway", "corridor",
    }
)  # fmt: skip


def read_graphml(path: str | Path, crs: Any = None) -> nx.Graph:
    """Read a GraphML street network (as written by networkx or OSMnx).

    Node ``x``/``y`` become floats and WKT edge geometries shapely LineStrings. ``crs``
    overrides the ``crs`` stored in the file.
    """
    graph = nx.read_graphml(path)
    for _, data in graph.nodes(data=True):
        data["x"], data["y"] = float(data["x"]), float(data["y"])
    for *_, data in graph.edges(data=True):
        if isinstance(data.get("geometry"), str):
            data["geometry"] = shapely.from_wkt(data["geometry"])
    if crs is not None:
        graph.graph["crs"] = crs
    if graph.graph.get("crs") is None:
        raise ValueError(f"{path}: the network has no 'crs'; pass crs='EPSG:4326' or similar")
    return graph


#: ``foot`` values that open a way whose ``access`` is ``private`` or ``no``.
FOOT_ALLOWED = frozenset({"yes", "designated", "permissive"})

#: ``foot`` / ``access`` values that close a way to people on foot.
CLOSED = frozenset({"no", "private"})


def walkable(tags: Any, highways: Iterable[str] = WALKABLE) -> bool:
    """Whether a way with these OSM tags may be walked (see :func:`read_osm`).

    Examples
    --------
    >>> walkable({"highway": "service", "access": "private"})
    False
    >>> walkable({"highway": "service", "access": "private", "foot": "yes"})
    True
    """
    if tags.get("highway") not in highways:
        return False
    foot = tags.get("foot")
    if foot in CLOSED:
        return False
    return tags.get("access") not in CLOSED or foot in FOOT_ALLOWED


def _ways(path: str | Path, highways: frozenset):
    """``(way id, highway, nodes, is_area)`` per walkable way; a node is ``(ref, lon, lat)``
    or ``None`` when the extract lacks it."""
    import osmium  # imported here: only this reader needs it

    reader = osmium.FileProcessor(str(path)).with_locations()
    for way in reader.with_filter(osmium.filter.KeyFilter("highway")):
        if not way.is_way() or not walkable(way.tags, highways):
            continue
        nodes = [(n.ref, n.lon, n.lat) if n.location.valid() else None for n in way.nodes]
        closed = len(nodes) > 3 and way.nodes[0].ref == way.nodes[-1].ref
        yield way.id, way.tags.get("highway"), nodes, closed and way.tags.get("area") == "yes"


def _cross_areas(graph: nx.Graph, areas: list, uses: Counter) -> None:
    """Straight links across pedestrian areas between the nodes where other ways meet them."""
    for way_id, highway, nodes in areas:
        if any(node is None for node in nodes):
            continue  # an area cut by the extract's edge has no reliable outline
        outline = shapely.Polygon([(lon, lat) for _, lon, lat in nodes]).buffer(1e-7)
        gates = sorted({node for node in nodes if uses[node[0]] > 1})
        for i, (a, lon_a, lat_a) in enumerate(gates):
            for b, lon_b, lat_b in gates[i + 1 :]:
                if not graph.has_edge(a, b) and outline.covers(
                    shapely.LineString([(lon_a, lat_a), (lon_b, lat_b)])
                ):
                    graph.add_edge(a, b, osm_way=way_id, highway=highway, across="area")


def read_osm(path: str | Path, highways: Iterable[str] = WALKABLE) -> nx.Graph:
    """Read the walkable streets of an OpenStreetMap ``.osm`` or ``.osm.pbf`` file.

    Tags read: ``highway`` (one of ``highways``, default :data:`WALKABLE`: motorways, trunk
    roads and the like left out); ``foot=no|private`` leaves a way out, and so does
    ``access=no|private`` unless ``foot=yes|designated|permissive``; a closed way with
    ``area=yes`` (a pedestrian square) can be walked across in a straight line between the
    points where other ways meet it. ``oneway`` is ignored: people walk both ways. A way
    is split where the extract lacks one of its nodes, never joined across the gap. Needs
    the ``osmium`` package.
    """
    graph = nx.Graph(crs="EPSG:4326")
    uses: Counter = Counter()
    areas = []
    for way_id, highway, nodes, is_area in _ways(path, frozenset(highways)):
        uses.update({node[0] for node in nodes if node is not None})
        if is_area:
            areas.append((way_id, highway, nodes))
        for first, second in zip(nodes, nodes[1:], strict=False):
            if first is None or second is None or first[0] == second[0]:
                continue
            for ref, lon, lat in (first, second):
                graph.add_node(ref, x=lon, y=lat)
            graph.add_edge(first[0], second[0], osm_way=way_id, highway=highway)
    _cross_areas(graph, areas, uses)
    return graph


def save_network(net: Network, path: str | Path, about: dict | None = None) -> None:
    """Keep a prepared network in a ``.npz`` file (written whole, then moved into place)."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial.npz")
    np.savez_compressed(
        partial,
        xy=net.xy,
        start=net.start,
        end=net.end,
        set_aside=np.array(net.set_aside, dtype=float),
        about=np.array(json.dumps(about or {})),
    )
    partial.replace(path)


def load_network(path: str | Path) -> Network:
    """A network kept by :func:`save_network`."""
    with np.load(path, allow_pickle=False) as data:
        pieces, metres = data["set_aside"]
        return network_from_arrays(
            data["xy"], data["start"], data["end"], min_piece_m=0.0,
            set_aside=(int(pieces), float(metres)),
        )  # fmt: skip


def network_about(path: str | Path) -> dict:
    """What :func:`save_network` was told about a kept network (source, date, size)."""
    with np.load(path, allow_pickle=False) as data:
        return json.loads(str(data["about"]))
