"""Signed checkpoints: a cut tail is caught, a forged checkpoint is refused, and a restore
from backup recorded in the chain explains a checkpoint newer than the store."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from Cryptodome.PublicKey import ECC
from Cryptodome.Signature import eddsa
from sqlalchemy import delete, select, update

from audittamper import forge_append
from kinlink.audit import (
    AuditAction,
    AuditEvent,
    ChainReport,
    Checkpoint,
    append_event,
    read_checkpoint,
    record_restore,
    trust_checkpoint,
    verify_chain,
    write_checkpoint,
)
from kinlink.config import Settings
from kinlink.errors import FileRefusedError
from kinlink.storage import Store
from kinlink.storage.tables import AuditEventRow

EVENTS = 6


@pytest.fixture
def chained(store: Store) -> Store:
    for number in range(1, EVENTS + 1):
        with store.transaction() as session:
            append_event(session, AuditEvent("tester", AuditAction.RECORD_READ, "record",
                                             str(number)))
    return store


def _checkpoint(store: Store, path: Path) -> Checkpoint:
    with store.transaction() as session:
        return write_checkpoint(session, path)


def _verify(store: Store, path: Path | None = None) -> ChainReport:
    with store.transaction() as session:
        checkpoint = None
        if path is not None:
            checkpoint = read_checkpoint(path)
            trust_checkpoint(session, checkpoint, path.name)
        return verify_chain(session, checkpoint)


def _ids(store: Store) -> list[int]:
    with store.transaction() as session:
        return list(session.execute(select(AuditEventRow.id).order_by(AuditEventRow.id))
                    .scalars())


def _cut_from(store: Store, first: int) -> None:
    with store.transaction() as session:
        session.execute(delete(AuditEventRow).where(AuditEventRow.id >= first))


def test_a_checkpoint_covers_the_head_and_is_signed(
    chained: Store, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "head.json"
    head = _checkpoint(chained, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "kinlink-audit-checkpoint/2"
    assert (data["head_id"], data["events"]) == (_ids(chained)[-1], EVENTS)
    assert data["head_mac"] == head.head_mac
    assert head.head_mac is not None
    assert len(bytes.fromhex(data["public_key"])) == 32
    assert len(bytes.fromhex(data["signature"])) == 64
    key = settings.data_dir / "keys" / "checkpoint-ed25519.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    report = _verify(chained, path)
    assert report.intact
    assert report.notices == ()


def test_a_cut_tail_passes_the_chain_but_not_the_checkpoint(
    chained: Store, tmp_path: Path
) -> None:
    path = tmp_path / "head.json"
    head = _checkpoint(chained, path)
    _cut_from(chained, _ids(chained)[-2])
    assert _verify(chained).intact  # a shorter chain is still a chain
    assert _verify(chained, path).problems == (
        f"event {head.head_id}, the head at the checkpoint of {head.written_at}, is missing: "
        f"the chain was cut or rewritten",)


def test_a_forged_append_after_the_checkpoint_fails_its_mac(
    chained: Store, tmp_path: Path
) -> None:
    path = tmp_path / "head.json"
    _checkpoint(chained, path)
    forged = forge_append(chained)
    problems = _verify(chained, path).problems
    assert len(problems) == 1
    assert problems[0].startswith(f"event {forged} (record.read): carries no MAC")


def _tamper(path: Path, **changes: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_checkpoint_changed_after_signing_is_refused(chained: Store, tmp_path: Path) -> None:
    path = tmp_path / "head.json"
    head = _checkpoint(chained, path)
    _tamper(path, events=head.events - 2)
    with pytest.raises(FileRefusedError, match="it was changed after it was signed"):
        read_checkpoint(path)


def test_a_checkpoint_signed_by_another_key_is_refused(chained: Store, tmp_path: Path) -> None:
    """The forger re-signs a lowered count with their own key and puts their public key
    in the file: the signature holds, the signer is not this machine's."""
    path = tmp_path / "head.json"
    head = _checkpoint(chained, path)
    forger = ECC.generate(curve="ed25519")
    public = forger.public_key().export_key(format="raw")
    assert isinstance(public, bytes)
    lowered = Checkpoint(head.head_id, head.head_hash, head.head_key_id, head.head_mac,
                         head.events - 2, head.written_at, public.hex())
    _tamper(path, events=lowered.events, public_key=lowered.public_key,
            signature=eddsa.new(forger, "rfc8032").sign(lowered.signed_bytes()).hex())
    forged = read_checkpoint(path)  # self-consistent
    with pytest.raises(FileRefusedError, match="signed by another key than this machine's"), \
            chained.transaction() as session:
        trust_checkpoint(session, forged, path.name)


