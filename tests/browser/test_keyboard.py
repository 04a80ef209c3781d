"""A keyboard user reaches the add-place form in a few Tab presses and saves a place.

The skip links (GOV.UK and NL Design System pattern) come first on the map pages; the
buurt outlines stay out of the tab order (the buurt list in the form serves instead), and
the markers are one tab stop (see test_map_density.py).
"""

from __future__ import annotations

import pytest

from tests.browser.a11y import browser_page
from tests.browser.conftest import message

pytestmark = pytest.mark.browser

WIJK = "/wijk/WK026805"
GEMEENTE = "/gemeente/GM0268"
#: The issue's goal: the form's first field in at most ten Tab presses from page load.
MOST_TABS = 10
FIRST_FIELD = "#field-buurt_pick"


def focused(page) -> str:
    """A short description of the element that has the focus."""
    return page.evaluate(
        "() => { const e = document.activeElement; if (!e || e === document.body) return 'body';"
        " return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')"
        " + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : '')"
        " + ' ' + (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40); }"
    )


def tab_to(page, selector: str, limit: int = 60) -> int:
    """Press Tab until ``selector`` has the focus; the number of presses it took."""
    path = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
        path.append(focused(page))
    raise AssertionError(f"{selector} not reached in {limit} Tab presses: {path}")


def open_map(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.plekken && window.plekken.map")
    page.wait_for_selector("[data-place-id]")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("path", [WIJK, GEMEENTE], ids=["wijk", "gemeente"])
def test_form_in_ten_tabs(browser, demo_server, path, viewport):
    _, base = demo_server
    with browser_page(browser, viewport) as page:
        open_map(page, base + path)
        first = tab_to(page, ".skip-link[href='#add-place']")
        page.keyboard.press("Enter")
        presses = first + tab_to(page, FIRST_FIELD)
        print(f"{path} ({viewport}): the form's first field after {presses} Tab presses")
        assert presses <= MOST_TABS
        assert page.errors == []


@pytest.mark.parametrize("path", [WIJK, GEMEENTE], ids=["wijk", "gemeente"])
def test_skip_past_the_map(browser, demo_server, path):
    """The link "Kaart overslaan" leads to the side pane, past every control of the map."""
    _, base = demo_server
    with browser_page(browser) as page:
        open_map(page, base + path)
        tab_to(page, ".skip-link[href='#side-pane']", limit=3)
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        inside = page.evaluate(
            "() => document.getElementById('side-pane').contains(document.activeElement)"
        )
        assert inside, focused(page)


def test_buurt_outlines_not_in_tab_order(browser, demo_server):
    _, base = demo_server
    with browser_page(browser) as page:
        open_map(page, base + WIJK)
        reachable = page.evaluate(
            "() => [...document.querySelectorAll('path.leaflet-interactive')]"
            ".filter(p => p.tabIndex >= 0 || p.getAttribute('tabindex') !== '-1').length"
        )
        assert reachable == 0


def test_keyboard_only_walk_to_a_saved_place(browser, demo_server):
    """From page load to a saved place with the keyboard alone, counting the Tab presses."""
    _, base = demo_server
    with browser_page(browser) as page:
        open_map(page, base + WIJK)
        tabs = tab_to(page, ".skip-link[href='#add-place']")
        page.keyboard.press("Enter")
        tabs += tab_to(page, FIRST_FIELD)
        page.keyboard.press("ArrowDown")  # the first buurt: the pin goes to its middle
        page.wait_for_selector('[data-draft="true"]')
        tabs += tab_to(page, "#field-name")
        page.keyboard.type("Bankje bij de vijver")
        tabs += tab_to(page, "#field-function_types-verbindend")
        page.keyboard.press("Space")
        tabs += tab_to(page, "#field-consent")
        page.keyboard.press("Space")
        tabs += tab_to(page, "#place-form-submit")
        page.keyboard.press("Enter")
        page.wait_for_selector(".notice--success")
        print(f"keyboard walk to a saved place: {tabs} Tab presses")
        assert page.locator(".notice--success").inner_text().strip() in {
            message("successPending"),
            message("successPublished"),
        }
        assert page.evaluate("() => document.activeElement.closest('.notice--success') !== null")
        assert page.errors == []
