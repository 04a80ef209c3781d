"""OpenStreetMap files written by tests, and a walking network kept for a test app."""

from __future__ import annotations

import numpy as np


def osm_grid(bounds_wgs84, step=0.001) -> str:
    """An OpenStreetMap file with a grid of residential streets over the bounds."""
    minx, miny, maxx, maxy = bounds_wgs84
    lons, lats = np.arange(minx, maxx + step, step), np.arange(miny, maxy + step, step)
    nodes, ways, ids = [], [], {}
    for i, lon in enumerate(lons):
        for j, lat in enumerate(lats):
            ids[i, j] = len(ids) + 1
            nodes.append(f'<node id="{ids[i, j]}" lat="{lat:.7f}" lon="{lon:.7f}" version="1"/>')
    way_id = 1
    for lines in ([[ids[i, j] for j in range(len(lats))] for i in range(len(lons))],
                  [[ids[i, j] for i in range(len(lons))] for j in range(len(lats))]):  # fmt: skip
        for line in lines:
            refs = "".join(f'<nd ref="{ref}"/>' for ref in line)
            ways.append(f'<way id="{way_id}" version="1">{refs}'
                        '<tag k="highway" v="residential"/></way>')  # fmt: skip
            way_id += 1
    body = "\n".join(nodes + ways)
    return f"<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\">\n{body}\n</osm>\n"


def keep_walking_network(app, folder) -> str:
    """Keep a street grid over wijk WK026805 (demo data) as ``app``'s walking network;
    returns the command's output."""
    from plekken.db import get_session
    from plekken.services.analysis import load_inputs

    app.config["NETWORK_FOLDER"] = str(folder / "network")
    with app.app_context():
        areas, _ = load_inputs(get_session(), wijk="WK026805")
    path = folder / "streets.osm"
    path.write_text(osm_grid(areas.total_bounds + np.array([-0.01, -0.01, 0.01, 0.01])))
    result = app.test_cli_runner().invoke(
        args=["import-network", str(path), "--gemeente", "Nijmegen"]
    )
    assert result.exit_code == 0, result.output
    return result.output
