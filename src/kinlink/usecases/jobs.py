"""Imports started from the web: :func:`~kinlink.usecases.importing.import_list` in a
worker process of its own, one at a time, watched stage by stage, within a budget.

An uploaded file is checked (:func:`kinlink.listfiles.uploads.check_upload`), written
under a random folder of the data directory with its own name (the import records the
name), and queued. Its job is kept in the store (:mod:`kinlink.domain.jobs`), its
progress within a stage in memory. One import runs at a time, each in a process of its
own (:mod:`kinlink.usecases.import_worker`), which the server watches:

- **cancel** (the job page, the API): a queued job ends at once; a running one is asked
  to stop and stops at its next step (a chunk of rows, a stage of linking), keeping
  nothing of the list (or, while linking, keeping the imported list unlinked);
- **time budget** (``KINLINK_LIMITS__IMPORT_SECONDS``): the worker stops itself at its
  next step past the budget; one that does not stop within :data:`GRACE` seconds more
  (stuck in one step) is killed;
- **memory budget** (``KINLINK_LIMITS__IMPORT_MEMORY_MB``): the worker's resident memory
  is read every fraction of a second and the worker killed when it goes over; its
  address space is capped too (the worker's backstop).

A killed worker leaves its run ``running`` and its chunks unseen: the server ends that
run ``interrupted`` and removes them (:func:`kinlink.ingest.recovery.abandon_runs_of`).
The uploaded copy is deleted when the job ends, however it ends.

When the server starts (:meth:`ImportJobs.recover`), what a server that stopped without
finishing its jobs left behind is cleared: runs left ``running`` by a process that is
gone are ended ``interrupted`` and their chunks removed; jobs still queued or running
under a server that is gone are reported ``interrupted`` with a message saying what to
do (upload again) — they are not resumed, since their copy is not kept across a restart;
and every uploaded copy whose job is not live is deleted. A job is visible to the
people of the agency that started it only.

With several worker processes (``kinlink serve --workers N``, PostgreSQL) each runs the
imports uploaded to it, one at a time; a job's page and its cancel may reach any
process: the job's progress is written to the store every second or so, and a cancel
asked of a process that does not run the job is written there (a queued job ends at
once; the process running one reads the request within a second and stops it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import queue
import secrets
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import kinlink
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.imports import ImportStatus
from kinlink.domain.jobs import JobState
from kinlink.domain.limits import MIB
from kinlink.domain.permissions import Action, require
from kinlink.domain.progress import Stage
from kinlink.domain.records import Role, SourceKind
from kinlink.errors import ConflictError, NotFoundError, OutOfReachError
from kinlink.i18n import N_, Wording
from kinlink.ingest.recovery import abandon_runs_of, recover_dead_runs
from kinlink.ingest.workers import process_gone, this_host, this_process
from kinlink.listfiles.uploads import check_upload
from kinlink.storage import Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.import_jobs import ImportJobRepository
from kinlink.usecases.scope import audit_refusal

_THERE_NO_SUCH_IMPORT = Wording("usecases.jobs.there_no_such_import", N_("there is no such import"))
_IMPORT_ALREADY_ENDED_THERE = Wording("usecases.jobs.import_already_ended_there", N_(
    "this import has already ended; there is nothing to cancel"))

__all__ = ["GRACE", "ImportJobs", "JobState", "UploadDescription", "default_title",
           "estimate_rows"]

GRACE = 30.0
"""Seconds a worker asked to stop (cancel, time budget, shutdown) has to end cleanly
before it is killed."""
_KEEP_JOBS = 200
log = logging.getLogger("kinlink.jobs")
_TICK = 0.2
"""How often the watcher reads the worker's events and memory (seconds)."""
_SHARE_EVERY = 1.0
"""How often a running job's progress is written to the store, and the store read for a
cancel asked of another worker process of the server (seconds)."""
LOST_QUEUED = ("the server stopped before this upload was imported; nothing of it was "
               "kept: upload the file again")
LOST_RUNNING = ("the server stopped while this upload was being imported; nothing of it "
                "was kept: upload the file again")
LOST_LINKING = ("the server stopped while the list was being linked; the list was "
                "imported, and the next import or `kinlink match` links it")


