"""Manual check of the map page's front end, without the Flask app.

Builds a standalone wijk page in a temporary folder: the vendored Leaflet, a folium map
of real buurt outlines (from ``../shared/data`` when present, else three squares),
``plekken.css``, the ``_place_form.html`` partial rendered with Jinja, a made-up
config with sample places, and ``plekken.js``. It then drives Chromium through
Playwright, with the API answered by ``page.route`` (201, 422, 413, 500, no network),
checks the behaviour, and saves screenshots.

Usage::

    python scripts/frontend_harness.py                 # run all checks, screenshots to a temp dir
    python scripts/frontend_harness.py --shots /tmp/s  # choose the screenshot folder
    python scripts/frontend_harness.py --lang en       # the English page
    python scripts/frontend_harness.py --serve-only    # only write the page and print its folder

Exit status 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
from jinja2 import Environment, FileSystemLoader, select_autoescape  # noqa: E402

from plekken.symbols import ICONS, icon_label  # noqa: E402
from plekken.vocab import (  # noqa: E402
    CONDITIONS,
    FUNCTION_TYPE_COLOURS,
    FUNCTION_TYPES,
    ROLES,
    label,
)

STATIC = ROOT / "plekken" / "static"
TEMPLATES = ROOT / "plekken" / "templates"
TRANSLATIONS = ROOT / "plekken" / "translations"
SHARED_BUURTEN = ROOT.parent / "shared" / "data" / "nijmegen_buurten.geojson"
ORIGIN = "http://plekken.test"
WIJK_CODE = "WK026805"
XSS_NAME = "<img src=x onerror=alert(1)>"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
OWN_SYMBOL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
    '<circle cx="32" cy="32" r="31" fill="#fde68a"/>'
    '<path d="M14 40c8-14 28-14 36 0" fill="none" stroke="#7c2d12" stroke-width="4"'
    ' stroke-linecap="round"/><circle cx="24" cy="26" r="4" fill="#7c2d12"/>'
    '<circle cx="40" cy="26" r="4" fill="#7c2d12"/></svg>'
)


# ---------------------------------------------------------------- data


def _translator(lang: str) -> Callable[..., str]:
    catalog: dict[str, str] = {}
    if lang == "en":
        for path in sorted(TRANSLATIONS.glob("*.json")):
            if path.name != "js_messages.json":
                catalog.update(json.loads(path.read_text(encoding="utf-8")))

    def _(text: str, **values: object) -> str:
        text = catalog.get(text, text)
        return text.format(**values) if values else text

    return _


def _js_messages(lang: str) -> dict[str, str]:
    path = TRANSLATIONS / "js_messages.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: texts.get(lang, texts["nl"]) for key, texts in data.items()}


def _inner_point(geometry: dict) -> tuple[float, float]:
    """A point inside the polygon, as the app's ``representative_point`` gives."""
    from shapely.geometry import shape

    point = shape(geometry).representative_point()
    return round(point.x, 6), round(point.y, 6)


