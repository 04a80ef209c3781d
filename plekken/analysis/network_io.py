"""Reading street networks from files into the graphs :mod:`plekken.analysis.network` uses.

This is the one module of the analysis package that touches files; the measures themselves
only take graphs. Both readers return an undirected ``networkx`` graph with node ``x``/``y``
and ``graph.graph["crs"]`` set.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
import shapely

__all__ = ["WALKABLE", "read_graphml", "read_osm"]

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


def read_osm(path: str | Path, highways: Iterable[str] = WALKABLE) -> nx.Graph:
    """Read the walkable streets of an OpenStreetMap ``.osm`` or ``.osm.pbf`` file.

    Every way tagged with a ``highway`` value in ``highways`` becomes edges between its
    consecutive nodes. Needs the ``osmium`` package.
    """
    import osmium  # imported here: only this reader needs it

    allowed = set(highways)
    graph = nx.Graph(crs="EPSG:4326")
    reader = osmium.FileProcessor(str(path)).with_locations()
    for way in reader.with_filter(osmium.filter.KeyFilter("highway")):
        if not way.is_way() or way.tags.get("highway") not in allowed:
            continue
        nodes = [(node.ref, node.lon, node.lat) for node in way.nodes if node.location.valid()]
        for ref, lon, lat in nodes:
            graph.add_node(ref, x=lon, y=lat)
        for (a, *_), (b, *_) in zip(nodes, nodes[1:], strict=False):
            if a != b:
                graph.add_edge(a, b, osm_way=way.id, highway=way.tags.get("highway"))
    return graph
