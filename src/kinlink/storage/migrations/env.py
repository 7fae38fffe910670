"""Alembic environment: runs migrations on the engine kinlink hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from kinlink.storage.tables import Base  # the package registers every table module

engine = context.config.attributes["engine"]
assert isinstance(engine, Engine)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
