"""One record as its page shows it: parsed fields beside the raw row and the source.

Who reported the child, and the raw cells of the reporter's columns, are filled in only
when the caller passes ``with_contact``; otherwise those cells read as withheld. Scoping
to the agency and the audit of the read are the use case's
(:func:`kinlink.usecases.records.read_record`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinlink.domain.dates import PartialDate
from kinlink.domain.imports import IssueView, Severity
from kinlink.domain.records import Reporter, Role, Sex, SourceKind
from kinlink.listfiles.validate import stored_problem
from kinlink.storage import Session
from kinlink.storage.accounts import as_utc
from kinlink.storage.browse import get_record, record_issues
from kinlink.storage.tables import ImportIssueRow, RecordRow, ReporterRow, SourceRow

__all__ = ["REPORTER_FIELDS", "RawCell", "RecordDetail", "SourceInfo", "detail_of"]

REPORTER_FIELDS = ("reporter_name", "reporter_relationship", "reporter_contact")


@dataclass(frozen=True)
class RawCell:
    """One cell of the row as imported, under its column's header; a ``withheld`` cell (a
    reporter's, for a role that may not see contacts) is empty."""

    column: str
    value: str
    withheld: bool


@dataclass(frozen=True)
class SourceInfo:
    """Where a record came from: the list, its kind and the role of its records, the file
    imported (with its SHA-256), who imported it and when, and the agency that holds it."""

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
    agency_id: int


@dataclass(frozen=True)
class RecordDetail:
    """Everything the record page shows."""

    id: int
    record_id: str
    line: int
    role: Role
    given_name: str | None
    surname: str | None
    patronymic: str | None
    full_name: str | None
    sex: Sex | None
    birth: PartialDate | None
    birth_place: str | None
    last_known_place: str | None
    event: PartialDate | None
    notes: str | None
    source_text: str | None
    extra: dict[str, str]
    raw: list[RawCell]
    source: SourceInfo
    issues: list[IssueView]
    reporter: Reporter | None
    contact_shown: bool
    institution: str | None = None
    moved: PartialDate | None = None
    group: str | None = None
    siblings_count: int | None = None

    @property
    def display_name(self) -> str:
        """Surname, given name, patronymic as written, or the full name."""
        parts = (self.surname, self.given_name, self.patronymic)
        return " ".join(p for p in parts if p) or self.full_name or ""


def detail_of(session: Session, pk: int, *, with_contact: bool) -> RecordDetail:
    """The existing record ``pk`` as its page shows it, in the caller's transaction (not
    scoped, not audited: the caller checks the agency sees it and audits the read).
    ``LookupError`` for a record that does not exist or whose import has not finished."""
    return _detail_of(session, get_record(session, pk), with_contact)


_Found = tuple[RecordRow, SourceRow, ReporterRow | None]


def _detail_of(session: Session, found: _Found, with_contact: bool) -> RecordDetail:
    record, source, reporter = found
    return _detail(record, source, record_issues(session, record.id), with_contact,
                   Reporter(reporter.name, reporter.relationship, reporter.contact)
                   if reporter else None)


def _withheld_columns(source: SourceRow) -> set[int]:
    names = {source.column_map.get(f) for f in REPORTER_FIELDS} - {None}
    return {i for i, header in enumerate(source.header) if header in names}


def _partial(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    return PartialDate(year, month, day) if year else None


def _detail(record: RecordRow, source: SourceRow, issues: list[ImportIssueRow],
            with_contact: bool, reporter: Reporter | None) -> RecordDetail:
    withheld = set() if with_contact else _withheld_columns(source)
    header = [str(h) for h in source.header]
    raw = [RawCell(header[i] if i < len(header) else f"#{i + 1}",
                   "" if i in withheld else str(cell), i in withheld)
           for i, cell in enumerate(record.raw)]
    hidden_columns = {header[i] for i in withheld if i < len(header)}
    return RecordDetail(
        id=record.id, record_id=record.record_id, line=record.line, role=Role(record.role),
        given_name=record.given_name, surname=record.surname, patronymic=record.patronymic,
        full_name=record.full_name, sex=Sex(record.sex) if record.sex else None,
        birth=_partial(record.birth_year, record.birth_month, record.birth_day),
        birth_place=record.birth_place, last_known_place=record.last_known_place,
        event=_partial(record.event_year, record.event_month, record.event_day),
        notes=record.notes, source_text=record.source_text,
        extra={str(k): str(v) for k, v in record.extra.items()}, raw=raw,
        source=SourceInfo(source.id, source.title, SourceKind(source.kind), Role(source.role),
                          source.producer, source.received_on, source.original_filename,
                          source.sha256, source.imported_by, as_utc(source.imported_at),
                          source.agency_id),
        issues=[IssueView(i.line, i.column, Severity(i.severity), i.code,
                          stored_problem(i.message),
                          None if i.column in hidden_columns else i.value) for i in issues],
        reporter=reporter if with_contact else None, contact_shown=with_contact,
        institution=record.institution,
        moved=_partial(record.moved_year, record.moved_month, record.moved_day),
        group=record.group, siblings_count=record.siblings_count)
