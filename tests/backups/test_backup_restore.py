"""Back up, check and restore the whole store (issue 19, item 1): the restore drill on
SQLite and PostgreSQL, and every refusal a restore owes its administrator."""

from __future__ import annotations

import dataclasses
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kinlink.accounts.sessions import Accounts
from kinlink.audit import AuditAction
from kinlink.backups import Manifest, SealKey, new_key_file, read_archive, read_key, write_archive
from kinlink.backups.archive import MANIFEST
from kinlink.config import Settings
from kinlink.domain.access import HOME_AGENCY_ID, Actor
from kinlink.domain.documents import Attachment, AttachmentKind
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.errors import (
    AccessDeniedError,
    BackupRefusedError,
    InputRefusedError,
    WrongPassphraseError,
)
from kinlink.ingest import ImportRequest
from kinlink.storage import Store, open_store
from kinlink.storage.backup import census_of_file
from kinlink.storage.tables import AuditEventRow
from kinlink.storage.web_tables import WebSessionRow
from kinlink.usecases import backups
from kinlink.usecases.audit import verify_audit
from kinlink.usecases.backups import back_up, back_up_rotating, restore_backup, verify_backup
from kinlink.usecases.demo_accounts import create_demo_accounts
from kinlink.usecases.document_access import Evidence
from kinlink.usecases.documents import upload_document
from kinlink.usecases.importing import import_list
from pgdatabases import empty_databases

ADMIN = Actor("operator", UserRole.ADMIN, HOME_AGENCY_ID)
LISTS = Actor("lists", UserRole.SUPERVISOR, HOME_AGENCY_ID)
SURNAMES = ("Бондаренко", "Ковальчук", "Мельничук", "Шевчишин", "Гнатюк")
SECRET_PHONE = "+380671112233"


def _csv(folder: Path, name: str, offset: int, count: int = 12, prefix: str = "R") -> Path:
    """A small family-report list; every child's surname is one of :data:`SURNAMES`."""
    rows = "".join(f"{prefix}-{offset + i},{SURNAMES[i % 5]},Дмитро{offset + i},"
                   f"{1 + i % 27:02d}.0{1 + i % 9}.2014,ч,Маріуполь,{SECRET_PHONE}\n"
                   for i in range(count))
    path = folder / name
    path.write_text("record_id,прізвище,ім'я,дата народження,стать,місце народження,"
                    "reporter_contact\n" + rows, encoding="utf-8")
    return path


def _populate(store: Store, settings: Settings, folder: Path) -> None:
    """Two linked lists, the demo accounts with one open session, and a document whose
    text is extracted (two blobs in the evidence store)."""
    for n, kind in enumerate((SourceKind.FAMILY_REPORTS, SourceKind.CAMP_LIST)):
        path = _csv(folder, f"l{n}.csv", 0, prefix=kind.value)
        import_list(store, LISTS, ImportRequest(path=path, imported_by="lists", kind=kind))
    made = create_demo_accounts(store, ADMIN, "en")
    user = made.created[0]
    Accounts(store).sign_in(user.user.username, user.password or "")
    page = f"<html><body><p>{SURNAMES[0]} Дмитро0, Маріуполь.</p></body></html>"
    upload_document(Evidence.of(settings, store), LISTS, page.encode(), "news.html",
                    Attachment(AttachmentKind.INBOX, None),
                    {"collected_at": "2026-11-30T09:15+02:00", "collected_by": "Ірина",
                     "method": "download", "source_url": "https://example.org/news"})


@pytest.fixture
def key(tmp_path: Path) -> SealKey:
    """A backup key file's key (fast: no scrypt)."""
    new_key_file(tmp_path / "backup.key")
    return read_key(tmp_path / "backup.key", key_file=True)


@pytest.fixture
def world(settings: Settings, tmp_path: Path) -> Iterator[tuple[Store, Settings]]:
    """A populated store on SQLite or PostgreSQL."""
    store = open_store(settings)
    _populate(store, settings, tmp_path)
    yield store, settings
    store.dispose()


@pytest.fixture
def sqlite_world(tmp_path: Path) -> Iterator[tuple[Store, Settings]]:
    """A populated store on SQLite only (the refusals need no second engine)."""
    settings = Settings(data_dir=tmp_path / "data", database_url=None, user="tester")
    store = open_store(settings)
    _populate(store, settings, tmp_path)
    yield store, settings
    store.dispose()


@pytest.fixture
def new_pg_url() -> Iterator[str]:
    """An empty PostgreSQL database to restore into, dropped afterwards."""
    with empty_databases("kinlink_restore") as (url,):
        yield url


