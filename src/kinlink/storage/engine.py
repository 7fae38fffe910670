"""Build the database engine and hold the store to the durability settings it needs.

SQLite (the embedded default) runs with WAL, ``synchronous=FULL``, foreign keys on and a
busy timeout; PostgreSQL must run with ``fsync``, ``synchronous_commit`` and
``full_page_writes`` on, and waits for a lock no longer than the same timeout. A
statement that meets a store busier than that is refused (see :func:`is_busy`) rather
than left waiting: the web answers 503 and the person tries again. kinlink refuses to
work on a store that would lose acknowledged writes (security requirement REL-01).

Connections are pooled for a served kinlink (:data:`REQUEST_THREADS` kept, so that 16
signed-in people do not open and close a PostgreSQL backend per transaction, as the
default pool of 5 did past its fifth connection) and are not pinged on every checkout:
a connection idle longer than :data:`PING_AFTER_IDLE_SECONDS` is pinged before use, and
none is kept longer than :data:`RECYCLE_SECONDS` (see :func:`make_engine`).

Statements' parameters are rows of children: the engine hides them from its error
messages (``hide_parameters``), so that an error's text never carries them even where it
escapes :mod:`kinlink.incidents`.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

from kinlink.errors import ConfigurationError
from kinlink.i18n import N_, Wording

_UNSAFE = Wording("store.unsafe_settings", N_(
    "the database would not keep every saved change safely: {settings}"))

__all__ = ["PING_AFTER_IDLE_SECONDS", "RECYCLE_SECONDS", "REQUEST_THREADS", "check_durability",
           "is_busy", "make_engine", "redacted_url"]

REQUEST_THREADS = 40
"""The threads a served kinlink answers requests on: AnyIO's default thread limiter, under
which Starlette runs every synchronous endpoint and page. The pool keeps as many
connections, so that no request waits for one or opens its own."""

SPARE_CONNECTIONS = 10
"""Connections opened beyond the kept ones, for background threads (the warm-up, an import
job's progress, the exports' clean-up) while every request thread holds one; closed when
returned."""

PING_AFTER_IDLE_SECONDS = 10.0
"""A pooled connection unused for longer is pinged before it is handed out (a server
restart or a dropped network connection then costs a new connection, not a failed
request). A busy server reuses its connections within milliseconds and does not pay the
ping's round trip on every transaction, as ``pool_pre_ping`` made it do."""

RECYCLE_SECONDS = 1800
"""No connection is kept longer (firewalls and poolers in front of PostgreSQL drop
connections idle for long; a backend's memory grows with the statements it prepared)."""

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
)
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_PG_LOCK_NOT_AVAILABLE = "55P03"


def make_engine(url: str, busy_timeout: float) -> Engine:
    """An engine for ``url`` whose statements wait at most ``busy_timeout`` seconds for a
    lock and whose errors never show their parameters; for SQLite the file's folder is
    created and the pragmas set."""
    parsed = make_url(url)
    millis = max(1, round(busy_timeout * 1000))
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, hide_parameters=True, pool_size=REQUEST_THREADS,
                               max_overflow=SPARE_CONNECTIONS, pool_recycle=RECYCLE_SECONDS,
                               connect_args={"options": f"-c lock_timeout={millis}"})
        _ping_when_idle(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    if parsed.database in (None, "", ":memory:"):
        engine = create_engine(url, hide_parameters=True)
    else:
        engine = create_engine(url, hide_parameters=True, pool_size=REQUEST_THREADS,
                               max_overflow=SPARE_CONNECTIONS)
    pragmas = (*_SQLITE_PRAGMAS, f"PRAGMA busy_timeout={millis}")

    def set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            for pragma in pragmas:
                cursor.execute(pragma)
        finally:
            cursor.close()

    event.listen(engine, "connect", set_pragmas)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use when it has been idle past
    :data:`PING_AFTER_IDLE_SECONDS`; one that does not answer is replaced (SQLAlchemy's
    pool retries the checkout on :class:`~sqlalchemy.exc.DisconnectionError`)."""

    def returned(_dbapi_connection: Any, record: Any) -> None:
        record.info["kinlink_returned_at"] = time.monotonic()

    def taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned_at = record.info.get("kinlink_returned_at")
        if returned_at is None or time.monotonic() - returned_at < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dbapi_connection.autocommit = True  # the ping opens no transaction
            try:
                dbapi_connection.execute("SELECT 1")
            finally:
                dbapi_connection.autocommit = False
        except Exception as error:  # any failure: the pool opens a fresh connection
            raise DisconnectionError("the pooled connection did not answer") from error

    event.listen(engine, "checkin", returned)
    event.listen(engine, "checkout", taken)


def is_busy(exc: BaseException) -> bool:
    """Whether a database error means "another transaction held the lock too long"
    (SQLite's busy timeout, PostgreSQL's ``lock_timeout``), not a fault."""
    original = getattr(exc, "orig", exc)
    if isinstance(original, sqlite3.OperationalError):
        return any(text in str(original) for text in _SQLITE_BUSY)
    return getattr(original, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE


def check_durability(engine: Engine) -> None:
    """Raise :class:`ConfigurationError` unless the store commits durably."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            found = {
                "journal_mode": str(conn.execute(text("PRAGMA journal_mode")).scalar()),
                "synchronous": str(conn.execute(text("PRAGMA synchronous")).scalar()),
                "foreign_keys": str(conn.execute(text("PRAGMA foreign_keys")).scalar()),
            }
            wanted = {"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1"}
        else:
            names = ("fsync", "synchronous_commit", "full_page_writes")
            found = {n: str(conn.execute(text(f"SHOW {n}")).scalar()) for n in names}
            wanted = dict.fromkeys(names, "on")
    wrong = [f"{k}={found[k]} (needs {v})" for k, v in wanted.items() if found[k].lower() != v]
    if wrong:
        raise ConfigurationError(_UNSAFE(settings=", ".join(wrong)))


def redacted_url(url: str) -> str:
    """The database URL with any password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)
