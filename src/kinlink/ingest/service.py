"""Import one list file into the store in short transactions: the whole file is seen, or
nothing of it.

The steps: read the bytes and their SHA-256; clear what a killed import of the same file
left behind (below); refuse a file imported before (unless forced); open it as CSV or
XLSX; map its header. The run is written ``running`` in a transaction of its own (so an
interrupted run stays visible), then the source in state ``importing``. Then, chunk by
chunk of :data:`CHUNK_ROWS` rows: parse the rows and compute their search keys with no
transaction open, and write the records, reporters, issues and keys in **one short
transaction** — other people's reads and small writes go on between two chunks, where
one transaction for the whole file made every audited read wait for it. Nobody sees a
source in state ``importing`` or its records (:mod:`kinlink.storage.visibility`): not
search, record pages, browsing, linkage, review, cases, the dashboard, the sources list
or the duplicate check. One last short transaction makes the source ``ready``, finishes
the run and writes the audit event ``import.completed``.

A process killed at any moment therefore leaves either the whole file seen or nothing of
it: the chunks of a killed import stay invisible, and its run stays ``running``. The
chunks are **removed** (not merely ignored) the next time the same agency imports the
same file (same SHA-256): that import marks the killed run ``interrupted``, deletes its
chunks and their issues in short transactions, and then imports the file anew, which
completes it. An import that fails with an error removes its own chunks at once. (So
importing a file again while the same agency's import of it is still running is taken to
mean the first was killed: the first then stops with an error and keeps nothing.)

The file is measured against :class:`~kinlink.domain.limits.ImportLimits` before it is
read (its size) and while it is read (:mod:`kinlink.listfiles.readers`): a limit broken
midway refuses the whole file like one broken at the start, and its chunks are removed.
An import stopped between two chunks — cancelled by a person, past its time budget
(:class:`~kinlink.errors.ImportStoppedError`, raised by the progress callback), or
Ctrl+C at the command line — ends its run ``cancelled`` or ``interrupted`` with its
audit event and removes its chunks. Each run names the process running it (``host:pid``)
so that a run whose process is gone can be told from a live one
(:mod:`kinlink.ingest.recovery`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.imports import ImportCounts, ImportStatus, Issue, Severity
from kinlink.domain.limits import ImportLimits
from kinlink.domain.records import Role, SourceKind
from kinlink.errors import DuplicateFileError, FileRefusedError, ImportStoppedError, KinlinkError
from kinlink.ingest.workers import this_process
from kinlink.listfiles.columns import ColumnMap
from kinlink.listfiles.listfile import read_within, required_columns
from kinlink.listfiles.readers import RawRow, Table, open_table
from kinlink.listfiles.validate import RowParser
from kinlink.storage import Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.imports import ImportRepository, NewRecord, SourceDraft
from kinlink.storage.search_keys import name_keys, refresh_statistics, write_keys

__all__ = ["CHUNK_ROWS", "ImportRequest", "ImportResult", "Progress", "import_file"]

CHUNK_ROWS = 2000
"""Rows written per transaction: a chunk holds the store's write lock for a fraction of a
second (benchmarks/README.md, "Chunked import")."""
Progress = Callable[[int, int], None]
"""Called after each chunk with (rows read so far, estimated rows in the file)."""


@dataclass(frozen=True)
class ImportRequest:
    """What to import and how to describe its source. Only ``path`` is required."""

    path: Path
    imported_by: str
    kind: SourceKind = SourceKind.LIST
    role: Role | None = None
    title: str | None = None
    producer: str | None = None
    received_on: dt.date | None = None
    mapping: dict[str, str] | None = None
    sheet: str | None = None
    line_ids: bool = False
    force: bool = False
    agency_id: int | None = None
    """The agency that imports the list and owns it (``None``: the home agency)."""

    @property
    def effective_role(self) -> Role:
        """The role given, or the one the source kind implies."""
        return self.role or self.kind.default_role


@dataclass
class ImportResult:
    """The outcome of an import: ids, counts and every issue."""

    run_id: int
    source_id: int
    file: str
    sha256: str
    file_format: str
    encoding: str | None
    role: Role
    counts: ImportCounts
    header: list[str]
    issues: list[Issue] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary (no personal data: counts, ids, codes)."""
        return {
            "status": ImportStatus.COMPLETED.value, "import_run_id": self.run_id,
            "source_id": self.source_id, "file": self.file, "sha256": self.sha256,
            "format": self.file_format, "encoding": self.encoding, "role": self.role.value,
            "rows": self.counts.rows, "imported": self.counts.imported,
            "rejected": self.counts.rejected, "field_errors": self.counts.field_errors,
            "blank_lines": self.counts.blank_lines,
        }


