"""Honest feedback: a pin outside the wijk asks before it is saved, and a failed save without
JavaScript comes back at the error summary with "Fout:" in the page title."""

from __future__ import annotations

import pytest

from tests.browser.a11y import browser_page
from tests.browser.conftest import message

pytestmark = pytest.mark.browser

WIJK = "WK026805"


def _other_wijk(app) -> tuple[str, str, float, float]:
    """Code, name and an inner point (lon, lat) of another wijk of the same gemeente."""
    from plekken import storage
    from plekken.db import get_session

    with app.app_context():
        session = get_session()
        other = next(w for w in storage.wijken(session) if w.code != WIJK and w.code[2:6] == "0268")
        buurten = storage.areas_frame(session, level="buurt", parent=other.code)
        point = buurten.to_crs(28992).representative_point().to_crs(4326).iloc[0]
        return other.code, other.name, point.x, point.y


def _click_map_at(page, lon: float, lat: float) -> None:
    """Centre the map on the point (without animation) and click there, as a person would."""
    page.evaluate(
        "([lat, lon]) => window.plekken.map.setView([lat, lon], 17, {animate: false})", [lat, lon]
    )
    box = page.locator("#map-pane .folium-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _open_wijk(page, base: str) -> None:
    page.goto(f"{base}/wijk/{WIJK}")
    page.wait_for_function("window.plekken && window.plekken.map && window.plekken.markersShown")


def test_pin_in_another_wijk_asks_first(browser, demo_server, artifacts):
    app, base = demo_server
    code, name, lon, lat = _other_wijk(app)
    with browser_page(browser, "phone") as page:
        _open_wijk(page, base)
        _click_map_at(page, lon, lat)
        question = page.locator("#outside-question")
        question.wait_for()
        assert message("outsideAsk", wijk=name) in question.inner_text()
        assert message("outsideShows", wijk=name) in question.inner_text()
        assert question.get_by_role("link").get_attribute("href") == f"/wijk/{code}"
        page.screenshot(path=str(artifacts / "phone-outside-question.png"), full_page=False)

        page.fill("#field-name", "Speeltuin aan de overkant")
        page.check("#field-function_types-verbindend")
        page.check("#field-consent")
        posts = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        page.click("#place-form-submit")
        page.wait_for_function("document.activeElement.id === 'outside-question'")
        assert posts == [], "saved without an answer"

        question.get_by_role("button", name=message("outsideYes")).click()
        assert question.count() == 0
        page.click("#place-form-submit")
        page.wait_for_selector(".notice--success")
        assert page.errors == []

    from plekken import storage
    from plekken.db import get_session

    with app.app_context():
        saved = storage.list_places(get_session(), wijk=code, statuses=("pending",))
        assert any(p.name == "Speeltuin aan de overkant" for p in saved)


def test_pin_outside_every_buurt_says_so(browser, demo_server):
    _, base = demo_server
    with browser_page(browser) as page:
        _open_wijk(page, base)
        _click_map_at(page, 5.0, 52.6)  # in the IJsselmeer, far from any imported buurt
        question = page.locator("#outside-question")
        question.wait_for()
        assert message("outsideNowhere") in question.inner_text()
        # Nothing to confirm: saving goes on, and the server's refusal is in the summary.
        page.click("#place-form-submit")
        page.locator("#place-form-errors").wait_for(state="visible")


def test_answering_no_takes_the_pin_away(browser, demo_server):
    """Answering "nee" takes the pin away and puts the focus on the buurt list."""
    app, base = demo_server
    _, _, lon, lat = _other_wijk(app)
    with browser_page(browser) as page:
        _open_wijk(page, base)
        _click_map_at(page, lon, lat)
        page.get_by_role("button", name=message("outsideNo")).click()
        assert page.locator('[data-draft="true"]').count() == 0
        assert page.evaluate("document.activeElement.id") == "field-buurt_pick"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_failed_save_without_javascript(browser, demo_server, viewport, artifacts):
    _, base = demo_server
    with browser_page(browser, viewport, javascript=False) as page:
        page.goto(f"{base}/wijk/{WIJK}")
        title = page.title()
        page.fill("#field-name", "Bankje")
        page.click("#place-form-submit")
        page.wait_for_load_state()
        assert page.url.endswith("#place-form-errors")
        assert page.title() == f"Fout: {title}"
        summary = page.locator("#place-form-errors")
        assert summary.is_visible()
        top = summary.bounding_box()["y"]
        assert 0 <= top < 80, f"the error summary starts {top} px from the top of the window"
        assert page.locator("#field-name").input_value() == "Bankje"
        page.screenshot(path=str(artifacts / f"{viewport}-no-js-errors.png"))


def test_failed_save_with_javascript_marks_the_title(browser, demo_server):
    _, base = demo_server
    with browser_page(browser) as page:
        _open_wijk(page, base)
        title = page.title()
        page.click("#place-form-submit")
        page.locator("#place-form-errors").wait_for(state="visible")
        assert page.title() == f"{message('errorPrefix')} {title}"
        page.select_option("#field-buurt_pick", index=1)
        page.fill("#field-name", "Bankje")
        page.check("#field-function_types-verbindend")
        page.check("#field-consent")
        page.click("#place-form-submit")
        page.wait_for_selector(".notice--success")
        assert page.title() == title