def load_buurten() -> tuple[dict, list[dict]]:
    """Buurt outlines (GeoJSON) and centres of wijk Nijmegen-Midden, or three squares."""
    if SHARED_BUURTEN.exists():
        data = json.loads(SHARED_BUURTEN.read_text(encoding="utf-8"))
        features = [f for f in data["features"] if f["properties"]["wijkcode"] == WIJK_CODE]
        outlines, centres = [], []
        for f in features:
            code, name = f["properties"]["buurtcode"], f["properties"]["buurtnaam"]
            geom = f["geometry"]
            lon, lat = _inner_point(geom)
            outlines.append(
                {"type": "Feature", "geometry": geom, "properties": {"code": code, "name": name}}
            )
            centres.append({"code": code, "name": name, "lon": lon, "lat": lat})
        if centres:
            return {"type": "FeatureCollection", "features": outlines}, centres
    outlines, centres = [], []
    for i, name in enumerate(["Noord", "Midden", "Zuid"]):
        x0, y0 = 5.84, 51.815 + i * 0.006
        ring = [[x0, y0], [x0 + 0.012, y0], [x0 + 0.012, y0 + 0.006], [x0, y0 + 0.006], [x0, y0]]
        outlines.append(
            {
                "type": "Feature",
                "properties": {"code": f"BU0000000{i}", "name": name},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
        centres.append(
            {
                "code": f"BU0000000{i}",
                "name": name,
                "lon": round(x0 + 0.006, 6),
                "lat": round(y0 + 0.003, 6),
            }
        )
    return {"type": "FeatureCollection", "features": outlines}, centres


def place(
    pid,
    lon,
    lat,
    name,
    types,
    *,
    lang="nl",
    icon="zon",
    own=False,
    status="published",
    quote="",
    story="",
    buurt=None,
    role="bewoner",
    contributor=None,
    conditions=(),
    access=(),
) -> dict:
    """A place Feature shaped like the API's."""
    return {
        "type": "Feature",
        "id": pid,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "id": pid,
            "name": name,
            "quote": quote,
            "story": story,
            "function_types": list(types),
            "function_type_labels": [label(FUNCTION_TYPES, t, lang) for t in types],
            "symbol_url": f"/symbolen/{pid}.png" if own else f"/static/symbols/{icon}.svg",
            "symbol_label": None if own else icon_label(icon, lang),
            "buurt_code": buurt["code"] if buurt else None,
            "buurt_name": buurt["name"] if buurt else None,
            "wijk_code": WIJK_CODE,
            "status": status,
            "contributor_role": role,
            "contributor_role_label": label(ROLES, role, lang),
            "contributor_name": contributor,
            "conditions": list(conditions),
            "condition_labels": [label(CONDITIONS, c, lang) for c in conditions],
            "access": list(access),
            "created_at": "2025-05-03T14:12:00+00:00",
        },
    }


def sample_places(buurten: list[dict], lang: str) -> list[dict]:
    b = buurten
    pick = lambda i: b[i % len(b)]  # noqa: E731
    c = [(x["lon"], x["lat"]) for x in b]
    at = lambda i, dx=0.0, dy=0.0: (c[i % len(c)][0] + dx, c[i % len(c)][1] + dy)  # noqa: E731
    return [
        place(
            1,
            *at(2),
            "Goffertpark",
            ["verbindend", "ideologisch"],
            lang=lang,
            icon="zon",
            quote="Je bent hier altijd vrij om je eigen pad te kiezen.",
            story="Een groot park met ingangen aan alle kanten. Je kunt er wandelen, picknicken,"
            " sporten en de hond uitlaten.\nIn de zomer zijn er concerten.",
            buurt=pick(2),
            contributor="Fatima",
            conditions=["sociale_cohesie", "sociale_inclusie"],
            access=["Vrij toegankelijk", "Gratis", "Rolstoeltoegankelijk"],
        ),
        # The same spot, pinned by someone else: must not hide the first marker.
        place(
            2,
            *at(2),
            "Goffertpark",
            ["functioneel"],
            lang=lang,
            icon="boom",
            quote="Mijn rondje met de hond.",
            buurt=pick(2),
            role="student",
        ),
        place(
            3,
            *at(0, 0.002, 0.001),
            "Buurthuis De Klokketoren",
            ["functioneel", "verbindend", "ideologisch"],
            lang=lang,
            icon="huis",
            quote="Hier kent iedereen je naam.",
            buurt=pick(0),
            role="opbouwwerker",
            access=["Open: ma–vr 9–17"],
        ),
        place(
            4,
            *at(1, -0.002, 0.0015),
            "Bakker op de hoek",
            ["functioneel"],
            lang=lang,
            icon="winkelmand",
            buurt=pick(1),
        ),
        place(
            5,
            *at(3, 0.001, -0.001),
            XSS_NAME,
            ["verbindend"],
            lang=lang,
            icon="bankje",
            quote='"><script>window.__pwned=1</script>',
            story="<b>not bold</b>",
            buurt=pick(3),
            contributor="<i>x</i>",
        ),
        place(
            6,
            *at(4, -0.001, 0.001),
            "Moestuin Heijendaal",
            ["ideologisch"],
            lang=lang,
            own=True,
            quote="Alles wat hier groeit, delen we.",
            buurt=pick(4),
            conditions=["sociaal_economische_zekerheid"],
        ),
        place(
            7,
            *at(1, 0.002, -0.0015),
            "Het bankje bij de vijver",
            ["verbindend"],
            lang=lang,
            icon="bankje",
            status="pending",
            buurt=pick(1),
        ),
    ]


def build_config(buurten: list[dict], places: list[dict], lang: str, map_name: str) -> dict:
    return {
        "lang": lang,
        "mapName": map_name,
        "wijk": {"code": WIJK_CODE, "name": "Nijmegen-Midden"},
        "api": {"places": "/api/v1/places"},
        "functionTypes": [
            {
                "key": k,
                "label": label(FUNCTION_TYPES, k, lang),
                "explanation": FUNCTION_TYPES[k][3 if lang == "en" else 2],
                "colour": FUNCTION_TYPE_COLOURS[k],
            }
            for k in FUNCTION_TYPES
        ],
        "icons": [
            {"key": k, "label": icon_label(k, lang), "url": f"/static/symbols/{k}.svg"}
            for k in ICONS
        ],
        "buurten": buurten,
        "places": {"type": "FeatureCollection", "features": places},
        "messages": _js_messages(lang),
        "canAdd": True,
    }


def form_context(config: dict, lang: str, errors=None, values=None) -> dict:
    _ = _translator(lang)
    return {
        "_": _,
        "form_action": f"/wijk/{WIJK_CODE}/plekken",
        "function_types": config["functionTypes"],
        "icons": config["icons"],
        "conditions": [{"key": k, "label": label(CONDITIONS, k, lang)} for k in CONDITIONS],
        "roles": [{"key": k, "label": label(ROLES, k, lang)} for k in ROLES],
        "buurten": config["buurten"],
        "access_tristate": [
            {"value": "", "label": _("Weet ik niet")},
            {"value": "true", "label": _("Ja")},
            {"value": "false", "label": _("Nee")},
        ],
        "errors": errors or {},
        "values": values or {},
        "csrf_token": "harness-token",
    }


def build_map(outlines: dict, buurten: list[dict]) -> tuple[str, str, str]:
    """The folium map's div and script, with Leaflet from the vendored copy."""
    m = folium.Map(tiles=None, control_scale=True, zoom_control=True)
    folium.GeoJson(
        outlines,
        name="Buurten",
        style_function=lambda _f: {
            "color": "#4b5563",
            "weight": 1.5,
            "dashArray": "4 4",
            "fillColor": "#ffffff",
            "fillOpacity": 0.35,
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False, sticky=False),
    ).add_to(m)
    lons = [b["lon"] for b in buurten]
    lats = [b["lat"] for b in buurten]
    m.fit_bounds([[min(lats) - 0.004, min(lons) - 0.006], [max(lats) + 0.004, max(lons) + 0.006]])
    root = m.get_root()
    root.render()
    return root.html.render(), root.script.render(), m.get_name()


def build_page(lang: str = "nl", errors=None, values=None) -> tuple[str, dict]:
    outlines, buurten = load_buurten()
    places = sample_places(buurten, lang)
    map_html, map_script, map_name = build_map(outlines, buurten)
    config = build_config(buurten, places, lang, map_name)
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"])
    )
    ctx = form_context(config, lang, errors, values)
    form_html = env.get_template("_place_form.html").render(**ctx)
    _ = ctx["_"]
    config_json = json.dumps(config, ensure_ascii=False).replace("</", "<\\/")
    page = f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Nijmegen-Midden · plekken</title>