def import_file(store: Store, request: ImportRequest, *, today: dt.date | None = None,
                progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS,
                limits: ImportLimits | None = None) -> ImportResult:
    """Import ``request.path`` within ``limits`` (the defaults when none are given);
    raise :class:`FileRefusedError` if the file is refused, :class:`ImportStoppedError`
    if ``progress`` stopped it."""
    limits = limits or ImportLimits()
    data = read_within(request.path, limits)
    sha256 = hashlib.sha256(data).hexdigest()
    run_id = _start(store, request, sha256)
    try:
        table = open_table(data, sheet=request.sheet, limits=limits)
        columns = required_columns(table, request.mapping, line_ids=request.line_ids)
    except FileRefusedError as exc:
        _finish_refused(store, run_id, request, str(exc))
        raise
    except (Exception, KeyboardInterrupt) as exc:
        _end_early(store, run_id, request, exc)
        raise
    del data  # the table holds what it needs; the raw bytes need not stay in memory
    source_id: int | None = None
    try:
        source_id = _create_source(store, _draft(request, sha256, table, columns))
        return _write(store, request, _Target(run_id, source_id, sha256), table, columns,
                      today or dt.date.today(), progress, chunk_rows)
    except (Exception, KeyboardInterrupt) as exc:
        _end_early(store, run_id, request, exc)
        remove_unfinished(store, [source_id] if source_id else [], [run_id])
        raise


def _end_early(store: Store, run_id: int, request: ImportRequest,
               exc: Exception | KeyboardInterrupt) -> None:
    """End a run that stopped before its end: refused (a limit broken midway), stopped
    (cancelled, past its budget, Ctrl+C) or failed; with its audit event."""
    if isinstance(exc, FileRefusedError):
        _finish_refused(store, run_id, request, str(exc))
    elif isinstance(exc, ImportStoppedError):
        finish_stopped(store, run_id, request.imported_by, exc)
    elif isinstance(exc, KeyboardInterrupt):
        with contextlib.suppress(Exception):
            finish_stopped(store, run_id, request.imported_by, ImportStoppedError(
                "the import was cancelled at the keyboard (Ctrl+C)", cancelled=True,
                by=request.imported_by))
    elif isinstance(exc, Exception):
        _finish_failed(store, run_id, request, exc)
    # any other BaseException stands for the process dying: nothing runs, as under SIGKILL


def note_linking_stopped(store: Store, actor: str, source_id: int,
                         exc: ImportStoppedError) -> None:
    """The audit event of linking stopped after the list was imported (it stays)."""
    action = AuditAction.IMPORT_CANCELLED if exc.cancelled else AuditAction.IMPORT_INTERRUPTED
    with store.transaction() as session:
        begin_write(session)
        append_event(session, AuditEvent(exc.by or actor, action, "source", str(source_id),
                                         {"stage": "linking"}))


def finish_stopped(store: Store, run_id: int, imported_by: str,
                   exc: ImportStoppedError) -> None:
    """End a stopped run ``cancelled`` (a person asked) or ``interrupted`` (a budget, the
    server stopping), with the audit event naming who cancelled it."""
    status = ImportStatus.CANCELLED if exc.cancelled else ImportStatus.INTERRUPTED
    action = AuditAction.IMPORT_CANCELLED if exc.cancelled else AuditAction.IMPORT_INTERRUPTED
    with store.transaction() as session:
        begin_write(session)
        ImportRepository(session).finish_run(run_id, status, ImportCounts(),
                                              message=f"{exc}; nothing of it was kept")
        append_event(session, AuditEvent(exc.by or imported_by, action, "import_run",
                                         str(run_id), {"stage": "reading"}))


@dataclass(frozen=True)
class _Target:
    """Where one import writes: its run, its (unfinished) source, its file's digest."""

    run_id: int
    source_id: int
    sha256: str


def _start(store: Store, request: ImportRequest, sha256: str) -> int:
    with store.transaction() as session:  # its own transaction: kept even if refused below
        begin_write(session)
        repo = ImportRepository(session)
        killed = repo.mark_interrupted(sha256, request.agency_id)
        leftovers = repo.unfinished_sources(sha256, request.agency_id)
    _remove(store, leftovers, killed)
    with store.transaction() as session:
        begin_write(session)
        repo = ImportRepository(session)
        earlier = repo.source_with_sha256(sha256, request.agency_id)
        if earlier is not None and not request.force:
            raise DuplicateFileError(
                f"{request.path.name} was already imported on {earlier.imported_at:%Y-%m-%d} "
                f"as source {earlier.id} ({earlier.title})", earlier.id)
        return repo.start_run(request.path.name, sha256, request.imported_by,
                              agency_id=request.agency_id, worker=this_process())


def _remove(store: Store, source_ids: Sequence[int], run_ids: Sequence[int]) -> None:
    """Delete the chunks of imports that never finished, a chunk per transaction."""
    for source_id in source_ids:
        while True:
            with store.transaction() as session:
                begin_write(session)
                repo = ImportRepository(session)
                if not repo.remove_records(source_id, CHUNK_ROWS):
                    repo.remove_source(source_id)
                    break
    while run_ids:
        with store.transaction() as session:
            begin_write(session)
            if not ImportRepository(session).remove_run_issues(run_ids, CHUNK_ROWS):
                break


