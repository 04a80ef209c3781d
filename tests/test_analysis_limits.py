"""Bounded cost per analysis request: a clear 422 saying what to lower, a 429 with
Retry-After when every analysis slot is busy (cached answers still flow), and encoded
answers kept and sent gzipped."""

from __future__ import annotations

import gzip
import json

import pytest
from shapely.geometry import shape

from plekken.api.analysis import LIMITED_KEY
from plekken.api.answers import ANSWERS_KEY
from plekken.services import analysis as service
from tests.factories import place_data

SURFACE = "/api/v1/analysis/surface?wijk=WK099901&cell=200"


def test_too_much_work_is_a_422_saying_what_to_lower(toy_client, monkeypatch):
    monkeypatch.setattr(service, "MAX_CELL_VALUES", 1000)
    response = toy_client.get("/api/v1/analysis/surface?wijk=WK099901&cell=50&distance=400,800")
    message = response.get_json()["errors"]["cell"]
    assert response.status_code == 422
    assert "grotere cel" in message and "minder afstanden" in message


def test_proximity_refuses_a_grid_that_is_too_fine(toy_client, monkeypatch):
    monkeypatch.setattr(service, "MAX_CELLS", 100)
    response = toy_client.get("/api/v1/analysis/proximity?wijk=WK099901&cell=25")
    assert response.status_code == 422
    assert "cell" in response.get_json()["errors"]


@pytest.fixture
def busy(app):
    """Every analysis slot of the app taken, as by long computations in other threads."""
    limited = app.extensions[LIMITED_KEY]
    limited.wait = 0  # refuse at once rather than after ANALYSIS_WAIT seconds
    slots = limited.slots
    taken = []
    while (slot := slots.take()) is not None:
        taken.append(slot)
    yield
    for slot in taken:
        slots.give_back(slot)


def test_a_full_house_is_a_429_but_cached_answers_still_flow(app, toy_client, request):
    first = toy_client.get(SURFACE)
    assert first.status_code == 200
    request.getfixturevalue("busy")
    again = toy_client.get(SURFACE)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    other = toy_client.get(SURFACE.replace("cell=200", "cell=250"))
    assert other.status_code == 429
    assert other.headers["Retry-After"].isdigit()
    assert "request" in other.get_json()["errors"]
    assert toy_client.get("/api/v1/areas").status_code == 200


def test_answers_are_kept_encoded_and_sent_gzipped(app, toy_client):
    answers = app.extensions[ANSWERS_KEY]
    plain = toy_client.get(SURFACE)
    zipped = toy_client.get(SURFACE, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert json.loads(gzip.decompress(zipped.get_data())) == plain.get_json()
    assert answers.hits >= 1


def test_a_new_place_makes_a_new_answer(toy_client, published):
    before = toy_client.get(SURFACE).get_json()["metadata"]["places_counted"]
    assert toy_client.post("/api/v1/places", json=place_data()).status_code == 201
    assert toy_client.get(SURFACE).get_json()["metadata"]["places_counted"] == before + 1


def test_a_computation_that_is_not_kept_still_takes_a_slot(app, busy):
    """Results along the walking network are not kept, but count against the limit."""
    from werkzeug.exceptions import TooManyRequests

    limited = app.extensions[LIMITED_KEY]
    with app.test_request_context(), pytest.raises(TooManyRequests):
        limited.run(lambda: "computed")
    assert limited.cache.run(lambda: "computed") == "computed"
    assert len(limited.cache) == 0


def test_slots_are_shared_by_processes(tmp_path):
    """Another process holding the only slot leaves none for this one, until it ends."""
    import subprocess
    import sys

    from plekken.api.answers import Slots

    script = (
        "import sys, time\n"
        "from plekken.api.answers import Slots\n"
        f"slot = Slots({str(tmp_path)!r}, 1).take()\n"
        "print('held' if slot is not None else 'none', flush=True)\n"
        "sys.stdin.readline()\n"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout.readline().strip() == "held"
        assert Slots(tmp_path, 1).take() is None
    finally:
        other.communicate("\n", timeout=30)
    slot = Slots(tmp_path, 1).take()
    assert slot is not None
    Slots.give_back(slot)


def test_a_grid_compactly_holds_what_the_features_hold(toy_client, published):
    assert toy_client.post("/api/v1/places", json=place_data()).status_code == 201
    features = toy_client.get(SURFACE).get_json()
    response = toy_client.get(SURFACE + "&format=grid")
    grid = response.get_json()
    assert response.status_code == 200 and grid["type"] == "Grid"
    assert grid["metadata"] == features["metadata"]
    cells = grid["cells"]
    assert cells["cell_id"] == [f["properties"]["cell_id"] for f in features["features"]]
    for name, values in grid["values"].items():
        assert values == [f["properties"][name] for f in features["features"]], name
    first = shape(features["features"][0]["geometry"]).centroid
    assert (cells["lon"][0], cells["lat"][0]) == pytest.approx((first.x, first.y), abs=1e-6)
    assert len(response.get_data()) * 3 < len(json.dumps(features))
