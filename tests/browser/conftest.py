"""A live plekken server with the demo loaded, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from plekken.i18n import js_messages
from tests.conftest import REQUIRE_ALL, ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
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


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        reason = f"Chromium is not installed at {CHROMIUM} (scripts/test.sh installs it)"
        if REQUIRE_ALL:
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


LOCAL = "http://127.0.0.1:"


#: Browser contexts opened by the ``page`` fixture and not yet closed.
OPEN_CONTEXTS: list = []


@contextmanager
def serving(app):
    """Serve ``app`` on a free localhost port in a thread; yields its base URL.

    On the way out, the pages still open are closed first (so no request can arrive while the
    server stops), then the server stops and waits for every request thread it started: once
    this returns, no request of the test holds a database connection any more, and the app's
    engine can be disposed without leaving a connection to the garbage collector.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = False  # so that server_close() waits for every request thread
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{LOCAL}{server.server_port}"
    finally:
        while OPEN_CONTEXTS:
            OPEN_CONTEXTS.pop().close()
        server.shutdown()  # serve_forever then calls server_close(), which joins request threads
        thread.join(timeout=30)
        assert not thread.is_alive(), "a request of this test did not finish within 30 s"


@pytest.fixture
def live_server(demo_app):
    """The demo app served on a free localhost port in a thread."""
    with serving(demo_app) as url:
        yield url


def csp_page(browser):
    """A page with the Content-Security-Policy enforced (not bypassed), and the list that
    gathers every policy complaint and script error it meets: ``(page, problems)``."""
    context = browser.new_context(locale="nl-NL")
    context.route("**/*", only_local)
    OPEN_CONTEXTS.append(context)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(m.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return page, problems


def only_local(route) -> None:
    """Let requests to a local test server through; abort everything else (tiles included)."""
    if route.request.url.startswith(LOCAL):
        route.continue_()
    else:
        route.abort()


#: Playwright's ``wait_for_function("…")`` evaluates strings, which the app's
#: Content-Security-Policy forbids; tests that check the policy itself open a context
#: without this (see tests/browser/test_safety.py).
CONTEXT_OPTIONS = {"locale": "nl-NL", "bypass_csp": True}


def open_page(browser, viewport: dict):
    """A page in a fresh context that reaches only local test servers; its script errors
    collect in ``page.errors``. The server it talks to closes the context (see
    :func:`serving`)."""
    context = browser.new_context(viewport=viewport, **CONTEXT_OPTIONS)
    context.route("**/*", only_local)
    OPEN_CONTEXTS.append(context)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return page


@pytest.fixture
def page(browser):
    """A fresh page that can reach only local test servers (tests never touch the network)."""
    page = open_page(browser, {"width": 1280, "height": 860})
    context = page.context
    yield page
    if context in OPEN_CONTEXTS:  # not closed yet by the server it talked to
        OPEN_CONTEXTS.remove(context)
        context.close()


def publish(shot: Path, docs_name: str) -> None:
    """Copy a test screenshot to ``docs/`` when ``PLEKKEN_UPDATE_SCREENSHOTS`` is set.

    The README shows these; refresh them with
    ``PLEKKEN_UPDATE_SCREENSHOTS=1 bash scripts/test.sh tests/browser``.
    """
    if os.environ.get("PLEKKEN_UPDATE_SCREENSHOTS"):
        shutil.copyfile(shot, ROOT / "docs" / docs_name)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def message(key: str, lang: str = "nl", **values: object) -> str:
    """A message of the page scripts (``translations/js_messages.json``), filled in as they do.

    Tests compare with these instead of writing the sentences out, so a copy edit in the
    messages does not break them.
    """
    text = js_messages(lang)[key]
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def message_pattern(key: str, lang: str = "nl") -> re.Pattern:
    """The message ``key`` with a number in place of every ``{placeholder}``."""
    return re.compile(re.sub(r"\\\{\w+\\\}", r"[\\d.,]+", re.escape(js_messages(lang)[key])))


#: Base maps as the real configuration has them, at a host the tests never reach (the
#: browser aborts every request that is not local): the layer button and the attribution
#: are on the map, the tiles stay blank.
UNREACHABLE_TILES = [
    {
        "name": "PDOK BRT-Achtergrondkaart",
        "url": "https://tiles.invalid/brt/{z}/{x}/{y}.png",
        "attribution": "Kaartgegevens &copy; Kadaster",
    },
    {
        "name": "OpenStreetMap",
        "url": "https://tiles.invalid/osm/{z}/{x}/{y}.png",
        "attribution": "&copy; OpenStreetMap-bijdragers",
    },
]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The demo app on SQLite, served once for a whole module of read-mostly page checks.

    The accessibility checks visit many pages and states; the web layer does not depend on
    the database backend (the other browser tests cover both), so one server serves them all.
    """
    yield from _demo_server(tmp_path_factory, tile_layers=[])


@pytest.fixture(scope="module")
def tiled_demo_server(tmp_path_factory):
    """The demo server with the base-map controls of a real site (see UNREACHABLE_TILES)."""
    yield from _demo_server(tmp_path_factory, tile_layers=UNREACHABLE_TILES)


def _demo_server(tmp_path_factory, tile_layers: list[dict]):
    from plekken import create_app, migrate
    from tests.conftest import DEMO_DIR, close_app

    path = tmp_path_factory.mktemp("demo") / "plekken.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "test",
            "TILE_LAYERS": tile_layers,
        }
    )
    migrate.upgrade(app.extensions["plekken_engine"])
    result = app.test_cli_runner().invoke(args=["load-demo", "--path", str(DEMO_DIR)])
    assert result.exit_code == 0, result.output
    try:
        with serving(app) as url:
            yield app, url
    finally:
        close_app(app)
