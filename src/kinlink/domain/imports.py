"""What an import reports: issues (rejected rows and unreadable fields) and counts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ImportCounts", "ImportStatus", "Issue", "Severity"]


class Severity(StrEnum):
    """A rejected row is not imported; a field issue leaves the record with a gap."""

    REJECTED = "rejected"
    FIELD = "field"


class ImportStatus(StrEnum):
    """Where an import run stands. ``running`` left behind means it was interrupted."""

    RUNNING = "running"
    COMPLETED = "completed"
    REFUSED = "refused"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class Issue:
    """Where and why: line, column (header text), a stable code and a plain message.

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
