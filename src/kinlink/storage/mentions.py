"""Mentions of children in evidence documents, and the warnings of text extraction.

Revision 0017. A mention names the document, the page and span of its extracted text, the
record it may be about, the score, the evidence as coded messages, where it stands
(waiting / confirmed / rejected), who decided and when; it belongs to the document's
agency. A span is kept once per record and document (re-screening adds only new ones).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kinlink.domain.mentions import MentionItem, MentionStatus, TextWarning
from kinlink.storage.tables import Base, RecordRow
from kinlink.storage.types import UtcDateTime
from kinlink.storage.visibility import record_in_reach, record_is_visible, record_may_be_traced

__all__ = ["MentionRepository", "MentionRow", "ScreenedRecord", "TextWarningRow",
           "screenable_records"]

ScreenedRecord = tuple[int, str, str, str | None, dt.date | None, str | None]
"""A record screened for: id, given name, surname, patronymic, full birth date, place."""


class MentionRow(Base):
    """One mention (see the module's text)."""

    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("document_id", "record_pk", "start",
                                       name="uq_mentions_document_record_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    record_pk: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class TextWarningRow(Base):
    """A warning of a document's text extraction: a code and its parameters."""

    __tablename__ = "document_text_warnings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


def _item(row: MentionRow) -> MentionItem:
    return MentionItem(row.id, row.agency_id, row.document_id, row.page, row.start, row.end,
                       row.record_pk, row.score, tuple(dict(e) for e in row.evidence),
                       MentionStatus(row.status), row.decided_by, row.decided_at,
                       row.created_at)


class MentionRepository:
    """Mentions and text warnings, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, agency_id: int, document_id: int, page: int, start: int, end: int,
            record_pk: int, score: float, evidence: list[dict[str, Any]],
            created_at: dt.datetime) -> MentionItem | None:
        """Keep a waiting mention; ``None`` when this span of the document was kept for
        this record already."""
        known = self._session.execute(select(MentionRow.id).where(
            MentionRow.document_id == document_id, MentionRow.record_pk == record_pk,
            MentionRow.start == start)).first()
        if known is not None:
            return None
        row = MentionRow(agency_id=agency_id, document_id=document_id, page=page,
                         start=start, end=end, record_pk=record_pk, score=score,
                         evidence=evidence, status=MentionStatus.WAITING.value,
                         created_at=created_at)
        self._session.add(row)
        self._session.flush()
        return _item(row)

    def get(self, mention_id: int) -> MentionItem | None:
        """The mention, or ``None``."""
        row = self._session.get(MentionRow, mention_id, populate_existing=True)
        return _item(row) if row is not None else None

    def decide(self, mention_id: int, status: MentionStatus, by: str,
               at: dt.datetime) -> None:
        """Record the decision on a mention."""
        row = self._session.get(MentionRow, mention_id)
        assert row is not None
        row.status, row.decided_by, row.decided_at = status.value, by, at
        self._session.flush()

    def waiting(self, agency_id: int | None, limit: int = 1000) -> list[MentionItem]:
        """Waiting mentions of ``agency_id``'s documents (``None``: every agency's), most
        likely first."""
        query = (select(MentionRow).where(MentionRow.status == MentionStatus.WAITING.value)
                 .order_by(MentionRow.score.desc(), MentionRow.id).limit(limit))
        if agency_id is not None:
            query = query.where(MentionRow.agency_id == agency_id)
        return [_item(r) for r in self._session.execute(query).scalars()]

    def confirmed_of_records(self, records: Iterable[int]) -> list[MentionItem]:
        """The confirmed mentions of any of ``records``, oldest first (a link that joins
        a found record to a reported child's case brings their documents with it)."""
        wanted = sorted(set(records))
        found: list[MentionItem] = []
        for at in range(0, len(wanted), 500):
            rows = self._session.execute(select(MentionRow).where(
                MentionRow.record_pk.in_(wanted[at:at + 500]),
                MentionRow.status == MentionStatus.CONFIRMED.value)).scalars()
            found += [_item(r) for r in rows]
        return sorted(found, key=lambda m: m.id)

    def of_document(self, document_id: int) -> list[MentionItem]:
        """The document's mentions that are not rejected, in the order of its text."""
        rows = self._session.execute(select(MentionRow).where(
            MentionRow.document_id == document_id,
            MentionRow.status != MentionStatus.REJECTED.value)
            .order_by(MentionRow.start, MentionRow.score.desc())).scalars()
        return [_item(r) for r in rows]

    def add_warnings(self, document_id: int, warnings: Iterable[tuple[str, dict[str, Any]]],
                     at: dt.datetime) -> None:
        """Keep the warnings of a document's text extraction."""
        for code, params in warnings:
            self._session.add(TextWarningRow(document_id=document_id, code=code,
                                             params=params, created_at=at))
        self._session.flush()

    def warnings(self, document_id: int) -> list[TextWarning]:
        """The warnings of the document's text extraction, oldest first."""
        rows = self._session.execute(select(TextWarningRow).where(
            TextWarningRow.document_id == document_id).order_by(TextWarningRow.id)).scalars()
        return [TextWarning(r.document_id, r.code, dict(r.params), r.created_at) for r in rows]


def _birth(row: RecordRow) -> dt.date | None:
    try:
        if row.birth_year and row.birth_month and row.birth_day:
            return dt.date(row.birth_year, row.birth_month, row.birth_day)
    except ValueError:
        return None
    return None


def screenable_records(session: Session, agency_id: int | None,
                       sources: Iterable[int] | None = None) -> list[ScreenedRecord]:
    """The records ``agency_id`` sees (``None``: every one) that have a given name and a
    surname and may be traced, optionally only those of ``sources``."""
    query = select(RecordRow).where(
        record_is_visible(), record_in_reach(agency_id), record_may_be_traced(),
        RecordRow.given_name.is_not(None), RecordRow.surname.is_not(None))
    if sources is not None:
        query = query.where(RecordRow.source_id.in_(list(sources)))
    return [(r.id, r.given_name or "", r.surname or "", r.patronymic, _birth(r),
             r.birth_place or r.last_known_place)
            for r in session.execute(query.order_by(RecordRow.id)).scalars()]
