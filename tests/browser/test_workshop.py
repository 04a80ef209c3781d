"""A whole workshop in headless Chromium: the opbouwwerker creates it, three residents on a
phone join by code (one draws a symbol with pointer events, one uses only the keyboard, one
uploads a photo with GPS EXIF), the opbouwwerker approves two and hides one, and the wall
map, open the whole time, shows exactly those two without a reload."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from plekken.db import get_session
from plekken.storage.models import Place
from tests.browser.conftest import csp_page, message, open_page
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
WALL = {"width": 1920, "height": 1080}


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (600, 400), "seagreen")
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (51.0, 49.0, 39.0), 3: "E", 4: (5.0, 51.0, 48.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def create_workshop(page, base) -> str:
    page.goto(base + "/workshops")
    page.fill("#login-email", "opbouw@example.org")
    page.fill("#login-password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(base + "/workshops")
    page.fill("#field-title", "De Goffert, 10 december")
    page.select_option("#field-wijk", "WK026805")
    page.click("text=Workshop maken")
    page.wait_for_url(re.compile(r"/w/[A-Z2-9]{6}/beheer$"))
    return page.url.rstrip("/").split("/")[-2]


def start(page, base, code):
    page.goto(f"{base}/w/{code.lower()}")
    page.click("#start-flow")
    page.wait_for_selector("#flow-map.leaflet-container")
    assert page.locator("#flow-progress").inner_text() == message("flowStep", n=1, m=7)


def next_step(page, n):
    page.click("#flow-next")
    page.wait_for_function(
        "n => document.getElementById('flow-progress').textContent.includes(String(n))", arg=n
    )


def finish(page, artifacts, name):
    page.check("#field-consent")
    page.click("#flow-send")
    page.wait_for_selector("#flow-done:not([hidden])")
    page.screenshot(path=str(artifacts / f"workshop-{name}-klaar.png"))
    assert message("flowPending") in page.locator("#done-status").inner_text()


def resident_draws(page, base, code, artifacts):
    start(page, base, code)
    box = page.locator("#flow-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator("#field-placement").input_value() == "map"
    page.screenshot(path=str(artifacts / "workshop-stap1.png"))
    next_step(page, 2)
    page.fill("#field-name", "Bankje bij de vijver")
    page.fill("#field-story", "Hier groet iedereen elkaar.")
    next_step(page, 3)
    canvas = page.locator("#draw-canvas").bounding_box()
    x, y = canvas["x"] + 40, canvas["y"] + 40
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + step * 20, y + step * 15)
    page.mouse.up()
    page.screenshot(path=str(artifacts / "workshop-tekenen.png"))
    next_step(page, 4)
    # Back and forth: nothing typed is lost.
    page.click("#flow-back")
    page.click("#flow-back")
    assert page.locator("#field-name").input_value() == "Bankje bij de vijver"
    next_step(page, 3)
    next_step(page, 4)
    page.fill("#field-quote", "Hier zit altijd iemand.")
    next_step(page, 5)
    page.check("#type-verbindend")
    next_step(page, 6)
    next_step(page, 7)
    finish(page, artifacts, "tekenaar")


def resident_with_keyboard(page, base, code, artifacts):
    start(page, base, code)
    page.focus("#field-buurt")
    page.keyboard.press("ArrowDown")  # the first buurt of the list
    assert page.locator("#field-placement").input_value() == "list"

    def tab_to(selector):
        for _ in range(60):
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
            page.keyboard.press("Tab")
        raise AssertionError(f"{selector} not reached with Tab")

    tab_to("#flow-next")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    tab_to("#field-name")
    page.keyboard.type("Buurthuis De Klokketoren")
    tab_to("#flow-next")
    page.keyboard.press("Enter")
    tab_to("input[name=symbol_kind][value=draw]")
    page.keyboard.press("ArrowDown")  # a built-in picture
    tab_to("input[name=symbol_icon]")
    page.keyboard.press("Space")
    tab_to("#flow-next")
    page.keyboard.press("Enter")
    tab_to("#field-quote")
    page.keyboard.type("Koffie en een praatje.")
    tab_to("#flow-next")
    page.keyboard.press("Enter")
    tab_to("#type-functioneel")
    page.keyboard.press("Space")
    tab_to("#flow-next")
    page.keyboard.press("Enter")
    tab_to("#flow-next")
    page.keyboard.press("Enter")
    tab_to("#field-consent")
    page.keyboard.press("Space")
    tab_to("#flow-send")
    page.keyboard.press("Enter")
    page.wait_for_selector("#flow-done:not([hidden])")


def resident_with_photo(page, base, code, artifacts):
    start(page, base, code)
    box = page.locator("#flow-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 10, box["y"] + box["height"] / 2 + 10)
    next_step(page, 2)
    page.fill("#field-name", "Reclame voor mijn winkel")
    next_step(page, 3)
    page.check("input[name=symbol_kind][value=photo]")
    page.set_input_files(
        "#field-photo", files=[{"name": "foto.jpg", "mimeType": "image/jpeg",
                                "buffer": photo_with_gps()}],
    )  # fmt: skip
    next_step(page, 4)
    next_step(page, 5)
    page.check("#type-functioneel")
    next_step(page, 6)
    next_step(page, 7)
    finish(page, artifacts, "foto")


def moderate(leader, found, actions):
    """One tap per place on the facilitator's page; the page comes back without it."""
    for name, action in actions:
        item = leader.locator(f"#plek-{found[name].id}")
        item.locator(f"button[data-action={action}]").click()
        leader.wait_for_selector(f"#plek-{found[name].id}", state="detached")


