"""The store refuses unsafe settings and old schemas, and migrates an empty database."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, inspect, text

from kinlink.config import Settings
from kinlink.errors import ConfigurationError, StoreNotReadyError
from kinlink.storage import Store, current_revision, head_revision, open_store, upgrade
from kinlink.storage.engine import check_durability


def test_sqlite_store_runs_with_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path / "data"))
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.dispose()
    assert (tmp_path / "data" / "kinlink.sqlite3").exists()


def test_sqlite_without_full_sync_is_refused(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'unsafe.sqlite3'}")

    def pragmas(conn: sqlite3.Connection, _record: Any) -> None:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")

    event.listen(engine, "connect", pragmas)
    with pytest.raises(ConfigurationError, match="synchronous=1"):
        check_durability(engine)


def test_empty_database_gets_the_current_schema(settings: Settings) -> None:
    # ``settings`` alone is an empty database (``store`` would be a migrated copy)
    store = open_store(settings)
    try:
        assert current_revision(store.engine) == head_revision()
        tables = set(inspect(store.engine).get_table_names())
        assert {"sources", "records", "reporters", "import_runs", "import_issues",
                "audit_events"} <= tables
        assert upgrade(store.engine) == head_revision()
    finally:
        store.dispose()


def test_database_with_an_older_schema_is_refused(store: Store, settings: Settings) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    store.dispose()
    with pytest.raises(StoreNotReadyError, match="kinlink db upgrade"):
        open_store(settings)
