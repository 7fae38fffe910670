"""The store: an engine, sessions with one transaction each, and the schema's state.

``open_store`` checks durability settings and the schema revision. An empty database is
brought to the current schema at once (a fresh laptop needs no extra step); a database
with an older schema is refused until someone runs ``kinlink db upgrade`` on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from kinlink.config import DEFAULT_DUCKDB_MEMORY, Settings
from kinlink.errors import StoreBusyError, StoreNotReadyError
from kinlink.i18n import N_, Wording
from kinlink.storage.engine import check_durability, is_busy, make_engine
from kinlink.storage.keyfiles import KeyFiles, Secrets, session_info

_DATABASE_SCHEMA_AT_REVISION = Wording("storage.store.database_schema_at_revision", N_(
    "the database schema is at revision {value}, this kinlink needs {value2}: back up the "
    "database, then run `kinlink db upgrade`"))
_KINLINK_BUSY_WITH_OTHER = Wording("storage.store.kinlink_busy_with_other", N_(
    "kinlink is busy with other work and could not save or read this in time; nothing was "
    "changed, try again in a few seconds"))

__all__ = ["Store", "open_store", "upgrade"]

_MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass
class Store:
    """Access to the database: ``with store.transaction() as session: ...``.

    ``secrets`` says where the audit log's keys are (outside the database); every
    session carries it, so that the audit log can authenticate the events it writes.
    ``duckdb_memory`` bounds DuckDB in the linkage runs over this store
    (``KINLINK_DUCKDB_MEMORY``): every link of its records is started from a store.
    """

    engine: Engine
    secrets: Secrets | None = None
    duckdb_memory: str = DEFAULT_DUCKDB_MEMORY

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False,
                                      info=session_info(self.secrets))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session, one transaction: committed on success, rolled back on error.

        A statement that waited longer than the busy timeout for another transaction's
        lock ends the transaction with :class:`StoreBusyError` (nothing of it is kept).
        """
        try:
            with self._sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            if is_busy(exc):
                raise StoreBusyError(_KINLINK_BUSY_WITH_OTHER()) from None
            raise

    def dispose(self) -> None:
        """Close pooled connections (tests and short-lived commands)."""
        self.engine.dispose()


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> str:
    """Bring the schema to the newest revision; returns that revision."""
    config = _alembic_config(engine)
    command.upgrade(config, "head")
    return current_revision(engine) or ""


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or ``None`` for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest schema revision this version of kinlink knows."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def open_store(settings: Settings) -> Store:
    """Open the configured store, creating the schema in an empty database."""
    engine = make_engine(settings.effective_database_url, settings.busy_timeout)
    check_durability(engine)
    current = current_revision(engine)
    if current is None and not inspect(engine).get_table_names():
        upgrade(engine)
    elif current != head_revision():
        engine.dispose()
        raise StoreNotReadyError(
            _DATABASE_SCHEMA_AT_REVISION(value=str(current or 'none'), value2=str(head_revision()))
        )
    audit_key = settings.audit_key.get_secret_value() if settings.audit_key else None
    return Store(engine, Secrets(KeyFiles(settings.keys_dir), audit_key),
                 settings.duckdb_memory)
