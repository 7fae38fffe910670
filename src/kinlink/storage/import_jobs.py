"""Reading and writing upload jobs (:class:`~kinlink.domain.jobs.JobState`), in the
caller's session: what must survive a restart (status, stage, ids, counts, the
message), and what the other processes of a server with several workers must see of a
job one of them runs (its progress within the stage, saved every second or so, and who
asked to cancel it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kinlink.domain.imports import ImportStatus
from kinlink.domain.jobs import JobState
from kinlink.domain.progress import Stage
from kinlink.storage.tables import ImportJobRow

__all__ = ["ImportJobRepository"]

_LIVE = (ImportStatus.QUEUED.value, ImportStatus.RUNNING.value)
_KEPT = ("status", "stage", "run_id", "source_id", "imported", "rejected", "field_errors",
         "pairs", "matches", "reviews", "cases_opened", "message", "finished_at", "done",
         "total")


class ImportJobRepository:
    """Upload jobs, inside the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, state: JobState, server: str) -> None:
        """Keep a new job, owned by the server process ``server`` (``host:pid``)."""
        self._session.add(ImportJobRow(
            id=state.id, agency_id=state.agency_id, file=state.file,
            started_by=state.started_by, link=state.link, status=state.status.value,
            stage=state.stage.value, server=server, created_at=state.started_at,
            imported=0, rejected=0, field_errors=0, pairs=0, matches=0, reviews=0,
            cases_opened=0))
        self._session.flush()

    def save(self, state: JobState) -> None:
        """Write what a job has become (its status, stage, ids, counts, message)."""
        values: dict[str, Any] = {name: getattr(state, name) for name in _KEPT}
        values["status"], values["stage"] = state.status.value, state.stage.value
        self._session.execute(update(ImportJobRow).where(ImportJobRow.id == state.id)
                              .values(**values))

    def progress(self, job_id: str, stage: Stage, done: int, total: int) -> None:
        """Write a live job's progress within its stage."""
        self._session.execute(update(ImportJobRow).where(
            ImportJobRow.id == job_id, ImportJobRow.status.in_(_LIVE))
            .values(stage=stage.value, done=done, total=total))

    def start(self, job_id: str) -> bool:
        """Move a queued job to ``running``; ``False`` when it is not queued any more (a
        worker of the server cancelled it meanwhile)."""
        done = self._session.execute(update(ImportJobRow).where(
            ImportJobRow.id == job_id, ImportJobRow.status == ImportStatus.QUEUED.value)
            .values(status=ImportStatus.RUNNING.value))
        return bool(getattr(done, "rowcount", 0))

    def cancel_queued(self, job_id: str, message: str, now: dt.datetime) -> bool:
        """End a job still queued ``cancelled``; ``False`` when it has started or ended."""
        done = self._session.execute(update(ImportJobRow).where(
            ImportJobRow.id == job_id, ImportJobRow.status == ImportStatus.QUEUED.value)
            .values(status=ImportStatus.CANCELLED.value, message=message, finished_at=now))
        return bool(getattr(done, "rowcount", 0))

    def ask_cancel(self, job_id: str, by: str) -> bool:
        """Note that ``by`` asked to cancel a live job (the process running it reads
        :meth:`cancel_asked`); ``False`` when it has ended."""
        done = self._session.execute(update(ImportJobRow).where(
            ImportJobRow.id == job_id, ImportJobRow.status.in_(_LIVE))
            .values(cancel_by=by))
        return bool(getattr(done, "rowcount", 0))

    def cancel_asked(self, job_id: str) -> str | None:
        """Who asked to cancel the job, if anyone did."""
        found = self._session.execute(select(ImportJobRow.cancel_by).where(
            ImportJobRow.id == job_id)).scalar_one_or_none()
        return str(found) if found else None

    def get(self, job_id: str) -> JobState | None:
        """A job by its id."""
        row = self._session.get(ImportJobRow, job_id)
        return _state(row) if row else None

    def recent(self, agency_id: int, limit: int) -> list[JobState]:
        """The agency's latest jobs, newest first."""
        rows = self._session.execute(
            select(ImportJobRow).where(ImportJobRow.agency_id == agency_id)
            .order_by(ImportJobRow.created_at.desc()).limit(limit)).scalars()
        return [_state(row) for row in rows]

    def live(self) -> list[tuple[JobState, str]]:
        """Every job still queued or running, with the server process that owns it."""
        rows = self._session.execute(
            select(ImportJobRow).where(ImportJobRow.status.in_(_LIVE))).scalars()
        return [(_state(row), row.server) for row in rows]

    def end_lost(self, job_id: str, message: str, now: dt.datetime) -> None:
        """A job whose server is gone: ``interrupted`` with ``message``."""
        self._session.execute(
            update(ImportJobRow).where(ImportJobRow.id == job_id,
                                       ImportJobRow.status.in_(_LIVE))
            .values(status=ImportStatus.INTERRUPTED.value, message=message,
                    finished_at=now))


def _state(row: ImportJobRow) -> JobState:
    return JobState(
        id=row.id, agency_id=row.agency_id, file=row.file, link=row.link,
        status=ImportStatus(row.status), stage=Stage(row.stage), done=row.done or 0,
        total=row.total or 0,
        run_id=row.run_id, source_id=row.source_id, imported=row.imported,
        rejected=row.rejected, field_errors=row.field_errors, pairs=row.pairs,
        matches=row.matches, reviews=row.reviews, cases_opened=row.cases_opened,
        message=row.message, started_at=_aware(row.created_at),
        finished_at=_aware(row.finished_at) if row.finished_at else None,
        started_by=row.started_by, cancel_requested=row.cancel_by is not None)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
