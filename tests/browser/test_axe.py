"""Every page and state passes axe-core on a phone and on a desktop.

Zero violations of impact moderate or worse, for WCAG 2.0/2.1/2.2 A and AA and axe's best
practices. The pages come from the app's URL map: a page without an entry here fails
``test_every_page_has_an_entry``, so a new page cannot slip past these checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from werkzeug.exceptions import HTTPException

from tests.browser.a11y import VIEWPORTS, axe_path, axe_violations, browser_page, describe
from tests.factories import PASSWORD, bearer, make_user, place_data

pytestmark = pytest.mark.browser

WIJK = "/wijk/WK026805"
GEMEENTE = "/gemeente/GM0268"
GOFFERT = "BU02680512"


@dataclass(frozen=True)
class State:
    """How to bring a page into one state worth checking."""

    open: Callable
    javascript: bool = True
    lang: str = "nl"
    #: The HTTP status of an error page.
    error: int | None = None


def _map_page(url: str) -> Callable:
    def open_(page, base):
        page.goto(base + url)
        page.wait_for_function("window.plekken && window.plekken.map")
        page.wait_for_selector("[data-place-id]")

    return open_


def _plain(url: str) -> Callable:
    def open_(page, base):
        page.goto(base + url)

    return open_


def _pin_placed(page, base):
    _map_page(WIJK)(page, base)
    page.select_option("#field-buurt_pick", GOFFERT)
    page.wait_for_selector('[data-draft="true"]')


def _pin_outside(page, base):
    """The question asked when the pin lands outside the wijk's buurten."""
    _map_page(WIJK)(page, base)
    page.evaluate("() => window.plekken.setDraft([51.85, 5.80], 'click')")
    page.wait_for_selector("#outside-question")


def _errors_with_javascript(page, base):
    _map_page(WIJK)(page, base)
    page.click("#place-form-submit")
    page.locator("#place-form-errors").wait_for(state="visible")


def _errors_without_javascript(page, base):
    page.goto(base + WIJK)
    page.click("#place-form-submit")
    page.locator("#place-form-errors").wait_for(state="visible")


def _popup_open(page, base):
    _map_page(WIJK)(page, base)
    page.evaluate(
        "() => { const app = window.plekken; let first = null;"
        " app.layer.eachLayer(m => { if (!first && m.getPopup && m.getPopup()) first = m; });"
        " first.openPopup(); }"
    )
    page.wait_for_selector(".leaflet-popup-content .plek-popup__name")
    # On a phone the map pans to fit the popup: check the page once it stands still.
    page.evaluate(
        "() => new Promise((done) => { window.plekken.map.once('moveend', done);"
        " setTimeout(done, 1000); })"
    )


def _export_menu(page, base):
    _map_page(WIJK)(page, base)
    page.click("#exporteren > summary")
    page.wait_for_selector("#exporteren .export-form select")


def _analysis(layer: str) -> Callable:
    def open_(page, base):
        _map_page(WIJK)(page, base)
        page.click("#analysis > summary")
        page.wait_for_selector("#analysis-table-wrap table tbody tr")
        if layer != "none":
            page.check(f'#analysis-form input[name="layer"][value="{layer}"]')
            page.wait_for_function(
                "() => document.querySelector('.analysis-legend')"
                " && !document.getElementById('analysis').classList.contains('is-loading')"
            )

    return open_


#: An opbouwwerker of the demo gemeente, and the places the checks below open.
MODERATOR = "axe-opbouwwerker@example.org"
FIXTURES: dict[str, object] = {}


@pytest.fixture(scope="module", autouse=True)
def people_and_places(demo_server):
    """An opbouwwerker's account and pending places with their owner tokens."""
    from plekken import storage
    from plekken.db import get_session

    app, _ = demo_server
    token = make_user(app, MODERATOR, "opbouwwerker", ["GM0268"])
    with app.app_context():
        buurt = storage.areas_frame(get_session(), level="buurt", parent=WIJK.rsplit("/", 1)[1])
        point = buurt.to_crs(28992).representative_point().to_crs(4326).iloc[0]
    client = app.test_client()
    posted = []
    for _ in range(1 + len(VIEWPORTS)):  # one to look at, one to withdraw per viewport
        answer = client.post("/api/v1/places", json=place_data(lon=point.x, lat=point.y))
        assert answer.status_code == 201, answer.get_data(as_text=True)
        posted.append(answer.get_json())
    FIXTURES["manage"], FIXTURES["withdraw"] = posted[0], posted[1:]
    FIXTURES["workshop"], FIXTURES["closed_workshop"] = _workshops(app, client, point)
    FIXTURES["action"] = _finding_and_action(client, token, point, posted[0]["id"])
    yield
    FIXTURES.clear()