@dataclass(frozen=True)
class UploadDescription:
    """What the person said about the list they upload, and whether to link it. The
    kind is always said (a list of children found and a list of children sought are
    different things; kinlink does not guess)."""

    kind: SourceKind
    role: Role | None = None
    title: str | None = None
    producer: str | None = None
    received_on: dt.date | None = None
    link: bool = True
    force: bool = False
    """Import the file even if the same file was imported before (``--force``)."""
    mapping: dict[str, str] | None = None
    """``{normalised header: field}`` for headers kinlink does not recognise (the
    ``[columns]`` of a ``--mapping`` file), as chosen on the preview."""


@dataclass
class _Pending:
    """A live job's working parts: who started it, its file and description, and how to
    reach its worker."""

    actor: Actor
    path: Path
    about: UploadDescription
    cancel_by: str | None = None
    worker: subprocess.Popen[str] | None = None
    told: set[str] = field(default_factory=set)
    shared_at: float = 0.0
    """When its progress was last written to the store (monotonic seconds)."""
    read_at: float = 0.0
    """When the store was last read for a cancel asked of another worker."""


class ImportJobs:
    """Background imports, one at a time, each in a worker process within its budget."""

    def __init__(self, store: Store, settings: Settings, *, grace: float = GRACE) -> None:
        self._store = store
        self._settings = settings
        self._limits = settings.limits
        self._upload_dir = settings.data_dir / "uploads"
        self._grace = grace
        self._server = this_process()
        self._jobs: dict[str, JobState] = {}
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._stopping = False
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinlink-import")

    # -- start-up -------------------------------------------------------------------

    def recover(self) -> list[str]:
        """Clear what a server that stopped without finishing left behind: runs of gone
        processes, jobs of gone servers (reported ``interrupted``), uploaded copies of no
        live job. Returns the ids of the jobs reported lost."""
        recover_dead_runs(self._store)
        lost: list[str] = []
        with self._store.transaction() as session:
            begin_write(session)
            repo = ImportJobRepository(session)
            live = repo.live()
            for state, server in live:
                if server != self._server and process_gone(server):
                    repo.end_lost(state.id, _lost_words(state), _now())
                    append_event(session, AuditEvent(
                        "kinlink", AuditAction.IMPORT_INTERRUPTED, "import_job", state.id,
                        {"status": state.status.value, "stage": state.stage.value,
                         "run_id": state.run_id}))
                    lost.append(state.id)
        keep = {state.id for state, _server in live} - set(lost)
        if self._upload_dir.is_dir():
            for folder in self._upload_dir.iterdir():
                if folder.name not in keep:
                    _remove_copy(folder)
        _remove_stale_previews(self._settings.data_dir / "previews")
        return lost

    # -- the use cases ----------------------------------------------------------------

    def submit(self, actor: Actor, name: str, data: bytes,
               about: UploadDescription) -> JobState:
        """Check and keep the upload, queue its import and return the job."""
        require(actor, Action.IMPORTS_CREATE)
        clean = check_upload(name, data, self._limits)
        about = replace(about, title=about.title or default_title(clean, about.producer))
        job_id = secrets.token_urlsafe(12)
        folder = self._upload_dir / job_id
        folder.mkdir(parents=True)
        path = folder / clean
        path.write_bytes(data)
        state = JobState(job_id, actor.agency_id, clean, about.link, ImportStatus.QUEUED,
                         Stage.READING, 0, estimate_rows(data), None, None, 0, 0, 0, 0, 0,
                         0, 0, None,
                         _now(), None, started_by=actor.name)
        with self._store.transaction() as session:
            begin_write(session)
            ImportJobRepository(session).add(state, self._server)
        with self._lock:
            self._jobs[job_id] = state
            self._pending[job_id] = _Pending(actor, path, about)
            self._forget_old()
        self._pool.submit(self._run, job_id)
        return state

    def get(self, actor: Actor, job_id: str) -> JobState:
        """A job of the actor's agency; :class:`NotFoundError` otherwise."""
        require(actor, Action.IMPORTS_VIEW)
        return self._own(actor, job_id)

    def recent(self, actor: Actor, limit: int = 20) -> list[JobState]:
        """The actor's agency's latest uploads, newest first (live ones with their
        progress)."""
        require(actor, Action.IMPORTS_VIEW)
        if actor.agency_id is None:
            return []
        with self._store.transaction() as session:
            kept = ImportJobRepository(session).recent(actor.agency_id, limit)
        with self._lock:
            return [self._jobs.get(state.id, state) for state in kept]

    def cancel(self, actor: Actor, job_id: str) -> JobState:
        """Cancel a job of the actor's agency: a queued one ends at once, a running one
        stops at its next step. :class:`ConflictError` if it has ended. A job another
        worker process of the server runs is cancelled through the store (that process
        reads the request within a second)."""
        require(actor, Action.IMPORTS_CREATE)
        state = self._own(actor, job_id)
        with self._lock:
            pending = self._pending.get(job_id)
            current = self._jobs.get(job_id, state)
            if pending is None:
                return self._cancel_elsewhere(actor, current)
            if current.status.ended:
                raise ConflictError(_IMPORT_ALREADY_ENDED_THERE())
            pending.cancel_by = actor.name
            queued = current.status is ImportStatus.QUEUED
            self._jobs[job_id] = replace(current, cancel_requested=True)
        if queued:
            self._end(job_id, ImportStatus.CANCELLED, _cancelled_queued(actor.name))
            self._audit(actor.name, AuditAction.IMPORT_CANCELLED, job_id, {"stage": "queued"})
        else:
            self._tell(job_id, {"stop": "cancel", "by": actor.name})
        return self._jobs[job_id]

    def _cancel_elsewhere(self, actor: Actor, state: JobState) -> JobState:
        """Cancel a job this process does not run (another worker's), in the store."""
        if state.status.ended:
            raise ConflictError(_IMPORT_ALREADY_ENDED_THERE())
        with self._store.transaction() as session:
            begin_write(session)
            repo = ImportJobRepository(session)
            if repo.cancel_queued(state.id, _cancelled_queued(actor.name), _now()):
                append_event(session, AuditEvent(actor.name, AuditAction.IMPORT_CANCELLED,
                                                 "import_job", state.id, {"stage": "queued"}))
            elif not repo.ask_cancel(state.id, actor.name):
                raise ConflictError(_IMPORT_ALREADY_ENDED_THERE())
            found = repo.get(state.id)
        assert found is not None
        return found

    # -- tests and shutdown -----------------------------------------------------------

    def wait(self, timeout: float = 120.0) -> None:
        """Block until every queued import has ended (tests, shutdown)."""
        self._pool.submit(lambda: None).result(timeout=timeout)

    def shutdown(self) -> None:
        """Stop: queued jobs end ``interrupted`` (upload again), the running one is asked
        to stop and given :data:`GRACE` seconds; then the worker thread ends."""
        with self._lock:
            self._stopping = True
            live = [job_id for job_id, state in self._jobs.items() if state.live]
        for job_id in live:
            self._tell(job_id, {"stop": "shutdown"})
        self._pool.shutdown(wait=True)

    # -- the worker -------------------------------------------------------------------

    def _run(self, job_id: str) -> None:
        with self._lock:
            pending = self._pending.get(job_id)
            state = self._jobs.get(job_id)
            stopping = self._stopping
        if pending is None or state is None:
            return
        try:
            if state.status.ended:  # cancelled while it waited
                return
            if stopping:
                self._end(job_id, ImportStatus.INTERRUPTED, LOST_QUEUED)
                self._audit("kinlink", AuditAction.IMPORT_INTERRUPTED, job_id,
                            {"stage": "queued"})
                return
            if not self._start(job_id):  # cancelled by another worker while it waited
                return
            self._watch(job_id, pending)
        except Exception as exc:  # reported on the job's page, never raised
            self._end(job_id, ImportStatus.FAILED,
                      f"the import failed ({type(exc).__name__}); nothing of it was kept")
        finally:
            _remove_copy(pending.path.parent)
            with self._lock:
                self._pending.pop(job_id, None)

    def _watch(self, job_id: str, pending: _Pending) -> None:
        """Start the job's worker and follow it to its end."""
        worker = subprocess.Popen(
            [sys.executable, "-m", "kinlink.usecases.import_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", env=_worker_env(), cwd=self._upload_dir.parent)
        assert worker.stdin is not None
        assert worker.stdout is not None
        worker.stdin.write(json.dumps(self._job_line(pending)) + "\n")
        worker.stdin.flush()
        with self._lock:
            pending.worker = worker
        if pending.cancel_by:  # cancelled between the start and now
            self._tell(job_id, {"stop": "cancel", "by": pending.cancel_by})
        events: queue.Queue[dict[str, Any] | None] = queue.Queue()
        threading.Thread(target=_read_events, args=(worker.stdout, events), daemon=True,
                         name="kinlink-import-events").start()
        deadline = time.monotonic() + self._limits.import_seconds + self._grace
        last: dict[str, Any] | None = None
        killed: str | None = None
        asked_at: float | None = None
        while True:
            try:
                event = events.get(timeout=_TICK)
            except queue.Empty:
                event = {}
            if event is None:
                break
            if event.get("event") == "progress":
                self._progress(job_id, Stage(event["stage"]), event["done"], event["total"])
            elif event:
                last = event
            if killed is None:
                killed, asked_at = self._police(job_id, worker, deadline, asked_at)
        worker.wait()
        for stream in (worker.stdin, worker.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        if last is not None and killed is None:
            self._conclude(job_id, last)
        else:
            self._abandon(job_id, pending, worker.pid, killed)

    def _police(self, job_id: str, worker: subprocess.Popen[str], deadline: float,
                asked_at: float | None) -> tuple[str | None, float | None]:
        """Kill the worker past its memory budget, past its time budget and grace, or
        past the grace after a stop was asked for; returns why it was killed, if it was,
        and when a stop was first asked for."""
        if worker.poll() is not None:
            return None, asked_at
        now = time.monotonic()
        self._asked_elsewhere(job_id, now)
        with self._lock:
            state = self._jobs[job_id]
            asking = state.cancel_requested or self._stopping
        if asking and asked_at is None:
            asked_at = now
        why: str | None = None
        rss = _resident_mb(worker.pid)
        if rss is not None and rss > self._limits.import_memory_mb:
            why = "memory"
        elif now > deadline:
            why = "time"
        elif asked_at is not None and now > asked_at + self._grace:
            why = "cancel" if state.cancel_requested else "shutdown"
        if why is not None:
            worker.kill()
        return why, asked_at

    def _asked_elsewhere(self, job_id: str, now: float) -> None:
        """Every :data:`_SHARE_EVERY` seconds, read whether a person asked another worker
        of the server to cancel the job, and if so, tell the job's worker to stop."""
        with self._lock:
            pending = self._pending.get(job_id)
            if pending is None or pending.cancel_by or now < pending.read_at + _SHARE_EVERY:
                return
            pending.read_at = now
        with self._store.transaction() as session:
            by = ImportJobRepository(session).cancel_asked(job_id)
        if by is None:
            return
        with self._lock:
            pending.cancel_by = by
            self._jobs[job_id] = replace(self._jobs[job_id], cancel_requested=True)
        self._tell(job_id, {"stop": "cancel", "by": by})

    def _start(self, job_id: str) -> bool:
        """Mark the job running in the store unless another worker cancelled it while it
        was queued (then take its state from the store); whether it started."""
        with self._store.transaction() as session:
            begin_write(session)
            repo = ImportJobRepository(session)
            started = repo.start(job_id)
            found = None if started else repo.get(job_id)
        if found is not None:
            with self._lock:
                self._jobs[job_id] = found
            return False
        self._update(job_id, status=ImportStatus.RUNNING, started_at=_now())
        return True

    def _job_line(self, pending: _Pending) -> dict[str, Any]:
        about, actor = pending.about, pending.actor
        return {
            "settings": self._settings.model_dump(mode="json"),
            "actor": {"name": actor.name, "role": actor.role.value,
                      "agency_id": actor.agency_id},
            "path": str(pending.path), "link": about.link,
            "about": {"kind": about.kind.value,
                      "role": about.role.value if about.role else None,
                      "title": about.title, "producer": about.producer,
                      "received_on": about.received_on.isoformat()
                      if about.received_on else None, "force": about.force,
                      "mapping": about.mapping}}

    def _conclude(self, job_id: str, event: dict[str, Any]) -> None:
        """End the job as its worker said it ended."""
        if event.get("event") == "done":
            self._end(job_id, ImportStatus.COMPLETED, None, run_id=event["run_id"],
                      source_id=event["source_id"], imported=event["imported"],
                      rejected=event["rejected"], field_errors=event["field_errors"],
                      pairs=event["pairs"], matches=event["matches"],
                      reviews=event["reviews"], cases_opened=event["cases_opened"])
            return
        kind, message = event.get("kind"), str(event.get("message") or "")
        reading = event.get("stage", "reading") == Stage.READING.value
        if kind == "duplicate":
            self._end(job_id, ImportStatus.REFUSED, message, source_id=event.get("source_id"),
                      duplicate=True)
        elif kind in ("cancelled", "stopped"):
            status = ImportStatus.CANCELLED if kind == "cancelled" else ImportStatus.INTERRUPTED
            self._end(job_id, status, f"{message}; nothing of it was kept" if reading else
                      f"{message}; the list was imported, and the next import or `kinlink "
                      "match` links it")
        elif kind == "failed":  # told by type, stage and reference (kinlink.incidents)
            log.error("import job stopped: %s", message)
            self._end(job_id, ImportStatus.FAILED, message)
        elif kind == "memory":
            self._end(job_id, ImportStatus.INTERRUPTED, self._budget_words("memory", reading))
        elif not reading:
            self._end(job_id, ImportStatus.FAILED,
                      f"the list was imported, but linking it stopped ({message}); the next "
                      "import or `kinlink match` links it")
        elif kind == "refused":
            self._end(job_id, ImportStatus.REFUSED, message)
        else:
            self._end(job_id, ImportStatus.FAILED,
                      f"the import failed ({message}); nothing of it was kept")

    def _abandon(self, job_id: str, pending: _Pending, pid: int, why: str | None) -> None:
        """The worker was killed (or died) before saying how it ended: end its run and
        remove its chunks, then say why on the job."""
        with self._lock:
            stage = self._jobs[job_id].stage
        reading = stage is Stage.READING
        cancelled = why == "cancel"
        if why in ("memory", "time"):
            message = self._budget_words(why, reading)
        elif cancelled:
            message = (f"the import was cancelled by {pending.cancel_by}; nothing of it was "
                       "kept" if reading else f"linking was cancelled by "
                       f"{pending.cancel_by}; the list was imported, and the next import "
                       "or `kinlink match` links it")
        elif why == "shutdown":
            message = LOST_RUNNING if reading else LOST_LINKING
        else:
            message = ("the import's process ended unexpectedly; nothing of it was kept"
                       if reading else "the import's process ended unexpectedly while "
                       "linking; the list was imported, and the next import or `kinlink "
                       "match` links it")
        status = ImportStatus.CANCELLED if cancelled else ImportStatus.INTERRUPTED
        worker = f"{this_host()}:{pid}"
        abandon_runs_of(self._store, worker, message, pending.cancel_by or pending.actor.name,
                        status)
        if reading:
            self._end(job_id, status, message)
        else:
            self._end(job_id, ImportStatus.FAILED, message)

    def _budget_words(self, which: str, reading: bool) -> str:
        if which == "memory":
            words = (f"the import used more than its memory budget of "
                     f"{self._limits.import_memory_mb:,} MiB "
                     "(KINLINK_LIMITS__IMPORT_MEMORY_MB) and was stopped")
        else:
            words = (f"the import ran longer than its time budget of "
                     f"{self._limits.import_seconds:,} seconds "
                     "(KINLINK_LIMITS__IMPORT_SECONDS) and was stopped")
        return (f"{words}; nothing of it was kept" if reading else
                f"{words} while linking; the list was imported, and the next import or "
                "`kinlink match` links it")

    # -- state ------------------------------------------------------------------------

    def _own(self, actor: Actor, job_id: str) -> JobState:
        with self._lock:
            state = self._jobs.get(job_id)
        if state is None:
            with self._store.transaction() as session:
                state = ImportJobRepository(session).get(job_id)
        if state is None or state.agency_id != actor.agency_id:
            audit_refusal(self._store, actor, OutOfReachError("import_job", job_id))
            raise NotFoundError(_THERE_NO_SUCH_IMPORT())
        return state

    def _tell(self, job_id: str, command: dict[str, Any]) -> None:
        """Send ``command`` to the job's worker, if it has one still listening."""
        with self._lock:
            pending = self._pending.get(job_id)
            worker = pending.worker if pending else None
        if worker is None or worker.stdin is None:
            return
        with contextlib.suppress(OSError, ValueError):
            worker.stdin.write(json.dumps(command) + "\n")
            worker.stdin.flush()

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _progress(self, job_id: str, stage: Stage, done: int, total: int) -> None:
        """A stage's progress; while reading, the estimate made at upload stands until
        the reader has its own (the page never says "0 of about 0 rows")."""
        with self._lock:
            state = self._jobs[job_id]
            if stage is Stage.READING and state.stage is Stage.READING:
                total = max(total, state.total, done)
            self._jobs[job_id] = replace(state, stage=stage, done=done, total=total)
            pending = self._pending.get(job_id)
            now = time.monotonic()
            share = pending is not None and (now >= pending.shared_at + _SHARE_EVERY
                                             or stage is not state.stage)
            if pending is not None and share:
                pending.shared_at = now
        if share:  # for the other workers of the server (their pages read the store)
            with self._store.transaction() as session:
                begin_write(session)
                ImportJobRepository(session).progress(job_id, stage, done, total)

    def _save(self, job_id: str) -> None:
        with self._lock:
            state = self._jobs[job_id]
        with self._store.transaction() as session:
            begin_write(session)
            ImportJobRepository(session).save(state)

    def _end(self, job_id: str, status: ImportStatus, message: str | None,
             **changes: Any) -> None:
        self._update(job_id, status=status, message=message, finished_at=_now(), **changes)
        self._save(job_id)

    def _audit(self, actor: str, action: AuditAction, job_id: str,
               details: dict[str, object]) -> None:
        with self._store.transaction() as session:
            begin_write(session)
            append_event(session, AuditEvent(actor, action, "import_job", job_id, details))

    def _forget_old(self) -> None:
        finished = [k for k, v in self._jobs.items() if v.finished_at is not None]
        for key in finished[:max(0, len(self._jobs) - _KEEP_JOBS)]:
            del self._jobs[key]


def _cancelled_queued(by: str) -> str:
    return (f"the upload was cancelled by {by} before its import began; nothing of it "
            "was kept")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def default_title(file: str, producer: str | None, today: dt.date | None = None) -> str:
    """The title of a list uploaded without one: "file — producer — date", so that four
    uploads of the same file name tell apart in the review filter."""
    parts = [file, producer.strip() if producer else "", (today or dt.date.today()).isoformat()]
    return " — ".join(part for part in parts if part)[:300]


def estimate_rows(data: bytes) -> int:
    """Rows a file probably holds, known at upload: a CSV's lines after its header, a
    workbook's size at about 60 bytes a row (compressed); at least 1."""
    if data.startswith(b"PK"):
        return max(1, len(data) // 60)
    return max(1, data.count(b"\n") - (1 if data.endswith(b"\n") else 0))


def _lost_words(state: JobState) -> str:
    if state.status is ImportStatus.QUEUED:
        return LOST_QUEUED
    return LOST_RUNNING if state.stage is Stage.READING else LOST_LINKING


def _remove_copy(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _remove_stale_previews(folder: Path, *, hours: float = 24.0) -> None:
    """Delete the copies of uploads previewed but neither imported nor cancelled for
    ``hours`` (a browser closed on the preview)."""
    if not folder.is_dir():
        return
    before = time.time() - hours * 3600
    for preview in folder.iterdir():
        with contextlib.suppress(OSError):
            if preview.stat().st_mtime < before:
                _remove_copy(preview)


def _read_events(stream: Any, events: queue.Queue[dict[str, Any] | None]) -> None:
    """The worker's events, one JSON line each, until it closes its output."""
    for line in stream:
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if isinstance(event, dict):
                events.put(event)
    events.put(None)


def _resident_mb(pid: int) -> float | None:
    """The resident memory of process ``pid`` in MiB (``None``: cannot be read here)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024 / MIB
    except (OSError, ValueError):
        return None
    return None


def _worker_env() -> dict[str, str]:
    """The server's environment, with this very kinlink first on the import path."""
    env = dict(os.environ)
    here = str(Path(kinlink.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([here, *filter(None, [env.get("PYTHONPATH")])])
    return env
