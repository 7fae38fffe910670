"""Lists, import runs and their issues as one agency reads them (read models).

Sources are those the agency sees (:meth:`AccountRepository.visible_source_ids`:
finished imports only); runs and their issues are the agency's own, running ones
included, since a run is where a person watches an import that has not finished. An
agency of ``None`` is the operator at the command line: every source and every run.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kinlink.domain.imports import ImportStatus, Issue, IssueView, RunView, Severity, SourceView
from kinlink.domain.records import Role, SourceKind
from kinlink.listfiles.validate import stored_problem
from kinlink.storage.accounts import AccountRepository, as_utc
from kinlink.storage.tables import ImportIssueRow, ImportRunRow, RecordRow, SourceRow

__all__ = ["ImportViews"]


class ImportViews:
    """Read models of sources, runs and issues, in the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def sources(self, agency_id: int | None) -> list[SourceView]:
        """Every source the agency sees, oldest first, with its number of records."""
        repo = AccountRepository(self._session)
        visible = repo.visible_source_ids(agency_id)
        names = {a.id: a.name for a in repo.agencies()}
        counts = dict(self._session.execute(
            select(RecordRow.source_id, func.count()).where(RecordRow.source_id.in_(visible))
            .group_by(RecordRow.source_id)).all())
        rows = self._session.execute(select(SourceRow).where(SourceRow.id.in_(visible))
                                     .order_by(SourceRow.id)).scalars().all()
        return [_source_view(s, int(counts.get(s.id, 0)), names, agency_id,
                             [x.agency_id for x in repo.shares(s.id)]) for s in rows]

    def runs(self, agency_id: int | None, limit: int) -> list[RunView]:
        """The agency's newest import runs first."""
        query = select(ImportRunRow).order_by(ImportRunRow.id.desc()).limit(limit)
        if agency_id is not None:
            query = query.where(ImportRunRow.agency_id == agency_id)
        return [_run_view(r) for r in self._session.execute(query).scalars()]

    def run(self, agency_id: int | None, run_id: int) -> RunView | None:
        """One run of the agency (``None`` for another agency's, like a missing one)."""
        row = self._session.get(ImportRunRow, run_id)
        if row is None or agency_id not in (None, row.agency_id):
            return None
        return _run_view(row)

    def issues(self, run_id: int, limit: int) -> tuple[list[IssueView], int]:
        """A run's first ``limit`` issues in file order, and how many it has."""
        total = int(self._session.execute(
            select(func.count()).select_from(ImportIssueRow)
            .where(ImportIssueRow.import_run_id == run_id)).scalar_one())
        rows = self._session.execute(
            select(ImportIssueRow).where(ImportIssueRow.import_run_id == run_id)
            .order_by(ImportIssueRow.line, ImportIssueRow.id).limit(limit)).scalars()
        return [IssueView(i.line, i.column, Severity(i.severity), i.code,
                          stored_problem(i.message), i.value) for i in rows], total

    def report(self, run_id: int) -> list[Issue]:
        """Every issue of a run in file order, with a rejected row's cells (the error
        report and the rejected rows are built from them)."""
        rows = self._session.execute(
            select(ImportIssueRow).where(ImportIssueRow.import_run_id == run_id)
            .order_by(ImportIssueRow.line, ImportIssueRow.id)).scalars()
        return [Issue(i.line, i.column, Severity(i.severity), i.code, stored_problem(i.message),
                      i.value,
                      tuple(i.raw) if i.raw is not None else None) for i in rows]

    def header(self, source_id: int | None) -> list[str]:
        """The header of a source's file (empty for none)."""
        source = self._session.get(SourceRow, source_id) if source_id else None
        return [str(h) for h in source.header] if source is not None else []

    def dialect(self, source_id: int | None) -> tuple[str | None, str | None]:
        """The (encoding, delimiter) a source's CSV file came in (``None``s: a workbook,
        a source imported before the delimiter was kept, or none)."""
        source = self._session.get(SourceRow, source_id) if source_id else None
        if source is None or source.file_format != "csv":
            return None, None
        return source.encoding, source.delimiter


def _source_view(source: SourceRow, records: int, names: dict[int, str],
                 agency_id: int | None, shared_with: list[int]) -> SourceView:
    own = agency_id is None or source.agency_id == agency_id
    return SourceView(
        id=source.id, title=source.title, kind=SourceKind(source.kind), role=Role(source.role),
        producer=source.producer, received_on=source.received_on,
        original_filename=source.original_filename, sha256=source.sha256,
        imported_by=source.imported_by,
        imported_at=as_utc(source.imported_at), records=records, agency_id=source.agency_id,
        agency=names.get(source.agency_id, ""), own=own, shared_with=shared_with if own else [])


def _run_view(run: ImportRunRow) -> RunView:
    return RunView(
        id=run.id, source_id=run.source_id, file=run.original_filename,
        status=ImportStatus(run.status),
        started_by=run.started_by, started_at=as_utc(run.started_at),
        finished_at=as_utc(run.finished_at) if run.finished_at else None,
        rows=run.rows_total, imported=run.imported, rejected=run.rejected,
        field_errors=run.field_errors, blank_lines=run.blank_lines, message=run.message)
