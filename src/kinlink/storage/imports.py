"""Reading and writing sources, import runs, records, reporters and import issues.

A source is created ``importing`` and its records are added chunk by chunk, each in a
transaction of the caller's; :meth:`ImportRepository.publish_source` makes it ``ready``
(seen) in the last one. The rows of an import that never finished are removed in
chunks too (:meth:`ImportRepository.remove_records`, :meth:`ImportRepository.remove_source`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, text, update
from sqlalchemy.orm import Session

from kinlink.domain.imports import ImportCounts, ImportStatus, Issue, SourceState
from kinlink.domain.records import ParsedRecord, Role
from kinlink.storage.linkage_tables import LinkageKeyRow
from kinlink.storage.review_tables import CandidateReachRow
from kinlink.storage.tables import (
    ImportIssueRow,
    ImportRunRow,
    RecordRow,
    ReporterRow,
    SourceRow,
)
from kinlink.storage.visibility import source_is_ready
from kinlink.storage.web_tables import HOME_AGENCY_ID, SearchKeyRow

__all__ = ["ImportRepository", "NewRecord", "SourceDraft"]

# Core tables: bulk inserts skip the ORM's per-object bookkeeping (100k rows in seconds).
_RECORDS = cast(Table, RecordRow.__table__)
_REPORTERS = cast(Table, ReporterRow.__table__)
_ISSUES = cast(Table, ImportIssueRow.__table__)
_IDS_PER_QUERY = 5000


@dataclass(frozen=True)
class SourceDraft:
    """Everything known about a source before its records are written."""

    kind: str
    role: Role
    title: str
    producer: str | None
    received_on: dt.date | None
    original_filename: str
    sha256: str
    file_format: str
    encoding: str | None
    header: list[str]
    column_map: dict[str, str]
    imported_by: str
    agency_id: int | None = None
    delimiter: str | None = None


@dataclass(frozen=True)
class NewRecord:
    """A parsed record with its line, raw cells and the field issues found in it."""

    line: int
    cells: Sequence[str]
    record: ParsedRecord
    issues: Sequence[Issue]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ImportRepository:
    """Storage operations of one import, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def source_with_sha256(self, sha256: str, agency_id: int | None = None) -> SourceRow | None:
        """The earliest finished source imported from a file with this SHA-256, if any (by
        the given agency only, when one is given: agencies do not learn of each other's)."""
        query = select(SourceRow).where(SourceRow.sha256 == sha256, source_is_ready())
        if agency_id is not None:
            query = query.where(SourceRow.agency_id == agency_id)
        return self._session.execute(
            query.order_by(SourceRow.id).limit(1)).scalar_one_or_none()

    def mark_interrupted(self, sha256: str, agency_id: int | None = None) -> list[int]:
        """The agency's runs of this file still ``running`` were killed: say so. Returns
        their ids."""
        agency = agency_id if agency_id is not None else HOME_AGENCY_ID
        ids = list(self._session.execute(select(ImportRunRow.id).where(
            ImportRunRow.sha256 == sha256, ImportRunRow.status == ImportStatus.RUNNING,
            ImportRunRow.agency_id == agency)).scalars())
        if ids:
            self._session.execute(
                update(ImportRunRow).where(ImportRunRow.id.in_(ids))
                .values(status=ImportStatus.INTERRUPTED, finished_at=_now(),
                        message="the import stopped before it finished; nothing of it "
                                "was kept"))
        return ids

    def running_on(self, host: str) -> list[tuple[int, str]]:
        """Runs still ``running`` whose process is on ``host``: (run id, ``host:pid``)."""
        rows = self._session.execute(select(ImportRunRow.id, ImportRunRow.worker).where(
            ImportRunRow.status == ImportStatus.RUNNING,
            ImportRunRow.worker.like(f"{host}:%")).order_by(ImportRunRow.id))
        return [(row.id, row.worker or "") for row in rows]

    def running_by(self, worker: str) -> list[int]:
        """Runs still ``running`` of the process ``worker``."""
        return list(self._session.execute(select(ImportRunRow.id).where(
            ImportRunRow.status == ImportStatus.RUNNING,
            ImportRunRow.worker == worker)).scalars())

    def end_unfinished_run(self, run_id: int, status: ImportStatus, message: str
                           ) -> tuple[str, int] | None:
        """End a run that is still ``running`` with ``status`` and ``message``; returns its
        file's digest and agency (to find what it left), ``None`` if it had ended."""
        run = self._session.get(ImportRunRow, run_id)
        if run is None or run.status != ImportStatus.RUNNING:
            return None
        run.status, run.message, run.finished_at = status, message, _now()
        return run.sha256, run.agency_id

    def unfinished_sources(self, sha256: str, agency_id: int | None = None) -> list[int]:
        """The agency's sources of this file whose import never finished."""
        agency = agency_id if agency_id is not None else HOME_AGENCY_ID
        return list(self._session.execute(select(SourceRow.id).where(
            SourceRow.sha256 == sha256, SourceRow.agency_id == agency,
            SourceRow.state == SourceState.IMPORTING.value).order_by(SourceRow.id)).scalars())

    def remove_records(self, source_id: int, limit: int) -> int:
        """Delete up to ``limit`` records of an unfinished source, with their search
        keys, blocking keys (none are written before a source is ready; kept off the
        foreign key all the same), reporters and field issues; returns how many (0:
        none are left)."""
        ids = list(self._session.execute(
            select(RecordRow.id).where(RecordRow.source_id == source_id)
            .order_by(RecordRow.id).limit(limit)).scalars())
        if ids:
            for table, column in ((SearchKeyRow, SearchKeyRow.record_pk),
                                  (LinkageKeyRow, LinkageKeyRow.record_id),
                                  (ReporterRow, ReporterRow.record_pk),
                                  (ImportIssueRow, ImportIssueRow.record_pk),
                                  (CandidateReachRow, CandidateReachRow.record_pk)):
                self._session.execute(delete(table).where(column.in_(ids)))
            self._session.execute(delete(RecordRow).where(RecordRow.id.in_(ids)))
        return len(ids)

    def remove_run_issues(self, run_ids: Sequence[int], limit: int) -> int:
        """Delete up to ``limit`` issues of runs that never finished; returns how many."""
        ids = list(self._session.execute(
            select(ImportIssueRow.id).where(ImportIssueRow.import_run_id.in_(list(run_ids)))
            .limit(limit)).scalars())
        if ids:
            self._session.execute(delete(ImportIssueRow).where(ImportIssueRow.id.in_(ids)))
        return len(ids)

    def remove_source(self, source_id: int) -> None:
        """Delete an unfinished source once its records are gone (a ready one stays)."""
        self._session.execute(delete(SourceRow).where(
            SourceRow.id == source_id, SourceRow.state == SourceState.IMPORTING.value))

    def publish_source(self, source_id: int) -> bool:
        """Make an unfinished source and its records seen; ``False`` if it is not there
        any more (removed as a killed import's by an import of the same file)."""
        result = self._session.execute(
            update(SourceRow).where(SourceRow.id == source_id,
                                    SourceRow.state == SourceState.IMPORTING.value)
            .values(state=SourceState.READY.value, imported_at=_now()))
        return int(getattr(result, "rowcount", 0) or 0) == 1

    def start_run(self, filename: str, sha256: str, actor: str,
                  agency_id: int | None = None, worker: str | None = None) -> int:
        """Write a ``running`` run, run by the process ``worker`` (``host:pid``), and
        return its id."""
        run = ImportRunRow(original_filename=filename, sha256=sha256, started_by=actor,
                           status=ImportStatus.RUNNING, worker=worker)
        if agency_id is not None:
            run.agency_id = agency_id
        self._session.add(run)
        self._session.flush()
        return run.id

    def finish_run(self, run_id: int, status: ImportStatus, counts: ImportCounts,
                   *, source_id: int | None = None, message: str | None = None) -> None:
        """Record a run's outcome and counts."""
        self._session.execute(
            update(ImportRunRow).where(ImportRunRow.id == run_id).values(
                status=status, source_id=source_id, message=message, finished_at=_now(),
                rows_total=counts.rows, imported=counts.imported, rejected=counts.rejected,
                field_errors=counts.field_errors, blank_lines=counts.blank_lines,
            )
        )

    def create_source(self, draft: SourceDraft) -> int:
        """Write the source row and return its id."""
        source = SourceRow(
            kind=draft.kind, role=draft.role, title=draft.title, producer=draft.producer,
            received_on=draft.received_on, original_filename=draft.original_filename,
            sha256=draft.sha256, file_format=draft.file_format, encoding=draft.encoding,
            delimiter=draft.delimiter, header=draft.header, column_map=draft.column_map,
            imported_by=draft.imported_by,
            state=SourceState.IMPORTING.value,
        )
        if draft.agency_id is not None:
            source.agency_id = draft.agency_id
        self._session.add(source)
        self._session.flush()
        return source.id

    def add_records(self, source_id: int, run_id: int, role: Role,
                    batch: Sequence[NewRecord]) -> dict[str, int]:
        """Insert a batch of records with their reporters and field issues; returns the
        records' primary keys by record_id."""
        if not batch:
            return {}
        connection = self._session.connection()
        connection.execute(insert(_RECORDS),
                           [_record_values(source_id, run_id, role, item) for item in batch])
        ids = self._record_pks(source_id, [item.record.record_id for item in batch])
        linked = [item for item in batch
                  if item.issues or not item.record.reporter.is_empty()]
        reporters = [
            {"record_pk": ids[item.record.record_id], "name": item.record.reporter.name,
             "relationship": item.record.reporter.relationship,
             "contact": item.record.reporter.contact}
            for item in linked if not item.record.reporter.is_empty()
        ]
        issues = [_issue_values(run_id, issue, ids[item.record.record_id])
                  for item in linked for issue in item.issues]
        if reporters:
            connection.execute(insert(_REPORTERS), reporters)
        if issues:
            connection.execute(insert(_ISSUES), issues)
        return ids

    def _record_pks(self, source_id: int, record_ids: list[str]) -> dict[str, int]:
        """Primary keys of this source's records by record_id (ids are unique per source),
        asked for a few thousand at a time (PostgreSQL takes at most 65,535 parameters).

        On PostgreSQL each lookup is planned for its own values: after a few executions on
        a connection the prepared statement may run a generic plan, and without the
        list's statistics (a large import, autovacuum off or not yet come by) that plan
        read every record of the list for each batch — 19 s a batch at 216,000 rows.
        (Taking the ids from the insert's ``RETURNING`` instead made the insert itself
        twice as slow, rendered row by row in Python.)"""
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        found: dict[str, int] = {}
        for start in range(0, len(record_ids), _IDS_PER_QUERY):
            rows = self._session.execute(
                select(RecordRow.record_id, RecordRow.id).where(
                    RecordRow.source_id == source_id,
                    RecordRow.record_id.in_(record_ids[start:start + _IDS_PER_QUERY])))
            found.update({row.record_id: row.id for row in rows})
        return found

    def add_rejections(self, run_id: int, issues: Sequence[Issue]) -> None:
        """Insert issues of rejected rows (their cells kept verbatim)."""
        if issues:
            self._session.connection().execute(
                insert(_ISSUES), [_issue_values(run_id, i, None) for i in issues])