def places_named(app) -> dict[str, Place]:
    with app.app_context():
        session = get_session()
        query = select(Place).where(Place.workshop_id.is_not(None))
        return {p.name: p for p in session.scalars(query)}


def test_a_whole_workshop(browser, live_server, demo_app, artifacts):
    make_user(demo_app, "opbouw@example.org", "opbouwwerker", ["GM0268"])
    leader = open_page(browser, {"width": 1280, "height": 900})
    code = create_workshop(leader, live_server)
    # The printed sheet's QR code (the SVG, as the browser draws it) leads to the join page.
    leader.goto(f"{live_server}/w/{code}/blad")
    qr = leader.locator(".sheet-qr").screenshot()
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr)))]
    assert decoded == [f"{live_server}/w/{code}"]
    leader.screenshot(path=str(artifacts / "workshop-blad.png"), full_page=True)
    wall = open_page(browser, WALL)
    wall.goto(f"{live_server}/w/{code}/muur")
    wall.wait_for_selector("#wall-map.leaflet-container")
    wall.screenshot(path=str(artifacts / "workshop-muur-leeg.png"))

    phones = {}
    for resident in (resident_with_keyboard, resident_with_photo):
        phones[resident] = open_page(browser, PHONE)
        resident(phones[resident], live_server, code, artifacts)
    found = places_named(demo_app)
    leader.goto(f"{live_server}/w/{code}/beheer")
    moderate(leader, found, [("Buurthuis De Klokketoren", "approve"),
                             ("Reclame voor mijn winkel", "hide")])  # fmt: skip

    # The third resident draws; afterwards they say "ook voor mij" of the approved place.
    drawer = open_page(browser, PHONE)
    resident_draws(drawer, live_server, code, artifacts)
    klokketoren = found["Buurthuis De Klokketoren"].id
    button = drawer.locator(f".endorse-button[data-place-id='{klokketoren}']")
    button.click()
    drawer.wait_for_selector(f".endorse-button[data-place-id='{klokketoren}'][aria-pressed=true]")
    drawer.screenshot(path=str(artifacts / "workshop-ook-voor-mij.png"), full_page=True)
    shared = drawer.request.get(f"{live_server}/api/v1/places/{klokketoren}").json()
    assert shared["properties"]["endorsements"] == 1

    found = places_named(demo_app)
    assert set(found) == {"Bankje bij de vijver", "Buurthuis De Klokketoren",
                          "Reclame voor mijn winkel"}  # fmt: skip
    assert [found[n].placement for n in sorted(found)] == ["map", "list", "map"]
    assert found["Bankje bij de vijver"].symbol_image_id is not None  # the drawing
    with demo_app.app_context():
        photo = get_session().get(Place, found["Reclame voor mijn winkel"].id).symbol_image
        stored = Image.open(io.BytesIO(photo.png))
        assert stored.format == "PNG" and not stored.getexif()
    leader.goto(f"{live_server}/w/{code}/beheer")
    moderate(leader, found, [("Bankje bij de vijver", "approve")])
    leader.screenshot(path=str(artifacts / "workshop-begeleider.png"), full_page=True)
    for page in (*phones.values(), drawer):
        assert page.errors == []

    wall.wait_for_function("document.getElementById('wall').dataset.places === '2'", timeout=20000)
    wall.wait_for_selector("#wall-spotlight:not([hidden])")
    wall.screenshot(path=str(artifacts / "workshop-muur.png"))
    assert wall.locator("#wall-total").inner_text() == "2"
    assert wall.errors == [] and leader.errors == []


def test_workshop_pages_work_under_the_content_security_policy(browser, live_server, demo_app):
    from plekken.services import workshops
    from plekken.services.accounts import viewer_of
    from plekken.storage.models import User

    make_user(demo_app, "csp-w@example.org", "opbouwwerker", ["GM0268"])
    with demo_app.app_context():
        session = get_session()
        user = session.scalar(select(User).where(User.email == "csp-w@example.org"))
        code = workshops.create_workshop(
            session, viewer_of(user), wijk="WK026805", title="Onder de policy"
        ).code
    page, problems = csp_page(browser)  # the policy enforced, not bypassed
    page.goto(live_server + "/inloggen")
    page.fill("#login-email", "csp-w@example.org")
    page.fill("#login-password", PASSWORD)
    page.click("button[type=submit]")
    for path in ("", "/plek", "/muur", "/blad", "/beheer"):
        page.goto(f"{live_server}/w/{code}{path}")
        page.wait_for_load_state("load")
    page.goto(f"{live_server}/workshops")
    page.goto(f"{live_server}/w/{code}/plek")
    page.wait_for_selector("#flow-map.leaflet-container")
    assert problems == []
