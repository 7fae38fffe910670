"""The database tables. Only ``kinlink.storage`` imports SQLAlchemy.

Partial dates are stored as three nullable integer columns (year, month, day) so that
their precision survives and they can be filtered on; raw rows are stored verbatim as a
JSON list of cells beside the source's header, so that ``header[i]`` names ``raw[i]``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kinlink.domain.dates import PartialDate
from kinlink.domain.imports import SourceState
from kinlink.storage.types import UtcDateTime

__all__ = [
    "AuditEventRow",
    "Base",
    "ImportIssueRow",
    "ImportJobRow",
    "ImportRunRow",
    "RecordRow",
    "ReporterRow",
    "SourceRow",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (Alembic needs them)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SourceRow(Base):
    """A list or a form that records came from, with its provenance.

    ``state`` is ``importing`` while an import writes the source's records in chunks and
    ``ready`` once its last transaction has finished: only ready sources and their
    records are seen (:mod:`kinlink.storage.visibility`).
    """

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(300))
    producer: Mapped[str | None] = mapped_column(String(300))
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    original_filename: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_format: Mapped[str] = mapped_column(String(8))
    encoding: Mapped[str | None] = mapped_column(String(32))
    # The CSV's delimiter (None: XLSX, or imported before it was kept): the rejected rows
    # and the error report come back in the file's own encoding and delimiter.
    delimiter: Mapped[str | None] = mapped_column(String(1))
    header: Mapped[list[Any]] = mapped_column(JSON)
    column_map: Mapped[dict[str, Any]] = mapped_column(JSON)
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utcnow)
    # The agency that imported the list and owns its records (web_tables.AgencyRow).
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True,
                                           server_default="1")
    # importing: written in chunks and seen by nobody; ready: finished (visibility.py).
    state: Mapped[str] = mapped_column(String(16), server_default=SourceState.READY.value)


class ImportRunRow(Base):
    """One attempt to import one file: its status and counts.

    A run is written as ``running`` in its own transaction before the import starts, and
    finished in the import's transaction; a run left ``running`` was interrupted.
    """

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    original_filename: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))
    started_by: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    field_errors: Mapped[int] = mapped_column(Integer, default=0)
    blank_lines: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True,
                                           server_default="1")
    worker: Mapped[str | None] = mapped_column(String(120))
    """``host:pid`` of the process running the import: a run left ``running`` by a
    process that is gone is marked interrupted when a server starts on that host."""


class ImportJobRow(Base):
    """An upload's import job (:mod:`kinlink.domain.jobs`): kept so that a job the server
    could not finish is reported after a restart, never lost in silence. No cell of the
    list: the file's name as uploaded, who, the status, stage, ids and counts."""

    __tablename__ = "import_jobs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    file: Mapped[str] = mapped_column(String(200))
    started_by: Mapped[str] = mapped_column(String(200))
    link: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(16))
    run_id: Mapped[int | None] = mapped_column(Integer)
    source_id: Mapped[int | None] = mapped_column(Integer)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    field_errors: Mapped[int] = mapped_column(Integer, default=0)
    pairs: Mapped[int] = mapped_column(Integer, default=0)
    matches: Mapped[int] = mapped_column(Integer, default=0)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    cases_opened: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    server: Mapped[str] = mapped_column(String(120))
    done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Progress within the stage, saved every second or so by the process that runs it,
    so that the other processes of a server with several workers show it too."""
    total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cancel_by: Mapped[str | None] = mapped_column(String(200))
    """Who asked to cancel a running job (any worker of the server may be asked; the
    one that runs it reads this)."""
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class RecordRow(Base):
    """One row about one child as one source saw it: raw cells and parsed fields."""

    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("source_id", "record_id", name="uq_records_source_record"),
        Index("ix_records_birth", "birth_year", "birth_month", "birth_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    import_run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id"))
    record_id: Mapped[str] = mapped_column(String(200))
    line: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(8))
    raw: Mapped[list[Any]] = mapped_column(JSON)
    given_name: Mapped[str | None] = mapped_column(String(200))
    surname: Mapped[str | None] = mapped_column(String(200), index=True)
    patronymic: Mapped[str | None] = mapped_column(String(200))
    full_name: Mapped[str | None] = mapped_column(String(400))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    birth_month: Mapped[int | None] = mapped_column(Integer)
    birth_day: Mapped[int | None] = mapped_column(Integer)
    birth_place: Mapped[str | None] = mapped_column(String(300))
    last_known_place: Mapped[str | None] = mapped_column(String(300))
    event_year: Mapped[int | None] = mapped_column(Integer)
    event_month: Mapped[int | None] = mapped_column(Integer)
    event_day: Mapped[int | None] = mapped_column(Integer)
    source_text: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Cohorts (revision 0012): where the child was moved from or arrived at, when, and
    # the source's identifier of the children moved or listed together.
    institution: Mapped[str | None] = mapped_column(String(300))
    moved_year: Mapped[int | None] = mapped_column(Integer)
    moved_month: Mapped[int | None] = mapped_column(Integer)
    moved_day: Mapped[int | None] = mapped_column(Integer)
    group: Mapped[str | None] = mapped_column("move_group", String(200))
    siblings_count: Mapped[int | None] = mapped_column(Integer)
    # Revision 0013: the version of the parsed fields; a correction keeps the earlier
    # ones in ``record_versions`` (casework_tables.RecordVersionRow).
    version: Mapped[int] = mapped_column(Integer, server_default="1", default=1)

    @property
    def birth(self) -> PartialDate | None:
        """The birth date with its precision, or ``None``."""
        return PartialDate.from_parts(self.birth_year, self.birth_month, self.birth_day)

    @property
    def event(self) -> PartialDate | None:
        """The event date with its precision, or ``None``."""
        return PartialDate.from_parts(self.event_year, self.event_month, self.event_day)

    @property
    def moved(self) -> PartialDate | None:
        """When the child was moved from or arrived at the institution, or ``None``."""
        return PartialDate.from_parts(self.moved_year, self.moved_month, self.moved_day)

    @property
    def display_name(self) -> str:
        """Surname, given name, patronymic as written, or the full name."""
        parts = (self.surname, self.given_name, self.patronymic)
        return " ".join(p for p in parts if p) or self.full_name or ""


class ReporterRow(Base):
    """Who reported a child. Apart from the record so access can be restricted."""

    __tablename__ = "reporters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_pk: Mapped[int] = mapped_column(ForeignKey("records.id"), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))
    relationship: Mapped[str | None] = mapped_column(String(100))
    contact: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(8))  # revision 0013


class ImportIssueRow(Base):
    """A rejected row or a field that could not be read, with where and why."""

    __tablename__ = "import_issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_run_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id"), index=True)
    record_pk: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    line: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(300))
    severity: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[list[Any] | None] = mapped_column(JSON)  # a rejected row's cells, verbatim


class AuditEventRow(Base):
    """An append-only, hash-chained audit event (who did what to which object, when),
    authenticated with a key the database does not hold (``key_id``, ``mac``).

    ``details`` never holds personal data: identifiers, counts and codes only.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[str] = mapped_column(String(40))  # ISO 8601 UTC, hashed as stored
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(100))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # HMAC-SHA256 of ``hash`` with the audit key ``key_id`` (kept outside the database);
    # both empty on events written before keyed auditing (revision 0010).
    key_id: Mapped[str | None] = mapped_column(String(40))
    mac: Mapped[str | None] = mapped_column(String(64))