<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">
<script src="/static/vendor/leaflet/leaflet.js"></script>
<link rel="stylesheet" href="/static/css/plekken.css">
</head>
<body class="map-body">
<a class="skip-link" href="#inhoud">Naar de inhoud</a>
<header class="site-header">
  <a class="brand" href="/">plekken</a>
  <span class="tagline">{_("Betekenisvolle plekken in de buurt")}</span>
  <nav class="lang-switch" aria-label="Taal"><a href="?lang=en" lang="en">English</a></nav>
</header>
<div id="inhoud">
<main class="wijk-page">
  <section class="map-pane" aria-label="Kaart van Nijmegen-Midden">
    {map_html}
  </section>
  <aside class="side-pane" id="side-pane">
    <header class="wijk-header">
      <p class="breadcrumb"><a href="/">Alle wijken</a> · Nijmegen</p>
      <h1>Nijmegen-Midden</h1>
      <p class="wijk-summary" id="place-count">6 plekken op de kaart</p>
    </header>
    {form_html}
  </aside>
</main>
</div>
<script>{map_script}</script>
<script id="plekken-config" type="application/json">{config_json}</script>
<script src="/static/js/plekken.js"></script>
</body>
</html>
"""
    return page, config


# ---------------------------------------------------------------- browser


class Api:
    """The fake API: answers the next POST with whatever a check queued."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.next: tuple[str, int, object] | None = None
        self.requests: list[dict] = []

    def respond(self, kind: str, status: int = 0, body: object = None) -> None:
        self.next = (kind, status, body)

    def handle(self, route, request) -> None:
        self.requests.append(
            {"method": request.method, "headers": request.headers, "body": request.post_data_buffer}
        )
        kind, status, body = self.next or ("json", 500, {"errors": {"request": "nothing queued"}})
        if kind == "abort":
            route.abort("internetdisconnected")
        elif kind == "text":
            route.fulfill(status=status, body=str(body), content_type="text/html")
        else:
            route.fulfill(status=status, body=json.dumps(body), content_type="application/json")


