"""The analysis panel of the wijk map: coverage, gaps and accessibility layers, and the table
per buurt, in headless Chromium against the real analysis API."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import message, message_pattern

pytestmark = pytest.mark.browser

WIJK = "/wijk/WK026805"
GOFFERT = "BU02680512"
HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$", re.I)
CONNECTING = message("analysisPlace_verbindend")


def open_analysis(page, live_server, query: str = "") -> None:
    page.goto(live_server + WIJK + query)
    page.wait_for_function("window.plekken && window.plekken.map && window.plekkenAnalysis")
    if not page.locator("#analysis").evaluate("el => el.open"):
        page.click("#analysis > summary")
    page.wait_for_selector("#analysis-table-wrap table tbody tr")


def choose_layer(page, layer: str) -> None:
    page.check(f'#analysis-form input[name="layer"][value="{layer}"]')


def wait_for_layer(page, css_class: str, at_least: int = 1) -> None:
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length >= n"
        " && !document.getElementById('analysis').classList.contains('is-loading')",
        arg=[f"path.{css_class}", at_least],
    )


def buurten(page) -> list[dict]:
    return page.evaluate(
        "JSON.parse(document.getElementById('plekken-config').textContent).buurten"
    )


def legend_text(page) -> str:
    return page.locator(".analysis-legend").inner_text()


def test_coverage_gaps_and_surface(page, live_server, artifacts):
    open_analysis(page, live_server)
    names = {b["name"] for b in buurten(page)}
    assert len(names) == 5

    rows = page.locator("#analysis-table-wrap tbody tr")
    assert rows.count() == len(names)
    assert {rows.nth(i).locator("th span").first.inner_text() for i in range(len(names))} == names
    # The demo buurten all have fewer than 5 places: each is marked as thin data.
    assert page.locator("#analysis-table-wrap tbody .analysis-flag").count() == len(names)
    assert message("analysisFewData") in page.locator("#analysis-summary-notes").inner_text()
    csv = page.locator("#analysis-csv").get_attribute("href")
    assert "format=csv" in csv and "wijk=WK026805" in csv
    assert page.request.get(live_server + csv).headers["content-type"].startswith("text/csv")

    # Coverage of connecting places within 400 m, a choropleth of the buurten.
    choose_layer(page, "coverage")
    page.select_option("#analysis-type", "verbindend")
    page.select_option("#analysis-distance", "400")
    wait_for_layer(page, "analysis-area", len(names))
    areas = page.locator("path.analysis-area")
    assert areas.count() == len(names)
    fills = [areas.nth(i).get_attribute("fill") for i in range(areas.count())]
    assert all(HEX_COLOUR.match(fill or "") for fill in fills), fills
    assert len(set(fills)) > 1, "the buurten differ in coverage, so in colour"
    legend = legend_text(page)
    assert message("analysisLegendCoverage", distance=400, place=CONNECTING) in legend
    assert "80–100%" in legend and message("analysisNoData") in legend
    straight = message("analysisMethodStraight")
    assert page.locator("#analysis-explain").inner_text() == message(
        "analysisExplainCoverage", distance=400, method=straight, place=CONNECTING
    )
    assert straight in page.locator("#analysis-meta").inner_text()
    assert message("analysisMetaPlaces", n=15) in page.locator("#analysis-meta").inner_text()
    header = page.locator("#analysis-table-wrap thead").inner_text()
    assert message("analysisColCoverage", distance=400) in header
    assert "analysis=coverage" in page.url and "distance=400" in page.url

    shot = artifacts / "analysis-coverage.png"
    page.screenshot(path=str(shot))
    page.locator("#analysis").screenshot(path=str(artifacts / "analysis-panel.png"))

    # Tapping a buurt tells its figures (place markers hidden with the filter, not to hit one).
    for box in page.locator(".plek-filter input[type=checkbox]").all():
        box.uncheck()
    goffert = next(b for b in buurten(page) if b["code"] == GOFFERT)
    point = page.evaluate(
        "([lat, lon]) => window.plekken.map.latLngToContainerPoint([lat, lon])",
        [goffert["lat"], goffert["lon"]],
    )
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    popup = page.locator(".analysis-popup")
    popup.wait_for()
    assert popup.locator("h3").inner_text() == "Goffert"
    assert message("analysisPopupInhabitants") in popup.inner_text()
    assert page.locator('[data-draft="true"]').count() == 0, "a tap on a layer drops no pin"
    page.wait_for_function(
        "getComputedStyle(document.querySelector('.analysis-popup-wrap')).opacity === '1'"
    )
    page.screenshot(path=str(artifacts / "analysis-popup.png"))

    # Gaps: hatched polygons beyond 400 m.
    choose_layer(page, "gaps")
    wait_for_layer(page, "analysis-gap")
    popup.wait_for(state="detached")
    assert page.locator("path.analysis-area").count() == 0
    gap = page.locator("path.analysis-gap").first
    assert gap.get_attribute("fill") == "url(#analysis-pattern-gap)"
    assert message("analysisLegendGaps") in legend_text(page)
    assert message_pattern("analysisGapsTotal").search(legend_text(page))
    page.screenshot(path=str(artifacts / "analysis-gaps.png"))

    # Accessibility surface: 100 m cells coloured by distance.
    choose_layer(page, "surface")
    assert page.locator("#analysis-cell").is_visible()
    wait_for_layer(page, "analysis-cell", 100)
    assert page.locator("path.analysis-gap").count() == 0
    assert message("analysisLegendSurface", place=CONNECTING) in legend_text(page)
    page.screenshot(path=str(artifacts / "analysis-surface.png"))

    choose_layer(page, "none")
    page.wait_for_function("document.querySelectorAll('path.analysis-cell').length === 0")
    assert page.locator(".analysis-legend").is_hidden()
    assert page.errors == []


def test_own_distance_is_checked_and_used(page, live_server):
    open_analysis(page, live_server)
    choose_layer(page, "coverage")
    wait_for_layer(page, "analysis-area")
    page.select_option("#analysis-distance", "custom")
    page.fill("#analysis-custom-distance", "20")
    page.press("#analysis-custom-distance", "Enter")
    error = page.locator("#analysis-distance-error")
    assert error.is_visible()
    assert message("analysisDistanceInvalid", min=50, max="5.000") in error.inner_text()
    assert page.get_attribute("#analysis-custom-distance", "aria-invalid") == "true"

    page.fill("#analysis-custom-distance", "1000")
    page.press("#analysis-custom-distance", "Enter")
    page.wait_for_function(
        "document.querySelector('.analysis-legend').textContent.includes('1.000 m')"
    )
    assert error.is_hidden()
    assert "distance=1000" in page.url

    # The shared address opens the same view.
    page.goto(page.url)
    page.wait_for_function("document.querySelectorAll('path.analysis-area').length === 5")
    assert page.input_value("#analysis-custom-distance") == "1000"
    assert page.errors == []


def test_failed_request_shows_a_message_and_can_be_retried(page, live_server):
    open_analysis(page, live_server)

    def broken(route):
        route.fulfill(status=500, content_type="application/json", body="{}")

    page.route("**/api/v1/analysis/gaps*", broken)
    choose_layer(page, "gaps")
    alert = page.get_by_role("alert").filter(has=page.get_by_role("button"))
    alert.wait_for()
    assert message("analysisErrorServer") in alert.inner_text()
    assert page.locator("path.analysis-gap").count() == 0

    page.unroute("**/api/v1/analysis/gaps*", broken)
    alert.get_by_role("button", name=message("analysisRetry")).click()
    wait_for_layer(page, "analysis-gap")
    assert page.locator("#analysis-error").inner_text() == ""
    assert page.errors == []


def test_layer_and_table_refresh_after_a_new_place(published, page, live_server):
    open_analysis(page, live_server)
    choose_layer(page, "gaps")
    wait_for_layer(page, "analysis-gap")
    assert message("analysisMetaPlaces", n=15) in page.locator("#analysis-meta").inner_text()
    goffert_places = page.locator(f'#analysis-table-wrap tr[data-code="{GOFFERT}"] td').first
    before = int(goffert_places.inner_text())

    page.select_option("#field-buurt_pick", GOFFERT)
    page.fill("#field-name", "Bankje bij de vijver")
    page.check("#field-function_types-verbindend", force=True)
    page.check("#field-consent", force=True)
    with page.expect_response(lambda r: "/api/v1/analysis/gaps" in r.url):
        page.click("#place-form-submit")
    page.wait_for_function(
        "text => document.getElementById('analysis-meta').textContent.includes(text)",
        arg=message("analysisMetaPlaces", n=16),
    )
    page.wait_for_function(
        "([code, n]) => { const td = document.querySelector("
        "`#analysis-table-wrap tr[data-code='${code}'] td`); return td && +td.textContent === n; }",
        arg=[GOFFERT, before + 1],
    )
    assert page.errors == []


def test_phone_screen(page, live_server, artifacts):
    page.set_viewport_size({"width": 390, "height": 844})
    open_analysis(page, live_server)
    choose_layer(page, "coverage")
    wait_for_layer(page, "analysis-area", 5)

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    legend = page.locator(".analysis-legend").bounding_box()
    map_box = page.locator(".folium-map").bounding_box()
    assert legend["x"] >= 0 and legend["x"] + legend["width"] <= 390
    assert legend["height"] < map_box["height"] / 2, "the legend leaves room for the map"
    wrap = page.locator("#analysis-table-wrap")
    assert wrap.bounding_box()["width"] <= 390
    for control in ["#analysis-type", "#analysis-distance", "#analysis-form label"]:
        assert page.locator(control).first.bounding_box()["height"] >= 44
    # The add-place form is still there, below the panel.
    page.locator("#place-form-submit").scroll_into_view_if_needed()
    assert page.locator("#place-form-submit").is_visible()

    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "analysis-phone-map.png"))
    page.locator("#analysis-summary-title").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "analysis-phone-table.png"))
    assert page.errors == []


def test_english(page, live_server):
    open_analysis(page, live_server, "?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    choose_layer(page, "gaps")
    wait_for_layer(page, "analysis-gap")
    assert message("analysisLegendGaps", "en") in legend_text(page)
    straight = message("analysisMethodStraight", "en")
    assert straight in page.locator("#analysis-explain").inner_text()
    header = page.locator("#analysis-table-wrap thead").inner_text()
    assert message("analysisColPlaces", "en") in header
    assert page.errors == []
