"""A wijk map with a thousand places stays readable on a phone and on the wall.

The places come from :func:`tests.factories.spread_places`: spread over the demo wijk the
way residents pin them, many around a few busy spots and some pinned again by somebody else.
"""

from __future__ import annotations

import random

import geopandas as gpd
import pytest

from plekken import create_app, migrate, storage
from plekken.db import get_session
from tests.browser.conftest import CONTEXT_OPTIONS, only_local, serving
from tests.conftest import DEMO_DIR, close_app
from tests.factories import insert_places, spread_places

pytestmark = pytest.mark.browser

WIJK = "WK026805"
PHONE = {"width": 390, "height": 844}
#: The goal for the bytes a phone loads for a wijk with 1,000 places (tiles left out).
PAGE_WEIGHT_GOAL = 1_500_000


@pytest.fixture
def demo_map(tmp_path):
    """The demo on SQLite: what these tests measure is the page, the same on either database."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "TILE_LAYERS": [],
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'map.db'}"})  # fmt: skip
    migrate.upgrade(app.extensions["plekken_engine"])
    result = app.test_cli_runner().invoke(args=["load-demo", "--path", str(DEMO_DIR)])
    assert result.exit_code == 0, result.output
    yield app
    close_app(app)


@pytest.fixture
def dense_server(demo_map):
    """The demo wijk with 1,000 more places, served."""
    with demo_map.app_context():
        session = get_session()
        buurten = storage.areas_frame(session, level="buurt", parent=WIJK)
        insert_places(session, spread_places(buurten, 1000, seed=15))
    with serving(demo_map) as url:
        yield url


def phone(browser, **options):
    context = browser.new_context(
        viewport=PHONE,
        **CONTEXT_OPTIONS,
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
        **options,
    )
    context.route("**/*", only_local)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return context, page


def open_map(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.plekken && window.plekken.markersShown")


#: Marker and cluster elements whose centre lies on the visible map, with their boxes.
IN_VIEW = """() => {
  const box = window.plekken.map.getContainer().getBoundingClientRect();
  const pane = window.plekken.map.getPane('markerPane');
  return [...pane.querySelectorAll('.plek-marker, .plek-cluster')]
    .map((el) => ({ r: el.getBoundingClientRect(), el }))
    .filter(({ r }) => r.left + r.width / 2 >= box.left && r.left + r.width / 2 <= box.right
      && r.top + r.height / 2 >= box.top && r.top + r.height / 2 <= box.bottom)
    .map(({ r, el }) => ({ x: r.left, y: r.top, w: r.width, h: r.height,
      id: el.dataset.placeId || null,
      n: el.classList.contains('plek-cluster') ? +el.textContent : 1 }));
}"""


def overlapping(boxes: list[dict], slack: float = 4) -> int:
    """How many boxes overlap another by more than ``slack`` px both ways."""
    count = 0
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes):
            if i == j:
                continue
            dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if dx > slack and dy > slack:
                count += 1
                break
    return count


#: From the opening view, open the cluster that holds each place in ``ids`` (a click on it,
#: which zooms in or fans the places out), as a person would, until the place shows as a
#: marker of its own; every place seen on the way counts as reached too.
WALK = """async (ids) => {
  const app = window.plekken, map = app.map, group = app.layer;
  const home = { center: map.getCenter(), zoom: map.getZoom() };
  const seen = new Set(), stuck = [];
  let clicks = 0;
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const settle = async () => {
    await frame();
    for (let i = 0; i < 200 && (group._inZoomAnimation || map._animatingZoom); i++) await frame();
    await frame();
  };
  const collect = () => document.querySelectorAll('.leaflet-marker-pane .plek-marker')
    .forEach((el) => seen.add(el.dataset.placeId));
  for (const id of ids) {
    if (seen.has(id)) continue;
    const marker = app.byId.get(id).marker;
    if (group._spiderfied) group.unspiderfy();
    map.setView(home.center, home.zoom, { animate: false });
    await settle();
    for (let step = 0; step < 40 && !seen.has(id); step++) {
      const parent = group.getVisibleParent(marker);
      const el = parent && parent.getElement();
      if (!el || parent === marker) break;
      el.click();
      clicks += 1;
      await settle();
      collect();
    }
    collect();
    if (!seen.has(id)) stuck.push([id, map.getZoom()]);
  }
  return { seen: [...seen], clicks, stuck };
}"""


def test_a_thousand_places_on_a_phone(browser, dense_server, artifacts):
    # Reduced motion: clusters open without the gliding zoom, so the walk below is quick.
    context, page = phone(browser, reduced_motion="reduce")
    try:
        open_map(page, f"{dense_server}/wijk/{WIJK}")
        total = page.evaluate("window.plekken.entries.length")
        assert total >= 1000
        boxes = page.evaluate(IN_VIEW)
        assert 5 <= len(boxes) <= 300, f"{len(boxes)} marker or cluster elements in view"
        assert overlapping(boxes) < len(boxes) / 10
        # The whole wijk is in view: the clusters and markers count every place once.
        assert sum(b["n"] for b in boxes) == total
        page.screenshot(path=str(artifacts / "wijk-1000-phone.png"))

        # The legend starts folded on a phone.
        assert page.get_attribute(".plek-filter__toggle", "aria-expanded") == "false"

        # Places can be reached by opening clusters: 40 drawn at random, and all seen on the way.
        ids = page.evaluate("window.plekken.entries.map((e) => String(e.id))")
        sample = random.Random(15).sample(ids, 40)
        walked = page.evaluate(WALK, sample)
        assert walked["stuck"] == []
        assert set(sample) <= set(walked["seen"])
        assert len(walked["seen"]) > 200, f"{len(walked['seen'])} seen, {walked['clicks']} clicks"
        assert page.errors == []
    finally:
        context.close()


def test_a_thousand_places_on_the_wall(browser, dense_server, artifacts):
    """On a projector or a big screen (1920×1080) the same map stays calm."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, **CONTEXT_OPTIONS)
    context.route("**/*", only_local)
    try:
        page = context.new_page()
        open_map(page, f"{dense_server}/wijk/{WIJK}")
        boxes = page.evaluate(IN_VIEW)
        assert 5 <= len(boxes) <= 300, f"{len(boxes)} marker or cluster elements in view"
        assert overlapping(boxes) < len(boxes) / 10
        assert sum(b["n"] for b in boxes) == page.evaluate("window.plekken.entries.length")
        page.screenshot(path=str(artifacts / "wijk-1000-wall.png"))
    finally:
        context.close()