def serve(page, html_by_path: dict[str, str], api: Api) -> None:
    def handler(route, request):
        url = urlparse(request.url)
        if url.netloc != urlparse(ORIGIN).netloc:
            route.abort()
            return
        path = url.path
        if path.startswith("/api/v1/places") and request.method == "POST":
            api.handle(route, request)
        elif path in html_by_path:
            route.fulfill(
                status=200, body=html_by_path[path], content_type="text/html; charset=utf-8"
            )
        elif path.startswith("/static/"):
            file = (STATIC / path[len("/static/") :]).resolve()
            if STATIC in file.parents and file.is_file():
                ctype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                route.fulfill(status=200, body=file.read_bytes(), content_type=ctype)
            else:
                route.fulfill(status=404, body="not found")
        elif path.startswith("/symbolen/"):
            route.fulfill(status=200, body=OWN_SYMBOL_SVG, content_type="image/svg+xml")
        else:
            route.fulfill(status=404, body="not found")

    page.route("**/*", handler)


class Run:
    """One harness run: the browser page, the fake API, the results and the screenshots."""

    def __init__(self, lang: str, shots: Path, api: Api, config: dict) -> None:
        self.lang = lang
        self.shots = shots
        self.api = api
        self.config = config
        self.places = config["places"]["features"]
        self.buurten = config["buurten"]
        self.page = None
        self.results: list[tuple[bool, str]] = []
        self.log: list[str] = []

    def check(self, ok: object, what: str) -> bool:
        self.results.append((bool(ok), what))
        print(("  ok   " if ok else "  FAIL ") + what, flush=True)
        return bool(ok)

    def say(self, nl: str, en: str) -> str:
        """The text we expect in the page's language."""
        return en if self.lang == "en" else nl

    def shot(self, name: str, **options) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"), **options)

    @property
    def failed(self) -> int:
        return sum(1 for ok, _ in self.results if not ok)


def new_page(browser, html_by_path: dict[str, str], run: Run, viewport: dict):
    context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="nl-NL")
    page = context.new_page()

    def on_console(message) -> None:
        # The browser logs every refused request; those are the API answers we queued.
        if message.type in ("error", "warning") and "Failed to load resource" not in message.text:
            run.log.append(f"console.{message.type}: {message.text}")

    def on_dialog(dialog) -> None:
        run.log.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: run.log.append(f"pageerror: {error}"))
    page.on("dialog", on_dialog)
    serve(page, html_by_path, run.api)
    return context, page


def load(page, path: str = "/wijk") -> None:
    page.goto(f"{ORIGIN}{path}")
    page.wait_for_function("window.plekken && window.plekken.started")


def marker(place_id) -> str:
    return f'.plek-marker[data-place-id="{place_id}"]'


def marker_count(page) -> int:
    return page.locator(".leaflet-marker-pane .plek-marker").count()


def popups_are(page, n: int) -> None:
    """Wait until n popups are left (a closed popup fades out for a moment)."""
    page.wait_for_function(f"document.querySelectorAll('.plek-popup').length === {n}")


def open_popup(page, place_id) -> None:
    page.click(marker(place_id))
    popups_are(page, 1)


def open_filter(page) -> None:
    if page.get_attribute(".plek-filter__toggle", "aria-expanded") != "true":
        page.click(".plek-filter__toggle")


def fill_valid(page) -> None:
    page.fill("#field-name", "Speeltuin aan de Groenestraat")
    page.fill("#field-quote", "Hier spelen alle kinderen samen.")
    page.check("#field-function_types-verbindend")
    page.check("#field-consent")


def status_text(page) -> str:
    return page.inner_text("#location-status")


# ---------------------------------------------------------------- scenarios (desktop)


def check_markers(run: Run) -> None:
    page, check = run.page, run.check
    print("markers")
    check(marker_count(page) == len(run.places), f"{len(run.places)} markers drawn")
    ring = page.eval_on_selector(
        f"{marker(3)} .plek-marker__ring", "e => getComputedStyle(e).backgroundImage"
    )
    check("conic-gradient" in ring, "three-type marker has a segmented ring")
    badges = page.locator(f"{marker(3)} .plek-marker__badges svg").count()
    check(badges == 3, "three shape badges on a three-type marker")
    single = page.eval_on_selector(
        f"{marker(4)} .plek-marker__ring", "e => getComputedStyle(e).backgroundColor"
    )
    check(single == "rgb(0, 114, 178)", f"single-type ring in its colour ({single})")
    alt = page.get_attribute(f"{marker(1)} img", "alt")
    check(alt == icon_label("zon", run.lang), f"symbol image alt is the symbol label ({alt})")
    own = page.get_attribute(f"{marker(6)} img", "alt")
    check(own == "Moestuin Heijendaal", "uploaded symbol alt is the place name")
    boxes = [page.locator(marker(i)).bounding_box() for i in (1, 2)]
    check(boxes[0] != boxes[1], "two places on the same spot do not cover each other")
    focusable = (
        page.get_attribute(marker(1), "role") == "button"
        and page.get_attribute(marker(1), "tabindex") == "0"
    )
    check(focusable, "markers are keyboard focusable buttons")
    pending = page.get_attribute(marker(7), "class") or ""
    check("plek-marker--pending" in pending, "pending place has its own look")
    run.shot("desktop-1-map")


