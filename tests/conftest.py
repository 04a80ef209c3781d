"""Shared pytest fixtures.

Database tests run on both backends: embedded SQLite and a real PostgreSQL + PostGIS
(``PLEKKEN_TEST_POSTGIS_URL``, set by ``scripts/test.sh`` after it starts the server).
"""

from __future__ import annotations

import gc
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from plekken import create_app, migrate

ROOT = Path(__file__).resolve().parents[1]
#: Real public Nijmegen data; tests that use it skip when it is absent.
SHARED_DATA = Path(os.environ.get("PLEKKEN_SHARED_DATA") or ROOT.parent / "shared" / "data")
DEMO_DIR = ROOT / "data" / "demo"
POSTGIS_URL = os.environ.get("PLEKKEN_TEST_POSTGIS_URL")
#: Set by scripts/test.sh: a missing server or browser is a failure there, not a skip.
REQUIRE_ALL = bool(os.environ.get("PLEKKEN_TEST_REQUIRE_ALL"))
#: Every PostgreSQL connection of this test run carries this name, so that the leak check
#: counts only its own connections (other runs may share the server).
APPLICATION_NAME = f"plekken-tests-{os.getpid()}"


def pytest_collection_modifyitems(items) -> None:
    """Every test that uses the real data, directly or through a fixture, is ``shared_data``."""
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_data)


def pytest_collection_finish(session) -> None:
    """Keep the garbage collector off the objects that exist once every test module is
    imported (libraries, test data): the leak checks then collect in milliseconds."""
    gc.freeze()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder with real public Nijmegen data (``PLEKKEN_SHARED_DATA``, by default
    ``../shared/data``); skips when it is absent."""
    if not (SHARED_DATA / "nijmegen_wijken.geojson").exists():
        pytest.skip(f"real data folder {SHARED_DATA} is absent; set PLEKKEN_SHARED_DATA")
    return SHARED_DATA


def _with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _admin_engine():
    from plekken.storage.base import make_engine

    return make_engine(_with_query(POSTGIS_URL, f"application_name={APPLICATION_NAME}-admin"))


def _postgis_schema_url() -> tuple[str, str]:
    """A fresh schema in the test database, so every app starts empty."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = _admin_engine()
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    query = f"options=-csearch_path%3D{schema},public&application_name={APPLICATION_NAME}"
    return _with_query(POSTGIS_URL, query), schema


def _drop_schema(schema: str) -> None:
    engine = _admin_engine()
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def _open_test_connections() -> int:
    """PostgreSQL connections this test run still holds, besides the one asking."""
    engine = _admin_engine()
    with engine.connect() as conn:
        count = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE application_name = :name AND pid <> pg_backend_pid()"
            ),
            {"name": APPLICATION_NAME},
        ).scalar_one()
    engine.dispose()
    return count


@pytest.fixture(scope="module", autouse=True)
def no_leaked_postgis_connections():
    """After each test module, none of its PostgreSQL connections may still be open.

    A connection left open would otherwise be closed by the garbage collector at a random
    later moment, raising a ResourceWarning inside whatever test runs then.
    """
    yield
    if not POSTGIS_URL:
        return
    gc.collect()
    leaked = _open_test_connections()
    assert leaked == 0, f"{leaked} PostgreSQL connection(s) of this module are still open"


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    """Argon2 with its cheapest parameters: the real ones take a second per hash by design."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from plekken.services import accounts

    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher.from_parameters(CHEAPEST))


@pytest.fixture(params=["sqlite", pytest.param("postgis", marks=pytest.mark.postgis)])
def backend(request) -> str:
    if request.param == "postgis" and not POSTGIS_URL:
        reason = "no PostGIS server: set PLEKKEN_TEST_POSTGIS_URL (scripts/test.sh does)"
        if REQUIRE_ALL:
            pytest.fail(reason)
        pytest.skip(reason)
    return request.param


@pytest.fixture
def database_url(backend, tmp_path):
    """A URL of an empty database on the requested backend; removed afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'plekken.sqlite3'}"
        return
    url, schema = _postgis_schema_url()
    yield url
    _drop_schema(schema)


@pytest.fixture
def app(database_url, tmp_path):
    """An app on an empty, migrated database of each backend."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test",
            "TILE_LAYERS": [],
        }
    )
    migrate.upgrade(app.extensions["plekken_engine"])
    yield app
    close_app(app)


def close_app(app) -> None:
    """Dispose of an app's engine, first making sure that no connection is still in use.

    A connection still checked out here belongs to a session that was never closed (or to a
    request still running); it is reported by the test that leaked it, and ``gc.collect()``
    makes a forgotten object's ResourceWarning surface now rather than in a later test.
    """
    engine = app.extensions["plekken_engine"]
    try:
        assert_no_connection_in_use(engine)
    finally:
        engine.dispose()


def assert_no_connection_in_use(engine) -> None:
    gc.collect()
    in_use = engine.pool.checkedout()
    assert in_use == 0, f"{in_use} database connection(s) still in use: a session was not closed"


@pytest.fixture
def published(app):
    """New places are published at once (``PLEKKEN_NEW_PLACE_STATUS=published``), for tests
    of what follows adding a place rather than of its review."""
    app.config["NEW_PLACE_STATUS"] = "published"
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A database session inside an app context."""
    from plekken.db import get_session

    with app.app_context():
        yield get_session()


@pytest.fixture
def toy_client(app, client):
    """A client of an app holding the toy wijk WK099901 with two buurten (no places)."""
    from plekken import storage
    from plekken.db import get_session
    from tests.factories import toy_areas

    with app.app_context():
        session = get_session()
        storage.upsert_areas(session, toy_areas(), source="toy")
        session.commit()
    return client


@pytest.fixture
def demo_app(app):
    """The app with the authored demo wijken, buurten and places loaded."""
    result = app.test_cli_runner().invoke(args=["load-demo", "--path", str(DEMO_DIR)])
    assert result.exit_code == 0, result.output
    return app
