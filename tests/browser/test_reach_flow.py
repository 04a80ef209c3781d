"""The workshop flow on a phone sends the resident's home buurt, age band and anonymous
contributor key with their place and with their "ook voor mij"; only the key's hash is
stored, and the same person keeps the same key."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from plekken.db import get_session
from plekken.services import workshops
from plekken.services.accounts import viewer_of
from plekken.storage.models import Endorsement, Place, User
from tests.browser.conftest import open_page
from tests.browser.test_workshop import PHONE, next_step, start
from tests.factories import make_user, place_data

pytestmark = pytest.mark.browser


def open_workshop(app) -> tuple[str, int]:
    """An unmoderated workshop in WK026805 with one place someone else pinned."""
    make_user(app, "reach@example.org", "opbouwwerker", ["GM0268"])
    with app.app_context():
        session = get_session()
        user = session.scalar(select(User).where(User.email == "reach@example.org"))
        code = workshops.create_workshop(
            session, viewer_of(user), wijk="WK026805", title="Wie bereiken we", moderated=False
        ).code
    client = app.test_client()
    body = place_data(lon=5.8655, lat=51.8275, name="Speeltuin", workshop=code)
    answer = client.post("/api/v1/places", json=body)
    assert answer.status_code == 201, answer.get_json()
    return code, answer.get_json()["id"]


def test_flow_sends_home_buurt_age_band_and_key(browser, live_server, demo_app, artifacts):
    code, other = open_workshop(demo_app)
    page = open_page(browser, PHONE)
    start(page, live_server, code)
    page.select_option("#field-buurt", index=1)
    next_step(page, 2)
    page.fill("#field-name", "Bankje bij de kerk")
    next_step(page, 3)
    next_step(page, 4)
    next_step(page, 5)
    page.check("#type-verbindend")
    next_step(page, 6)
    home = page.locator("#field-home_buurt option").nth(2).get_attribute("value")
    assert home.startswith("BU0268")
    page.select_option("#field-home_buurt", home)
    page.select_option("#field-age_band", "65+")
    page.screenshot(path=str(artifacts / "reach-over-jou.png"), full_page=True)
    next_step(page, 7)
    page.check("#field-consent")
    page.click("#flow-send")
    page.wait_for_selector("#flow-done:not([hidden])")
    key = page.evaluate("window.localStorage.getItem('plekken:bijdrager')")
    assert len(key) == 32
    digest = hashlib.sha256(key.encode()).hexdigest()
    button = page.locator(f".endorse-button[data-place-id='{other}']")
    button.click()
    page.wait_for_selector(f".endorse-button[data-place-id='{other}'][aria-pressed=true]")
    # The next place of the same person starts with the same answers about them.
    page.click("#flow-again")
    assert page.locator("#field-home_buurt").input_value() == home
    assert page.errors == []
    with demo_app.app_context():
        session = get_session()
        place = session.scalar(select(Place).where(Place.name == "Bankje bij de kerk"))
        assert (place.home_buurt, place.age_band) == (home, "65+")
        assert place.contributor_key_hash == digest
        endorsement = session.scalar(select(Endorsement).where(Endorsement.place_id == other))
        assert endorsement.contributor_key_hash == digest
        assert (endorsement.home_buurt, endorsement.age_band) == (home, "65+")