def check_popup(run: Run) -> None:
    page, check = run.page, run.check
    print("popup")
    open_popup(page, 1)
    popup = page.locator(".plek-popup")
    check(popup.locator("h2").inner_text() == "Goffertpark", "popup heading is the name")
    check("eigen pad" in popup.locator("blockquote").inner_text(), "popup shows the quote")
    check(popup.locator(".plek-chip").count() == 2, "popup shows two type chips")
    check("Fatima" in popup.inner_text(), "popup shows the pseudonym")
    check(popup.locator(".plek-popup__meta li").count() == 5, "popup lists access, conditions")
    run.shot("desktop-2-popup")
    page.keyboard.press("Escape")
    popups_are(page, 0)
    check(True, "Escape closes a popup opened with the mouse")


def check_escaping(run: Run) -> None:
    page, check = run.page, run.check
    print("escaping")
    open_popup(page, 5)
    check(page.locator(".plek-popup h2").inner_text() == XSS_NAME, "hostile name shown as text")
    check(page.locator('img[src="x"]').count() == 0, "no <img src=x> created")
    markup = page.locator(".plek-popup b, .plek-popup i, .plek-popup script").count()
    check(markup == 0, "no markup from the story, quote or name")
    check(page.evaluate("window.__pwned") is None, "no script from the quote ran")
    page.evaluate("window.plekken.map.closePopup()")
    popups_are(page, 0)


def check_keyboard_popup(run: Run) -> None:
    page, check = run.page, run.check
    print("keyboard popup")
    page.focus(marker(4))
    page.keyboard.press("Enter")
    popups_are(page, 1)
    on_heading = page.evaluate("document.activeElement.classList.contains('plek-popup__name')")
    check(on_heading, "Enter on a marker opens its popup and focuses the heading")
    page.keyboard.press("Escape")
    popups_are(page, 0)
    check(True, "Escape closes the popup")
    back = page.evaluate("document.activeElement.dataset.placeId")
    check(back == "4", "focus returns to the marker")


def check_filter(run: Run) -> None:
    page, check = run.page, run.check
    print("filter")
    folded = page.get_attribute(".plek-filter__toggle", "aria-expanded") == "false"
    check(folded, "the open legend folded away when a popup would be under it")
    open_filter(page)
    check(page.locator(".plek-filter input[type=checkbox]").count() == 3, "three checkboxes")
    count = page.locator("label[for=plek-filter-functioneel] .plek-filter__count").inner_text()
    check(count == "3", f"functioneel count is 3 ({count})")
    page.uncheck("#plek-filter-functioneel")
    check(marker_count(page) == len(run.places) - 2, "unchecking hides only-functioneel places")
    check(page.url.endswith("?type=verbindend,ideologisch"), f"URL has the filter ({page.url})")
    page.uncheck("#plek-filter-verbindend")
    page.uncheck("#plek-filter-ideologisch")
    check(marker_count(page) == 0, "nothing checked shows nothing")
    check(page.url.endswith("?type="), f"URL records an empty filter ({page.url})")
    for key in FUNCTION_TYPES:
        page.check(f"#plek-filter-{key}")
    all_shown = marker_count(page) == len(run.places) and page.url.endswith("/wijk")
    check(all_shown, "all checked: all shown, clean URL")

    load(page, "/wijk?type=ideologisch&lang=nl")
    open_filter(page)
    expected = sum(1 for f in run.places if "ideologisch" in f["properties"]["function_types"])
    check(marker_count(page) == expected, f"?type=ideologisch on load shows {expected} places")
    follows = not page.is_checked("#plek-filter-verbindend") and page.is_checked(
        "#plek-filter-ideologisch"
    )
    check(follows, "checkboxes follow the URL")
    check("lang=nl" in page.url, "other query parameters are kept")
    load(page)


def check_picking(run: Run) -> None:
    page, check = run.page, run.check
    print("picking the spot")
    box = page.locator(".map-pane").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55)
    page.wait_for_selector(".plek-draft")
    lon, lat = page.input_value("#field-lon"), page.input_value("#field-lat")
    six = all(re.fullmatch(r"-?\d+\.\d{6}", v) for v in (lon, lat))
    check(six, f"map click fills lon/lat with 6 decimals ({lon}, {lat})")
    status = status_text(page)
    check(any(b["name"] in status for b in run.buurten), f"location named ({status!r})")
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    check(page.locator(".plek-draft").count() == 1, "a second click moves the one draft pin")

    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    inside = run.buurten[3]
    # Zoomed in on a buurt's inner point, no marker is in the way.
    page.evaluate(
        f"window.plekken.map.setView([{inside['lat']}, {inside['lon']}], 18, {{animate: false}})"
    )
    page.mouse.click(*centre)
    check(inside["name"] in status_text(page), f"a click in {inside['name']} names that buurt")
    west = min(b["lon"] for b in run.buurten) - 0.03
    page.evaluate(f"window.plekken.map.setView([{inside['lat']}, {west}], 16, {{animate: false}})")
    page.mouse.click(*centre)
    outside = status_text(page)
    check(run.say("buiten", "outside") in outside, f"a click outside says so ({outside!r})")
    check(page.input_value("#field-buurt_pick") == "", "and clears the buurt choice")


