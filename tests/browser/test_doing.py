"""Van praten naar doen in headless Chromium: a resident opens an action's private link on a
phone, marks it ``bezig`` with an update, and the wijk's "doen" page shows it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CONTEXT_OPTIONS, only_local
from tests.factories import bearer, make_user

pytestmark = pytest.mark.browser

WIJK = "WK026805"
PHONE = {"width": 390, "height": 844}


def _action(app) -> str:
    """An opbouwwerker's finding and action in the demo wijk; the action's private token."""
    token = make_user(app, "doen@example.org", "opbouwwerker", ["GM0268"])
    client = app.test_client()
    finding = client.post("/api/v1/findings", headers=bearer(token), json={
        "wijk": WIJK, "text": "Jongeren hebben geen plek om af te spreken.",
        "function_type": "verbindend",
    })  # fmt: skip
    assert finding.status_code == 201, finding.get_json()
    action = client.post("/api/v1/actions", headers=bearer(token), json={
        "wijk": WIJK, "title": "Moestuin bij de school", "who": "Fatima en buren",
        "findings": [finding.get_json()["id"]],
    })  # fmt: skip
    assert action.status_code == 201, action.get_json()
    return action.get_json()["owner_token"]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_resident_marks_an_action_bezig_on_a_phone(
    browser, demo_app, live_server, artifacts, javascript
):
    token = _action(demo_app)
    context = browser.new_context(
        viewport=PHONE, has_touch=True, is_mobile=True, java_script_enabled=javascript,
        **CONTEXT_OPTIONS,
    )  # fmt: skip
    context.route("**/*", only_local)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{live_server}/actie/{token}")
        assert page.locator("h1").inner_text() == "Mijn actie: Moestuin bij de school"
        # Saving without a text names the field, in Dutch, and changes nothing.
        page.select_option("#update-status", "bezig")
        page.click("#update-submit")
        assert "Wat is er gebeurd?: Vul dit in." in page.locator("#error-text").inner_text()
        assert page.locator("#action-status strong").inner_text() == "Idee"
        page.select_option("#update-status", "bezig")
        page.fill("#update-text", "De eerste bakken staan er. Zaterdag <planten> we!")
        page.click("#update-submit")
        page.wait_for_selector(".form-success")
        assert page.locator("#action-status strong").inner_text() == "Bezig"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the page must not scroll sideways on a phone"
        page.screenshot(path=str(artifacts / f"action-phone-{javascript}.png"), full_page=True)
        page.goto(f"{live_server}/wijk/{WIJK}/doen")
        action = page.locator(".doing-item--action", has_text="Moestuin bij de school")
        assert action.locator(".action-status").first.inner_text() == "Bezig"
        assert "De eerste bakken staan er. Zaterdag <planten> we!" in action.inner_text()
        assert "Jongeren hebben geen plek om af te spreken." in page.content()
        page.screenshot(path=str(artifacts / f"doing-phone-{javascript}.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
