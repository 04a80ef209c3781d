"""Alembic environment. The engine comes from :func:`plekken.migrate.alembic_config`."""

from __future__ import annotations

from alembic import context

from plekken.storage import doing_models, models  # noqa: F401  (registers the tables)
from plekken.storage.base import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from plekken.storage.base import make_engine

        with make_engine(config.get_main_option("sqlalchemy.url")).begin() as conn:
            _run(conn)
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
