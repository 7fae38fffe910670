"""Compaction: rewrite the database's files so that erased values leave them too.

An erasure replaces values in rows, but the database keeps the old bytes in free pages,
in the write-ahead log and in dead row versions until they are overwritten. Compaction
rewrites them: on SQLite ``VACUUM`` (with ``secure_delete`` on, so freed pages are
zeroed) and then ``PRAGMA wal_checkpoint(TRUNCATE)``, which copies the log into the
database and empties the log file; on PostgreSQL ``VACUUM FULL`` on the tables written,
which writes each table and its indexes anew and drops the old files. PostgreSQL's own
write-ahead log and any archive of it keep what it kept until they are recycled: see
``docs/operations.md``.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, inspect, text

__all__ = ["checkpoint", "compact"]


def compact(engine: Engine, tables: Iterable[str] = ()) -> list[str]:
    """Compact the store; on PostgreSQL only ``tables`` (every table when empty).
    Returns the tables compacted (SQLite: every one, the file is rewritten whole)."""
    known = set(inspect(engine).get_table_names())
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("PRAGMA secure_delete = ON"))
            conn.execute(text("VACUUM"))
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return sorted(known)
    wanted = sorted(set(tables) & known) if tables else sorted(known)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in wanted:
            conn.execute(text(f'VACUUM FULL "{table}"'))
    return wanted


def checkpoint(engine: Engine) -> None:
    """On SQLite, copy the write-ahead log into the database and empty it (nothing on
    PostgreSQL, whose log is its own)."""
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
