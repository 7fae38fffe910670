"""Back up the whole store, check a backup, restore one (``kinlink backup``/``restore``).

A backup is one sealed file (:mod:`kinlink.backups`): the database as of one moment
(:mod:`kinlink.storage.backup`), the bytes of every document it refers to, and a manifest
of counts and hashes. Taking it is audited in the store (``store.backed_up``, naming the
audit head it holds). A restore refuses a file it cannot trust or use before it touches
the target, checks every file and table against the manifest, ends every session of the
restored store and records itself (:func:`kinlink.audit.record_restore`) so that
``kinlink audit verify`` tells a restore from a rewrite.

A restore then erases again what the data folder's erasure ledger
(:mod:`kinlink.backups.ledger`) says was erased from this store after the backup was taken
(each its own ``data.erased``, then ``erasures.reapplied``; a hold in the restored store
does not stop it, since the erasure was made while no hold covered it), and compacts the
store: an old backup never brings erased data back.

The database copy is plain text while it is packed or unpacked: it is kept in a private
folder inside the data folder (which already holds the store), never in /tmp, and
deleted at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kinlink import __version__
from kinlink.audit import AuditAction, AuditEvent, append_event, record_restore
from kinlink.backups import (
    AuditHead,
    FileEntry,
    Manifest,
    SealKey,
    backup_name,
    prune,
    read_archive,
    rotated,
    write_archive,
)
from kinlink.backups.ledger import ErasureLedger, LedgerEntry
from kinlink.backups.manifest import FORMAT
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.permissions import Action, require
from kinlink.domain.retention import ErasureBasis, ErasureKind
from kinlink.errors import BackupRefusedError
from kinlink.evidence import ContentStore
from kinlink.i18n import N_, Wording
from kinlink.storage import Session, Store, current_revision, head_revision, open_store, upgrade
from kinlink.storage.backup import (
    Census,
    census_of_file,
    end_all_sessions,
    engine_name,
    known_revisions,
    load_postgres,
    load_sqlite,
    recorded_backups,
    snapshot_postgres,
    snapshot_sqlite,
    table_names,
)
from kinlink.storage.engine import make_engine, redacted_url
from kinlink.storage.erasure import ErasureRepository
from kinlink.usecases.document_access import Evidence
from kinlink.usecases.erasure import compact_store, erase_in, erased_already, remove_blobs

_NEWER_SCHEMA = Wording("backup.restore.newer_schema", N_(
    "the backup's schema ({revision}) is newer than this kinlink knows (up to {head}): "
    "restore it with the kinlink version that made it ({version}) or a newer one"))
_OTHER_ENGINE = Wording("backup.restore.other_engine", N_(
    "the backup is of a {backup} store and cannot be restored into {target}: restore "
    "it into a {backup} store (moving between engines is not supported)"))
_UNKNOWN_FORMAT = Wording("backup.restore.unknown_format", N_(
    "the backup's format {format} is not one this kinlink reads"))
_NOT_EMPTY = Wording("backup.restore.not_empty", N_(
    "the store {url} is not empty ({tables} tables): restore into a new store, or give "
    "--replace to overwrite it"))
_TABLE_MISMATCH = Wording("backup.restore.table_mismatch", N_(
    "the restored table {table} holds {found} rows, the backup's manifest says "
    "{expected}: the restore is not complete"))
_HEAD_MISMATCH = Wording("backup.restore.head_mismatch", N_(
    "the restored audit chain ends at event {found}, the backup's manifest says "
    "{expected}"))

__all__ = [
    "BackupFile",
    "BackupMade",
    "Restored",
    "back_up",
    "back_up_rotating",
    "list_backups",
    "restore_backup",
    "verify_backup",
]

Step = Callable[[str, int, int], None]
"""Progress: what is being done (English, no personal data), done, total (0: unknown)."""


def _quiet(_what: str, _done: int, _total: int) -> None:
    """No progress wanted."""


@dataclass(frozen=True)
class BackupMade:
    """A backup written: where, its manifest, its SHA-256, older backups deleted."""

    path: Path
    manifest: Manifest
    sha256: str
    pruned: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Restored:
    """A restore done: the manifest, sessions ended, the schema upgraded from (if it
    was older), the ``store.restored`` event's id."""

    manifest: Manifest
    sessions_ended: int
    upgraded_from: str | None
    event_id: int
    erasures_reapplied: int = 0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _url(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def _private_dir(settings: Settings, prefix: str) -> tempfile.TemporaryDirectory[str]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(dir=settings.data_dir, prefix=prefix)


def _documents(content: ContentStore, blobs: frozenset[str]
               ) -> tuple[dict[str, Path], list[FileEntry], list[str]]:
    """The documents' files to pack (checked against their hash now) and those missing
    or altered in the evidence store."""
    sources: dict[str, Path] = {}
    entries: list[FileEntry] = []
    missing: list[str] = []
    for sha in sorted(blobs):
        path = content.path_of(sha)
        if not path.is_file() or _sha256_of(path) != sha:
            missing.append(sha)
            continue
        name = f"documents/{sha}"
        sources[name] = path
        entries.append(FileEntry(name, sha, path.stat().st_size))
    return sources, entries, missing


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _head(found: Census) -> AuditHead | None:
    head = found.head
    return AuditHead(head.id, head.hash, head.events) if head else None


def back_up(store: Store, settings: Settings, actor: Actor, target: Path, key: SealKey,
            progress: Step = _quiet) -> BackupMade:
    """Write a sealed backup of the store and its documents to ``target`` while the
    store is in use, and audit it (``store.backed_up``). Administrators only."""
    require(actor, Action.STORE_BACKUP)
    url, engine = _url(store), store.engine.dialect.name
    with _private_dir(settings, ".backup-") as work:
        copy = Path(work) / ("kinlink.sqlite3" if engine == "sqlite" else "kinlink.pgdump")
        progress(N_("copying the database"), 0, 0)
        found = (snapshot_sqlite(url, copy, settings.busy_timeout) if engine == "sqlite"
                 else snapshot_postgres(url, copy))
        sources, documents, missing = _documents(
            ContentStore(settings.data_dir / "evidence"), found.blobs)
        database = FileEntry(f"database/{copy.name}", _sha256_of(copy), copy.stat().st_size)
        manifest = Manifest(
            kinlink_version=__version__, schema_revision=found.revision or "",
            engine=engine, created_at=_now().isoformat(timespec="seconds"),
            created_by=actor.name, tables=found.tables, audit_head=_head(found),
            database=database, documents=tuple(documents),
            missing_documents=tuple(missing))
        sha = write_archive(target, key, manifest, {database.name: copy, **sources},
                            progress)
    with store.transaction() as session:
        append_event(session, AuditEvent(actor.name, AuditAction.STORE_BACKED_UP, "store",
                                         None, _event_details(manifest, sha)))
    return BackupMade(target, manifest, sha)


def _event_details(manifest: Manifest, sha: str) -> dict[str, object]:
    """The audit event's details: the head, counts and the file's hash; no names."""
    head = manifest.audit_head
    return {"backup_head_id": head.id if head else None,
            "backup_head_hash": head.hash if head else None,
            "backup_events": head.events if head else 0,
            "tables": len(manifest.tables), "rows": sum(manifest.tables.values()),
            "documents": len(manifest.documents),
            "missing_documents": len(manifest.missing_documents),
            "engine": manifest.engine, "schema": manifest.schema_revision,
            "sha256": sha}


def back_up_rotating(store: Store, settings: Settings, actor: Actor, folder: Path,
                     keep: int, key: SealKey, progress: Step = _quiet) -> BackupMade:
    """A backup in ``folder`` named by its moment; then all but the newest ``keep``
    backups there are deleted (only files named as these backups are)."""
    made = back_up(store, settings, actor, folder / backup_name(_now()), key, progress)
    return BackupMade(made.path, made.manifest, made.sha256, tuple(prune(folder, keep)))


def verify_backup(file: Path, key: SealKey, progress: Step = _quiet) -> Manifest:
    """Check a backup offline, writing nothing: it opens with ``key``, every chunk is
    authentic, and every file matches the manifest's size and SHA-256."""
    return read_archive(file, key, None, _check_format, progress)


def _check_format(manifest: Manifest) -> None:
    if manifest.format != FORMAT:
        raise BackupRefusedError(_UNKNOWN_FORMAT(format=manifest.format[:40]))


def _acceptable(into: str) -> Callable[[Manifest], None]:
    """What a restore into ``into`` refuses once the manifest is read: another format,
    another engine, a schema newer than this kinlink."""
    def accept(manifest: Manifest) -> None:
        _check_format(manifest)
        if manifest.engine != engine_name(into):
            raise BackupRefusedError(_OTHER_ENGINE(backup=manifest.engine,
                                                   target=engine_name(into)))
        if manifest.schema_revision not in known_revisions():
            raise BackupRefusedError(_NEWER_SCHEMA(
                revision=manifest.schema_revision[:40], head=head_revision(),
                version=manifest.kinlink_version[:20]))
    return accept


def _compare(manifest: Manifest, found: Census) -> None:
    """Refuse, naming the first table that differs, a copy unlike its manifest."""
    for name in sorted(manifest.tables.keys() | found.tables.keys()):
        expected, got = manifest.tables.get(name, 0), found.tables.get(name, 0)
        if expected != got:
            raise BackupRefusedError(_TABLE_MISMATCH(table=name, found=got,
                                                     expected=expected))
    if _head(found) != manifest.audit_head:
        raise BackupRefusedError(_HEAD_MISMATCH(
            found=found.head.id if found.head else "none",
            expected=manifest.audit_head.id if manifest.audit_head else "none"))


def restore_backup(settings: Settings, actor: Actor, file: Path, key: SealKey, into: str,
                   *, replace: bool = False, progress: Step = _quiet) -> Restored:
    """Restore the backup ``file`` into the store at ``into`` (same engine), its
    documents into this data folder's evidence store; end every session and record the
    restore in the audit chain; erase again what was erased after the backup was taken
    (the data folder's erasure ledger). Administrators only.

    Refused before the target is touched: a wrong key, an altered or cut file, another
    format or engine, a newer schema, a file or (SQLite) table unlike the manifest, a
    target that holds tables unless ``replace``."""
    require(actor, Action.STORE_BACKUP)
    existing = table_names(into)
    if existing and not replace:
        raise BackupRefusedError(_NOT_EMPTY(url=redacted_url(into), tables=len(existing)))
    with _private_dir(settings, ".restore-") as work:
        staging = Path(work)
        manifest = read_archive(file, key, staging, _acceptable(into), progress)
        copy = staging / manifest.database.name
        if manifest.engine == "sqlite":
            _compare(manifest, census_of_file(f"sqlite:///{copy}"))
        content = ContentStore(settings.data_dir / "evidence")
        for done, entry in enumerate(manifest.documents, start=1):
            content.put((staging / entry.name).read_bytes())
            progress(N_("restoring documents"), done, len(manifest.documents))
        progress(N_("loading the database"), 0, 0)
        if manifest.engine == "sqlite":
            load_sqlite(copy, into, settings.busy_timeout)
        else:
            load_postgres(copy, into, replace=replace)
    restored = _finish(settings, actor, manifest, into)
    return _with_count(restored, _reapply(settings, actor, into, restored.event_id))


def _with_count(done: Restored, reapplied: int) -> Restored:
    """``done`` with the count of erasures made again."""
    return Restored(done.manifest, done.sessions_ended, done.upgraded_from, done.event_id,
                    reapplied)


def _still_there(session: Session, entry: LedgerEntry, lineage: str) -> ErasureKind | None:
    """The entry's kind when it is this store's and its thing is in the store, not erased."""
    try:
        kind = ErasureKind(entry.kind)
    except ValueError:
        return None
    if entry.lineage != lineage or ErasureRepository(session).agency_of(
            kind, entry.target_id) is None:
        return None
    return None if erased_already(session, kind, entry.target_id) is not None else kind


def _reapply(settings: Settings, actor: Actor, into: str, restore_event: int) -> int:
    """Erase again, in the restored store, every ledger entry of its lineage that it
    holds no tombstone for; remove the files, compact; return how many were made."""
    entries = ErasureLedger.in_folder(settings.data_dir).entries()
    if not entries:
        return 0
    store = open_store(settings.model_copy(update={"database_url": into}))
    evidence = Evidence.of(settings, store)
    made, tables = 0, set[str]()
    try:
        for entry in entries:
            with store.transaction() as session:
                lineage = ErasureRepository(session).lineage()
                kind = _still_there(session, entry, lineage)
                if kind is None:
                    continue
                done = erase_in(session, actor, kind, entry.target_id,
                                f"erased again after a restore: erased on "
                                f"{entry.erased_at[:10]}, after the backup was taken",
                                basis=ErasureBasis(entry.basis), rule_id=None)
            remove_blobs(evidence, done.blobs)
            tables |= done.tables
            made += 1
        if made:
            with store.transaction() as session:
                append_event(session, AuditEvent(actor.name, AuditAction.ERASURES_REAPPLIED,
                                                 "store", None, {"erasures": made,
                                                                 "restore": restore_event}))
            compact_store(store, actor, tables)
    finally:
        store.dispose()
    return made


def _finish(settings: Settings, actor: Actor, manifest: Manifest, into: str) -> Restored:
    """Check the loaded store against the manifest, bring an older schema up to date,
    end every session and write ``store.restored``."""
    _compare(manifest, census_of_file(into))
    engine = make_engine(into, settings.busy_timeout)
    try:
        before = current_revision(engine)
        upgraded = before if before != head_revision() else None
        if upgraded:
            upgrade(engine)
    finally:
        engine.dispose()
    store = open_store(settings.model_copy(update={"database_url": into}))
    try:
        with store.transaction() as session:
            ended = end_all_sessions(session, _now())
            event = record_restore(session, actor.name)
            return Restored(manifest, ended, upgraded, event.id)
    finally:
        store.dispose()


@dataclass(frozen=True)
class BackupFile:
    """A backup in the backup folder, as the admin page lists it: its name, when it was
    written, its size, and whether its SHA-256 is one this store recorded writing (then
    the file is the one kinlink wrote, unaltered)."""

    name: str
    written_at: dt.datetime
    size: int
    verified: bool


def list_backups(store: Store, settings: Settings, actor: Actor) -> list[BackupFile]:
    """The backups in the backup folder (``KINLINK_BACKUP_DIR``), newest first; names,
    dates, sizes and hashes only: no backup is opened and none can be downloaded."""
    require(actor, Action.STORE_BACKUP)
    with store.transaction() as session:
        known = recorded_backups(session)
    found = [BackupFile(p.name, dt.datetime.fromtimestamp(p.stat().st_mtime, dt.UTC),
                        p.stat().st_size, _sha256_of(p) in known)
             for p in rotated(settings.effective_backup_dir)]
    return sorted(found, key=lambda b: b.name, reverse=True)
