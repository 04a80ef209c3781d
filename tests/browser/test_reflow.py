"""Reflow (WCAG 1.4.4, 1.4.10, 1.4.12): large text, wide spacing and a 320 px screen.

At 200 % text size on a 390 px phone, with WCAG's text-spacing overrides, and at 320 CSS px,
nothing scrolls sideways (the document's scroll width) and the map's controls — the type
legend, the layer button, the attribution — and the form's cards stay inside the screen
without overlapping each other (their boxes).
"""

from __future__ import annotations

import json

import pytest

from tests.browser.a11y import browser_page

pytestmark = pytest.mark.browser

WIJK = "/wijk/WK026805"
GEMEENTE = "/gemeente/GM0268"

#: A phone's largest text setting, approximated by doubling the root font size.
LARGE_TEXT = "html { font-size: 200% !important; }"
#: WCAG 2.2 success criterion 1.4.12 (text spacing): what people may set without loss.
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
)
CASES = {
    "text-200": (390, LARGE_TEXT),
    "text-spacing": (390, TEXT_SPACING),
    "text-200-spacing": (390, LARGE_TEXT + TEXT_SPACING),
    "320px": (320, ""),
}
#: Map controls that must stay whole and apart.
CONTROLS = {
    "legend": ".plek-filter",
    "layers": ".leaflet-control-layers",
    "attribution": ".leaflet-control-attribution",
    "zoom": ".leaflet-control-zoom",
    "list": ".place-list-toggle",
}
#: Form parts that must stay inside the screen.
CARDS = ".choice, .symbol-tile, .form-group, .wijk-card, .analysis-panel, .error-summary"

MEASURE = """([controls, cards]) => {
  const width = document.documentElement.clientWidth;
  const name = el => `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]}`;
  const boxes = {};
  for (const [key, selector] of Object.entries(controls)) {
    const el = document.querySelector(selector);
    if (!el || !el.getClientRects().length) continue;
    const r = el.getBoundingClientRect();
    boxes[key] = {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  }
  const cut = [];
  for (const el of document.querySelectorAll(cards)) {
    if (!el.getClientRects().length) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -0.5 || r.right > width + 0.5)
      cut.push(`${name(el)} ${Math.round(r.left)}–${Math.round(r.right)}`);
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      cut.push(`${name(el)} scrolls sideways`);
  }
  // The innermost elements that reach past the right edge: where to look first.
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right <= width + 0.5 || !el.getClientRects().length) continue;
    if (el.closest('.leaflet-pane, .visually-hidden')) continue;
    if ([...el.children].some(c => c.getBoundingClientRect().right > width + 0.5)) continue;
    wide.push(`${name(el.parentElement)} > ${name(el)} ${Math.round(r.right)}`);
  }
  return {
    wide: wide.slice(0, 12),
    overflow: document.documentElement.scrollWidth - width,
    width, boxes, cut,
  };
}"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def _measure(page) -> dict:
    return page.evaluate(MEASURE, [CONTROLS, CARDS])


def _check(measured: dict, where: str) -> None:
    assert measured["overflow"] <= 0, (
        f"{where}: scrolls sideways by {measured['overflow']} px: {measured['wide']}"
    )
    assert measured["cut"] == [], f"{where}: cut off: {measured['cut']}"
    width = measured["width"]
    boxes = measured["boxes"]
    for name, box in boxes.items():
        assert box["left"] >= -0.5 and box["right"] <= width + 0.5, f"{where}: {name} {box}"
    names = sorted(boxes)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not _overlap(boxes[first], boxes[second]), (
                f"{where}: {first} and {second} overlap: {boxes[first]} {boxes[second]}"
            )


#: Adds a style sheet as soon as the document has a <head>: as a person's own settings, in
#: force before the page's scripts measure anything.
USER_STYLE = """css => new MutationObserver((_, observer) => {
  if (!document.head) return;
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
  observer.disconnect();
}).observe(document, {childList: true, subtree: true})"""


def _open(page, url: str, css: str) -> None:
    if css:
        page.add_init_script(f"({USER_STYLE})({json.dumps(css)})")
    page.goto(url)
    if "/wijk/" in url or "/gemeente/" in url:
        page.wait_for_function(
            "window.plekken && window.plekken.map && window.plekken.markersShown"
        )
        page.evaluate("() => window.plekken.map.invalidateSize()")


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("path", [WIJK, GEMEENTE, "/", "/toegankelijkheid"])
def test_nothing_scrolls_sideways(browser, tiled_demo_server, case, path, artifacts):
    _, base = tiled_demo_server
    width, css = CASES[case]
    with browser_page(browser, "phone", width=width) as page:
        _open(page, base + path, css)
        where = f"{path} {case}"
        _check(_measure(page), where)
        hidden = page.evaluate(
            "() => [...document.querySelectorAll('.skip-link')]"
            ".every(a => a.getBoundingClientRect().bottom <= 0)"
        )
        assert hidden, f"{where}: a skip link shows without the focus"
        if path in (WIJK, "/"):
            name = "wijk" if path == WIJK else "index"
            page.screenshot(path=str(artifacts / f"reflow-{name}-{case}.png"))


@pytest.mark.parametrize("case", ["text-200", "320px"])
def test_open_form_parts_reflow(browser, tiled_demo_server, case):
    """The folded form parts and the error summary reflow too."""
    _, base = tiled_demo_server
    width, css = CASES[case]
    with browser_page(browser, "phone", width=width) as page:
        _open(page, base + WIJK, css)
        page.click("#place-form-submit")
        page.locator("#place-form-errors").wait_for(state="visible")
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        _check(_measure(page), f"form {case}")
