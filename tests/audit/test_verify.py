"""Every kind of tampering with the audit chain is found, and named: edits, deletions,
insertions and moves by the hashes; recomputed, stripped and forged events by the MACs
made with a key the database does not hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, update

from audittamper import forge_append, rewrite
from kinlink.audit import (
    AuditAction,
    AuditEvent,
    AuditKey,
    ChainReport,
    append_event,
    event_hash,
    key_ring,
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


def _report(store: Store, checkpoint: Path | None = None) -> ChainReport:
    with store.transaction() as session:
        return verify_chain(session, read_checkpoint(checkpoint) if checkpoint else None)


def _problems(store: Store, checkpoint: Path | None = None) -> tuple[str, ...]:
    return _report(store, checkpoint).problems


def _current_key(store: Store) -> AuditKey:
    with store.transaction() as session:
        key = key_ring(session).current
    assert key is not None
    return key


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
    assert report.unkeyed == 0
    assert report.keys == (_current_key(chained).id,)
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
    assert problems == ("event 35 (record.read): carries no MAC although event 10 before it "
                        "does — its MAC was removed, or it was written without the audit key",
                        "event 40 (record.read): does not follow event 35 — an event was "
                        "deleted, inserted or moved here")


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


def _edit_third(row: AuditEventRow) -> dict[str, object]:
    return {"actor": "someone else"} if row.entity_id == "3" else {}


def test_an_edit_with_the_chain_recomputed_is_caught_by_the_mac(chained: Store) -> None:
    """The drill: the hashes agree again, so only the MACs can tell."""
    ids = _ids(chained)
    rewrite(chained, _edit_third)
    assert _problems(chained) == tuple(
        f"event {i} (record.read): its MAC does not match — it was changed, inserted or "
        f"recomputed by someone without the audit key" for i in ids[2:])


def test_an_edit_with_the_macs_stripped_is_caught(chained: Store) -> None:
    """Passing the rewritten events off as older than keyed auditing does not work."""
    ids = _ids(chained)
    rewrite(chained, _edit_third, strip_macs=True)
    assert _problems(chained) == tuple(
        f"event {i} (record.read): carries no MAC although event {ids[0]} before it does — "
        f"its MAC was removed, or it was written without the audit key" for i in ids[2:])


def test_every_mac_stripped_is_caught_by_the_first_key_file(chained: Store) -> None:
    """With no keyed event left to compare with, the first key file still says that
    keyed auditing began with the first event."""
    rewrite(chained, lambda row: {"actor": "someone else"} if row.entity_id == "1" else {},
            strip_macs=True)
    problems = _problems(chained)
    assert len(problems) == EVENTS
    assert all("carries no MAC although keyed auditing began with the first event" in p
               for p in problems)


def test_one_forged_appended_event_without_a_mac_is_caught(chained: Store) -> None:
    forged = forge_append(chained)
    assert _problems(chained) == (
        f"event {forged} (record.read): carries no MAC although event {_ids(chained)[0]} "
        f"before it does — its MAC was removed, or it was written without the audit key",)


def test_one_forged_appended_event_with_an_invented_key_is_caught(chained: Store) -> None:
    forged = forge_append(chained, key=AuditKey("0009-deadbeef", b"k" * 32, 9))
    assert _problems(chained) == (
        f"event {forged} (record.read): made with key 0009-deadbeef, which is not on this "
        f"machine (data_dir/keys, KINLINK_AUDIT_KEY) — it cannot be checked, or it was "
        f"forged",)


def test_one_forged_appended_event_with_a_guessed_mac_is_caught(chained: Store) -> None:
    real = _current_key(chained)
    forged = forge_append(chained, key=AuditKey(real.id, b"not the key" * 3, real.rank))
    assert _problems(chained) == (
        f"event {forged} (record.read): its MAC does not match — it was changed, inserted "
        f"or recomputed by someone without the audit key",)


def test_with_the_key_stolen_only_a_checkpoint_catches_a_rewrite(
    chained: Store, tmp_path: Path
) -> None:
    """What is left when the HMAC key was read off the machine: the chain passes; a
    checkpoint written before (and kept out of reach) still catches the rewrite of what
    it covers, not what is appended after it."""
    checkpoint = tmp_path / "head.json"
    with chained.transaction() as session:
        head = write_checkpoint(session, checkpoint)
    stolen = _current_key(chained)
    rewrite(chained, _edit_third, stolen=stolen)
    forge_append(chained, key=stolen)
    assert _report(chained).intact  # the chain alone cannot tell any more
    assert _problems(chained, checkpoint) == (
        f"event {head.head_id} differs from the checkpoint of {head.written_at}: the chain "
        f"was rewritten",)
