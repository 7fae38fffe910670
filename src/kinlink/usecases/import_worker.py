"""The process one import from the web runs in: ``python -m kinlink.usecases.import_worker``.

:mod:`kinlink.usecases.jobs` starts one such process per upload, so that an import can
be held to a memory budget and killed when it will not stop — neither of which a thread
of the server allows — and so that whatever a hostile file makes it do, the server's own
memory is untouched.

The conversation is JSON, a line at a time. On stdin: first the job (settings, who acts,
what to import), then perhaps ``{"stop": "cancel", "by": name}`` or
``{"stop": "shutdown"}``; stdin closing means the server is gone, and the import stops
too. On stdout: ``progress`` events, then one ``done`` or ``error`` event. Nothing else
is written: stderr is discarded by the server, since a traceback could quote a cell.

The import itself is :func:`~kinlink.usecases.importing.import_list`, with a
:class:`~kinlink.domain.stopping.Stop` that the time budget (``import_seconds``) and the
stop requests set; it stops between two chunks and keeps nothing. Once the list is kept,
the agency's evidence documents are screened against its records
(:func:`~kinlink.usecases.mentions.rescreen_after_import`). The address space is
also capped (``RLIMIT_AS``: the memory budget plus :data:`ADDRESS_SPACE_SLACK_MB`) so that
a runaway allocation fails here rather than in the machine; the server watches the
resident memory itself against the budget.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import resource
import sys
import threading
from pathlib import Path
from typing import IO, Any

from kinlink import incidents
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.limits import MIB
from kinlink.domain.progress import Stage, StageProgress
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.stopping import Stop
from kinlink.domain.users import UserRole
from kinlink.errors import DuplicateFileError, ImportStoppedError, KinlinkError
from kinlink.ingest import ImportRequest
from kinlink.storage import Store, open_store
from kinlink.usecases.document_access import Evidence
from kinlink.usecases.importing import import_list
from kinlink.usecases.mentions import rescreen_after_import

__all__ = ["ADDRESS_SPACE_SLACK_MB", "main"]

ADDRESS_SPACE_SLACK_MB = 6144
"""Address space allowed beyond the memory budget: DuckDB, glibc's arenas and thread
stacks reserve far more than they use (a small import reserves 2.6 GB for 0.23 GB
resident), so the resident memory, watched by the server, is the budget, and the address
space only a backstop against a runaway allocation."""
_ORPHAN_GRACE = 60.0
"""Seconds an import whose server is gone may take to stop cleanly before it exits."""
SERVER_STOPPED = "the server stopped while the list was being imported"
_STEPS = {Stage.READING.value: "the import of an uploaded list, reading it into the store",
          Stage.LINKING.value: "the import of an uploaded list, linking its records",
          Stage.OPENING_CASES.value: "the import of an uploaded list, opening cases"}


class _Events:
    """Events for the server, one JSON line each (written from one thread at a time)."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._lock = threading.Lock()
        self.stage = "reading"

    def send(self, event: dict[str, Any]) -> None:
        with self._lock:
            self._out.write(json.dumps(event, ensure_ascii=False) + "\n")
            self._out.flush()

    def progress(self, step: StageProgress) -> None:
        self.stage = step.stage.value
        self.send({"event": "progress", "stage": step.stage.value, "done": step.done,
                   "total": step.total})


def _listen(commands: IO[str], stop: Stop) -> None:
    """Hear the server's stop requests; stdin closing means the server is gone."""
    for line in commands:
        try:
            command = json.loads(line)
        except ValueError:
            continue
        if command.get("stop") == "cancel":
            stop.cancel(str(command.get("by") or "someone"))
        elif command.get("stop") == "shutdown":
            stop.stop(ImportStoppedError(SERVER_STOPPED, cancelled=False))
    stop.stop(ImportStoppedError(SERVER_STOPPED, cancelled=False))
    timer = threading.Timer(_ORPHAN_GRACE, os._exit, args=(3,))
    timer.daemon = True
    timer.start()


def _cap_address_space(budget_mb: int) -> None:
    cap = (budget_mb + ADDRESS_SPACE_SLACK_MB) * MIB
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or cap < hard:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _request(job: dict[str, Any], actor: Actor) -> ImportRequest:
    about = job["about"]
    return ImportRequest(
        path=Path(job["path"]), imported_by=actor.name, kind=SourceKind(about["kind"]),
        role=Role(about["role"]) if about["role"] else None, title=about["title"],
        producer=about["producer"],
        received_on=dt.date.fromisoformat(about["received_on"]) if about["received_on"]
        else None, agency_id=actor.agency_id, force=bool(about.get("force")),
        mapping=about.get("mapping") or None)


def _rescreen(settings: Settings, store: Store, actor: Actor, source_id: int) -> None:
    """Screen the agency's documents against the new list's records. The list is kept
    whatever happens here: a refusal leaves it to ``kinlink documents rescreen``."""
    with contextlib.suppress(KinlinkError):
        rescreen_after_import(Evidence.of(settings, store), actor, source_id)


def run(commands: IO[str], out: IO[str]) -> None:
    """Read the job from ``commands``, import it, tell ``out`` how it goes and ends."""
    job = json.loads(commands.readline())
    settings = Settings.model_validate(job["settings"])
    actor = Actor(job["actor"]["name"], UserRole(job["actor"]["role"]),
                  job["actor"]["agency_id"])
    events = _Events(out)
    stop = Stop(settings.limits.import_seconds)
    threading.Thread(target=_listen, args=(commands, stop), daemon=True,
                     name="kinlink-import-stop").start()
    _cap_address_space(settings.limits.import_memory_mb)
    try:
        store = open_store(settings)
        try:
            outcome = import_list(store, actor, _request(job, actor), link=job["link"],
                                  progress=events.progress, stop=stop,
                                  limits=settings.limits)
            _rescreen(settings, store, actor, outcome.imported.source_id)
        finally:
            store.dispose()
    except DuplicateFileError as exc:
        events.send({"event": "error", "kind": "duplicate", "message": str(exc),
                     "stage": events.stage, "source_id": exc.source_id})
    except ImportStoppedError as exc:
        events.send({"event": "error", "kind": "cancelled" if exc.cancelled else "stopped",
                     "message": str(exc), "stage": events.stage})
    except KinlinkError as exc:
        events.send({"event": "error", "kind": "refused", "message": str(exc),
                     "stage": events.stage})
    except MemoryError:
        events.send({"event": "error", "kind": "memory", "message": "", "stage": events.stage})
    except Exception as exc:  # told by type, stage and reference: its text could quote a cell
        reading = events.stage == Stage.READING.value
        advice = ("Nothing of the list is seen; upload it again" if reading else
                  "The list is imported; the next import or `kinlink match` links it")
        incident = incidents.record(exc, settings.errors_dir, _STEPS.get(
            events.stage, "the import of an uploaded list"), advice)
        events.send({"event": "error", "kind": "failed",
                     "message": incident.message(detail=False), "stage": events.stage})
    else:
        result = outcome.imported
        events.send({"event": "done", "run_id": result.run_id, "source_id": result.source_id,
                     "imported": result.counts.imported, "rejected": result.counts.rejected,
                     "field_errors": result.counts.field_errors, "pairs": outcome.pairs,
                     "matches": outcome.matches, "reviews": outcome.reviews,
                     "cases_opened": outcome.cases_opened})


def main() -> None:
    """Run one import job: stdin in, stdout out."""
    run(sys.stdin, sys.stdout)


if __name__ == "__main__":
    main()
