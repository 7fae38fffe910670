"""Storage of the audit chain: append, read in order, find the head."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, func, insert, or_, select, text
from sqlalchemy.orm import Session

from kinlink.storage.tables import AuditEventRow

__all__ = ["AuditRepository"]

_PG_CHAIN_LOCK = 0x6B696E6C  # "kinl": serialises writers of the chain on PostgreSQL


class AuditRepository:
    """The audit_events table, inside the caller's session and transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def lock_chain(self) -> None:
        """Make concurrent writers append one after another: the head read next is the
        head the new events will follow.

        PostgreSQL: an advisory lock held until the transaction ends. SQLite: the write
        lock, taken now (``BEGIN IMMEDIATE``) unless this transaction already holds it
        (it has written before; the driver opens a transaction only for a write). Were
        the head read before the write lock, another writer could commit an event in
        between and both events would follow the same head: a forked chain that
        verification reports as tampering.
        """
        connection = self._session.connection()
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
        elif connection.dialect.name == "sqlite":
            driver = connection.connection.dbapi_connection
            if driver is not None and not getattr(driver, "in_transaction", True):
                connection.exec_driver_sql("BEGIN IMMEDIATE")

    def head(self) -> AuditEventRow | None:
        """The newest event, or ``None`` for an empty chain."""
        return self._session.execute(
            select(AuditEventRow).order_by(AuditEventRow.id.desc()).limit(1)
        ).scalar_one_or_none()

    def count(self) -> int:
        """How many events the chain holds."""
        return int(self._session.execute(select(func.count()).select_from(AuditEventRow))
                   .scalar_one())

    def get(self, event_id: int) -> AuditEventRow | None:
        """The event with id ``event_id``, if there is one."""
        return self._session.get(AuditEventRow, event_id)

    def count_up_to(self, event_id: int) -> int:
        """How many events the chain holds up to and including ``event_id``."""
        return int(self._session.execute(select(func.count()).select_from(AuditEventRow)
                                          .where(AuditEventRow.id <= event_id)).scalar_one())

    def append(self, **values: Any) -> AuditEventRow:
        """Insert one event row and return it (with its id)."""
        row = AuditEventRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def append_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert event rows in the order given (their ids follow that order: one
        multi-row insert, in the transaction that holds the chain's lock)."""
        if rows:
            self._session.connection().execute(insert(cast(Table, AuditEventRow.__table__)),
                                               list(rows))

    def in_order(self) -> Iterator[AuditEventRow]:
        """Every event, oldest first, streamed."""
        yield from self._session.execute(
            select(AuditEventRow).order_by(AuditEventRow.id).execution_options(yield_per=5000)
        ).scalars()

    def about(self, entities: Mapping[str, Iterable[str]]) -> list[dict[str, Any]]:
        """The events whose object is one of ``entities`` (entity type → ids), oldest
        first, each as a plain mapping of its stored columns (hash, previous hash and
        MAC included, so that a reader can hold them against the chain)."""
        wanted = [and_(AuditEventRow.entity_type == kind, AuditEventRow.entity_id.in_(part))
                  for kind, ids in entities.items()
                  for part in _chunks(sorted(set(ids)))]
        if not wanted:
            return []
        rows = self._session.execute(
            select(AuditEventRow).where(or_(*wanted)).order_by(AuditEventRow.id)).scalars()
        return [{"id": r.id, "occurred_at": r.occurred_at, "actor": r.actor,
                 "action": r.action, "entity_type": r.entity_type, "entity_id": r.entity_id,
                 "details": dict(r.details), "prev_hash": r.prev_hash, "hash": r.hash,
                 "key_id": r.key_id, "mac": r.mac} for r in rows]


def _chunks(ids: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
