"""Every kind of tampering with the audit chain is found, and named."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, text, update

from kinlink.audit import (
    AuditAction,
    AuditEvent,
    append_event,
    event_hash,
    read_checkpoint,
    verify_chain,
    write_checkpoint,
)
from kinlink.storage import Store
from kinlink.storage.tables import AuditEventRow

EVENTS = 6


@pytest.fixture
def chained(store: Store) -> Store:
    for number in range(1, EVENTS + 1):
        with store.transaction() as session:
            append_event(session, AuditEvent("tester", AuditAction.RECORD_READ,
                                             "record", str(number),
                                             {"n": number}))
    return store


def _problems(store: Store, checkpoint: Path | None = None) -> tuple[str, ...]:
    with store.transaction() as session:
        report = verify_chain(session, read_checkpoint(checkpoint) if checkpoint else None)
    return report.problems


def _ids(store: Store) -> list[int]:
    with store.transaction() as session:
        return list(session.execute(select(AuditEventRow.id).order_by(AuditEventRow.id))
                    .scalars())


def test_a_clean_chain_verifies(chained: Store, tmp_path: Path) -> None:
    with chained.transaction() as session:
        write_checkpoint(session, tmp_path / "head.json")
        report = verify_chain(session)
    assert report.intact
    assert report.events == EVENTS
    assert _problems(chained, tmp_path / "head.json") == ()


def test_an_edited_event_is_named(chained: Store) -> None:
    third = _ids(chained)[2]
    with chained.transaction() as session:
        session.execute(update(AuditEventRow).where(AuditEventRow.id == third)
                        .values(actor="someone else"))
    assert _problems(chained) == (f"event {third} (record.read): its content was changed "
                                  f"after it was written",)


def test_a_deleted_event_is_found_where_the_chain_breaks(chained: Store) -> None:
    ids = _ids(chained)
    with chained.transaction() as session:
        session.execute(delete(AuditEventRow).where(AuditEventRow.id == ids[2]))
    problems = _problems(chained)
    assert len(problems) == 1
    assert problems[0].startswith(f"event {ids[3]} (record.read): does not follow event {ids[1]}")


def test_an_inserted_event_is_found(chained: Store) -> None:
    with chained.transaction() as session:
        session.execute(update(AuditEventRow).values(id=-AuditEventRow.id))
        session.execute(update(AuditEventRow).values(id=-AuditEventRow.id * 10))
        before = session.execute(select(AuditEventRow).where(AuditEventRow.id == 30)).scalar_one()
        forged = AuditEvent("intruder", AuditAction.RECORD_READ, "record", "99")
        stamp = before.occurred_at
        session.execute(insert(AuditEventRow).values(
            id=35, occurred_at=stamp, actor=forged.actor, action=forged.action,
            entity_type=forged.entity_type, entity_id=forged.entity_id, details={},
            prev_hash=before.hash, hash=event_hash(before.hash, stamp, forged)))
    problems = _problems(chained)
    assert problems == ("event 40 (record.read): does not follow event 35 — an event was "
                        "deleted, inserted or moved here",)


def test_reordered_events_are_found(chained: Store) -> None:
    ids = _ids(chained)
    with chained.transaction() as session:
        rows = {r.id: r for r in session.execute(select(AuditEventRow)).scalars()}
        first, second = rows[ids[2]], rows[ids[3]]
        swapped = [(ids[2], second), (ids[3], first)]
        values = [{"occurred_at": r.occurred_at, "actor": r.actor, "action": r.action,
                   "entity_type": r.entity_type, "entity_id": r.entity_id,
                   "details": r.details, "prev_hash": r.prev_hash, "hash": r.hash}
                  for _, r in swapped]
        for target in ids[2:4]:  # free the unique hashes before swapping them
            session.execute(update(AuditEventRow).where(AuditEventRow.id == target)
                            .values(hash=f"swap-{target}"))
        for (target, _), value in zip(swapped, values, strict=True):
            session.execute(update(AuditEventRow).where(AuditEventRow.id == target).values(**value))
    problems = _problems(chained)
    assert problems[0].startswith(f"event {ids[2]} (record.read): does not follow event {ids[1]}")
    assert len(problems) >= 2


def _rewrite_from_the_start(store: Store) -> None:
    """What an intruder with database access does to hide an edit: rehash everything."""
    with store.transaction() as session:
        rows = list(session.execute(select(AuditEventRow).order_by(AuditEventRow.id)).scalars())
        session.execute(text("UPDATE audit_events SET hash = 'x' || id"))
        prev = "0" * 64
        for row in rows:
            actor = "someone else" if row.id == rows[1].id else row.actor
            event = AuditEvent(actor, AuditAction(row.action), row.entity_type, row.entity_id,
                               row.details)
            new_hash = event_hash(prev, row.occurred_at, event)
            session.execute(update(AuditEventRow).where(AuditEventRow.id == row.id)
                            .values(actor=actor, prev_hash=prev, hash=new_hash))
            prev = new_hash


def test_a_chain_rewritten_from_the_start_is_caught_by_the_checkpoint(
    chained: Store, tmp_path: Path
) -> None:
    checkpoint = tmp_path / "head.json"
    with chained.transaction() as session:
        head = write_checkpoint(session, checkpoint)
    _rewrite_from_the_start(chained)
    assert _problems(chained) == ()  # the chain alone cannot tell
    assert _problems(chained, checkpoint) == (
        f"event {head.head_id} differs from the checkpoint of {head.written_at}: the chain "
        f"was rewritten",)


def test_a_cut_tail_is_caught_by_the_checkpoint(chained: Store, tmp_path: Path) -> None:
    checkpoint = tmp_path / "head.json"
    with chained.transaction() as session:
        head = write_checkpoint(session, checkpoint)
        session.execute(delete(AuditEventRow).where(AuditEventRow.id >= _ids(chained)[-2]))
    problems = _problems(chained, checkpoint)
    assert problems == (f"event {head.head_id}, the head at the checkpoint of "
                        f"{head.written_at}, is missing: the chain was cut or rewritten",)
