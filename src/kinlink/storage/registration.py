"""Records registered by hand, their consent and their corrected versions.

A registered report (or a found child typed in by hand) is a source of kind ``form`` with
one record, its own finished import run (records need one: it says who, when, one row),
its intake (channel, who took it, when, language), the reporter and — for a report — the
consent. A correction keeps the record's parsed fields as they were in
``record_versions``, writes the new ones, bumps ``records.version`` and rebuilds the
record's search keys; ``records.raw`` (the row as imported or typed) is never touched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from kinlink.domain.imports import ImportCounts, ImportStatus
from kinlink.domain.records import ParsedRecord, Reporter, Role, Sex, SourceKind
from kinlink.domain.registration import (
    ConsentView,
    DecisionOnVersion,
    Intake,
    IntakeView,
    RecordVersion,
    VersionSummary,
)
from kinlink.storage import candidate_reach
from kinlink.storage.casework_tables import ConsentRow, IntakeRow, RecordVersionRow
from kinlink.storage.imports import ImportRepository, NewRecord, SourceDraft, parsed_columns
from kinlink.storage.review_tables import DecisionRow
from kinlink.storage.tables import RecordRow, ReporterRow
from kinlink.storage.web_tables import SearchKeyRow

__all__ = ["FormDraft", "RegistrationRepository", "parsed_of"]

_FORM_HEADER_FILE = "form"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class FormDraft:
    """One form to keep: its header and cells (as typed), the record read from them, the
    intake, the agency, and for a report the reporter's language and consent."""

    header: list[str]
    cells: list[str]
    record: ParsedRecord
    role: Role
    intake: Intake
    agency_id: int
    title: str
    language: str | None = None
    consent: tuple[bool, tuple[int, ...], bool] | None = None
    """(tracing, channels shared with, contact) — ``None`` for a found child."""


