"""Failed requests explained: error pages in the site's layout for people, the documented
JSON shape for the API, 503 with Retry-After while the database is away, health endpoints."""

from __future__ import annotations

import contextlib
import time

import pytest
from sqlalchemy import text
from werkzeug.exceptions import TooManyRequests

from plekken import create_app, migrate
from tests.conftest import _open_test_connections, close_app


def _page(response) -> str:
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_404_page_in_dutch_with_a_main_landmark_and_a_way_back(client):
    response = client.get("/bestaat-niet")
    page = _page(response)
    assert response.status_code == 404
    assert "<main" in page and 'lang="nl"' in page
    assert "Deze pagina bestaat niet" in page
    assert 'href="/"' in page


@pytest.mark.parametrize(
    ("query", "headers"), [("?lang=en", {}), ("", {"Accept-Language": "en-GB,en;q=0.9"})]
)
def test_error_pages_in_english_on_request(client, query, headers):
    page = _page(client.get(f"/bestaat-niet{query}", headers=headers))
    assert 'lang="en"' in page
    assert "This page does not exist" in page


def test_api_errors_are_json_in_the_documented_shape(client):
    response = client.get("/api/v1/bestaat-niet")
    assert response.status_code == 404
    assert set(response.get_json()) == {"errors"}
    response = client.put("/api/v1/places")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert isinstance(response.get_json()["errors"]["request"], str)


def test_405_page_for_people(client):
    response = client.post("/")
    assert response.status_code == 405
    assert "Dit kan hier niet" in _page(response)


def test_the_way_back_is_the_page_one_came_from_on_this_site(client):
    page = _page(client.get("/x", headers={"Referer": "http://localhost/wijk/WK1"}))
    assert 'href="http://localhost/wijk/WK1"' in page
    page = _page(client.get("/x", headers={"Referer": "https://elders.example/"}))
    assert "elders.example" not in page


@pytest.fixture
def failing_app(app):
    """The app with routes that fail the way a bug or a rate limit does."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def boom():
        raise RuntimeError("a bug")

    def busy():
        raise TooManyRequests(retry_after=42)

    app.add_url_rule("/kapot", view_func=boom)
    app.add_url_rule("/api/v1/kapot", view_func=boom, endpoint="api_boom")
    app.add_url_rule("/druk", view_func=busy)
    return app


def test_500_page_and_json(failing_app):
    client = failing_app.test_client()
    response = client.get("/kapot")
    assert response.status_code == 500
    assert "Er ging iets mis" in _page(response)
    assert "RuntimeError" not in _page(response)
    response = client.get("/api/v1/kapot?lang=en")
    assert response.status_code == 500
    assert "went wrong" in response.get_json()["errors"]["request"]


def test_429_keeps_its_retry_after(failing_app):
    response = failing_app.test_client().get("/druk")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "42"
    assert "42 seconden" in _page(response)


# ---------------------------------------------------------------- database away


@pytest.fixture
def sqlite_away(tmp_path):
    """An app whose SQLite file lies in a folder that does not exist (yet)."""
    folder = tmp_path / "weg"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{folder / 'p.sqlite3'}",
            "SECRET_KEY": "test",
            "TILE_LAYERS": [],
        }
    )
    yield app, folder
    close_app(app)


def test_database_away_is_a_503_with_retry_after_and_recovers(sqlite_away):
    app, folder = sqlite_away
    client = app.test_client()
    page = client.get("/")
    assert page.status_code == 503
    assert page.headers["Retry-After"].isdigit()
    assert "niet bereikbaar" in _page(page)
    api = client.get("/api/v1/places", headers={"Accept-Language": "en"})
    assert api.status_code == 503
    assert "errors" in api.get_json()
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200

    folder.mkdir()
    migrate.upgrade(app.extensions["plekken_engine"])
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/places").status_code == 200
    assert client.get("/readyz").get_json()["status"] == "ready"


def test_readyz_names_a_missing_migration(app):
    engine = app.extensions["plekken_engine"]
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    head = migrate.head_revision(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert head in response.get_json()["migrations"]


@pytest.mark.postgis
def test_postgis_away_is_a_503_and_the_app_answers_once_it_is_back(database_url, backend):
    if backend != "postgis":
        pytest.skip("the proxy stands between the app and PostgreSQL")
    from sqlalchemy.engine import make_url

    target = make_url(database_url)
    with TcpProxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        url = target.set(host="127.0.0.1", port=proxy.port)
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test",
                "TILE_LAYERS": [],
                "DATABASE_URL": url.render_as_string(hide_password=False),
            }
        )
        try:
            migrate.upgrade(app.extensions["plekken_engine"])
            client = app.test_client()
            assert client.get("/api/v1/places").status_code == 200
            proxy.stop()
            response = client.get("/api/v1/places")
            assert response.status_code == 503
            assert response.headers["Retry-After"].isdigit()
            assert client.get("/").status_code == 503
            proxy.start()
            assert client.get("/api/v1/places").status_code == 200
            assert client.get("/readyz").status_code == 200
        finally:
            close_app(app)
    _wait_until_closed()


def _wait_until_closed(seconds: float = 5.0) -> None:
    """PostgreSQL ends a backend a moment after the proxy dropped its socket."""
    deadline = time.monotonic() + seconds
    while _open_test_connections() and time.monotonic() < deadline:
        time.sleep(0.05)


class TcpProxy:
    """Forwards a local port to ``host:port``; ``stop()`` drops every connection."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._listener = None
        self._open: list = []

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *_exc):
        self.stop()

    def start(self) -> None:
        import socket
        import threading

        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, sink) -> None:
        import socket

        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):  # shutdown wakes the thread reading the other way
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def stop(self) -> None:
        import socket

        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            self._listener.close()
            self._listener = None
        for conn in self._open:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self._open.clear()
