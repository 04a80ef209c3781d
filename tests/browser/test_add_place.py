"""A resident's path through the wijk map in headless Chromium."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CONTEXT_OPTIONS, only_local, publish

pytestmark = pytest.mark.browser

WIJK = "/wijk/WK026805"
GOFFERT = "BU02680512"


def server_errors(page, live_server, data: dict) -> dict[str, str]:
    """The messages the API gives for the place ``data``, in Dutch (nothing is stored)."""
    response = page.request.post(live_server + "/api/v1/places?lang=nl", data=data)
    assert response.status == 422
    return response.json()["errors"]


def open_wijk(page, live_server):
    page.goto(live_server + WIJK)
    page.wait_for_function("window.plekken && window.plekken.markersShown")


def markers(page) -> int:
    """Places on the map: drawn on their own or counted in a cluster."""
    return page.evaluate("window.plekken.layer.getLayers().length")


def click_map_at(page, code: str) -> None:
    """Click the map on the inner point of a buurt (as a person would, by mouse)."""
    option = page.locator(f'#field-buurt_pick option[value="{code}"]')
    click_lat_lon(
        page, float(option.get_attribute("data-lat")), float(option.get_attribute("data-lon"))
    )


def click_lat_lon(page, lat: float, lon: float) -> None:
    point = page.evaluate(
        "([lat, lon]) => { const p = window.plekken.map.latLngToContainerPoint([lat, lon]);"
        " return {x: p.x, y: p.y}; }",
        [lat, lon],
    )
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def fill_place(page, name: str) -> None:
    page.fill("#field-name", name)
    page.fill("#field-quote", "Hier kom je elkaar vanzelf tegen.")
    page.fill("#field-story", "Op zaterdag <b>koffie</b> & een praatje bij de kiosk.")
    page.check("#field-function_types-verbindend", force=True)
    page.check("#field-consent", force=True)


def test_resident_adds_a_place_by_clicking_the_map(published, page, live_server, artifacts):
    open_wijk(page, live_server)
    before = markers(page)
    assert before > 5

    click_map_at(page, GOFFERT)
    page.wait_for_selector('[data-draft="true"]')
    assert page.input_value("#field-lon") and page.input_value("#field-lat")
    assert "Goffert" in page.inner_text("#location-status")

    fill_place(page, "Kiosk in de Goffert")
    page.click("#place-form-submit")
    page.wait_for_function(
        "document.querySelector('#place-form-status').textContent.includes('Dank je wel')"
    )
    assert markers(page) == before + 1
    # The new place is shown on its own, out of any cluster, with its popup open.
    page.locator(".leaflet-marker-pane .plek-marker--new").wait_for()

    # The new place's popup shows its text, escaped, not as markup.
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Kiosk in de Goffert" in popup.inner_text()
    assert "<b>koffie</b>" in popup.inner_text()
    assert popup.locator("b").count() == 0

    # It is stored: the API returns it, located in the right buurt.
    api = page.request.get(live_server + "/api/v1/places?buurt=" + GOFFERT).json()
    names = {f["properties"]["name"]: f["properties"] for f in api["features"]}
    assert names["Kiosk in de Goffert"]["wijk_code"] == "WK026805"
    assert "verbindend" in names["Kiosk in de Goffert"]["function_types"]

    page.evaluate("window.scrollTo(0, 0); document.getElementById('side-pane').scrollTop = 0")
    page.wait_for_function(
        "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    shot = artifacts / "wijk-added-place.png"
    page.screenshot(path=str(shot))
    publish(shot, "screenshot-wijk.png")
    assert page.errors == []


def test_bad_form_shows_dutch_messages_and_stores_nothing(page, live_server, artifacts):
    open_wijk(page, live_server)
    before = page.request.get(live_server + "/api/v1/places").json()["features"]
    page.click("#place-form-submit")
    summary = page.locator("#place-form-errors")
    summary.wait_for(state="visible")
    # The server's own messages, each linked to its field in the summary.
    expected = server_errors(page, live_server, {"consent": True})
    for field in ("name", "function_types"):
        link = summary.locator(f'a[href="#field-{field}"]')
        assert link.inner_text() == expected[field]
    # The message also stands next to the field, and the field is marked invalid.
    assert expected["name"] in page.inner_text("#error-name")
    assert page.get_attribute("#field-name", "aria-invalid") == "true"
    page.screenshot(path=str(artifacts / "wijk-form-errors.png"), full_page=True)
    after = page.request.get(live_server + "/api/v1/places").json()["features"]
    assert len(after) == len(before)
    assert page.errors == []


def test_place_outside_the_wijk_is_refused_by_the_server(page, live_server):
    open_wijk(page, live_server)
    # West of the demo wijken: outside every imported buurt.
    page.evaluate("window.plekken.map.setView([51.815, 5.81], 13, {animate: false})")
    click_lat_lon(page, 51.806, 5.795)
    page.wait_for_selector('[data-draft="true"]')
    fill_place(page, "Ergens buiten de wijk")
    page.click("#place-form-submit")
    summary = page.locator("#place-form-errors")
    summary.wait_for(state="visible")
    outside = server_errors(page, live_server, {
        "lon": 5.795, "lat": 51.806, "name": "Ergens", "function_types": ["verbindend"],
        "consent": True,
    })  # fmt: skip
    assert outside["location"] in summary.inner_text()
    api = page.request.get(live_server + "/api/v1/places").json()["features"]
    assert "Ergens buiten de wijk" not in {f["properties"]["name"] for f in api}


def test_keyboard_only_on_a_phone(browser, live_server, artifacts):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, **CONTEXT_OPTIONS
    )
    context.route("**/*", only_local)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        open_wijk(page, live_server)
        before = markers(page)
        page.focus("#field-buurt_pick")
        page.select_option("#field-buurt_pick", GOFFERT)
        page.wait_for_selector('[data-draft="true"]')
        page.focus("#field-name")
        page.keyboard.type("Bankje bij de vijver")
        page.focus("#field-function_types-functioneel")
        page.keyboard.press("Space")
        page.focus("#field-consent")
        page.keyboard.press("Space")
        page.focus("#place-form-submit")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "document.querySelector('#place-form-status').textContent.includes('Dank je wel')"
        )
        assert markers(page) == before + 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the page must not scroll sideways on a phone"
        page.screenshot(path=str(artifacts / "wijk-phone.png"), full_page=False)
        assert errors == []
    finally:
        context.close()
