"""Erasure leaves no trace of the erased values in the database's files (issue 19).

A report with distinctive values — the child's names, the reporter's name and phone,
notes, a corrected birthplace, a contact logged on its case, a document attached to it —
is erased; the store is compacted; then the bytes of the database's files (SQLite: the
file and its WAL, and a ``.backup`` copy made afterwards; PostgreSQL: every file of the
database's directory after a checkpoint) and of a kinlink backup made afterwards
(opened with its key; PostgreSQL's dump written out as SQL) are scanned for each value
in UTF-8, and none is found. The evidence store holds no file with them either, the
audit chain still verifies and its events hold none of them, and a legal hold blocks
the erasure (naming the hold).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import threading
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select, text

from kinlink.audit.verify import verify_chain
from kinlink.backups import new_key_file, read_archive, read_key
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.casework import ContactChannel
from kinlink.domain.documents import Attachment, AttachmentKind
from kinlink.domain.records import Role
from kinlink.domain.registration import ConsentInput, Registration
from kinlink.domain.retention import ErasureKind, HoldTarget
from kinlink.domain.users import UserRole
from kinlink.errors import ConflictError, HeldError
from kinlink.evidence import ContentStore
from kinlink.storage import Store
from kinlink.storage.review_tables import CaseRow
from kinlink.storage.tables import AuditEventRow, RecordRow
from kinlink.usecases.backups import back_up
from kinlink.usecases.casework import log_contact
from kinlink.usecases.corrections import correct_record
from kinlink.usecases.document_access import Evidence
from kinlink.usecases.documents import upload_document
from kinlink.usecases.erasure import compact_store, erase, tombstones
from kinlink.usecases.holds import lift_hold, place_hold
from kinlink.usecases.registration import register_record
from registerworld import WORKER, import_found_list

BOSS = Actor("boss", UserRole.SUPERVISOR, 1)
ADMIN = Actor("operator", UserRole.ADMIN, 1)
SECRETS = {
    "surname": "Зеленюк-Щербатюк", "given_name": "Євстахій", "patronymic": "Акакійович",
    "birth_place": "Підгайці-Верхні", "last_known_place": "Гадюківка-Нижня",
    "notes": "родимка-у-формі-зірки", "reporter_name": "Ярина Зеленюк-Щербатюк",
    "reporter_relationship": "хрещена-мати", "reporter_contact": "+380509998877",
}
CORRECTED = "Бердичів-Унікальний"
CONTACT = "говорили-про-бабусю-Параску"
DOCUMENT = "Довідка-ДОК-7731 про Євстахія"
COLLECTION = {"collected_at": "2026-11-30T09:15:00+02:00", "collected_by": "scanner-op",
              "method": "scan", "device": "scanner", "description": "довідка-опис-5521"}


def _values() -> list[str]:
    return [*SECRETS.values(), CORRECTED, CONTACT, DOCUMENT, "довідка-опис-5521"]


def _world(store: Store, tmp_path: Path) -> tuple[Evidence, int, int]:
    import_found_list(store, tmp_path)
    fields = {"sex": "ч", "birth_date": "12.03.2015", "event_date": "04.2022", **SECRETS}
    done = register_record(store, WORKER, Registration(
        Role.SOUGHT, fields, consent=ConsentInput(True, (), True)))
    correct_record(store, WORKER, done.record_pk, {"birth_place": CORRECTED}, "typo", 1,
                   link=False)
    with store.transaction() as session:
        case_id = session.execute(select(CaseRow.id).where(
            CaseRow.sought_record_pk == done.record_pk)).scalar_one()
    log_contact(store, WORKER, case_id, dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
                "хрещена", ContactChannel.PHONE, CONTACT)
    evidence = Evidence(store, ContentStore(tmp_path / "evidence"), 2**20)
    upload_document(evidence, WORKER, DOCUMENT.encode(), "zelenyuk-dovidka.txt",
                    Attachment(AttachmentKind.RECORD, done.record_pk), dict(COLLECTION))
    return evidence, done.record_pk, case_id


def _analyse(store: Store) -> None:
    """On PostgreSQL, gather the tables' statistics now (their most common values and
    histogram bounds are values of the rows)."""
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))


def _database_bytes(store: Store, settings: Settings, tmp_path: Path) -> list[bytes]:
    """The bytes of every file the database keeps (and a backup made now)."""
    if store.engine.dialect.name == "sqlite":
        path = settings.data_dir / "kinlink.sqlite3"
        copy = tmp_path / f"backup-{len(list(tmp_path.glob('backup-*')))}.sqlite3"
        source, target = sqlite3.connect(path), sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        files = [path, copy, *path.parent.glob("kinlink.sqlite3-*")]
        return [f.read_bytes() for f in files]
    url = store.engine.url
    plain = f"postgresql://{url.username}@{url.host}:{url.port}/{url.database}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
        folder = conn.execute("SHOW data_directory").fetchone()
        oid = conn.execute("SELECT oid FROM pg_database WHERE datname = current_database()"
                           ).fetchone()
    assert folder is not None
    assert oid is not None
    base = Path(folder[0]) / "base" / str(oid[0])
    return [f.read_bytes() for f in base.iterdir() if f.is_file()]


def _backup_bytes(store: Store, settings: Settings, tmp_path: Path) -> list[bytes]:
    """The bytes of a kinlink backup made now, opened with its key: every file in it, and
    for PostgreSQL the compressed dump written out as plain SQL by ``pg_restore``."""
    new_key_file(tmp_path / "backup.key")
    key = read_key(tmp_path / "backup.key", key_file=True)
    made = back_up(store, settings, ADMIN, tmp_path / "after.kbk", key)
    read_archive(made.path, key, tmp_path / "opened")
    files = [f for f in (tmp_path / "opened").rglob("*") if f.is_file()]
    chunks = [f.read_bytes() for f in files]
    for dump in (f for f in files if f.suffix == ".pgdump"):
        restore = shutil.which("pg_restore") or str(sorted(
            Path("/usr/lib/postgresql").glob("*/bin/pg_restore"))[-1])
        chunks.append(subprocess.run([restore, "-f", "-", str(dump)], check=True,
                                     capture_output=True).stdout)
    assert len(chunks) > len(files) or store.engine.dialect.name == "sqlite"
    return chunks


def _found(chunks: list[bytes], values: list[str]) -> list[str]:
    return [v for v in values if any(v.encode() in chunk for chunk in chunks)]


def test_erased_values_are_nowhere_in_the_files(store: Store, settings: Settings,
                                               tmp_path: Path) -> None:
    evidence, record_pk, _case = _world(store, tmp_path)
    _analyse(store)  # as autovacuum may, unasked: the statistics sample the values
    before = _database_bytes(store, settings, tmp_path)
    assert _found(before, [SECRETS["surname"], CONTACT]) == [SECRETS["surname"], CONTACT]

    done = erase(evidence, BOSS, ErasureKind.RECORD, record_pk, "the family asked",
                 compact_after=True)

    assert done.files_removed >= 1
    assert _found(_database_bytes(store, settings, tmp_path), _values()) == []
    assert _found(_backup_bytes(store, settings, tmp_path), _values()) == []
    blobs = [p.read_bytes() for p in (tmp_path / "evidence").rglob("*") if p.is_file()]
    assert _found(blobs, _values()) == []
    with store.transaction() as session:
        assert verify_chain(session).intact
        details = [json.dumps(r.details, ensure_ascii=False) for r in session.execute(
            select(AuditEventRow)).scalars()]
        row = session.get(RecordRow, record_pk)
        assert row is not None
        assert row.surname is None
        assert set(row.raw) == {None}
    assert _found([d.encode() for d in details], _values()) == []
    stone = tombstones(store, BOSS, ErasureKind.RECORD, record_pk)[0]
    assert {"records.surname", "reporters.contact", "case_contacts.summary"} <= set(
        stone.fields)
    assert stone.reason == "the family asked"
    assert [t.kind for t in done.along] == [ErasureKind.DOCUMENT]
    with pytest.raises(ConflictError, match="erased already"):
        erase(evidence, BOSS, ErasureKind.RECORD, record_pk, "again")


def test_a_hold_blocks_erasure_and_names_itself(store: Store, tmp_path: Path) -> None:
    evidence, record_pk, case_id = _world(store, tmp_path)
    hold = place_hold(store, BOSS, HoldTarget.CASE, case_id, "Prosecutor's request 12/345",
                      "war crimes investigation")

    with pytest.raises(HeldError) as refused:
        erase(evidence, BOSS, ErasureKind.RECORD, record_pk, "the family asked")
    assert f"legal hold {hold.id}" in str(refused.value)
    assert "Prosecutor's request 12/345" in str(refused.value)
    assert "placed by boss" in str(refused.value)
    with pytest.raises(HeldError):
        erase(evidence, BOSS, ErasureKind.CASE_NOTES, case_id, "old notes")
    with store.transaction() as session:
        row = session.get(RecordRow, record_pk)
        assert row is not None
        assert row.surname == SECRETS["surname"]
        refusals = session.execute(select(AuditEventRow).where(
            AuditEventRow.action == "erasure.refused")).scalars().all()
    assert [r.details for r in refusals] == [{"hold": hold.id}] * 2

    lift_hold(store, BOSS, hold.id, "the investigation closed")
    erase(evidence, BOSS, ErasureKind.RECORD, record_pk, "the family asked")
    with store.transaction() as session:
        row = session.get(RecordRow, record_pk)
        assert row is not None
        assert row.surname is None


def test_compaction_waits_for_older_transactions_and_says_so(store: Store, settings: Settings,
                                                             tmp_path: Path) -> None:
    """On PostgreSQL a transaction that began before the erasure keeps the erased row
    versions through ``VACUUM FULL``: compaction waits for it (bounded) and says how many
    were still open; once it has ended, a new compaction clears the files. SQLite
    rewrites its file whole and has nothing to wait for."""
    evidence, record_pk, _case = _world(store, tmp_path)
    url = store.engine.url
    if store.engine.dialect.name != "postgresql":
        done = erase(evidence, BOSS, ErasureKind.RECORD, record_pk, "the family asked",
                     compact_after=True)
        assert done.older_transactions == 0
        assert _found(_database_bytes(store, settings, tmp_path), _values()) == []
        return
    plain = f"postgresql://{url.username}@{url.host}:{url.port}/{url.database}"
    with psycopg.connect(plain) as reader:
        reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        assert reader.execute("SELECT 1").fetchone() == (1,)  # its snapshot is taken
        done = erase(evidence, BOSS, ErasureKind.RECORD, record_pk, "the family asked")
        held_back = compact_store(store, BOSS, wait_seconds=0.5)
        # at least the reader (tests running beside this one may be writing elsewhere)
        assert held_back.older_transactions >= 1
        assert SECRETS["surname"] in _found(_database_bytes(store, settings, tmp_path),
                                            [SECRETS["surname"]])
        reader.rollback()
    assert done.older_transactions == 0  # not compacted by erase itself
    again = compact_store(store, BOSS, wait_seconds=30.0)
    assert again.older_transactions == 0
    assert _found(_database_bytes(store, settings, tmp_path), _values()) == []
    with store.transaction() as session:
        events = session.execute(select(AuditEventRow).where(
            AuditEventRow.action == "store.compacted")).scalars().all()
    assert [e.details["older_transactions"] >= 1 for e in events] == [True, False]


def test_compaction_waits_for_a_writer_in_another_database(store: Store, settings: Settings,
                                                           tmp_path: Path) -> None:
    """A transaction still writing in another database of the same server keeps every
    row version written after it through ``VACUUM FULL`` (VACUUM's own snapshot counts it
    as running): compaction counts it, and waits for it when it ends in time."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no other databases on a server")
    evidence, record_pk, _case = _world(store, tmp_path)
    url = store.engine.url
    other = f"postgresql://{url.username}@{url.host}:{url.port}/postgres"
    with psycopg.connect(other) as writer:
        writer.execute("CREATE TEMPORARY TABLE busy (n integer)")  # it has an id now
        erase(evidence, BOSS, ErasureKind.RECORD, record_pk, "the family asked")
        held_back = compact_store(store, BOSS, wait_seconds=0.5)
        assert held_back.older_transactions >= 1  # the writer, and any beside this test
        assert SECRETS["surname"] in _found(_database_bytes(store, settings, tmp_path),
                                            [SECRETS["surname"]])
        ends = threading.Timer(1.0, writer.rollback)
        ends.start()
        waited = compact_store(store, BOSS, wait_seconds=30.0)
        ends.join()
    assert waited.older_transactions == 0
    assert _found(_database_bytes(store, settings, tmp_path), _values()) == []