def test_an_unsigned_checkpoint_of_an_older_kinlink_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"head_id": 6, "head_hash": "a" * 64, "events": 6,
                                "written_at": "2025-01-01T00:00:00+00:00"}), encoding="utf-8")
    with pytest.raises(FileRefusedError, match="not a signed audit checkpoint"):
        read_checkpoint(path)


def test_a_checkpoint_is_refused_where_no_checkpoint_key_is_on_file(
    chained: Store, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "head.json"
    _checkpoint(chained, path)
    (settings.data_dir / "keys" / "checkpoint-ed25519.key").unlink()
    with pytest.raises(FileRefusedError, match="holds no checkpoint key"), \
            chained.transaction() as session:
        trust_checkpoint(session, read_checkpoint(path), path.name)


def _restore_backup_at(store: Store, backup_head: int) -> None:
    """What restoring an older backup leaves: the events after its head are gone."""
    _cut_from(store, backup_head + 1)
    with store.transaction() as session:
        record_restore(session, "admin")


def test_a_restore_recorded_in_the_chain_explains_a_newer_checkpoint(
    chained: Store, tmp_path: Path
) -> None:
    path = tmp_path / "head.json"
    head = _checkpoint(chained, path)
    backup_head = _ids(chained)[3]
    _restore_backup_at(chained, backup_head)
    for number in range(3):  # work goes on; on SQLite the old ids come back
        with chained.transaction() as session:
            append_event(session, AuditEvent("tester", AuditAction.RECORD_READ, "record",
                                             f"after-{number}"))
    report = _verify(chained, path)
    assert report.intact, report.problems
    (notice,) = report.notices
    assert f"whose head is event {backup_head}, which the chain holds unchanged" in notice
    assert f"counted {head.events} events up to event {head.head_id}, so 2 events written " \
           f"after the backup are not in this store" in notice


def test_without_a_restore_event_the_same_store_is_reported_cut(
    chained: Store, tmp_path: Path
) -> None:
    path = tmp_path / "head.json"
    head = _checkpoint(chained, path)
    _cut_from(chained, _ids(chained)[4])
    assert _verify(chained, path).problems == (
        f"event {head.head_id}, the head at the checkpoint of {head.written_at}, is missing: "
        f"the chain was cut or rewritten",)


def test_a_restore_older_than_the_checkpoint_does_not_excuse_a_cut(
    chained: Store, tmp_path: Path
) -> None:
    with chained.transaction() as session:
        record_restore(session, "admin")  # a restore long ago, then more work
        append_event(session, AuditEvent("tester", AuditAction.RECORD_READ, "record", "7"))
    path = tmp_path / "head.json"
    head = _checkpoint(chained, path)
    _cut_from(chained, head.head_id)
    assert _verify(chained, path).problems == (
        f"event {head.head_id}, the head at the checkpoint of {head.written_at}, is missing: "
        f"the chain was cut or rewritten",)


def test_a_forged_restore_event_excuses_nothing(chained: Store, tmp_path: Path) -> None:
    """Without the audit key, the intruder's restore event has no valid MAC."""
    path = tmp_path / "head.json"
    head = _checkpoint(chained, path)
    _cut_from(chained, _ids(chained)[4])
    with chained.transaction() as session:
        forged = record_restore(session, "intruder").id
        session.execute(update(AuditEventRow).where(AuditEventRow.id == forged)
                        .values(mac="0" * 64))
    report = _verify(chained, path)
    assert report.notices == ()
    assert report.problems[0].startswith(f"event {forged} (store.restored): its MAC does "
                                         f"not match")
    assert report.problems[-1] in (
        f"event {head.head_id}, the head at the checkpoint of {head.written_at}, is "
        f"missing: the chain was cut or rewritten",
        f"event {head.head_id} differs from the checkpoint of {head.written_at}: the chain "
        f"was rewritten")
