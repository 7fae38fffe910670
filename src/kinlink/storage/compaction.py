"""Compaction: rewrite the database's files so that erased values leave them too.

An erasure replaces values in rows, but the database keeps the old bytes in free pages,
in the write-ahead log and in dead row versions until they are overwritten. Compaction
rewrites them: on SQLite ``VACUUM`` (with ``secure_delete`` on, so freed pages are
zeroed) and then ``PRAGMA wal_checkpoint(TRUNCATE)``, which copies the log into the
database and empties the log file; on PostgreSQL ``VACUUM FULL`` on the tables written,
which writes each table and its indexes anew and drops the old files, after analysing
them afresh, and then rewrites the statistics catalog (an ANALYZE before the erasure —
autovacuum runs one unasked — keeps sampled values there). PostgreSQL's own write-ahead
log and any archive of it keep what it kept until they are recycled: see
``docs/operations.md``.

On a busy PostgreSQL server ``VACUUM FULL`` copies every row version that a transaction
still open might see: a transaction that began before the erasure (a long report, a
backup, autovacuum's ANALYZE) keeps the erased values in the new files too, and so does
a transaction still writing in *another* database of the same server (VACUUM's own
snapshot counts it as running, so every row version written after it stays). Compaction
therefore first waits, a bounded time, for the transactions older than itself to end
(this database's readers, and the server's writers), and says how many were still open
when it ran, so that the caller can tell the person that the values may still be on disk
until the next compaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, inspect, text

__all__ = ["Compaction", "checkpoint", "compact"]

#: How long compaction waits for older transactions to end (this database's readers, the
#: server's writers; seconds).
WAIT_SECONDS = 60.0

#: Sessions of this database holding a snapshot taken before ``:since``: the rows they
#: may still read cannot be dropped. Their transaction ids, to count each once below.
_OLDER_SNAPSHOTS = text(
    "SELECT backend_xid::text FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL "
    "AND (xact_start IS NULL OR xact_start < :since)")

#: Transactions of any database on the server still running that were given their id
#: before ``:start``: VACUUM's own snapshot counts them as running, so every row version
#: written after them stays (a writer in another database holds back this one's files).
#: Read from a snapshot, which any role may take, not from other roles' activity.
_OLDER_WRITERS = text(
    "SELECT (x::text::numeric % 4294967296)::text FROM "
    "pg_snapshot_xip(pg_current_snapshot()) AS x WHERE x < CAST(:start AS xid8)")


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
        # new statistics first, from the live rows only (ANALYZE samples no dead row
        # version), so that the wait below covers the old statistics rows too
        for table in wanted:
            conn.execute(text(f'ANALYZE "{table}"'))
        older = _wait_for_older_transactions(conn, wait_seconds)
        for table in wanted:
            conn.execute(text(f'VACUUM FULL "{table}"'))
        # the old statistics (most common values, histogram bounds: erased values among
        # them) stay in the catalog's file until it is rewritten too; a role that may
        # not rewrite it gets a warning from PostgreSQL, not an error
        conn.execute(text("VACUUM FULL pg_catalog.pg_statistic"))
    return Compaction(wanted, older)


def _wait_for_older_transactions(conn: Connection, wait_seconds: float) -> int:
    """Wait until no other session of this database holds a snapshot taken before now
    and no transaction of the server that was running now is still running (or
    ``wait_seconds`` pass); how many still are."""
    since = conn.execute(text("SELECT statement_timestamp()")).scalar_one()
    start = str(conn.execute(text(
        "SELECT pg_snapshot_xmax(pg_current_snapshot())")).scalar_one())
    deadline = time.monotonic() + wait_seconds
    while True:
        readers = [xid for (xid,) in conn.execute(_OLDER_SNAPSHOTS, {"since": since})]
        writers = {xid for (xid,) in conn.execute(_OLDER_WRITERS, {"start": start})}
        older = len(readers) + len(writers - set(readers))
        if older == 0 or time.monotonic() >= deadline:
            return older
        time.sleep(0.2)


def checkpoint(engine: Engine) -> None:
    """On SQLite, copy the write-ahead log into the database and empty it (nothing on
    PostgreSQL, whose log is its own)."""
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