def _workshops(app, client, point) -> tuple[str, str]:
    """An open workshop with a place waiting for approval, and a closed one."""
    from plekken.db import get_session
    from plekken.services import workshops
    from plekken.services.accounts import viewer_of
    from plekken.storage import user_by_email

    with app.app_context():
        session = get_session()
        owner = viewer_of(user_by_email(session, MODERATOR))
        codes = [workshops.create_workshop(session, owner, wijk=WIJK.rsplit("/", 1)[1],
                                           title=f"Workshop {n}").code for n in (1, 2)]  # fmt: skip
        workshops.set_closed(session, workshops.find_workshop(session, codes[1]), True)
    answer = client.post("/api/v1/places",
                         json=place_data(lon=point.x, lat=point.y, workshop=codes[0]))  # fmt: skip
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return codes[0], codes[1]


def _finding_and_action(client, token: str, point, place_id: int) -> dict:
    """A finding with a place and a withdrawn one as evidence, and an action under way."""
    gone = client.post("/api/v1/places", json=place_data(lon=point.x, lat=point.y)).get_json()
    finding = client.post("/api/v1/findings", headers=bearer(token), json={
        "wijk": WIJK.rsplit("/", 1)[1], "text": "Jongeren hebben geen plek om af te spreken.",
        "places": [place_id, gone["id"]], "buurten": [GOFFERT], "function_type": "verbindend",
        "conditions": ["sociale_cohesie"],
    }).get_json()  # fmt: skip
    client.delete(f"/api/v1/places/{gone['id']}", headers=bearer(gone["owner_token"]))
    action = client.post("/api/v1/actions", headers=bearer(token), json={
        "wijk": WIJK.rsplit("/", 1)[1], "title": "Jongerenavond", "who": "Buurtteam",
        "findings": [finding["id"]], "starts": "2027-01-10",
    }).get_json()  # fmt: skip
    client.post(f"/api/v1/actions/{action['id']}/updates", headers=bearer(token),
                json={"text": "Eerste avond gehouden.", "status": "bezig"})  # fmt: skip
    return action


def _action_errors(page, base):
    page.goto(f"{base}/actie/{FIXTURES['action']['owner_token']}")
    page.click("#update-submit")
    page.wait_for_selector("#update-errors")


def _doing_writer(page, base):
    """The doen page of a moderator with the finding form opened and sent empty."""
    _logged_in(lambda: WIJK + "/doen")(page, base)
    page.click(".doing-form > summary")
    page.click(".doing-action-form > summary")
    page.click("#finding-submit")
    page.wait_for_selector("#finding-errors")
    page.click(".doing-action-form > summary")


def _workshop(path: str = "") -> Callable:
    def open_(page, base):
        page.goto(f"{base}/w/{FIXTURES['workshop']}{path}")
        if path in ("/plek", "/muur"):
            page.wait_for_selector(".leaflet-container", state="attached")

    return open_


def _flow_about(page, base):
    """The flow's optional step with "Waar woon je?" and the age band, shown directly."""
    _workshop("/plek")(page, base)
    page.evaluate(
        "() => document.querySelectorAll('.flow-step')"
        ".forEach((s) => { s.hidden = s.dataset.step !== '6'; })"
    )
    # At the end of the step the sticky buttons stand in their own place, over nothing.
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")


def _reach_table(path: str) -> Callable:
    def open_(page, base):
        _map_page(path)(page, base)
        page.click("#reach > summary")
        page.wait_for_selector("#reach .reach-table tbody tr")

    return open_


def _flow_errors() -> Callable:
    def open_(page, base):
        _workshop("/plek")(page, base)
        page.click("#flow-next")  # "Volgende" without a place: the message
        page.wait_for_selector("#flow-errors:not([hidden])")

    return open_


def _logged_in(path: Callable[[], str]) -> Callable:
    def open_(page, base):
        page.goto(f"{base}/inloggen")
        page.fill("#login-email", MODERATOR)
        page.fill("#login-password", PASSWORD)
        page.click("form.login-form button[type=submit]")
        page.wait_for_load_state()
        page.goto(base + path())

    return open_


def _login_refused(page, base):
    page.goto(f"{base}/inloggen")
    page.fill("#login-email", MODERATOR)
    page.fill("#login-password", "niet het wachtwoord")
    page.click("form.login-form button[type=submit]")
    page.wait_for_selector(".form-error")


