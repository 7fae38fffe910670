"""The lists an agency sees, its import runs, and their error reports.

A person sees the lists of their agency and those shared with it (finished imports
only), but the import runs — and so the error reports, which hold rejected rows verbatim
— of their own agency only; another agency's run answers like a missing one, and the
refusal is audited (:mod:`kinlink.usecases.scope`). Reading an error report is audited.
"""

from __future__ import annotations

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.imports import IssueView, RunView, SourceView
from kinlink.domain.permissions import Action, require
from kinlink.errors import OutOfReachError
from kinlink.ingest.runs import errors_csv, rejected_csv
from kinlink.storage import Session, Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.import_views import ImportViews
from kinlink.usecases.scope import within_reach

__all__ = ["error_report", "list_runs", "list_sources", "read_run", "rejected_rows"]


def list_sources(store: Store, actor: Actor) -> list[SourceView]:
    """Every list the actor's agency sees, oldest first, with its number of records."""
    require(actor, Action.SOURCES_VIEW)
    with store.transaction() as session:
        return ImportViews(session).sources(actor.agency_id)


def list_runs(store: Store, actor: Actor, limit: int = 50) -> list[RunView]:
    """The agency's import runs, newest first (completed, refused, failed, interrupted
    or still running)."""
    require(actor, Action.IMPORTS_VIEW)
    with store.transaction() as session:
        return ImportViews(session).runs(actor.agency_id, limit)


def read_run(store: Store, actor: Actor, run_id: int, issue_limit: int = 200
             ) -> tuple[RunView, list[IssueView], int]:
    """One run of the agency, its first issues and how many there are."""
    require(actor, Action.IMPORTS_VIEW)
    with within_reach(store, actor) as (session, _reach):
        views = ImportViews(session)
        run = _own_run(views, actor, run_id)
        issues, total = views.issues(run_id, issue_limit)
    return run, issues, total


def error_report(store: Store, actor: Actor, run_id: int) -> bytes:
    """The run's error report as CSV (audited: it holds cells of the list)."""
    require(actor, Action.IMPORTS_VIEW)
    with within_reach(store, actor) as (session, _reach):
        run = _downloaded(session, actor, run_id, "errors")
        return errors_csv(ImportViews(session), run)


def rejected_rows(store: Store, actor: Actor, run_id: int) -> bytes:
    """The rejected rows under the file's own header, to fix and import again
    (audited)."""
    require(actor, Action.IMPORTS_VIEW)
    with within_reach(store, actor) as (session, _reach):
        run = _downloaded(session, actor, run_id, "rejected")
        return rejected_csv(ImportViews(session), run)


def _downloaded(session: Session, actor: Actor, run_id: int, kind: str) -> RunView:
    begin_write(session)
    run = _own_run(ImportViews(session), actor, run_id)
    append_event(session, AuditEvent(actor.name, AuditAction.IMPORT_REPORT_DOWNLOADED,
                                     "import_run", str(run_id), {"report": kind}))
    return run


def _own_run(views: ImportViews, actor: Actor, run_id: int) -> RunView:
    run = views.run(actor.agency_id, run_id)
    if run is None:
        raise OutOfReachError("import_run", run_id)
    return run