def check_buurt_select(run: Run) -> None:
    page, check = run.page, run.check
    print("choosing a buurt, moving the pin with keys")
    target = run.buurten[1]
    page.select_option("#field-buurt_pick", target["code"])
    page.wait_for_timeout(400)
    at_centre = (
        abs(float(page.input_value("#field-lon")) - target["lon"]) < 1e-6
        and abs(float(page.input_value("#field-lat")) - target["lat"]) < 1e-6
    )
    check(at_centre, "choosing a buurt puts the pin at its centre")
    drawn = page.evaluate("window.plekken.draft.getLatLng().lat")
    check(abs(drawn - target["lat"]) < 1e-6, "the draft marker moved there")
    check(target["name"] in page.inner_text("#plekken-announcer"), "the choice is announced")
    page.click("#draft-focus-button")
    check(page.evaluate("document.activeElement.dataset.draft") == "true", "button focuses pin")
    before = float(page.input_value("#field-lat"))
    page.keyboard.press("ArrowUp")
    page.wait_for_timeout(300)
    metres = (float(page.input_value("#field-lat")) - before) * 111320
    check(abs(metres - 10) < 0.5, f"ArrowUp moves the pin ~10 m north ({metres:.1f} m)")
    said = page.inner_text("#plekken-announcer")
    check(run.say("noorden", "north") in said, f"the move is announced ({said!r})")
    page.keyboard.press("Enter")
    check(page.evaluate("document.activeElement.id") == "draft-focus-button", "Enter goes back")
    run.shot("desktop-3-draft")


UNPROCESSABLE = {
    "name": "Geef de plek een naam.",
    "function_types": "Kies minstens één soort plek.",
    "lon": "Kies een plek op de kaart of kies een buurt.",
    "lat": "Kies een plek op de kaart of kies een buurt.",
    "access_notes": "Maximaal 2000 tekens; nu zijn het er 2001.",
    "consent": "Geef toestemming om de plek op de kaart te zetten.",
    "surprise": "Iets anders ging mis.",
}
STORY = "Een verhaal dat niet verloren mag gaan."


def check_unprocessable(run: Run) -> None:
    page, check = run.page, run.check
    print("422")
    run.api.respond("json", 422, {"errors": UNPROCESSABLE})
    page.fill("#field-story", STORY)
    page.click("#place-form-submit")
    page.wait_for_selector("#place-form-errors:not([hidden])")
    check("naam" in page.inner_text("#error-name"), "name message next to the field")
    check(page.get_attribute("#field-name", "aria-invalid") == "true", "name aria-invalid")
    described = page.get_attribute("#field-name", "aria-describedby") or ""
    check("error-name" in described, "name aria-describedby")
    group = page.get_attribute("#field-function_types", "aria-describedby") or ""
    check("error-function_types" in group, "type fieldset described by its error")
    one = page.is_visible("#error-lon") and not page.is_visible("#error-lat")
    check(one, "one location message, not two")
    check(page.evaluate("document.getElementById('more-details').open"), "details opened")
    items = page.locator("#place-form-errors li").count()
    check(items == 6, f"summary lists 6 messages ({items})")
    check(page.locator("#place-form-errors li a").count() == 5, "field messages are links")
    check(page.evaluate("document.activeElement.id") == "place-form-errors", "summary focused")
    check(page.get_attribute("#place-form-errors", "role") == "alert", "summary role=alert")
    check(page.input_value("#field-story") == STORY, "typed text kept")

    sent = run.api.requests[-1]
    headers = sent["headers"]
    check(headers.get("content-type", "").startswith("multipart/form-data"), "sent as multipart")
    check(
        headers.get("accept-language") == run.lang and headers.get("accept") == "application/json",
        "Accept and Accept-Language headers",
    )
    body = sent["body"] or b""
    check(b'name="csrf_token"' in body and b'name="lon"' in body, "csrf token and lon sent")
    page.click("#place-form-errors a[href='#field-function_types']")
    first = page.evaluate("document.activeElement.id")
    check(first == "field-function_types-functioneel", "summary link focuses the first checkbox")
    run.shot("desktop-4-errors", full_page=True)


