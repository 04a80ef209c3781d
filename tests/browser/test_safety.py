"""Moderation and a resident in control of their place, in headless Chromium; and the
Content-Security-Policy holding on every page without breaking it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from plekken.db import get_session
from plekken.storage.models import Place
from tests.browser.conftest import CONTEXT_OPTIONS, OPEN_CONTEXTS, csp_page, only_local
from tests.factories import PASSWORD, make_user, place_data

pytestmark = pytest.mark.browser

WIJK = "/wijk/WK026805"
GOFFERT = "BU02680512"


def pending_place(page, live_server, name: str) -> dict:
    lon, lat = 5.8633, 51.8276
    response = page.request.post(
        live_server + "/api/v1/places",
        data=place_data(name=name, lon=lon, lat=lat),
        headers={"Origin": live_server},
    )
    assert response.status == 201, response.text()
    return response.json()


def status_of(app, place_id: int) -> str | None:
    with app.app_context():
        place = get_session().get(Place, place_id)
        return None if place is None else place.status


def test_every_page_works_under_the_content_security_policy(browser, live_server, demo_app):
    page, problems = csp_page(browser)  # the policy enforced, not bypassed
    make_user(demo_app, "csp@example.org", "opbouwwerker", ["GM0268"])
    token = pending_place(page, live_server, "Voor de policy")["owner_token"]
    for path in (WIJK, "/gemeente/GM0268", "/", "/privacy", "/mijn-plekken", f"/plek/{token}"):
        page.goto(live_server + path)
        page.wait_for_load_state("load")
    page.goto(live_server + WIJK)
    page.wait_for_selector(".leaflet-container [data-place-id]")
    page.goto(live_server + "/inloggen")
    page.fill("#login-email", "csp@example.org")
    page.fill("#login-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#bulk-form")
    assert problems == []


def test_opbouwwerker_approves_hides_and_fixes_a_typo(page, live_server, demo_app, artifacts):
    make_user(demo_app, "opbouw@example.org", "opbouwwerker", ["GM0268"])
    approve = pending_place(page, live_server, "Buurthuis De Klokketoren")
    hide = pending_place(page, live_server, "Reclame voor mijn winkel")
    typo = pending_place(page, live_server, "Speeltuin bij de Kinkerstraat")
    page.goto(live_server + "/beheer")
    page.fill("#login-email", "opbouw@example.org")
    page.fill("#login-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(f"#plek-{approve['id']} .pinmap.leaflet-container")
    assert page.locator(".pinmap.leaflet-container").count() == 3
    page.screenshot(path=str(artifacts / "beheer.png"), full_page=True)

    page.click(f"#plek-{approve['id']} [data-action=approve]")
    page.wait_for_selector("text=Gedaan.")
    assert page.locator(f"#plek-{approve['id']}").count() == 0
    page.click(f"#plek-{hide['id']} [data-action=hide]")
    page.wait_for_selector("text=Gedaan.")
    page.click(f"#plek-{typo['id']} >> text=Bewerken en geschiedenis")
    page.fill("#edit-name", "Speeltuin bij de Klokkenstraat")
    page.click("text=Wijzigingen opslaan")
    page.wait_for_selector("text=Opgeslagen.")
    assert "Kinkerstraat → Speeltuin bij de Klokkenstraat" in page.inner_text(".history")
    page.screenshot(path=str(artifacts / "beheer-history.png"), full_page=True)

    assert status_of(demo_app, approve["id"]) == "published"
    assert status_of(demo_app, hide["id"]) == "hidden"
    assert status_of(demo_app, typo["id"]) == "pending"
    assert page.errors == []


def test_resident_on_a_phone_adds_changes_and_withdraws(browser, live_server, demo_app, artifacts):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, **CONTEXT_OPTIONS
    )
    context.route("**/*", only_local)
    OPEN_CONTEXTS.append(context)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server + WIJK)
    page.wait_for_selector("[data-place-id]")
    page.select_option("#field-buurt_pick", GOFFERT)
    page.fill("#field-name", "Mijn bankje")
    page.fill("#field-quote", "Hier drink ik koffie.")
    page.check("#field-function_types-verbindend", force=True)
    page.check("#field-consent", force=True)
    page.click("#place-form-submit")
    page.wait_for_selector("#manage-link")
    status = page.inner_text("#place-form-status")
    assert "zodra een opbouwwerker" in status
    page.locator("#manage-link").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "resident-added-pending.png"))

    # On the same phone the place stays visible, marked as waiting for approval.
    # (Among other places it may sit in a cluster: open it as the list view would.)
    own = page.evaluate("JSON.parse(localStorage.getItem('plekken:mijn-plekken'))[0].id")
    page.goto(live_server + WIJK)
    page.wait_for_function("id => window.plekken && window.plekken.openPlace(id)", arg=own)
    page.wait_for_selector(".plek-marker--pending")
    page.wait_for_selector(".plek-popup__pending")
    assert "Wacht op goedkeuring" in page.inner_text(".plek-popup__pending")
    page.screenshot(path=str(artifacts / "resident-pending-marker.png"))
    # Nobody else sees it.
    assert "Mijn bankje" not in page.request.get(live_server + "/api/v1/places").text()

    page.goto(live_server + "/mijn-plekken")
    page.wait_for_selector(".mine-item")
    assert "Wacht op goedkeuring" in page.inner_text(".mine-item")
    page.screenshot(path=str(artifacts / "resident-mijn-plekken.png"))
    page.click(".mine-item a")
    page.wait_for_selector("#edit-quote")
    page.fill("#edit-quote", "Hier drink ik thee.")
    # Tap the small map a little east of the pin: the pin and the fields follow.
    page.wait_for_selector(".pinmap.leaflet-container .pinmap__pin")
    lon_before = float(page.input_value("#edit-lon"))
    page.locator(".pinmap").scroll_into_view_if_needed()
    box = page.locator(".pinmap").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 30, box["y"] + box["height"] / 2)
    page.wait_for_function(f"Number(document.getElementById('edit-lon').value) > {lon_before}")
    moved = float(page.input_value("#edit-lon"))
    page.check("#edit-symbol_icon-boom", force=True)
    page.click("text=Wijzigingen opslaan")
    page.wait_for_selector("text=Opgeslagen.")
    assert page.input_value("#edit-quote") == "Hier drink ik thee."
    assert abs(float(page.input_value("#edit-lon")) - moved) < 1e-6
    assert page.is_checked("#edit-symbol_icon-boom")
    page.screenshot(path=str(artifacts / "resident-manage.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.click("#withdraw-button")
    page.wait_for_selector("#withdrawn")
    page.screenshot(path=str(artifacts / "resident-withdrawn.png"))
    with demo_app.app_context():
        session = get_session()
        left = session.scalar(select(func.count()).where(Place.name == "Mijn bankje"))
    assert left == 0
    page.goto(live_server + "/mijn-plekken")
    page.wait_for_selector("[data-mine-empty]:not([hidden])")
    assert errors == []
