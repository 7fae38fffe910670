"""Audit events form a hash chain and commit with the change that caused them."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from kinlink.audit import (
    GENESIS_HASH,
    AuditAction,
    AuditEvent,
    append_event,
    event_hash,
    verify_chain,
)
from kinlink.config import Settings
from kinlink.storage import Store, open_store
from kinlink.storage.tables import AuditEventRow


def test_each_event_carries_the_hash_of_the_one_before(store: Store) -> None:
    with store.transaction() as session:
        first = append_event(session, AuditEvent("tester", AuditAction.RECORD_READ, "record", "1"))
    with store.transaction() as session:
        second = append_event(session, AuditEvent("tester", AuditAction.RECORD_READ, "record", "2",
                                                  {"with_reporter": True}))
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    with store.transaction() as session:
        stored = session.get(AuditEventRow, second.id)
        assert stored is not None
        recomputed = event_hash(stored.prev_hash, stored.occurred_at, AuditEvent(
            stored.actor, AuditAction(stored.action), stored.entity_type, stored.entity_id,
            stored.details))
    assert recomputed == second.hash


class ChangeFailedError(Exception):
    """Stands for any error in the change an audit event belongs to."""


def _failing_change(store: Store) -> None:
    with store.transaction() as session:
        append_event(session, AuditEvent("tester", AuditAction.RECORD_READ, "record", "1"))
        raise ChangeFailedError


def test_event_is_rolled_back_with_the_failed_change(store: Store) -> None:
    with pytest.raises(ChangeFailedError):
        _failing_change(store)
    with store.transaction() as session:
        assert session.execute(select(func.count()).select_from(AuditEventRow)).scalar() == 0


def test_a_writer_waiting_for_another_follows_its_event(store: Store, settings: Settings) -> None:
    """While one transaction holds an uncommitted event, another appends: it must wait
    and follow that event, not the head it would have read before (a forked chain)."""
    other = open_store(settings)
    outcome: list[str] = []

    def append_meanwhile() -> None:
        with other.transaction() as session:
            append_event(session, AuditEvent("second", AuditAction.RECORD_READ, "record", "2"))
        outcome.append("committed")

    try:
        with store.transaction() as session:
            append_event(session, AuditEvent("first", AuditAction.RECORD_READ, "record", "1"))
            waiting = threading.Thread(target=append_meanwhile)
            waiting.start()
            time.sleep(0.5)  # the other writer has read what it reads by now
        waiting.join(timeout=10)
    finally:
        other.dispose()
    assert outcome == ["committed"]
    with store.transaction() as session:
        rows = session.execute(select(AuditEventRow).order_by(AuditEventRow.id)).scalars().all()
        assert [r.actor for r in rows] == ["first", "second"]
        assert rows[1].prev_hash == rows[0].hash
        assert verify_chain(session).intact
