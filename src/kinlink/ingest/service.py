"""Import one list file into the store: the whole file, or nothing of it.

The steps: read the bytes and their SHA-256; refuse a file imported before (unless
forced); open it as CSV or XLSX; map its header; parse every row; write the source, its
records, reporters and issues and the run's outcome in **one transaction**, with the
audit event. A process killed at any moment therefore leaves either the whole file or
none of it, and running the import again completes it. The run itself is written
``running`` beforehand in its own transaction, so an interrupted run stays visible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.imports import ImportCounts, ImportStatus, Issue, Severity
from kinlink.domain.records import Role, SourceKind
from kinlink.errors import DuplicateFileError, FileRefusedError
from kinlink.listfiles.columns import ColumnMap
from kinlink.listfiles.listfile import required_columns
from kinlink.listfiles.readers import RawRow, Table, open_table
from kinlink.listfiles.validate import RowParser
from kinlink.storage import Store
from kinlink.storage.imports import ImportRepository, NewRecord, SourceDraft
from kinlink.storage.search_keys import index_source

__all__ = ["ImportRequest", "ImportResult", "Progress", "import_file"]

BATCH_SIZE = 2000
Progress = Callable[[int, int], None]
"""Called with (rows read so far, estimated rows in the file)."""


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


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FileRefusedError(f"{path.name}: cannot be read ({exc.strerror})") from exc


def import_file(store: Store, request: ImportRequest, *, today: dt.date | None = None,
                progress: Progress | None = None) -> ImportResult:
    """Import ``request.path``; raise :class:`FileRefusedError` if the file is refused."""
    data = _read(request.path)
    sha256 = hashlib.sha256(data).hexdigest()
    run_id = _start(store, request, sha256)
    try:
        table = open_table(data, sheet=request.sheet)
        columns = required_columns(table, request.mapping, line_ids=request.line_ids)
    except FileRefusedError as exc:
        _finish_refused(store, run_id, request, str(exc))
        raise
    try:
        return _write(store, request, run_id, sha256, table, columns,
                      today or dt.date.today(), progress)
    except Exception as exc:
        _finish_failed(store, run_id, request, exc)
        raise


def _start(store: Store, request: ImportRequest, sha256: str) -> int:
    with store.transaction() as session:  # its own transaction: kept even if refused below
        ImportRepository(session).mark_interrupted(sha256)
    with store.transaction() as session:
        repo = ImportRepository(session)
        earlier = repo.source_with_sha256(sha256, request.agency_id)
        if earlier is not None and not request.force:
            raise DuplicateFileError(
                f"{request.path.name} was already imported on {earlier.imported_at:%Y-%m-%d} "
                f"as source {earlier.id} ({earlier.title}); use --force to import it again",
                earlier.id)
        return repo.start_run(request.path.name, sha256, request.imported_by,
                              agency_id=request.agency_id)


def _finish_refused(store: Store, run_id: int, request: ImportRequest, message: str) -> None:
    with store.transaction() as session:
        ImportRepository(session).finish_run(run_id, ImportStatus.REFUSED, ImportCounts(),
                                              message=message)
        append_event(session, AuditEvent(request.imported_by, AuditAction.IMPORT_REFUSED,
                                         "import_run",
                                         str(run_id)))


def _finish_failed(store: Store, run_id: int, request: ImportRequest, exc: Exception) -> None:
    message = f"the import failed ({type(exc).__name__}); nothing of it was kept"
    with store.transaction() as session:
        ImportRepository(session).finish_run(run_id, ImportStatus.FAILED, ImportCounts(),
                                              message=message)
        append_event(session, AuditEvent(request.imported_by, AuditAction.IMPORT_FAILED,
                                         "import_run",
                                         str(run_id), {"error": type(exc).__name__}))


def _batches(rows: Iterator[RawRow]) -> Iterator[list[RawRow]]:
    batch: list[RawRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(store: Store, request: ImportRequest, run_id: int, sha256: str, table: Table,
           columns: ColumnMap, today: dt.date, progress: Progress | None) -> ImportResult:
    parser = RowParser(table.header, columns, today, line_ids=request.line_ids)
    role = request.effective_role
    issues: list[Issue] = []
    rows = imported = 0
    with store.transaction() as session:
        repo = ImportRepository(session)
        source_id = repo.create_source(_draft(request, sha256, table, columns))
        for batch in _batches(table.rows):
            new, rejected = _parse_batch(parser, batch)
            repo.add_records(source_id, run_id, role, new)
            repo.add_rejections(run_id, rejected)
            issues += rejected + [i for item in new for i in item.issues]
            rows += len(batch)
            imported += len(new)
            if progress:
                progress(rows, table.size_hint)
        counts = ImportCounts(
            rows=rows, imported=imported, rejected=rows - imported,
            field_errors=sum(1 for i in issues if i.severity is Severity.FIELD),
            blank_lines=len(table.blank_lines))
        index_source(session, source_id)
        repo.finish_run(run_id, ImportStatus.COMPLETED, counts, source_id=source_id)
        append_event(session, AuditEvent(
            request.imported_by, AuditAction.IMPORT_COMPLETED, "source", str(source_id),
            {"import_run_id": run_id, "sha256": sha256, "rows": counts.rows,
             "imported": counts.imported, "rejected": counts.rejected,
             "field_errors": counts.field_errors}))
    issues.sort(key=lambda i: i.line)
    return ImportResult(run_id, source_id, request.path.name, sha256, table.file_format,
                        table.encoding, role, counts, table.header, issues)


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
        header=table.header, column_map=columns.as_spec(table.header),
        imported_by=request.imported_by, agency_id=request.agency_id,
    )
