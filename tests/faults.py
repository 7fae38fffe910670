"""Faults made to happen in the middle of a real import, on a signal from the import's own
progress (never after a delay, so they land where they should on a loaded machine too).

* :class:`PostgresTerminator` — once the first chunk is in, a second connection locks
  the records table and, as soon as the import's next INSERT waits on that lock, ends
  the import's backend with ``pg_terminate_backend``: the INSERT carrying the rows fails
  with "terminating connection due to administrator command" (or, as the timing falls,
  "server closed the connection unexpectedly": an ``OperationalError`` either way).
* :class:`SqliteLengthLimit` — once the first chunk is in, every SQLite connection taken
  from a pool gets a low ``SQLITE_LIMIT_LENGTH``: the next chunk, which holds an
  oversized cell, fails with "string or blob too big".
* :class:`Marker` — writes a file once so many rows are stored, and holds the import
  there (for a test that kills it at that point).

Run as a script, it is the real command line with one fault armed from the import's
progress callback: ``python tests/faults.py FAULT ARG -- import FILE …`` (FAULT:
``postgres`` with the database URL, ``sqlite`` with the limit in bytes, ``marker`` with
``FILE:ROWS``, the file to write once ROWS rows are stored).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.pool import Pool

from kinlink.domain.progress import Stage, StageProgress

ROWS = 2500
"""More than one chunk (2,000 rows): the fault lands in the second."""
VICTIM_LINE = 2002
"""The line of the file holding the row whose values must never be shown: the first of
the second chunk, where the fault lands (and where an error's text would show it)."""
GIVEN, SURNAME, PATRONYMIC = "Ярина", "Кравчишин", "Остапівна"
BIRTH, BIRTH_ISO, PLACE = "17.09.2013", "2013-09-17", "Мелітополь"
SECRETS = (GIVEN, SURNAME, PATRONYMIC, BIRTH, BIRTH_ISO, PLACE, "Kravchyshyn", "Iaryna",
           "Yaryna", "Melitopol")
"""The row's values, and their Latin forms (search keys): none may appear anywhere."""
OVERSIZED = 3000
"""Characters in the victim row's notes cell (past the limit the SQLite fault sets)."""


def hostile_list(path: Path, *, oversized: bool = False) -> Path:
    """A list of :data:`ROWS` children; line :data:`VICTIM_LINE` holds the row whose
    values are checked for (with an oversized notes cell if asked)."""
    lines = ["record_id,surname,given_name,patronymic,birth_date,birth_place,sex,notes"]
    for i in range(2, ROWS + 2):
        if i == VICTIM_LINE:
            notes = f"{PLACE}, {SURNAME} " * (OVERSIZED // 20) if oversized else ""
            lines.append(f"V-{i},{SURNAME},{GIVEN},{PATRONYMIC},{BIRTH},{PLACE},ж,{notes}")
        else:
            lines.append(f"R-{i},Петренко{i % 97},Олександр,Іванович,"
                         f"{1 + i % 28:02d}.03.2014,Херсон,ч,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def leaks(text: str) -> list[str]:
    """The victim row's values found in ``text`` (case-insensitive), as they are or
    escaped as JSON writes them (``\\u041a…``)."""
    folded = text.casefold()
    forms = {v: (v.casefold(), json.dumps(v)[1:-1].casefold()) for v in SECRETS}
    return [value for value, (plain, escaped) in forms.items()
            if plain in folded or escaped in folded]


class _AfterFirstChunk:
    """A progress callback that acts once, when the first chunk of rows is stored."""

    def __init__(self) -> None:
        self.fired = threading.Event()

    def __call__(self, step: StageProgress) -> None:
        if step.stage is Stage.READING and step.done > 0 and not self.fired.is_set():
            self.fired.set()
            self.act()

    def act(self) -> None:
        raise NotImplementedError


class PostgresTerminator(_AfterFirstChunk):
    """Terminates the import's connection in the middle of its second chunk."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.terminated = threading.Event()

    def act(self) -> None:
        locker = psycopg.connect(self.url)
        locker.execute("LOCK TABLE records IN SHARE MODE")  # the next INSERT waits on it
        threading.Thread(target=self._terminate_the_waiter, args=(locker,),
                         daemon=True).start()

    def _terminate_the_waiter(self, locker: psycopg.Connection[Any]) -> None:
        with psycopg.connect(self.url, autocommit=True) as watcher:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not self.terminated.is_set():
                killed = watcher.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock' "
                    "AND query ILIKE 'INSERT INTO records%%'").fetchall()
                if killed:
                    self.terminated.set()
                else:
                    time.sleep(0.005)
        locker.rollback()
        locker.close()


class SqliteLengthLimit(_AfterFirstChunk):
    """Lowers SQLite's length limit on every connection checked out after the first
    chunk (until :meth:`remove`)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        event.listen(Pool, "checkout", self._checkout)

    def act(self) -> None:
        pass  # fired: the next checkout lowers the limit

    def _checkout(self, connection: Any, _record: Any, _proxy: Any) -> None:
        if self.fired.is_set() and isinstance(connection, sqlite3.Connection):
            connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, self.limit)

    def remove(self) -> None:
        """Stop lowering the limit (in-process tests)."""
        event.remove(Pool, "checkout", self._checkout)


class Marker:
    """Once the import has stored ``after_rows`` rows (0: as soon as it starts), writes
    ``path`` and holds the import there (the test kills it at exactly that point)."""

    def __init__(self, path: Path, after_rows: int, hold: float = 120.0) -> None:
        self.path = path
        self.after_rows = after_rows
        self.hold = hold
        self.fired = threading.Event()

    def __call__(self, step: StageProgress) -> None:
        if step.stage is Stage.READING and step.done >= self.after_rows \
                and not self.fired.is_set():
            self.fired.set()
            self.path.write_text(f"{step.done} rows stored\n", encoding="utf-8")
            time.sleep(self.hold)


def with_fault(progress: Callable[[StageProgress], None] | None,
               fault: Callable[[StageProgress], None]) -> Callable[[StageProgress], None]:
    """``progress`` with ``fault`` told every step first."""

    def both(step: StageProgress) -> None:
        fault(step)
        if progress is not None:
            progress(step)

    return both


def _run_cli(fault: Callable[[StageProgress], None], args: list[str]) -> None:
    """The real ``kinlink`` command line, its import's progress also telling ``fault``."""
    from kinlink.cli import importing, main

    watch_call = importing._Watch.__call__

    def watched(self: importing._Watch, step: StageProgress) -> None:
        fault(step)
        watch_call(self, step)

    importing._Watch.__call__ = watched  # type: ignore[method-assign]
    sys.argv = ["kinlink", *args]
    main()


if __name__ == "__main__":
    kind, argument, separator, *rest = sys.argv[1:]
    assert separator == "--", "usage: faults.py FAULT ARG -- kinlink arguments"
    chosen: Callable[[StageProgress], None] = {
        "postgres": lambda: PostgresTerminator(argument),
        "sqlite": lambda: SqliteLengthLimit(int(argument)),
        "marker": lambda: Marker(Path(argument.rsplit(":", 1)[0]),
                                 int(argument.rsplit(":", 1)[1])),
    }[kind]()
    _run_cli(chosen, rest)
