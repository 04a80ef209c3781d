"""The wijk map as one HTML file: opened from disk with every network request blocked, it
shows every place of the wijk."""

from __future__ import annotations

import pytest

from plekken import storage
from plekken.db import get_session

WIJK = "WK026805"
#: Drawing is the same on both backends (tests/test_exports.py reads the data from both).
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def offline_page(browser):
    """A page that may load nothing but the file itself (no network at all)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    blocked = []

    def only_the_file(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.blocked = blocked
    yield page
    context.close()


def test_the_offline_map_shows_every_place(demo_app, offline_page, tmp_path):
    out = tmp_path / "kaart.html"
    args = ["export-map", "--wijk", WIJK, "--format", "html", "--layer", "coverage",
            "--out", str(out)]  # fmt: skip
    result = demo_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    with demo_app.app_context():
        count = storage.count_places(get_session(), wijk=WIJK)
    offline_page.goto(out.as_uri())
    offline_page.wait_for_selector(".plek-marker")
    assert offline_page.locator(".plek-marker").count() == count > 10
    assert offline_page.locator(".plek-marker img").first.evaluate("img => img.naturalWidth") > 0
    assert offline_page.locator(".leaflet-interactive").count() > 3  # buurten and the layer
    assert offline_page.errors == []
    assert all(url.startswith(("http://", "https://")) for url in offline_page.blocked)
    offline_page.locator(".plek-marker").first.click()
    assert offline_page.locator(".leaflet-popup-content").is_visible()
