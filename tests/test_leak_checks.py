"""The checks that make a leaked database connection fail the test that leaked it.

A connection that outlives its test used to be closed by the garbage collector at a random
later moment, and ``filterwarnings = error`` turned its ResourceWarning into a failure of
whichever test happened to run then. These tests prove the checks notice a leak at once.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from plekken.storage.base import make_engine
from tests.conftest import (
    APPLICATION_NAME,
    POSTGIS_URL,
    _open_test_connections,
    _with_query,
    assert_no_connection_in_use,
)


def test_a_session_left_open_is_reported_by_its_test(app):
    engine = app.extensions["plekken_engine"]
    session = app.extensions["plekken_sessionmaker"]()
    session.execute(text("SELECT 1"))
    with pytest.raises(AssertionError, match="1 database connection"):
        assert_no_connection_in_use(engine)
    session.close()
    assert_no_connection_in_use(engine)


@pytest.mark.postgis
def test_open_postgis_connections_are_counted(backend):
    if backend != "postgis" or not POSTGIS_URL:
        pytest.skip("PostGIS only")
    before = _open_test_connections()
    engine = make_engine(_with_query(POSTGIS_URL, f"application_name={APPLICATION_NAME}"))
    connection = engine.connect()
    assert _open_test_connections() == before + 1
    connection.close()
    engine.dispose()
    assert _open_test_connections() == before