def _record_values(source_id: int, run_id: int, role: Role, item: NewRecord) -> dict[str, Any]:
    return {
        "source_id": source_id, "import_run_id": run_id, "record_id": item.record.record_id,
        "line": item.line, "role": role, "raw": list(item.cells),
        "source_text": item.record.source_text, **parsed_columns(item.record),
    }


def parsed_columns(record: ParsedRecord) -> dict[str, Any]:
    """The columns of ``records`` that hold a record's parsed fields, by column name: what
    an import writes and a correction rewrites (never ``raw``, ids or the source)."""
    birth, event, moved = record.birth_date, record.event_date, record.moved_on
    return {
        "given_name": record.given_name, "surname": record.surname,
        "patronymic": record.patronymic, "full_name": record.full_name,
        "sex": record.sex.value if record.sex else None,
        "birth_year": birth.year if birth else None,
        "birth_month": birth.month if birth else None,
        "birth_day": birth.day if birth else None,
        "birth_place": record.birth_place, "last_known_place": record.last_known_place,
        "event_year": event.year if event else None,
        "event_month": event.month if event else None,
        "event_day": event.day if event else None,
        "notes": record.notes, "extra": record.extra, "institution": record.institution,
        "moved_year": moved.year if moved else None,
        "moved_month": moved.month if moved else None,
        "moved_day": moved.day if moved else None,
        "move_group": record.group, "siblings_count": record.siblings_count,
    }


def _issue_values(run_id: int, issue: Issue, record_pk: int | None) -> dict[str, Any]:
    return {
        "import_run_id": run_id, "record_pk": record_pk, "line": issue.line,
        "column": issue.column, "severity": issue.severity, "code": issue.code,
        "message": issue.message, "value": issue.value,
        "raw": list(issue.raw) if issue.raw is not None else None,
    }