def remove_unfinished(store: Store, source_ids: Sequence[int], run_ids: Sequence[int]) -> None:
    """Remove a failed import's chunks if the store lets us now; if it does not, they stay
    unseen and the next import of the same file removes them."""
    with contextlib.suppress(Exception):
        _remove(store, source_ids, run_ids)


def _create_source(store: Store, draft: SourceDraft) -> int:
    with store.transaction() as session:
        begin_write(session)
        return ImportRepository(session).create_source(draft)


def _finish_refused(store: Store, run_id: int, request: ImportRequest, message: str) -> None:
    with store.transaction() as session:
        begin_write(session)
        ImportRepository(session).finish_run(run_id, ImportStatus.REFUSED, ImportCounts(),
                                              message=message)
        append_event(session, AuditEvent(request.imported_by, AuditAction.IMPORT_REFUSED,
                                         "import_run",
                                         str(run_id)))


def _finish_failed(store: Store, run_id: int, request: ImportRequest, exc: Exception) -> None:
    message = f"the import failed ({type(exc).__name__}); nothing of it was kept"
    with store.transaction() as session:
        begin_write(session)
        ImportRepository(session).finish_run(run_id, ImportStatus.FAILED, ImportCounts(),
                                              message=message)
        append_event(session, AuditEvent(request.imported_by, AuditAction.IMPORT_FAILED,
                                         "import_run",
                                         str(run_id), {"error": type(exc).__name__}))


def _batches(rows: Iterator[RawRow], size: int) -> Iterator[list[RawRow]]:
    batch: list[RawRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(store: Store, request: ImportRequest, target: _Target, table: Table,
           columns: ColumnMap, today: dt.date, progress: Progress | None,
           chunk_rows: int) -> ImportResult:
    parser = RowParser(table.header, columns, today, line_ids=request.line_ids)
    role = request.effective_role
    issues: list[Issue] = []
    rows = imported = 0
    for batch in _batches(table.rows, chunk_rows):
        new, rejected = _parse_batch(parser, batch)
        keys = {item.record.record_id: _keys(item) for item in new}
        with store.transaction() as session:
            begin_write(session)
            repo = ImportRepository(session)
            pks = repo.add_records(target.source_id, target.run_id, role, new)
            repo.add_rejections(target.run_id, rejected)
            write_keys(session, {pks[record_id]: k for record_id, k in keys.items()})
        issues += rejected + [i for item in new for i in item.issues]
        rows += len(batch)
        imported += len(new)
        if progress:
            progress(rows, table.size_hint)
    counts = ImportCounts(
        rows=rows, imported=imported, rejected=rows - imported,
        field_errors=sum(1 for i in issues if i.severity is Severity.FIELD),
        blank_lines=len(table.blank_lines))
    with store.transaction() as session:
        refresh_statistics(session)
    _publish(store, request, target, counts)
    issues.sort(key=lambda i: i.line)
    return ImportResult(target.run_id, target.source_id, request.path.name, target.sha256,
                        table.file_format, table.encoding, role, counts, table.header, issues)


def _keys(item: NewRecord) -> list[tuple[str, str]]:
    record = item.record
    return name_keys(record.given_name, record.surname, record.patronymic, record.full_name)


def _publish(store: Store, request: ImportRequest, target: _Target,
             counts: ImportCounts) -> None:
    """The last short transaction: the source and its records are seen from now on."""
    with store.transaction() as session:
        begin_write(session)
        repo = ImportRepository(session)
        if not repo.publish_source(target.source_id):
            raise KinlinkError(f"{request.path.name} was imported again while this import "
                               "ran; this one stopped and kept nothing")
        repo.finish_run(target.run_id, ImportStatus.COMPLETED, counts,
                        source_id=target.source_id)
        append_event(session, AuditEvent(
            request.imported_by, AuditAction.IMPORT_COMPLETED, "source",
            str(target.source_id),
            {"import_run_id": target.run_id, "sha256": target.sha256, "rows": counts.rows,
             "imported": counts.imported, "rejected": counts.rejected,
             "field_errors": counts.field_errors}))


def _parse_batch(parser: RowParser, batch: list[RawRow]) -> tuple[list[NewRecord], list[Issue]]:
    new: list[NewRecord] = []
    rejected: list[Issue] = []
    for row in batch:
        record, row_issues = parser.parse(row)
        if record is None:
            rejected += row_issues
        else:
            new.append(NewRecord(row.line, row.cells, record, row_issues))
    return new, rejected


def _draft(request: ImportRequest, sha256: str, table: Table, columns: ColumnMap) -> SourceDraft:
    return SourceDraft(
        kind=request.kind.value, role=request.effective_role,
        title=request.title or request.path.name, producer=request.producer,
        received_on=request.received_on, original_filename=request.path.name,
        sha256=sha256, file_format=table.file_format, encoding=table.encoding,
        delimiter=table.delimiter, header=table.header, column_map=columns.as_spec(table.header),
        imported_by=request.imported_by, agency_id=request.agency_id,
    )