class RegistrationRepository:
    """Writes and reads of registered records, consent and versions (caller's session)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_form(self, draft: FormDraft) -> tuple[int, int]:
        """Keep the form as a source of kind ``form`` with its record, reporter, intake
        and consent, seen at once; returns (source id, record primary key)."""
        repo = ImportRepository(self._session)
        stamp = uuid.uuid4().hex
        sha256 = hashlib.sha256(f"form:{stamp}".encode()).hexdigest()
        run_id = repo.start_run(_FORM_HEADER_FILE, sha256, draft.intake.taken_by,
                                agency_id=draft.agency_id)
        source_id = repo.create_source(SourceDraft(
            kind=SourceKind.FORM.value, role=draft.role, title=draft.title, producer=None,
            received_on=draft.intake.taken_at.date(), original_filename=_FORM_HEADER_FILE,
            sha256=sha256, file_format="form", encoding=None, header=draft.header,
            column_map={h: h for h in draft.header}, imported_by=draft.intake.taken_by,
            agency_id=draft.agency_id))
        record = dataclasses.replace(draft.record, record_id=f"F-{stamp[:12]}")
        pk = repo.add_records(source_id, run_id, draft.role,
                              [NewRecord(1, draft.cells, record, ())])[record.record_id]
        repo.publish_source(source_id)
        repo.finish_run(run_id, ImportStatus.COMPLETED, ImportCounts(rows=1, imported=1),
                        source_id=source_id)
        self._session.add(IntakeRow(source_id=source_id, channel=draft.intake.channel.value,
                                    taken_by=draft.intake.taken_by,
                                    taken_at=draft.intake.taken_at,
                                    language=draft.language))
        if draft.language and not record.reporter.is_empty():
            self._session.execute(update(ReporterRow).where(ReporterRow.record_pk == pk)
                                  .values(language=draft.language))
        if draft.consent is not None:
            tracing, channels, contact = draft.consent
            self._session.add(ConsentRow(
                record_pk=pk, tracing=tracing, sharing=bool(channels),
                channels=list(channels), contact=contact, recorded_by=draft.intake.taken_by,
                recorded_at=draft.intake.taken_at))
        self._session.flush()
        return source_id, pk

    # -- consent -------------------------------------------------------------------------

    def consent(self, record_pk: int) -> ConsentView | None:
        """The consent recorded with a report, if any."""
        row = self._session.get(ConsentRow, record_pk)
        if row is None:
            return None
        return ConsentView(row.tracing, row.sharing, tuple(int(c) for c in row.channels),
                           row.contact, row.recorded_by, row.recorded_at, row.withdrawn_at,
                           row.withdrawn_by, row.withdrawn_reason)

    def withdraw(self, record_pk: int, actor: str, reason: str, at: dt.datetime) -> bool:
        """Date the consent's withdrawal (a record without a consent row gets one that says
        nothing was agreed and all is withdrawn); ``False`` if it was withdrawn already."""
        row = self._session.get(ConsentRow, record_pk)
        if row is None:
            row = ConsentRow(record_pk=record_pk, tracing=False, sharing=False, channels=[],
                             contact=False, recorded_by=actor, recorded_at=at)
            self._session.add(row)
        elif row.withdrawn_at is not None:
            return False
        row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason = at, actor, reason
        self._session.flush()
        candidate_reach.refresh(self._session, candidate_reach.partners(self._session,
                                                                        [record_pk]))
        return True

    def not_to_share(self, record_pks: Sequence[int], channel_id: int) -> list[int]:
        """Of ``record_pks``, the reports whose consent does not let them go to the
        channel: tracing refused, consent withdrawn, or the channel not among those the
        reporter agreed to share with. Records without a consent (imported lists) are
        not held back here."""
        rows = self._session.execute(select(ConsentRow).where(
            ConsentRow.record_pk.in_(list(record_pks)))).scalars()
        return sorted(r.record_pk for r in rows
                      if not r.tracing or r.withdrawn_at is not None or not r.sharing
                      or channel_id not in {int(c) for c in r.channels})

    def intake(self, source_id: int) -> IntakeView | None:
        """How a form came in, if the source is one."""
        row = self._session.get(IntakeRow, source_id)
        if row is None:
            return None
        return IntakeView(row.channel, row.taken_by, row.taken_at, row.language)

    def decisions_on(self, record_pk: int) -> list[DecisionOnVersion]:
        """Every decision about a pair the record is in, oldest first, with the versions
        of both records it was made on."""
        rows = self._session.execute(select(DecisionRow).where(
            (DecisionRow.record_low == record_pk) | (DecisionRow.record_high == record_pk))
            .order_by(DecisionRow.id)).scalars()
        found = []
        for row in rows:
            low = row.record_low == record_pk
            found.append(DecisionOnVersion(
                row.record_high if low else row.record_low, row.verdict, row.actor,
                row.decided_at, row.low_version if low else row.high_version,
                row.high_version if low else row.low_version))
        return found

    # -- versions ------------------------------------------------------------------------

    def current(self, record_pk: int) -> tuple[ParsedRecord, int] | None:
        """The record's parsed fields now and their version (``None``: no such record)."""
        row = self._session.get(RecordRow, record_pk)
        if row is None:
            return None
        return parsed_of(row), row.version

    def versions(self, record_pk: int) -> list[VersionSummary]:
        """The earlier versions, oldest first: who replaced each, when and why."""
        rows = self._session.execute(select(RecordVersionRow).where(
            RecordVersionRow.record_pk == record_pk).order_by(RecordVersionRow.version))
        return [VersionSummary(r.version, r.changed_by, r.changed_at, r.reason)
                for r in rows.scalars()]

    def version(self, record_pk: int, number: int) -> RecordVersion | None:
        """One earlier version's fields, or ``None``."""
        row = self._session.execute(select(RecordVersionRow).where(
            RecordVersionRow.record_pk == record_pk,
            RecordVersionRow.version == number)).scalar_one_or_none()
        if row is None:
            return None
        return RecordVersion(row.version, dict(row.fields),
                             VersionSummary(row.version, row.changed_by, row.changed_at,
                                            row.reason))

    def correct(self, record_pk: int, expected: int, old: dict[str, str],
                new: ParsedRecord, keys: Sequence[tuple[str, str]], actor: str,
                reason: str) -> int | None:
        """Keep ``old`` (the form's fields as they were) as version ``expected``, write
        ``new`` as version ``expected + 1`` and the new search keys; ``None`` if someone
        changed the record since ``expected`` was read (nothing written)."""
        table = cast(Table, RecordRow.__table__)
        done = self._session.execute(
            update(table).where(table.c.id == record_pk, table.c.version == expected)
            .values(version=expected + 1, **parsed_columns(new)))
        if int(getattr(done, "rowcount", 0) or 0) != 1:
            return None
        self._session.add(RecordVersionRow(record_pk=record_pk, version=expected,
                                           fields=old, reason=reason, changed_by=actor,
                                           changed_at=_now()))
        self._session.execute(delete(SearchKeyRow).where(SearchKeyRow.record_pk == record_pk))
        self._session.add_all(SearchKeyRow(record_pk=record_pk, token=token,
                                           surname_key=surname_key)
                              for token, surname_key in keys)
        self._session.flush()
        return expected + 1


def parsed_of(row: RecordRow) -> ParsedRecord:
    """A stored record's parsed fields as the form reads them."""
    return ParsedRecord(
        record_id=row.record_id, given_name=row.given_name, surname=row.surname,
        patronymic=row.patronymic, full_name=row.full_name,
        sex=Sex(row.sex) if row.sex else None, birth_date=row.birth,
        birth_place=row.birth_place, last_known_place=row.last_known_place,
        event_date=row.event, source_text=row.source_text, notes=row.notes,
        extra=dict(row.extra or {}), reporter=Reporter(), institution=row.institution,
        moved_on=row.moved, group=row.group, siblings_count=row.siblings_count)


