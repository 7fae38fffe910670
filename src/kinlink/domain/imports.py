"""What an import reports: issues (rejected rows and unreadable fields) and counts; the
lists, runs and issues as people read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kinlink.domain.records import Role, SourceKind

__all__ = ["ImportCounts", "ImportStatus", "Issue", "IssueView", "RunView", "Severity",
           "SourceState", "SourceView"]


class Severity(StrEnum):
    """A rejected row is not imported; a field issue leaves the record with a gap."""

    REJECTED = "rejected"
    FIELD = "field"


class ImportStatus(StrEnum):
    """Where an import run (or an upload's job) stands. ``queued``: an upload waiting for
    the imports before it (jobs only); ``cancelled``: stopped by a person;
    ``interrupted``: stopped by its time or memory budget, or its process ended."""

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    REFUSED = "refused"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"

    @property
    def ended(self) -> bool:
        """Whether nothing more will happen to the run or job."""
        return self not in (ImportStatus.QUEUED, ImportStatus.RUNNING)


class SourceState(StrEnum):
    """Whether a source's import has finished. An import writes its records in many short
    transactions into an ``importing`` source, which nobody sees; its last transaction
    makes the source ``ready``, and only then do its records appear anywhere."""

    IMPORTING = "importing"
    READY = "ready"


@dataclass(frozen=True)
class Issue:
    """Where and why: line, column (header text), a stable code and a plain message
    (a :class:`~kinlink.i18n.Message` when written by a wording: English as a ``str``,
    said in the reader's language on a page).

    ``value`` is the offending cell and ``raw`` a rejected row's cells: both are the
    user's data, stored with the import and shown to them, never logged.
    """

    line: int
    column: str | None
    severity: Severity
    code: str
    message: str
    value: str | None = None
    raw: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ImportCounts:
    """How many rows a run read, imported and rejected, and how many fields it reported."""

    rows: int = 0
    imported: int = 0
    rejected: int = 0
    field_errors: int = 0
    blank_lines: int = 0


@dataclass(frozen=True)
class SourceView:
    """A list visible to an agency, with its record count and who it is shared with."""

    id: int
    title: str
    kind: SourceKind
    role: Role
    producer: str | None
    received_on: dt.date | None
    original_filename: str
    sha256: str
    imported_by: str
    imported_at: dt.datetime
    records: int
    agency_id: int
    agency: str
    own: bool
    shared_with: list[int]


@dataclass(frozen=True)
class RunView:
    """One import run: status and counts."""

    id: int
    source_id: int | None
    file: str
    status: ImportStatus
    started_by: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    rows: int
    imported: int
    rejected: int
    field_errors: int
    blank_lines: int
    message: str | None


@dataclass(frozen=True)
class IssueView:
    """One problem found in a run: where (``line``, ``column``), how bad, what (``code``,
    ``message``) and the value read (``null`` when there was none, or it is withheld)."""

    line: int
    column: str | None
    severity: Severity
    code: str
    message: str
    value: str | None
