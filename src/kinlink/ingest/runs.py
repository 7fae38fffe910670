"""Lists and import runs as one agency sees them, and error reports drawn from the store.

A person sees the sources of their agency and those shared with it (finished imports
only), but the import runs (and so the error reports, which hold rejected rows verbatim)
of their own agency only. A run of another agency answers :class:`NotFoundError`, like a
missing one.

The error report has the columns and format of the one ``kinlink import`` writes
(:mod:`kinlink.listfiles.report`): UTF-8 with BOM, formula-like cells neutralised; it is
built from the stored issues when asked for, so no report file lies around on disk.
"""

from __future__ import annotations

import csv
import io

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Principal
from kinlink.domain.cells import neutralise_formula
from kinlink.domain.imports import Issue, IssueView, RunView, Severity, SourceView
from kinlink.errors import NotFoundError
from kinlink.storage import Session, Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.import_views import ImportViews

__all__ = ["ImportRuns", "IssueView", "RunView", "SourceView"]

_ERRORS_HEADER = ["file", "line", "column", "severity", "code", "problem", "value"]


class ImportRuns:
    """Read sources, runs and their reports for one agency."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def sources(self, principal: Principal) -> list[SourceView]:
        """Every source the principal's agency sees, oldest first."""
        with self._store.transaction() as session:
            return ImportViews(session).sources(principal.agency_id)

    def runs(self, principal: Principal, limit: int = 50) -> list[RunView]:
        """The agency's newest import runs first."""
        with self._store.transaction() as session:
            return ImportViews(session).runs(principal.agency_id, limit)

    def run(self, principal: Principal, run_id: int, issue_limit: int = 200
            ) -> tuple[RunView, list[IssueView], int]:
        """One run of the agency with its first issues and how many there are."""
        with self._store.transaction() as session:
            views = ImportViews(session)
            run = _own_run(views, principal, run_id)
            issues, total = views.issues(run_id, issue_limit)
            return run, issues, total

    def error_report(self, principal: Principal, run_id: int) -> bytes:
        """The run's error report as CSV bytes (audited: it holds cells of the list)."""
        with self._store.transaction() as session:
            begin_write(session)
            run, issues = self._checked(session, principal, run_id, "errors")
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(_ERRORS_HEADER)
            for issue in issues:
                writer.writerow([run.file, issue.line, issue.column or "",
                                 issue.severity.value, issue.code, issue.message,
                                 neutralise_formula(issue.value or "")])
        return buffer.getvalue().encode("utf-8-sig")

    def rejected_rows(self, principal: Principal, run_id: int) -> bytes:
        """The rejected rows under the file's own header, ready to fix and import again."""
        with self._store.transaction() as session:
            begin_write(session)
            run, issues = self._checked(session, principal, run_id, "rejected")
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(ImportViews(session).header(run.source_id))
            for issue in issues:
                if issue.severity is Severity.REJECTED and issue.raw is not None:
                    writer.writerow(issue.raw)
        return buffer.getvalue().encode("utf-8-sig")

    def _checked(self, session: Session, principal: Principal, run_id: int,
                 kind: str) -> tuple[RunView, list[Issue]]:
        views = ImportViews(session)
        run = _own_run(views, principal, run_id)
        append_event(session, AuditEvent(principal.actor, AuditAction.IMPORT_REPORT_DOWNLOADED,
                                         "import_run", str(run_id), {"report": kind}))
        return run, views.report(run_id)


def _own_run(views: ImportViews, principal: Principal, run_id: int) -> RunView:
    run = views.run(principal.agency_id, run_id)
    if run is None:
        raise NotFoundError("there is no such import")
    return run
