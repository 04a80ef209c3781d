"""Shared pytest fixtures.

Database tests run on both backends: embedded SQLite and a real PostgreSQL + PostGIS
(``PLEKKEN_TEST_POSTGIS_URL``, set by ``scripts/test.sh`` after it starts the server).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from plekken import create_app, migrate

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
DEMO_DIR = ROOT / "data" / "demo"
POSTGIS_URL = os.environ.get("PLEKKEN_TEST_POSTGIS_URL")
#: Set by scripts/test.sh: a missing server or browser is a failure there, not a skip.
REQUIRE_ALL = bool(os.environ.get("PLEKKEN_TEST_REQUIRE_ALL"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder with real public Nijmegen data; skips when it is absent."""
    if not (SHARED_DATA / "nijmegen_wijken.geojson").exists():
        pytest.skip(f"real data folder {SHARED_DATA} is absent")
    return SHARED_DATA


def _postgis_schema_url() -> tuple[str, str]:
    """A fresh schema in the test database, so every app starts empty."""
    from plekken.db import make_engine

    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = make_engine(POSTGIS_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in POSTGIS_URL else "?"
    return f"{POSTGIS_URL}{sep}options=-csearch_path%3D{schema},public", schema


def _drop_schema(schema: str) -> None:
    from plekken.db import make_engine

    engine = make_engine(POSTGIS_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


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
    app.extensions["plekken_engine"].dispose()


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
