"""Benchmark of the map with many places, in headless Chromium.

Two cases people meet: 1,000 places in one wijk on a phone (390×844), after a few busy
workshops, and 10,000 places over a whole gemeente on a desktop (1366×768). The places are
spread the way residents pin them (:func:`tests.factories.spread_places`: most around a few
busy spots per buurt, a tenth pinned again by somebody else). The demo areas in ``data/demo``
are used, on SQLite, served by a threaded local server; base-map tiles are left out (they come
from the tile service, not from plekken).

For each case and run, in a fresh browser context with an empty cache:

- **map ready**: from navigation start to the Leaflet map being set up (``plekken:map-ready``);
- **markers shown**: to every marker added to the map (``plekken:markers-shown``); the
  server's serialised markers are dropped before each run (``--warm`` keeps them, as for the
  second phone in a room);
- **bytes**: everything transferred (headers and bodies, compressed as sent);
- **frames**: a scripted pan and zoom (four pans, zoom in twice and out twice, with animation)
  counted with ``requestAnimationFrame``: frames per second and the longest frame.

Prints the machine's load, each run, and a Markdown table of min / median / max.

Usage, from the repository root (Chromium from the Debian package ``chromium``)::

    python -m benchmarks.bench_map [--runs 5] [--wijk-places 1000] [--gemeente-places 10000]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from plekken import create_app, migrate, storage
from plekken.api.views import MARKER_CACHE
from plekken.db import get_session
from tests.factories import insert_places, spread_places

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
CHROMIUM = "/usr/bin/chromium"
WIJK = "WK026805"
GEMEENTE = "GM0268"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}  # fmt: skip
DESKTOP = {"viewport": {"width": 1366, "height": 768}}

#: Pan and zoom the map with animation while counting frames; resolves to the frame times.
PAN_AND_ZOOM = """async () => {
  const map = window.plekken.map;
  const frames = [];
  let running = true;
  let last = performance.now();
  const tick = (now) => {
    frames.push(now - last); last = now; if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const settle = (event) => new Promise((resolve) => { map.once(event, resolve); });
  for (const [dx, dy] of [[200, 0], [0, 200], [-200, 0], [0, -200]]) {
    const done = settle("moveend");
    map.panBy([dx, dy], { animate: true, duration: 0.4 });
    await done;
  }
  for (const step of [1, 1, -1, -1]) {
    const done = settle("zoomend");
    map.setZoom(map.getZoom() + step, { animate: true });
    await done;
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  running = false;
  return frames.slice(1);
}"""


def build_app(folder: Path, wijk_places: int, gemeente_places: int):
    """The demo on SQLite with ``wijk_places`` more places in the demo wijk and
    ``gemeente_places`` spread over the whole demo gemeente."""
    app = create_app({"SECRET_KEY": "bench", "TILE_LAYERS": [], "RATE_LIMITS": "off",
                      "DATABASE_URL": f"sqlite:///{folder / 'map.db'}"})  # fmt: skip
    migrate.upgrade(app.extensions["plekken_engine"])
    result = app.test_cli_runner().invoke(args=["load-demo", "--path", str(DEMO)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        session = get_session()
        buurten = storage.areas_frame(session, level="buurt", parent=WIJK)
        insert_places(session, spread_places(buurten, wijk_places, seed=15))
        everywhere = storage.areas_frame(session, level="buurt")
        everywhere = everywhere[everywhere["parent_code"] != WIJK]
        insert_places(session, spread_places(everywhere, gemeente_places, seed=16))
    return app


@contextmanager
def served(app):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def only_local(route) -> None:
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


def measure(browser, url: str, device: dict) -> dict:
    """One cold load of ``url`` and a pan and zoom: times in ms, bytes, frames."""
    # Playwright evaluates its own scripts in the page, which the CSP would refuse.
    context = browser.new_context(**device, locale="nl-NL", bypass_csp=True)
    context.route("**/*", only_local)
    page = context.new_page()
    sizes = []
    page.on("requestfinished", lambda request: sizes.append(request.sizes()))
    try:
        page.goto(url)
        page.wait_for_function("window.plekken && window.plekken.markersShown", timeout=120_000)
        page.wait_for_load_state("networkidle")
        marks = page.evaluate(
            "() => Object.fromEntries(performance.getEntriesByType('mark')"
            ".map((m) => [m.name, m.startTime]))"
        )
        frames = page.evaluate(PAN_AND_ZOOM)
        count = page.evaluate("window.plekken.entries.length")
    finally:
        context.close()
    seconds = sum(frames) / 1000
    return {
        "map_ready": marks["plekken:map-ready"],
        "markers_shown": marks["plekken:markers-shown"],
        "bytes": sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes),
        "fps": len(frames) / seconds if seconds else 0.0,
        "longest_frame": max(frames) if frames else 0.0,
        "places": count,
    }


def table(results: dict[str, list[dict]]) -> str:
    rows = [
        "| case | places | map ready (ms) | markers shown (ms) | transferred | frames/s in pan and "
        "zoom | longest frame (ms) |",
        "|---|---|---|---|---|---|---|",
    ]

    def spread(runs, key, fmt="{:.0f}"):
        values = sorted(r[key] for r in runs)
        middle = statistics.median(values)
        return f"{fmt.format(middle)} ({fmt.format(values[0])}–{fmt.format(values[-1])})"

    for name, runs in results.items():
        kb = statistics.median(r["bytes"] for r in runs) / 1e6
        rows.append(
            f"| {name} | {runs[0]['places']:,} | {spread(runs, 'map_ready')} | "
            f"{spread(runs, 'markers_shown')} | {kb:.2f} MB | {spread(runs, 'fps')} | "
            f"{spread(runs, 'longest_frame')} |"
        )
    return "\n".join(rows)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--wijk-places", type=int, default=1000)
    parser.add_argument("--gemeente-places", type=int, default=10_000)
    parser.add_argument(
        "--warm",
        action="store_true",
        help="keep the server's serialised markers between runs (default: every run cold)",
    )
    args = parser.parse_args(argv)
    print(f"machine load (1, 5, 15 min): {os.getloadavg()}; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder), args.wijk_places, args.gemeente_places)
        cases = {
            "wijk, phone": (f"/wijk/{WIJK}", PHONE),
            "gemeente, desktop": (f"/gemeente/{GEMEENTE}", DESKTOP),
        }
        results: dict[str, list[dict]] = {name: [] for name in cases}
        with served(app) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            try:
                for run in range(args.runs):
                    for name, (path, device) in cases.items():
                        if not args.warm and MARKER_CACHE in app.extensions:
                            app.extensions[MARKER_CACHE].clear()
                        figures = measure(browser, base + path, device)
                        results[name].append(figures)
                        print(f"run {run + 1} {name}: " + ", ".join(
                            f"{k} {v:,.0f}" for k, v in figures.items()))  # fmt: skip
            finally:
                browser.close()
        app.extensions["plekken_engine"].dispose()
    print()
    print(table(results))


if __name__ == "__main__":
    main()
