"""Copy the database consistently while it is in use, and load a copy into a store.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page in one
step, inside one read transaction, so writers carry on (WAL) and the copy is the store
as of one moment. PostgreSQL: a ``REPEATABLE READ`` transaction exports its snapshot and
``pg_dump -Fc --snapshot`` dumps exactly that snapshot while the transaction counts the
rows in it, so the counts and the dump agree although imports go on.

A :class:`Census` is what the manifest says of a copy: every table's row count, the
audit head, the schema revision and the documents' SHA-256s it refers to.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Connection,
    column,
    create_engine,
    func,
    inspect,
    select,
    table,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from kinlink.errors import BackupRefusedError, ConfigurationError
from kinlink.i18n import N_, Wording
from kinlink.storage.tables import AuditEventRow
from kinlink.storage.web_tables import WebSessionRow

_NO_PG_TOOL = Wording("storage.backup.no_pg_tool", N_(
    "{tool} was not found: install the PostgreSQL client programs of the server's "
    "version (Debian: postgresql-client) or put their folder on PATH"))
_PG_TOOL_FAILED = Wording("storage.backup.pg_tool_failed", N_(
    "{tool} failed (exit code {code}): {reason}"))
_NOT_A_FILE_STORE = Wording("storage.backup.not_a_file_store", N_(
    "the SQLite store must be a file to be backed up or restored into"))

__all__ = ["AuditHeadRow", "Census", "census", "census_of_file", "end_all_sessions",
           "engine_name", "known_revisions", "load_postgres", "load_sqlite", "recorded_backups",
           "snapshot_postgres", "snapshot_sqlite", "table_names"]


@dataclass(frozen=True)
class AuditHeadRow:
    """The newest audit event's id and hash, and the chain's length."""

    id: int
    hash: str
    events: int


@dataclass(frozen=True)
class Census:
    """What a copy of the store holds (see the module's text)."""

    revision: str | None
    tables: dict[str, int]
    head: AuditHeadRow | None
    blobs: frozenset[str]


def engine_name(url: str) -> str:
    """``sqlite`` or ``postgresql``: the engine a URL names."""
    return make_url(url).get_backend_name()


def table_names(url: str) -> list[str]:
    """The tables the database at ``url`` holds (empty: a new store); a SQLite file that
    does not exist is not created."""
    if engine_name(url) == "sqlite" and not _sqlite_path(url).exists():
        return []
    engine = create_engine(url)
    try:
        return sorted(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def census(conn: Connection) -> Census:
    """Count every table, read the audit head, the schema revision and the documents'
    hashes, in ``conn``'s transaction."""
    names = sorted(inspect(conn).get_table_names())
    tables = {name: int(conn.execute(select(func.count()).select_from(table(name)))
                        .scalar_one()) for name in names}
    revision = (conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if "alembic_version" in names else None)
    head = None
    if tables.get("audit_events"):
        row = conn.execute(text("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")
                           ).one()
        head = AuditHeadRow(int(row[0]), str(row[1]), tables["audit_events"])
    blobs: set[str] = set()
    for name in ("documents", "document_derived"):
        if name in names:
            hashes = table(name, column("sha256"))
            blobs.update(str(s) for s in conn.execute(select(hashes.c.sha256)).scalars())
    return Census(str(revision) if revision else None, tables, head, frozenset(blobs))


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ConfigurationError(_NOT_A_FILE_STORE())
    return Path(database)


def snapshot_sqlite(url: str, target: Path, busy_timeout: float) -> Census:
    """Copy the SQLite store at ``url`` to the file ``target`` with the online backup API
    (one step: one consistent moment) and take the copy's census."""
    source = sqlite3.connect(_sqlite_path(url), timeout=busy_timeout)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return census_of_file(f"sqlite:///{target}")


def census_of_file(url: str) -> Census:
    """The census of the database at ``url`` as it is now (a copy, a restored store)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return census(conn)
    finally:
        engine.dispose()


def load_sqlite(copy: Path, url: str, busy_timeout: float) -> None:
    """Replace the SQLite store at ``url`` (created if missing) with the file ``copy``,
    page by page through the backup API, so that connections still open on the store
    see the restored store and its WAL stays consistent."""
    path = _sqlite_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(copy)
    target = sqlite3.connect(path, timeout=busy_timeout)
    try:
        target.execute("PRAGMA journal_mode=WAL")
        source.backup(target)
    finally:
        target.close()
        source.close()


def _tool(name: str) -> str:
    """The path of a PostgreSQL client program: on PATH, else Debian's folders."""
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).is_file():
            return str(folder / name)
    raise ConfigurationError(_NO_PG_TOOL(tool=name))


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string for ``url`` without its password, and the environment
    that passes the password (never on a command line, where ``ps`` shows it)."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupRefusedError(_PG_TOOL_FAILED(tool=Path(args[0]).name,
                                                 code=done.returncode, reason=last[:300]))


def snapshot_postgres(url: str, target: Path) -> Census:
    """Dump the PostgreSQL store at ``url`` to ``target`` (``pg_dump -Fc``) from one
    exported snapshot, and take that snapshot's census in the same transaction."""
    dump = _tool("pg_dump")
    conninfo, env = _libpq(url)
    engine = create_engine(url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as conn, conn.begin():
            snapshot = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar_one())
            found = census(conn)
            _run([dump, "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  "-f", str(target), "-d", conninfo], env)
        return found
    finally:
        engine.dispose()


def load_postgres(dump: Path, url: str, *, replace: bool) -> None:
    """Load a ``pg_dump -Fc`` file into the PostgreSQL database at ``url`` in one
    transaction (``pg_restore --single-transaction``); ``replace`` drops the objects
    the dump holds first."""
    restore = _tool("pg_restore")
    conninfo, env = _libpq(url)
    args = [restore, "--no-owner", "--no-privileges", "--single-transaction",
            "--exit-on-error", "-d", conninfo]
    if replace:
        args[1:1] = ["--clean", "--if-exists"]
    _run([*args, str(dump)], env)


def recorded_backups(session: Session) -> set[str]:
    """The SHA-256 of every backup file this store recorded writing (its
    ``store.backed_up`` events)."""
    rows = session.execute(select(AuditEventRow.details).where(
        AuditEventRow.action == "store.backed_up")).scalars()
    return {str(d.get("sha256")) for d in rows if isinstance(d, dict) and d.get("sha256")}


def end_all_sessions(session: Session, now: dt.datetime) -> int:
    """End every open web session (a restored store's sessions are the backup's, not
    anyone's now); returns how many were ended."""
    ended = session.execute(update(WebSessionRow).where(WebSessionRow.ended_at.is_(None))
                            .values(ended_at=now, end_reason="restored"))
    return int(getattr(ended, "rowcount", 0) or 0)


def known_revisions() -> frozenset[str]:
    """Every schema revision this kinlink's migrations know: a backup at another one
    was made by a newer kinlink."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return frozenset(s.revision for s in ScriptDirectory.from_config(config).walk_revisions())
