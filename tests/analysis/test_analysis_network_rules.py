"""The rules of walking along streets: which ways count, one rule for people and land,
cut-off pieces and clear refusals, on small networks built by hand."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely
from test_analysis_network import grid_graph, line_graph

from plekken.analysis import coverage, gaps, prepare
from plekken.analysis.network import as_network
from plekken.analysis.network_io import read_osm
from plekken.analysis.network_reach import covered_land, walking_distances

SQUARE_OSM = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="plekken-test">
  <node id="1" lat="51.8400" lon="5.8500" version="1"/>
  <node id="3" lat="51.8400" lon="5.8520" version="1"/>
  <node id="4" lat="51.8400" lon="5.8530" version="1"/>
  <node id="5" lat="51.8410" lon="5.8500" version="1"/>
  <node id="6" lat="51.8410" lon="5.8510" version="1"/>
  <node id="7" lat="51.8410" lon="5.8520" version="1"/>
  <node id="8" lat="51.8410" lon="5.8530" version="1"/>
  <node id="9" lat="51.8410" lon="5.8540" version="1"/>
  <node id="20" lat="51.8420" lon="5.8500" version="1"/>
  <node id="21" lat="51.8420" lon="5.8510" version="1"/>
  <node id="22" lat="51.8430" lon="5.8510" version="1"/>
  <node id="23" lat="51.8430" lon="5.8500" version="1"/>
  <node id="30" lat="51.8415" lon="5.8495" version="1"/>
  <node id="31" lat="51.8435" lon="5.8515" version="1"/>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/>
    <tag k="highway" v="residential"/></way>
  <way id="11" version="1"><nd ref="5"/><nd ref="6"/>
    <tag k="highway" v="footway"/><tag k="foot" v="no"/></way>
  <way id="12" version="1"><nd ref="6"/><nd ref="7"/>
    <tag k="highway" v="service"/><tag k="access" v="private"/></way>
  <way id="13" version="1"><nd ref="7"/><nd ref="8"/>
    <tag k="highway" v="service"/><tag k="access" v="private"/><tag k="foot" v="yes"/></way>
  <way id="14" version="1"><nd ref="8"/><nd ref="9"/><tag k="highway" v="motorway"/></way>
  <way id="15" version="1"><nd ref="20"/><nd ref="21"/><nd ref="22"/><nd ref="23"/><nd ref="20"/>
    <tag k="highway" v="pedestrian"/><tag k="area" v="yes"/></way>
  <way id="16" version="1"><nd ref="30"/><nd ref="20"/><tag k="highway" v="footway"/></way>
  <way id="17" version="1"><nd ref="22"/><nd ref="31"/><tag k="highway" v="footway"/></way>
</osm>
"""


def test_read_osm_walks_where_people_may(tmp_path):
    pytest.importorskip("osmium")
    path = tmp_path / "streets.osm"
    path.write_text(SQUARE_OSM)
    graph = read_osm(path)
    edges = {tuple(sorted(edge)) for edge in graph.edges}
    assert edges == {
        (3, 4),  # node 2 is missing: the way is split there, 1 is not joined to 3
        (7, 8),  # private, but open on foot
        (20, 21), (21, 22), (22, 23), (20, 23),  # the outline of the square
        (20, 22),  # straight across the square between the two paths that meet it
        (20, 30), (22, 31),
    }  # fmt: skip
    assert graph.edges[20, 22]["across"] == "area"


def test_cut_off_piece_is_set_aside_and_reported(make_areas, make_places):
    graph = grid_graph()  # 4 km of street
    graph.add_node("a", x=30.0, y=-60.0)
    graph.add_node("b", x=60.0, y=-60.0)
    graph.add_edge("a", "b")  # 30 m of path reaching nowhere
    net = as_network(graph)
    assert net.set_aside == (1, pytest.approx(30.0))
    home = np.array([[45.0, -55.0]])  # 5 m from the piece, 55 m from the grid
    place = np.array([[0.0, 0.0]])
    # along the grid's edge to where 60 m across the land reach the home
    expected = 45 - np.sqrt(60**2 - 55**2) + 60
    assert walking_distances(net, place, home, width=60) == pytest.approx([expected])
    areas = make_areas(("BU1", (0, -100, 400, 400), 10))
    places = make_places((200, 200, ["verbindend"]))
    result = coverage(prepare(areas, places), 400, "verbindend", network=graph)
    assert result.attrs["network_pieces_set_aside"] == 1
    assert result.attrs["network_set_aside_m"] == 30.0


