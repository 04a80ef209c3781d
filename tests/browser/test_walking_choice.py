"""The choice between straight-line and walking distance in the analysis panel, in headless
Chromium, with a walking network kept for the demo wijk."""

from __future__ import annotations

import pytest

from tests.browser.conftest import serving
from tests.osm_files import keep_walking_network

pytestmark = pytest.mark.browser


@pytest.fixture
def walking_server(demo_app, tmp_path):
    pytest.importorskip("osmium")
    keep_walking_network(demo_app, tmp_path)
    with serving(demo_app) as url:
        yield url


def test_walking_is_offered_and_used(page, walking_server):
    page.goto(walking_server + "/wijk/WK026805")
    page.wait_for_function("window.plekken && window.plekken.map && window.plekkenAnalysis")
    if not page.locator("#analysis").evaluate("el => el.open"):
        page.click("#analysis > summary")
    assert page.get_by_label("hemelsbreed").is_checked()
    page.check('#analysis-form input[name="layer"][value="gaps"]')
    with page.expect_response(lambda r: "distance_method=network" in r.url) as answer:
        page.get_by_label("over straten (lopen)").check()
    assert answer.value.json()["metadata"]["distance_method"] == "network"
    page.wait_for_function("!document.getElementById('analysis').classList.contains('is-loading')")
    assert "distance_method=network" in page.url
    assert page.errors == []