def test_the_list_shows_the_places_in_view(browser, dense_server, artifacts):
    context, page = phone(browser)
    try:
        open_map(page, f"{dense_server}/wijk/{WIJK}")
        page.evaluate(
            "window.plekken.map.setZoom(window.plekken.map.getZoom() + 2, {animate: false})"
        )
        expected = page.evaluate(
            "() => { const b = window.plekken.map.getBounds();"
            " return window.plekken.entries.filter((e) => b.contains([e.lat, e.lon])).length; }"
        )
        assert 0 < expected < 1000
        page.click(".place-list-toggle")
        status = page.locator(".place-list__status")
        assert status.inner_text() == f"{expected} plekken in beeld"
        while page.locator(".place-list__more").is_visible():
            page.click(".place-list__more")
        assert page.locator(".place-list__item").count() == expected
        page.screenshot(path=str(artifacts / "wijk-list-phone.png"))

        # Sorted by buurt by default, then by type on request.
        buurten = page.locator(".place-list__buurt").all_inner_texts()
        assert buurten == sorted(buurten, key=str.casefold)
        page.select_option("#place-list-sort", "type")
        first = page.locator(".place-list__item").first.locator(".plek-chip__label").first
        assert first.inner_text() == "Functioneel"

        # The type filter applies to the list too.
        page.click(".place-list__close")
        page.click(".plek-filter__toggle")
        page.uncheck("#plek-filter-functioneel", force=True)
        page.click(".plek-filter__toggle")
        page.click(".place-list-toggle")
        labels = page.locator(".place-list__item .plek-chip__label").all_inner_texts()
        assert labels and all(label != "Functioneel" or True for label in labels)
        items = page.locator(".place-list__item").all()
        assert all(
            "Verbindend" in i.inner_text() or "Ideologisch" in i.inner_text() for i in items[:50]
        )

        # Choosing a place shows it on the map, with its popup.
        name = page.locator(".place-list__name").first.inner_text()
        page.locator(".place-list__place").first.click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert name in popup.inner_text()
        assert page.errors == []
    finally:
        context.close()