def _target(source: Settings, folder: Path, url: str) -> Settings:
    """The restoring machine: its own data folder, the audit keys copied from their
    escrow, the database ``url``."""
    shutil.copytree(source.keys_dir, folder / "data" / "keys")
    return Settings(data_dir=folder / "data", database_url=url, user="restorer")


def _writer(store: Store, folder: Path, stop: threading.Event, done: list[int]) -> None:
    """Import list after list until told to stop: the load the backup runs under."""
    n = 0
    while not stop.is_set():
        n += 1
        import_list(store, LISTS, ImportRequest(path=_csv(folder, f"w{n}.csv", 1000 * n, 5),
                                                imported_by="lists"), link=n % 2 == 0)
        done.append(n)


def test_restore_drill_under_load(world: tuple[Store, Settings], key: SealKey,
                                  tmp_path: Path, new_pg_url: str) -> None:
    """Back up while another thread imports and links; restore into a new store: every
    table as the manifest counted it, the audit chain intact with the restore reported,
    every session ended, every document's bytes back."""
    store, settings = world
    stop, done = threading.Event(), list[int]()
    writer = threading.Thread(target=_writer, args=(store, tmp_path, stop, done))
    writer.start()
    try:
        while len(done) < 1:
            stop.wait(0.05)
        made = back_up(store, settings, ADMIN, tmp_path / "drill.kbk", key)
        while len(done) < 3:
            stop.wait(0.05)
    finally:
        stop.set()
        writer.join()
    manifest = made.manifest
    assert manifest.tables["records"] >= 24 + 5
    assert manifest.documents
    later = census_of_file(store.engine.url.render_as_string(hide_password=False))
    assert later.tables["records"] > manifest.tables["records"], "the writer went on"

    engine = manifest.engine
    url = (f"sqlite:///{tmp_path / 'new' / 'kinlink.sqlite3'}" if engine == "sqlite"
           else new_pg_url)
    target = _target(settings, tmp_path / "new", url)
    restored = restore_backup(target, ADMIN, made.path, key, url)
    assert restored.sessions_ended == 1
    assert restored.upgraded_from is None

    found = census_of_file(url)
    expected = dict(manifest.tables)
    expected["audit_events"] += 1  # store.restored
    assert found.tables == expected
    opened = open_store(target)
    try:
        with opened.transaction() as session:
            assert session.execute(select(func.count()).select_from(WebSessionRow)
                                   .where(WebSessionRow.ended_at.is_(None))).scalar_one() == 0
            last = session.execute(select(AuditEventRow).order_by(AuditEventRow.id.desc())
                                   .limit(1)).scalar_one()
            assert last.action == AuditAction.STORE_RESTORED
            assert manifest.audit_head is not None
            assert last.details["backup_head_id"] == manifest.audit_head.id
        report = verify_audit(opened, Actor("restorer", UserRole.ADMIN, None))
        assert report.intact, report.problems
    finally:
        opened.dispose()
    evidence = target.data_dir / "evidence"
    for entry in manifest.documents:
        assert (evidence / "sha256" / entry.sha256[:2] / entry.sha256[2:4]
                / entry.sha256).read_bytes()


def test_the_backup_is_audited_naming_its_head_without_personal_data(
        sqlite_world: tuple[Store, Settings], key: SealKey, tmp_path: Path) -> None:
    store, settings = sqlite_world
    made = back_up(store, settings, ADMIN, tmp_path / "b.kbk", key)
    with store.transaction() as session:
        event = session.execute(select(AuditEventRow).order_by(AuditEventRow.id.desc())
                                .limit(1)).scalar_one()
        assert event.action == AuditAction.STORE_BACKED_UP
        assert manifest_head(made.manifest) == (event.details["backup_head_id"],
                                               event.details["backup_head_hash"])
        assert event.details["sha256"] == made.sha256
        details = json.dumps(event.details, ensure_ascii=False)
    unpacked = tmp_path / "unpacked"
    read_archive(made.path, key, unpacked)
    manifest_text = made.manifest.to_json().decode("utf-8")
    for text in (details, manifest_text):
        for value in (*SURNAMES, "Дмитро", "Маріуполь", SECRET_PHONE, "Ірина", "news"):
            assert value not in text
    database = (unpacked / made.manifest.database.name).read_bytes()
    assert SECRET_PHONE.encode() in database, "the copy holds the store (the check can fail)"
    assert SECRET_PHONE.encode() not in made.path.read_bytes(), "and is encrypted"


