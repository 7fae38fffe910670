"""Storage of sign-in throttles (failed sign-ins per account and per client address),
inside the caller's session.

The counting is atomic on both databases: a failure is one ``INSERT … ON CONFLICT DO
UPDATE`` that adds one (or starts again at one when the last failure is older than
``forget_before``), so two failures at the same moment both count. Reading the rows
before checking a password takes them ``FOR UPDATE`` on PostgreSQL (SQLite's write
transactions are serial already), so parallel attempts on one account or from one
address wait for each other instead of all slipping through before the first failure is
written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import case, delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kinlink.storage.web_tables import SignInThrottleRow

__all__ = ["ThrottleRepository"]

Key = tuple[str, str]
"""(scope, key)"""


class ThrottleRepository:
    """Sign-in throttles, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def rows(self, keys: Iterable[Key], *, lock: bool = False) -> dict[Key, SignInThrottleRow]:
        """The rows of ``keys`` that exist (``lock``: held until the transaction ends)."""
        wanted = list(keys)
        if not wanted:
            return {}
        query = select(SignInThrottleRow).where(
            tuple_(SignInThrottleRow.scope, SignInThrottleRow.key).in_(wanted))
        if lock:
            query = query.with_for_update()
        found = self._session.execute(query.execution_options(populate_existing=True))
        return {(row.scope, row.key): row for row in found.scalars()}

    def add_failure(self, key: Key, now: dt.datetime,
                    forget_before: dt.datetime) -> SignInThrottleRow:
        """Count one failure of ``key`` at ``now``; returns the row as it is now."""
        scope, value = key
        dialect = self._session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(SignInThrottleRow).values(
            scope=scope, key=value, failures=1, last_failure_at=now, refused=0)
        table = SignInThrottleRow.__table__
        stale = table.c.last_failure_at < forget_before
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.scope, table.c.key],
            set_={"failures": case((stale, 1), else_=table.c.failures + 1),
                  "blocked_until": case((stale, None), else_=table.c.blocked_until),
                  "last_failure_at": now, "refused": 0})
        self._session.execute(statement)
        return self.rows([key])[key]

    def clear(self, keys: Iterable[Key]) -> int:
        """Forget the failures of ``keys``; returns how many rows there were."""
        wanted = list(keys)
        if not wanted:
            return 0
        result = self._session.execute(delete(SignInThrottleRow).where(
            tuple_(SignInThrottleRow.scope, SignInThrottleRow.key).in_(wanted)))
        return int(getattr(result, "rowcount", 0) or 0)

    def forget_older(self, before: dt.datetime) -> int:
        """Delete rows whose last failure is older than ``before`` (keeps the table small)."""
        result = self._session.execute(delete(SignInThrottleRow).where(
            SignInThrottleRow.last_failure_at < before))
        return int(getattr(result, "rowcount", 0) or 0)
