"""Compaction: rewrite the database's files so that erased values leave them too.

An erasure replaces values in rows, but the database keeps the old bytes in free pages,
in the write-ahead log and in dead row versions until they are overwritten. Compaction
rewrites them: on SQLite ``VACUUM`` (with ``secure_delete`` on, so freed pages are
zeroed) and then ``PRAGMA wal_checkpoint(TRUNCATE)``, which copies the log into the
database and empties the log file; on PostgreSQL ``VACUUM FULL`` on the tables written,
which writes each table and its indexes anew and drops the old files, then analyses
them afresh and rewrites the statistics catalog (an ANALYZE before the erasure — autovacuum
runs one unasked — keeps sampled values there). PostgreSQL's own
write-ahead log and any archive of it keep what it kept until they are recycled: see
``docs/operations.md``.

On a busy PostgreSQL server ``VACUUM FULL`` copies every row version that a transaction
still open might see: a transaction that began before the erasure (a long report, a
backup, autovacuum's ANALYZE) keeps the erased values in the new files too. Compaction
therefore first waits, a bounded time, for the transactions of this database older than
itself to end, and says how many were still open when it ran, so that the caller can
tell the person that the values may still be on disk until the next compaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, text

__all__ = ["Compaction", "checkpoint", "compact"]

#: How long compaction waits for older transactions of the database to end (seconds).
WAIT_SECONDS = 60.0

_OLDER_SNAPSHOTS = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL "
    "AND (xact_start IS NULL OR xact_start < :since)")


@dataclass(frozen=True)
class Compaction:
    """What a compaction did: the tables rewritten (SQLite: every one, the file is
    rewritten whole), and how many transactions older than the compaction were still
    open when it rewrote them (PostgreSQL; always 0 on SQLite). Each of those may have
    kept old row versions, erased values included, in the rewritten files."""

    tables: list[str]
    older_transactions: int = 0


def compact(engine: Engine, tables: Iterable[str] = (), *,
            wait_seconds: float = WAIT_SECONDS) -> Compaction:
    """Compact the store; on PostgreSQL only ``tables`` (every table when empty), after
    waiting up to ``wait_seconds`` for the database's older transactions to end."""
    known = set(inspect(engine).get_table_names())
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("PRAGMA secure_delete = ON"))
            conn.execute(text("VACUUM"))
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return Compaction(sorted(known))
    wanted = sorted(set(tables) & known) if tables else sorted(known)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        older = _wait_for_older_transactions(conn, wait_seconds)
        for table in wanted:
            conn.execute(text(f'VACUUM FULL "{table}"'))
        for table in wanted:  # new statistics in place of those sampled before
            conn.execute(text(f'ANALYZE "{table}"'))
        # the old statistics (most common values, histogram bounds: erased values among
        # them) stay in the catalog's file until it is rewritten too; a role that may
        # not rewrite it gets a warning from PostgreSQL, not an error
        conn.execute(text("VACUUM FULL pg_catalog.pg_statistic"))
    return Compaction(wanted, older)


def _wait_for_older_transactions(conn: Connection, wait_seconds: float) -> int:
    """Wait until no other session of this database holds a snapshot taken before now
    (or ``wait_seconds`` pass); how many still do."""
    since = conn.execute(text("SELECT statement_timestamp()")).scalar_one()
    deadline = time.monotonic() + wait_seconds
    while True:
        older = int(conn.execute(_OLDER_SNAPSHOTS, {"since": since}).scalar_one())
        if older == 0 or time.monotonic() >= deadline:
            return older
        time.sleep(0.2)


def checkpoint(engine: Engine) -> None:
    """On SQLite, copy the write-ahead log into the database and empty it (nothing on
    PostgreSQL, whose log is its own)."""
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