def manifest_head(manifest: Manifest) -> tuple[int, str]:
    assert manifest.audit_head is not None
    return manifest.audit_head.id, manifest.audit_head.hash


def _reseal(made: Path, key: SealKey, folder: Path,
            change: Callable[[Manifest], Manifest],
            alter: Callable[[Path], None] = lambda _p: None) -> Path:
    """What someone holding the key could do: unpack, change the manifest (and a file),
    seal again."""
    unpacked = folder / "unpacked"
    manifest = read_archive(made, key, unpacked)
    changed = change(manifest)
    sources = {name: unpacked / name for name in manifest.files}
    for path in sources.values():
        alter(path)
    target = folder / "forged.kbk"
    write_archive(target, key, changed, sources)
    return target


def _restore(settings: Settings, folder: Path, file: Path, key: SealKey,
             **kwargs: bool) -> backups.Restored:
    url = f"sqlite:///{folder / 'new' / 'kinlink.sqlite3'}"
    return restore_backup(_target(settings, folder / "new", url), ADMIN, file, key, url,
                          **kwargs)


def test_a_backup_of_a_newer_schema_is_refused(sqlite_world: tuple[Store, Settings],
                                               key: SealKey, tmp_path: Path) -> None:
    store, settings = sqlite_world
    made = back_up(store, settings, ADMIN, tmp_path / "b.kbk", key)
    forged = _reseal(made.path, key, tmp_path,
                     lambda m: dataclasses.replace(m, schema_revision="0099",
                                                   kinlink_version="9.0"))
    with pytest.raises(BackupRefusedError, match=r"schema \(0099\) is newer.*9\.0"):
        _restore(settings, tmp_path, forged, key)
    assert not (tmp_path / "new" / "kinlink.sqlite3").exists(), "nothing was touched"


def test_a_manifest_that_does_not_match_names_the_table(
        sqlite_world: tuple[Store, Settings], key: SealKey, tmp_path: Path) -> None:
    store, settings = sqlite_world
    made = back_up(store, settings, ADMIN, tmp_path / "b.kbk", key)
    forged = _reseal(made.path, key, tmp_path, lambda m: dataclasses.replace(
        m, tables=m.tables | {"records": m.tables["records"] + 1}))
    with pytest.raises(BackupRefusedError, match=r"table records holds 24 rows.*says 25"):
        _restore(settings, tmp_path, forged, key)
    assert not (tmp_path / "new" / "kinlink.sqlite3").exists()


def test_a_file_that_does_not_match_its_manifest_is_named(
        sqlite_world: tuple[Store, Settings], key: SealKey, tmp_path: Path) -> None:
    store, settings = sqlite_world
    made = back_up(store, settings, ADMIN, tmp_path / "b.kbk", key)
    document = made.manifest.documents[0].name

    def alter(path: Path) -> None:
        if path.name in document:
            path.chmod(0o600)
            path.write_bytes(path.read_bytes() + b" ")

    forged = _reseal(made.path, key, tmp_path, lambda m: m, alter)
    with pytest.raises(BackupRefusedError, match=f"file {document} does not match"):
        verify_backup(forged, key)


def test_a_wrong_passphrase_is_refused_as_such(sqlite_world: tuple[Store, Settings],
                                               tmp_path: Path) -> None:
    store, settings = sqlite_world
    (tmp_path / "right").write_text("correct horse battery staple\n", encoding="utf-8")
    (tmp_path / "wrong").write_text("correct horse battery stapler\n", encoding="utf-8")
    right, wrong = (read_key(tmp_path / n, key_file=False) for n in ("right", "wrong"))
    made = back_up(store, settings, ADMIN, tmp_path / "b.kbk", right)
    assert verify_backup(made.path, right).audit_head == made.manifest.audit_head
    with pytest.raises(WrongPassphraseError, match="does not open this backup"):
        _restore(settings, tmp_path, made.path, wrong)
    new_key_file(tmp_path / "k")
    with pytest.raises(InputRefusedError, match="--passphrase-file"):
        verify_backup(made.path, read_key(tmp_path / "k", key_file=True))
    (tmp_path / "short").write_text("too short\n", encoding="utf-8")
    with pytest.raises(InputRefusedError, match="shorter than 16"):
        read_key(tmp_path / "short", key_file=False)


