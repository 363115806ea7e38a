"""Alembic environment: runs on the engine Rex hands over (or DATABASE_URL via Settings)."""

from alembic import context
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
# Replicas starting at once each run `rex migrate`: the first to take this lock upgrades,
# the others wait for it, then find the schema current.
MIGRATION_LOCK = 73_011_967


def _engine() -> Engine:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine  # type: ignore[no-any-return]
    from bot.settings import load_settings
    from storage.db import make_engine

    return make_engine(load_settings().database_url)


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            context.run_migrations()
        connection.commit()


run_migrations_online()