def check_failures(run: Run) -> None:
    page, check = run.page, run.check
    print("network failure, 5xx, 413")
    run.api.respond("abort")
    page.click("#place-form-submit")
    page.wait_for_selector("#place-form-submit-error .notice")
    failure = page.inner_text("#place-form-submit-error")
    check(run.say("verbinding", "connection") in failure, "network failure message")
    check(page.input_value("#field-story") == STORY, "typed text kept after failure")
    run.api.respond("text", 502, "<html>Bad gateway</html>")
    page.click("#place-form-submit")
    page.wait_for_timeout(300)
    check(page.locator("#place-form-submit-error .notice").count() == 1, "5xx: same message")
    too_large = {"errors": {"request": "The data value transmitted exceeds the capacity limit."}}
    run.api.respond("json", 413, too_large)
    page.click("#place-form-submit")
    page.wait_for_selector("#error-symbol_image:not([hidden])")
    check(True, "413 is shown at the upload field")


def check_symbol_choice(run: Run) -> None:
    page, check = run.page, run.check
    print("symbol choice")
    page.check("#field-symbol_icon-boom")
    png = (STATIC / "vendor" / "leaflet" / "images" / "marker-icon.png").read_bytes()
    upload = {"name": "tekening.png", "mimeType": "image/png", "buffer": png}
    page.set_input_files("#field-symbol_image", files=[upload])
    check(page.is_visible("#symbol-preview"), "upload preview shown")
    check(not page.is_checked("#field-symbol_icon-boom"), "choosing a file clears the icon")
    page.check("#field-symbol_icon-zon")
    cleared = not page.is_visible("#symbol-preview") and not page.input_value("#field-symbol_image")
    check(cleared, "choosing an icon clears the file")


def stored_draft(page):
    return page.evaluate(f"localStorage.getItem('plekken:draft:{WIJK_CODE}')")


def check_local_draft(run: Run) -> None:
    page, check = run.page, run.check
    print("draft kept in localStorage")
    page.fill("#field-name", "Mijn plek")
    page.wait_for_timeout(500)
    check("Mijn plek" in (stored_draft(page) or ""), "draft saved while typing")
    page.reload()
    page.wait_for_function("window.plekken && window.plekken.started")
    check(page.input_value("#field-name") == "Mijn plek", "name restored after reload")
    check(page.input_value("#field-story") == STORY, "story restored")
    check(page.locator(".plek-draft").count() == 1, "pin restored")
    check(page.is_visible(".draft-note"), "restored note shown")


def check_created(run: Run) -> None:
    page, check = run.page, run.check
    print("201")
    fill_valid(page)
    lon, lat = float(page.input_value("#field-lon")), float(page.input_value("#field-lat"))
    created = place(
        99,
        lon,
        lat,
        "Speeltuin aan de Groenestraat",
        ["verbindend"],
        lang=run.lang,
        icon="schommel",
        quote="Hier spelen alle kinderen samen.",
        buurt=run.buurten[1],
    )
    run.api.respond("json", 201, created)
    n = marker_count(page)
    open_filter(page)
    page.uncheck("#plek-filter-verbindend")
    page.click("#place-form-submit")
    page.wait_for_selector(marker(99))
    check(marker_count(page) == n + 1, f"new marker added ({marker_count(page)} of {n + 1})")
    check(page.is_checked("#plek-filter-verbindend"), "its type was switched back on")
    page.wait_for_selector(".plek-popup")
    check("Speeltuin" in page.inner_text(".plek-popup h2"), "its popup is open")
    status = page.inner_text("#place-form-status")
    check(run.say("staat nu op de kaart", "on the map now") in status, "success message")
    reset = (
        page.input_value("#field-name") == ""
        and page.input_value("#field-lon") == ""
        and not page.is_checked("#field-consent")
    )
    check(reset, "form reset")
    check(page.locator(".plek-draft").count() == 0, "draft pin removed")
    check(stored_draft(page) is None, "stored draft cleared")
    token = page.eval_on_selector("input[name=csrf_token]", "e => e.value")
    check(token == "harness-token", "csrf token survives the reset")
    count = page.inner_text("#place-count")
    check("7" in count, f"place count updated ({count})")
    page.wait_for_timeout(800)
    run.shot("desktop-5-added")

    pending = place(100, lon + 0.001, lat, "Wachtplek", ["functioneel"], status="pending")
    run.api.respond("json", 201, pending)
    page.evaluate("window.plekken.map.closePopup()")
    page.select_option("#field-buurt_pick", run.buurten[0]["code"])
    fill_valid(page)
    page.click("#place-form-submit")
    page.wait_for_selector(marker(100))
    status = page.inner_text("#place-form-status")
    check(run.say("opbouwwerker", "community worker") in status, "pending success message")
    page.wait_for_selector(".plek-popup__pending", timeout=5000)
    check(page.locator(".plek-popup__pending").count() == 1, "pending popup note")


