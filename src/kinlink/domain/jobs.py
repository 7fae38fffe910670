"""An upload's import job as people watch it: where it stands, then what it did.

A job is kept in the store from the moment the file is uploaded (table ``import_jobs``)
so that a job the server could not finish — it stopped, was killed, crashed — is
reported on the Imports page after the restart instead of vanishing. What the table
holds: the agency, the file's name as uploaded (already recorded by its import run),
who uploaded it, whether to link, the status, the stage reached, the ids of its run and
source, its counts and a plain message. No cell of the list; its progress within a stage
is kept in memory only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinlink.domain.imports import ImportStatus
from kinlink.domain.progress import Stage

__all__ = ["JobState"]


@dataclass(frozen=True)
class JobState:
    """Where an upload's import stands: its stage with ``done`` of ``total`` (0: not
    known), then the counts. ``status``: queued, running, completed, refused, failed,
    cancelled, interrupted; ``cancel_requested``: a person asked to cancel it and it
    stops at its next step."""

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
    started_by: str = ""
    cancel_requested: bool = False
    duplicate: bool = False
    """Refused because the same file was imported before (as ``source_id``), so the person
    can choose to import it again anyway (not kept across a restart)."""

    @property
    def live(self) -> bool:
        """Whether the job is still queued or running."""
        return not self.status.ended
