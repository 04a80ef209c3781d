"""Street-network distances on small networks built by hand."""

from __future__ import annotations

import math

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely
from pyproj import Transformer

from plekken.analysis import coverage, gaps, prepare, surface
from plekken.analysis.network import as_network, point_distances
from plekken.analysis.network_io import read_graphml, read_osm


def grid_graph(size=5, spacing=100.0, crs="EPSG:28992") -> nx.Graph:
    """A square street grid with ``size`` × ``size`` crossings."""
    graph = nx.Graph(crs=crs)
    for i in range(size):
        for j in range(size):
            graph.add_node((i, j), x=i * spacing, y=j * spacing)
            if i:
                graph.add_edge((i - 1, j), (i, j))
            if j:
                graph.add_edge((i, j - 1), (i, j))
    return graph


def line_graph(*points, crs="EPSG:28992") -> nx.Graph:
    graph = nx.Graph(crs=crs)
    for k, (x, y) in enumerate(points):
        graph.add_node(k, x=x, y=y)
        if k:
            graph.add_edge(k - 1, k)
    return graph


def test_network_distance_walks_the_grid():
    net = as_network(grid_graph())
    place = np.array([[200.0, 200.0]])
    origins = np.array([[0.0, 0.0], [0.0, 30.0], [200.0, 150.0], [230.0, 200.0]])
    assert point_distances(net, place, origins) == pytest.approx([400, 370, 50, 30])


def test_service_area_of_one_street(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 1000, 1000), 100))
    places = make_places((500, 500, ["verbindend"]))
    street = line_graph((0, 500), (1000, 500))
    result = coverage(prepare(areas, places), distances=200, network=street, network_width=50)
    found = result[result["function_type"] == "verbindend"].iloc[0]
    # the last 50 m from street to door count: stretch 350..650 m, widened 50 m
    expected = (300 * 100 + math.pi * 50**2) / 1e6
    assert found["covered_share"] == pytest.approx(expected, rel=3e-3)
    assert result.attrs["distance_method"] == "network"
    assert result.attrs["network_width_m"] == 50


def test_network_counts_places_by_walking_distance(make_areas, make_places):
    areas = make_areas(("BU1", (-50, -50, 50, 50), 10))
    # a U-shaped street: the place is 150 m away in a straight line, 2,200 m on foot
    street = line_graph((0, 0), (0, 1000), (200, 1000), (200, 0))
    places = make_places((200, 0, ["verbindend"]))
    straight = coverage(prepare(areas, places), distances=400, types="verbindend")
    walking = coverage(prepare(areas, places), distances=400, types="verbindend", network=street)
    assert straight["n_places"].tolist() == [1, 1]  # verbindend, any
    assert walking["n_places"].tolist() == [0, 0]
    assert (walking["covered_share"] == 0).all()


def test_network_gaps_leave_a_cross_covered(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 400, 400), 10))
    places = make_places((200, 200, ["verbindend"]))
    result = gaps(prepare(areas, places), distance=100, network=grid_graph(), network_width=10)
    cross = 2 * 180 * 20 - 20 * 20 + 4 * math.pi * 10**2 / 2  # arms of 90 m, 10 m to the door
    assert result["area_m2"].sum() == pytest.approx(400 * 400 - cross, rel=1e-3)
    assert result.attrs["distance_method"] == "network"


def test_network_surface_gives_walking_distances(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 400, 400), 10))
    places = make_places((200, 200, ["verbindend"]))
    result = surface(prepare(areas, places), cell=100, network=grid_graph())
    straight = surface(prepare(areas, places), cell=100)
    assert (result["dist_verbindend"] >= straight["dist_verbindend"] - 1e-6).all()
    assert "n_verbindend_400" not in result and "n_verbindend_400" in straight
    assert result.attrs["distance_method"] == "network"


def test_wgs84_network_gives_the_same_distances():
    to_wgs = Transformer.from_crs(28992, 4326, always_xy=True)
    rd = grid_graph()
    rd_offset = nx.relabel_nodes(rd, lambda n: n)
    for _, data in rd_offset.nodes(data=True):
        data["x"], data["y"] = to_wgs.transform(data["x"] + 187000, data["y"] + 428000)
    rd_offset.graph["crs"] = "EPSG:4326"
    place, origins = np.array([[187200.0, 428200.0]]), np.array([[187000.0, 428030.0]])
    assert point_distances(as_network(rd_offset), place, origins) == pytest.approx(370, abs=0.5)


def test_network_without_crs_is_refused():
    graph = grid_graph()
    graph.graph.pop("crs")
    with pytest.raises(ValueError, match=r"network has no CRS; set graph.graph\['crs'\]"):
        as_network(graph)


def test_graphml_round_trip(tmp_path):
    graph = line_graph((0, 0), (300, 0))
    graph.edges[0, 1]["geometry"] = "LINESTRING (0 0, 100 100, 300 0)"
    path = tmp_path / "streets.graphml"
    nx.write_graphml(graph, path)
    net = as_network(read_graphml(path))
    assert net.length.sum() == pytest.approx(math.hypot(100, 100) + math.hypot(200, 100))


OSM = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="plekken-test">
  <node id="1" lat="51.8400" lon="5.8500" version="1"/>
  <node id="2" lat="51.8400" lon="5.8520" version="1"/>
  <node id="3" lat="51.8420" lon="5.8520" version="1"/>
  <node id="4" lat="51.8430" lon="5.8530" version="1"/>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/></way>
  <way id="11" version="1"><nd ref="3"/><nd ref="4"/><tag k="highway" v="motorway"/></way>
  <way id="12" version="1"><nd ref="1"/><nd ref="4"/><tag k="building" v="yes"/></way>
</osm>
"""


def test_read_osm_keeps_walkable_streets(tmp_path):
    pytest.importorskip("osmium")
    path = tmp_path / "streets.osm"
    path.write_text(OSM)
    graph = read_osm(path)
    assert sorted(graph.edges) == [(1, 2), (2, 3)]
    assert graph.graph["crs"] == "EPSG:4326"
    to_rd = Transformer.from_crs(4326, 28992, always_xy=True)
    corners = np.array(
        [to_rd.transform(lon, lat) for lon, lat in [(5.85, 51.84), (5.852, 51.84), (5.852, 51.842)]]
    )
    expected = shapely.length(shapely.linestrings(corners))
    assert as_network(graph).length.sum() == pytest.approx(expected)


def test_population_points_count_by_walking_distance(make_areas, make_places):
    areas = make_areas(("BU1", (-50, -50, 250, 1050), 999))
    street = line_graph((0, 0), (0, 1000), (200, 1000), (200, 0))
    places = make_places((0, 0, ["verbindend"]))
    homes = gpd.GeoDataFrame(
        {"weight": [5, 7]}, geometry=shapely.points([(0, 300), (200, 0)]), crs=28992
    )
    result = coverage(prepare(areas, places, population=homes), 400, "verbindend", network=street)
    assert result["covered_inhabitants"].tolist() == [5, 5]  # 300 m versus 2,200 m on foot
    assert result["inhabitants"].tolist() == [12, 12]


def test_network_without_streets_is_refused_clearly():
    graph = nx.Graph(crs="EPSG:28992")
    graph.add_node(1, x=0.0, y=0.0)
    with pytest.raises(ValueError, match="no streets"):
        as_network(graph)