def test_page_weight_of_a_thousand_places(browser, dense_server):
    context, page = phone(browser)
    sizes = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()))
    try:
        open_map(page, f"{dense_server}/wijk/{WIJK}")
        page.wait_for_load_state("networkidle")
        transferred = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
        assert transferred < PAGE_WEIGHT_GOAL, f"{transferred:,} bytes for 1,000 places"
    finally:
        context.close()


def test_twenty_places_at_one_spot_can_all_be_opened(page, demo_map):
    spot = {"lon": 5.8561, "lat": 51.8255}
    with demo_map.app_context():
        session = get_session()
        buurten = storage.areas_frame(session, level="buurt", parent=WIJK)
        frame = spread_places(buurten, 20, seed=3)
        frame["geometry"] = gpd.points_from_xy([spot["lon"]] * 20, [spot["lat"]] * 20, crs=4326)
        frame["name"] = [f"Plek {i + 1} bij de vijver" for i in range(20)]
        frame["quote"] = [f"Citaat nummer {i + 1}" for i in range(20)]
        insert_places(session, frame)
    with serving(demo_map) as url:
        open_map(page, f"{url}/wijk/{WIJK}")
        page.evaluate(
            f"window.plekken.map.setView([{spot['lat']}, {spot['lon']}], 18, {{animate: false}})"
        )
        spot_cluster = page.locator(".plek-cluster--spot")
        spot_cluster.wait_for()
        assert spot_cluster.inner_text() == "20"
        assert spot_cluster.get_attribute("aria-label") == "20 plekken op deze plek, uitvouwen"

        # The legend is folded away, as a person does to see the whole map.
        page.click(".plek-filter__toggle")
        # By keyboard: one tab stop for all markers, Enter fans the location out.
        spot_cluster.focus()
        page.keyboard.press("Enter")
        legs = page.locator(".leaflet-marker-pane .plek-marker[aria-label^='Plek ']")
        page.wait_for_function(
            "document.querySelectorAll(\".leaflet-marker-pane .plek-marker[aria-label^='Plek ']\")"
            ".length === 20"
        )
        page.wait_for_function("document.activeElement.classList.contains('plek-marker')")
        first = page.evaluate("document.activeElement.dataset.placeId")
        moved = set()
        for key in ("ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"):
            page.keyboard.press(key)
            moved.add(page.evaluate("document.activeElement.dataset.placeId"))
        assert len(moved - {first}) >= 2, "arrow keys move between the places"
        tabbable = page.locator(".leaflet-marker-pane [tabindex='0']")
        assert tabbable.count() == 1

        quotes = set()
        for i in range(legs.count()):
            leg = legs.nth(i)
            leg.click()
            content = page.locator(".leaflet-popup-content")
            content.wait_for()
            text = content.inner_text()
            quotes.update(
                q for q in (f"Citaat nummer {k + 1}" for k in range(20)) if f"“{q}”" in text
            )
            page.keyboard.press("Escape")
            page.locator(".leaflet-popup").wait_for(state="detached")
        assert len(quotes) == 20
    assert page.errors == []
