"""The real Nijmegen map: CBS boundaries imported, coverage of connecting places switched on.

The OSM landmarks of Nijmegen stand in for places residents pinned, all as "verbindend".
The shares the page colours the buurten by must be the API's, and the table must list
every buurt of the wijk.
"""

from __future__ import annotations

import contextlib

import geopandas as gpd
import pytest

from plekken.db import get_session
from plekken.errors import ValidationError
from plekken.services.places import add_place
from tests.browser.conftest import message, publish, serving

pytestmark = pytest.mark.browser

WIJK = "WK026805"  # Nijmegen-Midden
CONNECTING = message("analysisPlace_verbindend")


@pytest.fixture
def nijmegen_server(app, shared_data):
    runner = app.test_cli_runner()
    for name in ("nijmegen_wijken.geojson", "nijmegen_buurten.geojson"):
        result = runner.invoke(args=["import-areas", str(shared_data / name)])
        assert result.exit_code == 0, result.output
    landmarks = gpd.read_file(shared_data / "nijmegen_pois_osm.geojson")
    with app.app_context():
        session = get_session()
        for name, point in zip(landmarks["name"], landmarks.geometry, strict=True):
            data = {"lon": point.x, "lat": point.y, "name": (name or "Plek")[:120],
                    "function_types": ["verbindend"], "consent": True}  # fmt: skip
            with contextlib.suppress(ValidationError):  # a landmark outside the buurten
                add_place(session, data)
    with serving(app) as url:
        yield url


def open_coverage(page, url: str) -> None:
    """Open a map page with coverage of connecting places at 400 m, the panel unfolded."""
    page.goto(f"{url}?analysis=coverage&analysis_type=verbindend&distance=400")
    page.wait_for_function("window.plekken && window.plekken.map && window.plekkenAnalysis")
    if not page.locator("#analysis").evaluate("el => el.open"):
        page.click("#analysis > summary")


def test_coverage_of_connecting_places_in_nijmegen_midden(page, nijmegen_server, artifacts):
    open_coverage(page, f"{nijmegen_server}/wijk/{WIJK}")
    assert page.locator("h1").inner_text() == "Nijmegen-Midden"

    api = page.request.get(
        f"{nijmegen_server}/api/v1/analysis/coverage?wijk={WIJK}&type=verbindend&distance=400"
    ).json()
    shares = {
        f["properties"]["name"]: f["properties"]["covered_share"]
        for f in api["features"]
        if f["properties"]["function_type"] == "verbindend"
    }
    assert len(shares) >= 5  # the real buurten of Nijmegen-Midden
    page.wait_for_function(
        "n => document.querySelectorAll('path.analysis-area').length >= n"
        " && !document.getElementById('analysis').classList.contains('is-loading')",
        arg=len(shares),
    )
    legend = message("analysisLegendCoverage", distance=400, place=CONNECTING)
    assert legend in page.locator(".analysis-legend").inner_text()

    # The table shows every buurt with the API's share, rounded to whole percents.
    page.wait_for_selector("#analysis-table-wrap tbody tr")
    table = page.locator("#analysis-table-wrap tbody").inner_text()
    for name, share in shares.items():
        assert name in table
        assert f"{round(share * 100)}" in table
    # Real landmarks cluster towards the centre: the buurten differ clearly.
    assert max(shares.values()) - min(shares.values()) > 0.2
    fills = page.locator("path.analysis-area").evaluate_all(
        "els => els.map(e => e.getAttribute('fill'))"
    )
    assert len(set(fills)) > 1
    page.screenshot(path=str(artifacts / "nijmegen-midden-coverage.png"))
    assert page.errors == []


def test_whole_city_at_the_click_of_a_button(page, nijmegen_server, artifacts):
    open_coverage(page, f"{nijmegen_server}/gemeente/GM0268")
    assert page.locator("h1").inner_text() == "Nijmegen"
    page.wait_for_function(
        "document.querySelectorAll('path.analysis-area').length >= 44"
        " && !document.getElementById('analysis').classList.contains('is-loading')"
    )
    assert page.locator("path.analysis-area").count() == 44
    page.wait_for_selector("#analysis-table-wrap tbody tr")
    assert page.locator("#analysis-table-wrap tbody tr").count() == 44
    assert "Goffert" in page.locator("#analysis-table-wrap tbody").inner_text()
    # The CBS Nabijheid-style column: mean distance from residents to the nearest such place.
    page.wait_for_selector('[data-distance="BU02680512"]')
    column = message("analysisColDistance", place=CONNECTING)
    assert column in page.locator("#analysis-table-wrap thead").inner_text()
    proximity = page.request.get(
        f"{nijmegen_server}/api/v1/analysis/proximity?gemeente=GM0268&type=verbindend"
    ).json()
    goffert = next(
        f["properties"]
        for f in proximity["features"]
        if f["properties"]["code"] == "BU02680512"
        and f["properties"]["function_type"] == "verbindend"
    )
    shown = page.locator('[data-distance="BU02680512"]').inner_text()
    assert int("".join(ch for ch in shown if ch.isdigit())) == round(goffert["mean_distance_m"])
    # Hundreds of places: clustered until zoomed in, the clusters count them all.
    clusters = page.locator(".marker-cluster")
    assert clusters.count() > 0
    in_clusters = sum(int(t) for t in clusters.all_inner_texts())
    assert in_clusters + page.locator("[data-place-id]").count() == 192
    shot = artifacts / "nijmegen-coverage.png"
    page.screenshot(path=str(shot))
    publish(shot, "screenshot-nijmegen.png")

    # The accessibility grid of the whole city: thousands of cells, painted on a canvas.
    page.check('#analysis-form input[name="layer"][value="surface"]')
    page.wait_for_function(
        "document.querySelector('.leaflet-plekkenAnalysis-pane canvas')"
        " && !document.getElementById('analysis').classList.contains('is-loading')"
    )
    legend = message("analysisLegendSurface", place=CONNECTING)
    assert legend in page.locator(".analysis-legend").inner_text()
    page.screenshot(path=str(artifacts / "nijmegen-surface.png"))
    assert page.errors == []