def _owner_page(page, base):
    page.goto(f"{base}/plek/{FIXTURES['manage']['owner_token']}")


def _withdrawn(page, base):
    page.goto(f"{base}/plek/{FIXTURES['withdraw'].pop()['owner_token']}")
    page.click("#withdraw-button")
    page.wait_for_load_state()


STATES: dict[str, State] = {
    "index": State(_plain("/")),
    "index-english": State(_plain("/?lang=en"), lang="en"),
    "gemeente": State(_map_page(GEMEENTE)),
    "wijk": State(_map_page(WIJK)),
    "wijk-english": State(_map_page(WIJK + "?lang=en"), lang="en"),
    "wijk-without-javascript": State(_plain(WIJK), javascript=False),
    "pin-placed": State(_pin_placed),
    "pin-outside": State(_pin_outside),
    "form-errors": State(_errors_with_javascript),
    "form-errors-without-javascript": State(_errors_without_javascript, javascript=False),
    "popup-open": State(_popup_open),
    "analysis-table": State(_analysis("none")),
    "analysis-coverage": State(_analysis("coverage")),
    "analysis-surface": State(_analysis("surface")),
    "analysis-gaps": State(_analysis("gaps")),
    "export-menu": State(_export_menu),
    "reach-table": State(_reach_table(WIJK)),
    "reach-table-gemeente": State(_reach_table(GEMEENTE)),
    "not-found": State(_plain("/wijk/WK999999"), error=404),
    "not-found-english": State(_plain("/wijk/WK999999?lang=en"), lang="en", error=404),
    "method-not-allowed": State(_plain(WIJK + "/plekken"), error=405),
    "login": State(_plain("/inloggen")),
    "login-refused": State(_login_refused),
    "moderation": State(_logged_in(lambda: "/beheer")),
    "moderation-place": State(_logged_in(lambda: f"/beheer/plekken/{FIXTURES['manage']['id']}")),
    "owner-page": State(_owner_page),
    "withdrawn": State(_withdrawn),
    "my-places": State(_plain("/mijn-plekken")),
    "privacy": State(_plain("/privacy")),
    "statement": State(_plain("/toegankelijkheid")),
    "statement-english": State(_plain("/toegankelijkheid?lang=en"), lang="en"),
    "workshop-join": State(_workshop()),
    "workshop-code": State(_plain("/w")),
    "workshop-unknown": State(_plain("/w/ZZZZZZ")),
    "workshop-closed": State(
        lambda page, base: page.goto(f"{base}/w/{FIXTURES['closed_workshop']}")
    ),  # fmt: skip
    "workshop-sheet": State(_workshop("/blad")),
    "workshop-flow-place": State(_workshop("/plek")),
    "workshop-flow-errors": State(_flow_errors()),
    "workshop-flow-about": State(_flow_about),
    "workshop-wall": State(_workshop("/muur")),
    "workshop-facilitator": State(_logged_in(lambda: f"/w/{FIXTURES['workshop']}/beheer")),
    "workshops": State(_logged_in(lambda: "/workshops")),
    "compare-wijk": State(_plain(WIJK + "/vergelijk")),
    "compare-gemeente-sorted": State(_plain(GEMEENTE + "/vergelijk?sort=n_places&order=desc")),
    "compare-english": State(_plain(WIJK + "/vergelijk?lang=en"), lang="en"),
    "wijk-doing": State(_plain(WIJK + "/doen")),
    "wijk-doing-english": State(_plain(WIJK + "/doen?lang=en"), lang="en"),
    "all-actions": State(_plain("/acties?status=bezig")),
    "action-manage": State(
        lambda page, base: page.goto(f"{base}/actie/{FIXTURES['action']['owner_token']}")
    ),  # fmt: skip
    "action-manage-errors": State(_action_errors),
    "wijk-doing-writer": State(_doing_writer),
}

