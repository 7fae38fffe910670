"""Imports started from the web: :func:`~kinlink.usecases.importing.import_list` in the
background, watched stage by stage.

An uploaded file is checked (:func:`kinlink.listfiles.uploads.check_upload`), written
under a random folder of the data directory with its own name (the import records the
name), and imported — then linked and its cases opened, unless the person unticked
"link" — on a worker thread, one import at a time. The job's state (the stage, its
progress, then the counts) is kept in memory for the page that watches it; the import
run itself is in the store as always. The uploaded copy is deleted when the job ends. A
job is visible to the people of the agency that started it only.

A job that stops on an error kinlink did not foresee (the database dropping its
connection, a value too large for it) is told on its page by the exception's type, the
stage and a reference, never by the exception's text, which may carry the rows being
written; the details, without personal data, go to ``DATA_DIR/errors/REF.txt``
(:mod:`kinlink.incidents`) and one log line names the type, stage and reference.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from kinlink import incidents
from kinlink.domain.access import Actor
from kinlink.domain.imports import ImportStatus
from kinlink.domain.permissions import Action, require
from kinlink.domain.progress import Stage, StageProgress
from kinlink.domain.records import Role, SourceKind
from kinlink.errors import DuplicateFileError, KinlinkError, NotFoundError, OutOfReachError
from kinlink.ingest import ImportRequest
from kinlink.listfiles.uploads import check_upload
from kinlink.storage import Store
from kinlink.usecases.importing import ImportOutcome, import_list
from kinlink.usecases.scope import audit_refusal

__all__ = ["ImportJobs", "JobState", "UploadDescription"]

_KEEP_JOBS = 200
_STEPS = {Stage.READING: "the import of an uploaded list, reading it into the store",
          Stage.LINKING: "the import of an uploaded list, linking its records",
          Stage.OPENING_CASES: "the import of an uploaded list, opening cases"}
log = logging.getLogger("kinlink.jobs")


@dataclass(frozen=True)
class UploadDescription:
    """What the person said about the list they upload, whether to link it, and whether
    to import it again if the same file was imported before."""

    kind: SourceKind = SourceKind.LIST
    role: Role | None = None
    title: str | None = None
    producer: str | None = None
    received_on: dt.date | None = None
    link: bool = True
    force: bool = False
    """Import the file even if the same file was imported before (``--force``)."""


@dataclass(frozen=True)
class JobState:
    """Where an upload's import stands: its stage with ``done`` of ``total`` (0: not
    known), then the counts. ``status``: running, completed, refused, failed;
    ``duplicate``: refused because the same file was imported before (as source
    ``source_id``), so the person can choose to import it again anyway."""

    id: str
    agency_id: int | None
    file: str
    link: bool
    status: ImportStatus
    stage: Stage
    done: int
    total: int
    run_id: int | None
    source_id: int | None
    imported: int
    rejected: int
    field_errors: int
    pairs: int
    matches: int
    reviews: int
    cases_opened: int
    message: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    duplicate: bool = False


class ImportJobs:
    """Background imports, one at a time, with their progress in memory."""

    def __init__(self, store: Store, upload_dir: Path, errors_dir: Path | None = None
                 ) -> None:
        self._store = store
        self._upload_dir = upload_dir
        self._errors_dir = errors_dir
        self._jobs: dict[str, JobState] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinlink-import")

    def submit(self, actor: Actor, name: str, data: bytes,
               about: UploadDescription) -> JobState:
        """Check and keep the upload, queue its import and return the job."""
        require(actor, Action.IMPORTS_CREATE)
        clean = check_upload(name, data)
        job_id = secrets.token_urlsafe(12)
        folder = self._upload_dir / job_id
        folder.mkdir(parents=True)
        path = folder / clean
        path.write_bytes(data)
        state = JobState(job_id, actor.agency_id, clean, about.link, ImportStatus.RUNNING,
                         Stage.READING, 0, 0, None, None, 0, 0, 0, 0, 0, 0, 0, None,
                         dt.datetime.now(dt.UTC), None)
        with self._lock:
            self._jobs[job_id] = state
            self._forget_old()
        request = ImportRequest(path=path, imported_by=actor.name, kind=about.kind,
                                role=about.role, title=about.title, producer=about.producer,
                                received_on=about.received_on, agency_id=actor.agency_id,
                                force=about.force)
        self._pool.submit(self._run, job_id, actor, request, about.link)
        return state

    def get(self, actor: Actor, job_id: str) -> JobState:
        """A job of the actor's agency; :class:`NotFoundError` otherwise."""
        require(actor, Action.IMPORTS_VIEW)
        with self._lock:
            state = self._jobs.get(job_id)
        if state is None or state.agency_id != actor.agency_id:
            audit_refusal(self._store, actor, OutOfReachError("import_job", job_id))
            raise NotFoundError("there is no such import")
        return state

    def wait(self, timeout: float = 120.0) -> None:
        """Block until every queued import has ended (tests, shutdown)."""
        self._pool.submit(lambda: None).result(timeout=timeout)

    def shutdown(self) -> None:
        """Finish running imports and stop the worker."""
        self._pool.shutdown(wait=True)

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)  # type: ignore[arg-type]

    def _run(self, job_id: str, actor: Actor, request: ImportRequest, link: bool) -> None:
        def progress(step: StageProgress) -> None:
            self._update(job_id, stage=step.stage, done=step.done, total=step.total)

        try:
            outcome = import_list(self._store, actor, request, link=link, progress=progress)
        except DuplicateFileError as exc:
            self._end(job_id, ImportStatus.REFUSED, str(exc), source_id=exc.source_id,
                      duplicate=True)
        except Exception as exc:  # reported to the person on the job's page, never raised
            self._end(job_id, *_failure(self._jobs_stage(job_id), exc, self._errors_dir))
        else:
            self._finish(job_id, outcome)
        finally:
            shutil.rmtree(request.path.parent, ignore_errors=True)

    def _jobs_stage(self, job_id: str) -> Stage:
        with self._lock:
            return self._jobs[job_id].stage

    def _finish(self, job_id: str, outcome: ImportOutcome) -> None:
        result, counts = outcome.imported, outcome.imported.counts
        self._end(job_id, ImportStatus.COMPLETED, None, run_id=result.run_id,
                  source_id=result.source_id, imported=counts.imported,
                  rejected=counts.rejected, field_errors=counts.field_errors,
                  pairs=outcome.pairs, matches=outcome.matches, reviews=outcome.reviews,
                  cases_opened=outcome.cases_opened)

    def _end(self, job_id: str, status: ImportStatus, message: str | None,
             **changes: object) -> None:
        self._update(job_id, status=status, message=message,
                     finished_at=dt.datetime.now(dt.UTC), **changes)

    def _forget_old(self) -> None:
        finished = [k for k, v in self._jobs.items() if v.finished_at is not None]
        for key in finished[:max(0, len(self._jobs) - _KEEP_JOBS)]:
            del self._jobs[key]


def _failure(stage: Stage, exc: Exception, errors_dir: Path | None
             ) -> tuple[ImportStatus, str]:
    """The status and words of a job that stopped with ``exc`` during ``stage``: a
    refusal kinlink raised in its own words; anything else by its type, the stage and a
    reference (:mod:`kinlink.incidents`), never its text."""
    if isinstance(exc, KinlinkError):
        if stage is Stage.READING:
            return ImportStatus.REFUSED, str(exc)
        return ImportStatus.FAILED, (f"the list was imported, but linking it stopped "
                                     f"({exc}); the next import or `kinlink match` links it")
    advice = ("Nothing of the list is seen; upload it again" if stage is Stage.READING else
              "The list is imported; the next import or `kinlink match` links it")
    incident = incidents.record(exc, errors_dir, _STEPS[stage], advice)
    log.error("import job stopped: %s during %s, reference %s", incident.summary(),
              stage.value, incident.reference)
    return ImportStatus.FAILED, incident.message(detail=False)
