"""Lists and import runs as one agency sees them, and error reports drawn from the store.

A person sees the sources of their agency and those shared with it, but the import
runs (and so the error reports, which hold rejected rows verbatim) of their own agency
only. A run of another agency answers :class:`NotFoundError`, like a missing one.

The error report has the columns and format of the one ``kinlink import`` writes
(:mod:`kinlink.listfiles.report`): UTF-8 with BOM, formula-like cells neutralised; it is
built from the stored issues when asked for, so no report file lies around on disk.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import func, select

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Principal
from kinlink.domain.cells import neutralise_formula
from kinlink.errors import NotFoundError
from kinlink.storage import Session, Store
from kinlink.storage.accounts import AccountRepository, as_utc, begin_write
from kinlink.storage.imports import ImportRepository
from kinlink.storage.tables import ImportIssueRow, ImportRunRow, RecordRow, SourceRow

__all__ = ["ImportRuns", "IssueView", "RunView", "SourceView"]

_ERRORS_HEADER = ["file", "line", "column", "severity", "code", "problem", "value"]


@dataclass(frozen=True)
class SourceView:
    """A list visible to an agency, with its record count and who it is shared with."""

    id: int
    title: str
    kind: str
    role: str
    producer: str | None
    received_on: dt.date | None
    original_filename: str
    imported_by: str
    imported_at: dt.datetime
    records: int
    agency_id: int
    agency: str
    own: bool
    shared_with: list[int]


@dataclass(frozen=True)
class RunView:
    """One import run: status and counts."""

    id: int
    source_id: int | None
    file: str
    status: str
    started_by: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    rows: int
    imported: int
    rejected: int
    field_errors: int
    blank_lines: int
    message: str | None


@dataclass(frozen=True)
class IssueView:
    """One problem found in a run: where, what, the value."""

    line: int
    column: str | None
    severity: str
    code: str
    message: str
    value: str | None


class ImportRuns:
    """Read sources, runs and their reports for one agency."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def sources(self, principal: Principal) -> list[SourceView]:
        """Every source the principal's agency sees, oldest first."""
        with self._store.transaction() as session:
            repo = AccountRepository(session)
            visible = repo.visible_source_ids(principal.agency_id)
            names = {a.id: a.name for a in repo.agencies()}
            counts = dict(session.execute(
                select(RecordRow.source_id, func.count()).where(
                    RecordRow.source_id.in_(visible)).group_by(RecordRow.source_id)).all())
            rows = session.execute(select(SourceRow).where(SourceRow.id.in_(visible))
                                   .order_by(SourceRow.id)).scalars().all()
            return [_source_view(s, int(counts.get(s.id, 0)), names, principal.agency_id,
                                 [x.agency_id for x in repo.shares(s.id)]) for s in rows]

    def runs(self, principal: Principal, limit: int = 50) -> list[RunView]:
        """The agency's newest import runs first."""
        with self._store.transaction() as session:
            rows = session.execute(
                select(ImportRunRow).where(ImportRunRow.agency_id == principal.agency_id)
                .order_by(ImportRunRow.id.desc()).limit(limit)).scalars().all()
            return [_run_view(r) for r in rows]

    def run(self, principal: Principal, run_id: int, issue_limit: int = 200
            ) -> tuple[RunView, list[IssueView], int]:
        """One run of the agency with its first issues and how many there are."""
        with self._store.transaction() as session:
            run = _own_run(session, principal, run_id)
            total = int(session.execute(select(func.count()).select_from(ImportIssueRow)
                                        .where(ImportIssueRow.import_run_id == run_id))
                        .scalar_one())
            issues = session.execute(
                select(ImportIssueRow).where(ImportIssueRow.import_run_id == run_id)
                .order_by(ImportIssueRow.line, ImportIssueRow.id).limit(issue_limit)
            ).scalars().all()
            return _run_view(run), [_issue_view(i) for i in issues], total

    def error_report(self, principal: Principal, run_id: int) -> bytes:
        """The run's error report as CSV bytes (audited: it holds cells of the list)."""
        with self._store.transaction() as session:
            begin_write(session)
            run = self._checked(session, principal, run_id, "errors")
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(_ERRORS_HEADER)
            for issue in ImportRepository(session).issues(run_id):
                writer.writerow([run.original_filename, issue.line, issue.column or "",
                                 issue.severity, issue.code, issue.message,
                                 neutralise_formula(issue.value or "")])
        return buffer.getvalue().encode("utf-8-sig")

    def rejected_rows(self, principal: Principal, run_id: int) -> bytes:
        """The rejected rows under the file's own header, ready to fix and import again."""
        with self._store.transaction() as session:
            begin_write(session)
            run = self._checked(session, principal, run_id, "rejected")
            source = session.get(SourceRow, run.source_id) if run.source_id else None
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(source.header if source else [])
            for issue in ImportRepository(session).issues(run_id):
                if issue.severity == "rejected" and issue.raw is not None:
                    writer.writerow(issue.raw)
        return buffer.getvalue().encode("utf-8-sig")

    def _checked(self, session: Session, principal: Principal, run_id: int,
                 kind: str) -> ImportRunRow:
        run = _own_run(session, principal, run_id)
        append_event(session, AuditEvent(principal.actor, AuditAction.IMPORT_REPORT_DOWNLOADED,
                                         "import_run", str(run_id), {"report": kind}))
        return run


def _own_run(session: Session, principal: Principal, run_id: int) -> ImportRunRow:
    run = session.get(ImportRunRow, run_id)
    if run is None or run.agency_id != principal.agency_id:
        raise NotFoundError("there is no such import")
    return run


def _source_view(source: SourceRow, records: int, names: dict[int, str], agency_id: int,
                 shared_with: list[int]) -> SourceView:
    return SourceView(
        id=source.id, title=source.title, kind=source.kind, role=source.role,
        producer=source.producer, received_on=source.received_on,
        original_filename=source.original_filename, imported_by=source.imported_by,
        imported_at=as_utc(source.imported_at), records=records, agency_id=source.agency_id,
        agency=names.get(source.agency_id, ""), own=source.agency_id == agency_id,
        shared_with=shared_with if source.agency_id == agency_id else [])


def _run_view(run: ImportRunRow) -> RunView:
    return RunView(
        id=run.id, source_id=run.source_id, file=run.original_filename, status=run.status,
        started_by=run.started_by, started_at=as_utc(run.started_at),
        finished_at=as_utc(run.finished_at) if run.finished_at else None,
        rows=run.rows_total, imported=run.imported, rejected=run.rejected,
        field_errors=run.field_errors, blank_lines=run.blank_lines, message=run.message)


def _issue_view(issue: ImportIssueRow) -> IssueView:
    return IssueView(issue.line, issue.column, issue.severity, issue.code, issue.message,
                     issue.value)
