"""Database plumbing without Flask: declarative base, the geometry type shared by SQLite and
PostGIS, and engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shapely
from geoalchemy2 import Geometry as PostGISGeometry
from geoalchemy2.shape import from_shape, to_shape
from sqlalchemy import Engine, LargeBinary, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

__all__ = ["Base", "Geometry", "make_engine", "backend_name", "default_sqlite_url"]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so Alembic names are stable."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Geometry(TypeDecorator):
    """A shapely geometry in EPSG:4326.

    On PostGIS the column is a real ``geometry(<type>, 4326)`` (GeoAlchemy2) with a GiST
    index created by the migration; on SQLite it is WKB in a BLOB. Python code always sees
    shapely geometries.
    """

    impl = LargeBinary
    cache_ok = True

    # Attributes GeoAlchemy2's DDL hooks read from column types.
    spatial_index = False
    use_N_D_index = False
    use_typmod = None
    dimension = 2

    def __init__(self, geometry_type: str = "GEOMETRY", srid: int = 4326) -> None:
        super().__init__()
        self.geometry_type = geometry_type
        self.srid = srid

    def load_dialect_impl(self, dialect: Any):
        if dialect is not None and dialect.name == "postgresql":
            return dialect.type_descriptor(
                PostGISGeometry(self.geometry_type, srid=self.srid, spatial_index=False)
            )
        return LargeBinary() if dialect is None else dialect.type_descriptor(LargeBinary())

    def process_bind_param(self, value: Any, dialect: Any):
        if value is None:
            return None
        if dialect.name == "postgresql":
            return from_shape(value, srid=self.srid)
        return shapely.to_wkb(value)

    def process_result_value(self, value: Any, dialect: Any):
        if value is None:
            return None
        if dialect.name == "postgresql":
            return to_shape(value)
        return shapely.from_wkb(bytes(value))

    def bind_expression(self, bindvalue):
        return bindvalue

    def column_expression(self, col):
        return col


def backend_name(engine: Engine) -> str:
    """``"postgis"`` or ``"sqlite"`` (or the dialect's name for anything else)."""
    return "postgis" if engine.dialect.name == "postgresql" else engine.dialect.name


def default_sqlite_url(instance_path: str) -> str:
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(instance_path) / 'plekken.sqlite3'}"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A database that does not answer is reported (503) after a few seconds, not minutes.
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
