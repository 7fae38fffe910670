"""What an import left behind when its process stopped: its run still ``running``, its
chunks unseen.

:func:`abandon_run` ends such a run ``interrupted`` (or ``cancelled``) with a plain
message and its audit event, and removes its chunks in short transactions — the job
runner calls it when it had to kill an import's worker (past its memory budget, or not
stopping when asked). :func:`recover_dead_runs` does it at a server's start for every
run whose process, on this host, is gone (a crash, ``kill -9``, a power cut), so that no
run stays ``running`` forever and no unseen chunk stays in the store.
"""

from __future__ import annotations

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.imports import ImportStatus
from kinlink.ingest.service import remove_unfinished
from kinlink.ingest.workers import process_gone, this_host
from kinlink.storage import Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.imports import ImportRepository

__all__ = ["abandon_run", "abandon_runs_of", "recover_dead_runs"]

GONE = ("the process importing the list stopped before the import finished (the server "
        "or the command ended, or the machine restarted); nothing of it was kept: import "
        "the file again")


def abandon_run(store: Store, run_id: int, message: str, actor: str,
                status: ImportStatus = ImportStatus.INTERRUPTED) -> bool:
    """End run ``run_id`` if it is still ``running`` and remove its chunks; ``False``
    if it had ended."""
    action = (AuditAction.IMPORT_CANCELLED if status is ImportStatus.CANCELLED
              else AuditAction.IMPORT_INTERRUPTED)
    with store.transaction() as session:
        begin_write(session)
        repo = ImportRepository(session)
        found = repo.end_unfinished_run(run_id, status, message)
        if found is None:
            return False
        sha256, agency_id = found
        leftovers = repo.unfinished_sources(sha256, agency_id)
        append_event(session, AuditEvent(actor, action, "import_run", str(run_id),
                                         {"stage": "reading", "abandoned": True}))
    remove_unfinished(store, leftovers, [run_id])
    return True


def abandon_runs_of(store: Store, worker: str, message: str, actor: str,
                    status: ImportStatus = ImportStatus.INTERRUPTED) -> list[int]:
    """Abandon every run the process ``worker`` left ``running``; their ids."""
    with store.transaction() as session:
        runs = ImportRepository(session).running_by(worker)
    return [run for run in runs if abandon_run(store, run, message, actor, status)]


def recover_dead_runs(store: Store, actor: str = "kinlink") -> list[int]:
    """Abandon every run left ``running`` by a process of this host that is gone; their
    ids."""
    with store.transaction() as session:
        runs = ImportRepository(session).running_on(this_host())
    return [run for run, worker in runs
            if process_gone(worker) and abandon_run(store, run, GONE, actor)]