# ---------------------------------------------------------------- other pages


def check_without_javascript(run: Run, browser) -> None:
    print("server-rendered errors (no JavaScript)")
    location = "Kies een plek op de kaart of kies een buurt."
    errors = {
        "name": "Geef de plek een naam.",
        "lon": location,
        "lat": location,
        "consent": "Geef toestemming.",
    }
    values = {"story": "Mijn verhaal", "function_types": ["ideologisch"]}
    html, _ = build_page(run.lang, errors=errors, values=values)
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    serve(page, {"/wijk": html}, run.api)
    page.goto(f"{ORIGIN}/wijk")
    listed = page.locator("#place-form-errors li").count()
    check = run.check
    check(page.is_visible("#place-form-errors") and listed == 3, "summary: 3 (lon/lat merged)")
    check(page.get_attribute("#field-name", "aria-invalid") == "true", "server sets aria-invalid")
    refilled = page.input_value("#field-story") == "Mijn verhaal" and page.is_checked(
        "#field-function_types-ideologisch"
    )
    check(refilled, "server refills typed values")
    basic = page.is_visible("[data-basic-only]") and not page.is_visible("#location-status")
    check(basic, "basic location hint without JavaScript")
    page.screenshot(path=str(run.shots / "nojs-errors.png"), full_page=True)
    context.close()


def check_phone(run: Run, browser, html: dict[str, str]) -> None:
    print("phone")
    context, page = new_page(browser, html, run, {"width": 390, "height": 844})
    run.page = page
    check = run.check
    load(page)
    page.wait_for_timeout(300)
    collapsed = page.get_attribute(".plek-filter__toggle", "aria-expanded") == "false"
    check(collapsed, "filter collapsed on a phone")
    run.shot("phone-1-map")
    page.click(".plek-filter__toggle")
    check(page.is_visible("#plek-filter-verbindend"), "filter opens")
    run.shot("phone-2-filter")
    page.click(".plek-filter__toggle")
    open_popup(page, 1)
    page.wait_for_timeout(400)
    run.shot("phone-3-popup")
    page.click(".leaflet-popup-close-button")
    popups_are(page, 0)
    box = page.locator(".map-pane").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7)
    page.wait_for_timeout(1200)
    bottom = page.evaluate(
        "document.getElementById('location-status').getBoundingClientRect().bottom"
    )
    check(0 < bottom <= 845, f"the form scrolls into view after a tap ({bottom:.0f})")
    run.shot("phone-4-picked")
    run.shot("phone-5-form", full_page=True)
    context.close()


DESKTOP_SCENARIOS = (
    check_markers,
    check_popup,
    check_escaping,
    check_keyboard_popup,
    check_filter,
    check_picking,
    check_buurt_select,
    check_unprocessable,
    check_failures,
    check_symbol_choice,
    check_local_draft,
    check_created,
)


def run_all(shots: Path, lang: str) -> int:
    from playwright.sync_api import sync_playwright

    page_html, config = build_page(lang)
    outdir = Path(tempfile.mkdtemp(prefix="plekken-harness-"))
    (outdir / "wijk.html").write_text(page_html, encoding="utf-8")
    print(f"page written to {outdir / 'wijk.html'}")
    shots.mkdir(parents=True, exist_ok=True)
    run = Run(lang, shots, Api(config), config)
    html = {"/wijk": page_html}

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        context, run.page = new_page(browser, html, run, {"width": 1280, "height": 800})
        load(run.page)
        run.page.wait_for_timeout(300)
        for scenario in DESKTOP_SCENARIOS:
            scenario(run)
        context.close()
        check_without_javascript(run, browser)
        check_phone(run, browser, html)
        browser.close()

    problems = "" if not run.log else ": " + "; ".join(run.log[:5])
    run.check(not run.log, "no console errors, page errors or dialogs" + problems)
    print(f"\nscreenshots in {shots}")
    print(f"{len(run.results) - run.failed} passed, {run.failed} failed")
    return 1 if run.failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=Path, default=None, help="folder for screenshots")
    parser.add_argument("--lang", choices=["nl", "en"], default="nl")
    parser.add_argument("--serve-only", action="store_true", help="only write the page")
    args = parser.parse_args(argv)
    if args.serve_only:
        page, _ = build_page(args.lang)
        out = Path(tempfile.mkdtemp(prefix="plekken-harness-")) / "wijk.html"
        out.write_text(page, encoding="utf-8")
        print(out)
        return 0
    shots = args.shots or Path(tempfile.mkdtemp(prefix="plekken-shots-"))
    return run_all(shots, args.lang)


if __name__ == "__main__":
    raise SystemExit(main())
