"""A restore does not bring erased data back (issue 19): back up, erase, restore the
older backup, and the erased values are in none of the restored store's files, the
erasure is made again from the data folder's erasure ledger (audited), and the ledger
holds no personal data. A hold on a child covers every record linked to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kinlink.backups import SealKey, new_key_file, read_key
from kinlink.backups.ledger import ErasureLedger
from kinlink.config import Settings
from kinlink.domain.access import HOME_AGENCY_ID, Actor
from kinlink.domain.records import Role
from kinlink.domain.registration import ConsentInput, Registration
from kinlink.domain.retention import ErasureKind, HoldTarget
from kinlink.domain.users import UserRole
from kinlink.errors import HeldError
from kinlink.storage import open_store
from kinlink.storage.review import cluster_of
from kinlink.storage.review_tables import CaseRow
from kinlink.storage.tables import AuditEventRow, RecordRow
from kinlink.usecases.audit import verify_audit
from kinlink.usecases.backups import back_up, restore_backup
from kinlink.usecases.document_access import Evidence
from kinlink.usecases.erasure import erase, tombstones
from kinlink.usecases.holds import lift_hold, place_hold
from kinlink.usecases.registration import register_record
from registerworld import REPORT_UK, WORKER, import_found_list

ADMIN = Actor("operator", UserRole.ADMIN, HOME_AGENCY_ID)
BOSS = Actor("boss", UserRole.SUPERVISOR, HOME_AGENCY_ID)
SECRETS = {"surname": "Вербицький-Заокеанський", "given_name": "Пантелеймон",
           "birth_place": "Вишгород-Загірний", "reporter_name": "Оксана Вербицька",
           "reporter_contact": "+380631234987"}


def _register(store_settings: Settings, tmp_path: Path,
              values: dict[str, str] | None = None) -> tuple[int, int]:
    """A found list and a report of a child with distinctive values; the record's id
    and that of a found record linked to nothing."""
    store = open_store(store_settings)
    try:
        import_found_list(store, tmp_path)
        fields = values or {"sex": "ч", "birth_date": "12.03.2015", "event_date": "04.2022",
                            **SECRETS}
        done = register_record(store, WORKER, Registration(
            Role.SOUGHT, fields, consent=ConsentInput(True, (), True)))
        with store.transaction() as session:
            other = session.execute(select(RecordRow.id).where(
                RecordRow.id != done.record_pk).limit(1)).scalar_one()
        return done.record_pk, int(other)
    finally:
        store.dispose()


@pytest.fixture
def key(tmp_path: Path) -> SealKey:
    new_key_file(tmp_path / "backup.key")
    return read_key(tmp_path / "backup.key", key_file=True)


def _files(path: Path) -> list[bytes]:
    return [p.read_bytes() for p in [path, *path.parent.glob(path.name + "-*")] if p.is_file()]


def test_a_restore_erases_again_what_was_erased_after_the_backup(
        tmp_path: Path, key: SealKey) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=None, user="tester")
    record_pk, _other = _register(settings, tmp_path)
    store = open_store(settings)
    try:
        made = back_up(store, settings, ADMIN, tmp_path / "before.kbk", key)
        erase(Evidence.of(settings, store), BOSS, ErasureKind.RECORD, record_pk,
              "the family asked", compact_after=True)
    finally:
        store.dispose()
    ledger = ErasureLedger.in_folder(settings.data_dir)
    text = ledger.path.read_text(encoding="utf-8")
    assert next((e.kind, e.target_id) for e in ledger.entries()) == ("record", record_pk)
    assert not [v for v in SECRETS.values() if v in text], "no personal data in the ledger"
    assert "the family asked" not in text
    assert ledger.path.stat().st_mode & 0o077 == 0

    restored_path = tmp_path / "restored" / "kinlink.sqlite3"
    url = f"sqlite:///{restored_path}"
    done = restore_backup(settings, ADMIN, made.path, key, url)

    assert done.erasures_reapplied == 1
    found = [v for v in SECRETS.values()
             if any(v.encode() in chunk for chunk in _files(restored_path))]
    assert found == []
    target = open_store(settings.model_copy(update={"database_url": url}))
    try:
        stone = tombstones(target, BOSS, ErasureKind.RECORD, record_pk)[0]
        assert "after a restore" in stone.reason
        with target.transaction() as session:
            actions = list(session.execute(select(AuditEventRow.action).order_by(
                AuditEventRow.id)).scalars())
        assert actions[-3:] == ["data.erased", "erasures.reapplied", "store.compacted"]
        assert verify_audit(target, Actor("restorer", UserRole.ADMIN, None)).intact
    finally:
        target.dispose()


def test_a_ledger_of_another_store_is_not_applied(tmp_path: Path, key: SealKey) -> None:
    """The ledger's lineage names its store: a backup of another store restored into
    this data folder keeps what the other store's ledger does not concern."""
    settings = Settings(data_dir=tmp_path / "data", database_url=None, user="tester")
    record_pk, _ = _register(settings, tmp_path)
    store = open_store(settings)
    try:
        made = back_up(store, settings, ADMIN, tmp_path / "mine.kbk", key)
    finally:
        store.dispose()
    other = Settings(data_dir=tmp_path / "other", database_url=None, user="tester")
    other_pk, _ = _register(other, tmp_path / "other")
    store = open_store(other)
    try:
        erase(Evidence.of(other, store), BOSS, ErasureKind.RECORD, other_pk, "asked")
    finally:
        store.dispose()
    foreign = ErasureLedger.in_folder(other.data_dir).path.read_text(encoding="utf-8")
    ErasureLedger.in_folder(settings.data_dir).path.write_text(foreign, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'restored' / 'kinlink.sqlite3'}"
    done = restore_backup(settings, ADMIN, made.path, key, url)
    assert done.erasures_reapplied == 0
    assert record_pk == other_pk  # the same id, another child: left alone


def test_a_hold_on_a_child_covers_every_record_linked_to_it(tmp_path: Path) -> None:
    """A hold on the case of a child keeps every record of that child (its cluster),
    not only the case's own record; lifting it lets the erasure through."""
    settings = Settings(data_dir=tmp_path / "data", database_url=None, user="tester")
    record_pk, _ = _register(settings, tmp_path, REPORT_UK)
    store = open_store(settings)
    try:
        with store.transaction() as session:
            linked = [r for r in cluster_of(session, record_pk).records if r != record_pk]
            case_id = session.execute(select(CaseRow.id).where(
                CaseRow.sought_record_pk == record_pk)).scalar_one()
        assert linked, "the report links to the found list's record"
        hold = place_hold(store, BOSS, HoldTarget.CASE, case_id, "ORDER-7/2026",
                          "the prosecutor asked")
        evidence = Evidence.of(settings, store)
        with pytest.raises(HeldError, match="ORDER-7/2026"):
            erase(evidence, BOSS, ErasureKind.RECORD, linked[0], "asked")
        lift_hold(store, BOSS, hold.id, "the order ended")
        erase(evidence, BOSS, ErasureKind.RECORD, linked[0], "asked")
    finally:
        store.dispose()
