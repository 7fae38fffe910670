"""Imports started from the web: run in the background, watched through their progress.

An uploaded file is checked (size, extension, the XLSX signature), written under a
random folder of the data directory with its own name (the import records the name),
and imported by :func:`kinlink.ingest.import_file` on a worker thread, one import at a
time. The job's state — rows read of about how many, then the outcome — is kept in
memory for the page that watches it; the import run itself is in the store as always.
The uploaded copy is deleted when the import ends. A job is visible to the people of
the agency that started it only.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from kinlink.domain.access import Principal
from kinlink.domain.records import Role, SourceKind
from kinlink.errors import DuplicateFileError, InputRefusedError, KinlinkError, NotFoundError
from kinlink.ingest.service import ImportRequest, ImportResult, import_file
from kinlink.storage import Store

__all__ = ["MAX_UPLOAD_BYTES", "ImportJobs", "JobState", "UploadDescription", "check_upload"]

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
_EXTENSIONS = (".csv", ".xlsx")
_UNSAFE = re.compile(r"[^\w .()\[\]-]+", re.UNICODE)
_KEEP_JOBS = 200


@dataclass(frozen=True)
class UploadDescription:
    """What the person said about the list they upload."""

    kind: SourceKind = SourceKind.LIST
    role: Role | None = None
    title: str | None = None
    producer: str | None = None
    received_on: dt.date | None = None


@dataclass(frozen=True)
class JobState:
    """Where an upload's import stands. ``status``: running, completed, refused, failed."""

    id: str
    agency_id: int
    file: str
    status: str
    rows_done: int
    rows_estimate: int
    run_id: int | None
    source_id: int | None
    imported: int
    rejected: int
    field_errors: int
    message: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None


def safe_name(name: str) -> str:
    """The file's own name without folders or odd characters (it is shown and recorded)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", base).strip(" .") or "list"
    return cleaned[-150:]


def check_upload(name: str, data: bytes) -> str:
    """Refuse a file kinlink cannot import (too large, another type); return its safe name."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputRefusedError(f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB",
                                "too_large")
    clean = safe_name(name)
    suffix = Path(clean).suffix.casefold()
    if suffix not in _EXTENSIONS:
        raise InputRefusedError("only CSV and XLSX lists can be imported", "unsupported_type")
    if suffix == ".xlsx" and not data.startswith(b"PK\x03\x04"):
        raise InputRefusedError("the file is named .xlsx but is not a workbook",
                                "unsupported_type")
    if not data:
        raise InputRefusedError("the file is empty", "empty_file")
    return clean


class ImportJobs:
    """Background imports, one at a time, with their progress in memory."""

    def __init__(self, store: Store, upload_dir: Path) -> None:
        self._store = store
        self._upload_dir = upload_dir
        self._jobs: dict[str, JobState] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinlink-import")

    def submit(self, principal: Principal, name: str, data: bytes,
               about: UploadDescription) -> JobState:
        """Check and store the upload, queue its import and return the job."""
        clean = check_upload(name, data)
        job_id = secrets.token_urlsafe(12)
        folder = self._upload_dir / job_id
        folder.mkdir(parents=True)
        path = folder / clean
        path.write_bytes(data)
        state = JobState(job_id, principal.agency_id, clean, "running", 0, 0, None, None,
                         0, 0, 0, None, dt.datetime.now(dt.UTC), None)
        with self._lock:
            self._jobs[job_id] = state
            self._forget_old()
        request = ImportRequest(path=path, imported_by=principal.actor, kind=about.kind,
                                role=about.role, title=about.title, producer=about.producer,
                                received_on=about.received_on, agency_id=principal.agency_id)
        self._pool.submit(self._run, job_id, request)
        return state

    def get(self, principal: Principal, job_id: str) -> JobState:
        """A job of the principal's agency; :class:`NotFoundError` otherwise."""
        with self._lock:
            state = self._jobs.get(job_id)
        if state is None or state.agency_id != principal.agency_id:
            raise NotFoundError("there is no such import")
        return state

    def wait(self, timeout: float = 60.0) -> None:
        """Block until every queued import has ended (tests, shutdown)."""
        self._pool.submit(lambda: None).result(timeout=timeout)

    def shutdown(self) -> None:
        """Finish running imports and stop the worker."""
        self._pool.shutdown(wait=True)

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)  # type: ignore[arg-type]

    def _run(self, job_id: str, request: ImportRequest) -> None:
        def progress(done: int, estimate: int) -> None:
            self._update(job_id, rows_done=done, rows_estimate=max(done, estimate))

        try:
            result = import_file(self._store, request, progress=progress)
        except DuplicateFileError as exc:
            self._end(job_id, "refused", str(exc), source_id=exc.source_id)
        except KinlinkError as exc:
            self._end(job_id, "refused", str(exc))
        except Exception as exc:  # reported to the person on the job's page, never raised
            self._end(job_id, "failed", f"the import failed ({type(exc).__name__}); "
                                        "nothing of it was kept")
        else:
            self._finish(job_id, result)
        finally:
            shutil.rmtree(request.path.parent, ignore_errors=True)

    def _finish(self, job_id: str, result: ImportResult) -> None:
        counts = result.counts
        self._end(job_id, "completed", None, run_id=result.run_id, source_id=result.source_id,
                  imported=counts.imported, rejected=counts.rejected,
                  field_errors=counts.field_errors, rows_done=counts.rows,
                  rows_estimate=counts.rows)

    def _end(self, job_id: str, status: str, message: str | None, **changes: object) -> None:
        self._update(job_id, status=status, message=message,
                     finished_at=dt.datetime.now(dt.UTC), **changes)

    def _forget_old(self) -> None:
        finished = [k for k, v in self._jobs.items() if v.finished_at is not None]
        for key in finished[:max(0, len(self._jobs) - _KEEP_JOBS)]:
            del self._jobs[key]