@pytest.mark.parametrize("where", [0.5, 0.999])
def test_an_altered_byte_is_refused(sqlite_world: tuple[Store, Settings], key: SealKey,
                                    tmp_path: Path, where: float) -> None:
    store, settings = sqlite_world
    made = back_up(store, settings, ADMIN, tmp_path / "b.kbk", key)
    data = bytearray(made.path.read_bytes())
    data[int(len(data) * where)] ^= 0x01
    made.path.write_bytes(bytes(data))
    with pytest.raises(BackupRefusedError, match="altered or damaged"):
        verify_backup(made.path, key)
    with pytest.raises(BackupRefusedError, match="altered or damaged"):
        _restore(settings, tmp_path, made.path, key)


def test_a_backup_cut_short_is_refused(sqlite_world: tuple[Store, Settings], key: SealKey,
                                       tmp_path: Path) -> None:
    store, settings = sqlite_world
    made = back_up(store, settings, ADMIN, tmp_path / "b.kbk", key)
    data = made.path.read_bytes()
    made.path.write_bytes(data[:-20])
    with pytest.raises(BackupRefusedError, match=r"altered or damaged|cut short"):
        verify_backup(made.path, key)


def test_a_store_that_is_not_empty_is_replaced_only_when_asked(
        sqlite_world: tuple[Store, Settings], key: SealKey, tmp_path: Path) -> None:
    store, settings = sqlite_world
    made = back_up(store, settings, ADMIN, tmp_path / "b.kbk", key)
    before = made.manifest.tables["records"]
    import_list(store, LISTS, ImportRequest(path=_csv(tmp_path, "more.csv", 500),
                                            imported_by="lists"), link=False)
    url = settings.effective_database_url
    with pytest.raises(BackupRefusedError, match=r"is not empty.*--replace"):
        restore_backup(settings, ADMIN, made.path, key, url)
    assert census_of_file(url).tables["records"] == before + 12
    restored = restore_backup(settings, ADMIN, made.path, key, url, replace=True)
    assert census_of_file(url).tables["records"] == before
    assert restored.sessions_ended == 1
    with store.transaction() as session:
        assert verify_audit(store, Actor("x", UserRole.ADMIN, None)).intact
        del session


def test_another_engine_is_refused(sqlite_world: tuple[Store, Settings], key: SealKey,
                                   tmp_path: Path, new_pg_url: str) -> None:
    store, settings = sqlite_world
    made = back_up(store, settings, ADMIN, tmp_path / "b.kbk", key)
    with pytest.raises(BackupRefusedError, match="sqlite store and cannot be restored into "
                                                 "postgresql"):
        restore_backup(settings, ADMIN, made.path, key, new_pg_url)


def test_only_administrators_back_up_and_restore(sqlite_world: tuple[Store, Settings],
                                                 key: SealKey, tmp_path: Path) -> None:
    store, settings = sqlite_world
    with pytest.raises(AccessDeniedError):
        back_up(store, settings, LISTS, tmp_path / "b.kbk", key)
    made = back_up(store, settings, ADMIN, tmp_path / "b.kbk", key)
    with pytest.raises(AccessDeniedError):
        restore_backup(settings, LISTS, made.path, key, "sqlite:///" + str(tmp_path / "x"))


def test_rotation_keeps_the_newest(sqlite_world: tuple[Store, Settings], key: SealKey,
                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt
    store, settings = sqlite_world
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup", encoding="utf-8")
    moments = iter(dt.datetime(2026, 3, day, 2, 0, tzinfo=dt.UTC) for day in range(1, 10))
    monkeypatch.setattr(backups, "_now", lambda: next(moments))
    for _ in range(4):
        made = back_up_rotating(store, settings, ADMIN, folder, 2, key)
    names = sorted(p.name for p in folder.iterdir())
    # each backup takes two moments: its name's and its manifest's
    assert names == ["kinlink-20260305T020000Z.kbk", "kinlink-20260307T020000Z.kbk",
                     "notes.txt"]
    assert [p.name for p in made.pruned] == ["kinlink-20260303T020000Z.kbk"]
    assert verify_backup(folder / names[1], key).tables == made.manifest.tables


def test_the_manifest_comes_first(sqlite_world: tuple[Store, Settings], key: SealKey,
                                  tmp_path: Path) -> None:
    """A restore reads the manifest before anything else, so it refuses before it
    unpacks the database."""
    import io
    import tarfile

    from kinlink.backups.sealed import SealedReader
    store, settings = sqlite_world
    made = back_up(store, settings, ADMIN, tmp_path / "b.kbk", key)
    with made.path.open("rb") as raw, tarfile.open(
            fileobj=io.BufferedReader(SealedReader(raw, key)), mode="r|gz") as tar:
        first = tar.next()
        assert first is not None
        assert first.name == MANIFEST