#: The states that check each page of the app (by endpoint).
PAGES: dict[str, tuple[str, ...]] = {
    "web.index": ("index", "index-english"),
    "web.gemeente": ("gemeente", "reach-table-gemeente"),
    "web.wijk": (
        "wijk",
        "wijk-english",
        "wijk-without-javascript",
        "pin-placed",
        "pin-outside",
        "form-errors",
        "popup-open",
        "analysis-table",
        "analysis-coverage",
        "analysis-surface",
        "analysis-gaps",
        "export-menu",
        "reach-table",
    ),
    "web.add_place_wijk": ("form-errors-without-javascript", "method-not-allowed"),
    "web.add_place_gemeente": ("form-errors-without-javascript",),
    "web.login": ("login", "login-refused"),
    "web.moderation_page": ("moderation",),
    "web.moderate_edit": ("moderation-place",),
    "web.manage_place": ("owner-page",),
    "web.withdraw_place": ("withdrawn",),
    "web.my_places": ("my-places",),
    "web.privacy": ("privacy",),
    "web.accessibility": ("statement", "statement-english"),
    "web.join_workshop": ("workshop-join", "workshop-unknown", "workshop-closed"),
    "web.enter_code": ("workshop-code",),
    "web.workshop_sheet": ("workshop-sheet",),
    "web.workshop_flow": ("workshop-flow-place", "workshop-flow-errors", "workshop-flow-about"),
    "web.workshop_wall": ("workshop-wall",),
    "web.workshop_facilitator": ("workshop-facilitator",),
    "web.workshops_page": ("workshops",),
    "web.compare_wijk": ("compare-wijk", "compare-english"),
    "web.compare_gemeente": ("compare-gemeente-sorted",),
    "web.wijk_doing": ("wijk-doing", "wijk-doing-english"),
    "web.write_finding": ("wijk-doing-writer",),
    "web.all_actions": ("all-actions",),
    "web.manage_action": ("action-manage", "action-manage-errors"),
}

#: Endpoints that answer something other than a page for people, and why.
NOT_PAGES: dict[str, str] = {
    "static": "style sheets, scripts and images",
    "web.symbol_image": "a PNG image",
    "web.wijk_poster": "a download: the wijk as a PDF or PNG poster or an offline HTML map",
    "web.wijk_report": "a download: the wijkverslag as a PDF",
    "web.where": "JSON for the map page's script: the wijk that holds a point",
    "web.logout": "a form's action that leads back to the start page",
    "web.moderate_place": "a form's action that leads back to the moderation page",
    "web.approve_many": "a form's action that leads back to the moderation page",
    "health.healthz": "JSON for whoever runs the server: the process answers",
    "health.readyz": "JSON for whoever runs the server: database and migrations ready",
    "web.workshop_qr_png": "a QR code image",
    "web.workshop_qr_svg": "a QR code image",
    "web.compare_chart_wijk": "a chart of the comparison page, as SVG or PNG",
    "web.compare_chart_gemeente": "a chart of the comparison page, as SVG or PNG",
    "web.compare_csv_wijk": "a download: the comparison table as CSV",
    "web.compare_csv_gemeente": "a download: the comparison table as CSV",
    "web.moderate_doing": "a form's action that leads back to the doen page",
    "web.write_action": "a form's action that leads to the new action's private page "
    "(its errors show the doen page, checked with write_finding)",
}
#: The API answers JSON (its errors too), never HTML.
NOT_PAGE_BLUEPRINTS = ("api.",)
#: Error pages, checked on their own (not reached through an endpoint).
ERROR_STATES = ("not-found", "not-found-english")


def _has_own_error_page(app, status: int) -> bool:
    """Whether the app renders ``status`` itself (rather than Werkzeug's bare default)."""
    handlers = app.error_handler_spec.get(None, {})  # Flask fills in empty dicts on lookup
    return bool(handlers.get(status)) or any(
        issubclass(exc, HTTPException) for exc in handlers.get(None, {})
    )


def test_every_page_has_an_entry(demo_server):
    app, _ = demo_server
    missing = sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in PAGES
        and rule.endpoint not in NOT_PAGES
        and not rule.endpoint.startswith(NOT_PAGE_BLUEPRINTS)
    )
    assert not missing, (
        "these endpoints have no entry in the accessibility check: add the states that show "
        f"their pages to PAGES in {__file__} (or the reason they are no page to NOT_PAGES): "
        f"{missing}"
    )
    listed = {s for states in PAGES.values() for s in states} | set(ERROR_STATES)
    assert listed <= set(STATES)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("state", list(STATES))
def test_no_violations(browser, demo_server, state, viewport):
    axe_path()
    app, base = demo_server
    spec = STATES[state]
    with browser_page(browser, viewport, javascript=spec.javascript, lang=spec.lang) as page:
        spec.open(page, base)
        violations = axe_violations(page)
        if violations and spec.error and not _has_own_error_page(app, spec.error):
            pytest.xfail(f"no page of our own for {spec.error} yet (Werkzeug's default)")
        assert not violations, f"axe finds on {state} ({viewport}):\n{describe(violations)}"
        assert page.errors == []