@pytest.mark.parametrize("distance", [150, 300])
def test_covered_and_gap_inhabitants_add_up(make_areas, make_places, distance):
    rng = np.random.default_rng(7)
    areas = make_areas(("BU1", (0, 0, 400, 400), 0))
    places = make_places((200, 230, ["verbindend"]), (35, 380, ["verbindend"]))
    homes = gpd.GeoDataFrame(
        {"weight": rng.integers(1, 5, 400)},
        geometry=shapely.points(rng.uniform(0, 400, (400, 2))),
        crs=28992,
    )
    inputs = prepare(areas, places, population=homes)
    options = {"network": grid_graph(), "network_width": 30}
    covered = coverage(inputs, distance, "verbindend", **options)
    covered = covered[covered["function_type"] == "verbindend"]["covered_inhabitants"].sum()
    holes = gaps(inputs, distance, "verbindend", **options)["inhabitants_est"].sum()
    assert 0 < covered < homes["weight"].sum()
    assert covered + holes == homes["weight"].sum()


def test_walking_distance_and_covered_land_follow_one_rule():
    net = as_network(grid_graph())
    rng = np.random.default_rng(3)
    places = np.array([[200.0, 230.0], [35.0, 380.0]])
    homes = rng.uniform(0, 400, (2000, 2))
    land = np.array([shapely.box(0, 0, 400, 400)])
    walked = walking_distances(net, places, homes, width=30)
    straight = np.hypot(*(homes[:, None, :] - places[None]).transpose(2, 0, 1)).min(axis=1)
    assert (walked >= straight - 1e-9).all()
    covered = covered_land(net, places, land, 250.0, 30.0)[0]
    inside = shapely.contains_xy(covered, homes[:, 0], homes[:, 1])
    clear = np.abs(walked - 250) > 0.5  # the polygon's arcs are chords within 0.25 m
    assert (inside[clear] == (walked[clear] <= 250)).all()
    assert np.isinf(walked).any()  # homes in the middle of a block are 50 m from any street


def test_network_far_from_the_areas_is_refused(make_areas, make_places):
    areas = make_areas(("BU1", (0, 0, 400, 400), 10))
    places = make_places((200, 200, ["verbindend"]))
    far = nx.relabel_nodes(grid_graph(), lambda n: n)
    for _, data in far.nodes(data=True):
        data["x"] += 150_000
    with pytest.raises(ValueError, match=r"network: the streets .* do not reach the areas"):
        coverage(prepare(areas, places), 400, network=far)
    with pytest.raises(ValueError, match="do not reach the areas"):
        gaps(prepare(areas, places), 400, network=far)


def test_nodes_without_coordinates_are_refused():
    graph = line_graph((0, 0), (100, 0))
    graph.add_edge(1, "lost")
    with pytest.raises(
        ValueError, match=r"1 node\(s\) lack 'x'/'y' coordinates \(e.g. node 'lost'\)"
    ):
        as_network(graph)


def test_places_count_when_reachable_within_the_distance(make_areas, make_places):
    areas = make_areas(("BU1", (-50, -50, 50, 50), 10))
    street = line_graph((0, 0), (0, 1000), (200, 1000), (200, 0))
    # 380 m along the street from the area's edge; 2,200 m for the one across the gap
    places = make_places((0, 430, ["verbindend"]), (200, 0, ["verbindend"]))
    result = coverage(prepare(areas, places), [400, 800], "verbindend", network=street)
    assert result["n_places"].tolist() == [1, 1, 1, 1]  # verbindend 400, 800; any 400, 800
