"""Evidence documents: their table, the artefacts made from them, and their custody log.

Revision 0016. A document row holds the original's SHA-256 (the bytes are in the content
store under the data directory, never in the database), the collection record, the owner
agency, and at most one of a case, a record or a list it is attached to (none: the
agency's inbox). The moment of collection is kept in UTC with the offset it was given in,
so the page shows it as the collector wrote it. The custody log is read from the audit
chain: the events whose object is the document.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kinlink.domain.documents import (
    Attachment,
    AttachmentKind,
    Collection,
    CollectionMethod,
    CustodyEntry,
    Derived,
    DerivedKind,
    Document,
    DocumentType,
)
from kinlink.storage.tables import AuditEventRow, Base, SourceRow
from kinlink.storage.types import UtcDateTime

__all__ = ["DocumentDerivedRow", "DocumentFilter", "DocumentRepository", "DocumentRow"]


class DocumentRow(Base):
    """One kept document (see the module's text)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    doc_type: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    record_pk: Mapped[int | None] = mapped_column(ForeignKey("records.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    restricted_to: Mapped[list[Any]] = mapped_column(JSON)
    collected_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    collected_offset: Mapped[int] = mapped_column(Integer)
    collected_by: Mapped[str] = mapped_column(String(300))
    method: Mapped[str] = mapped_column(String(16))
    source_url: Mapped[str | None] = mapped_column(Text)
    device: Mapped[str | None] = mapped_column(String(300))
    from_person: Mapped[str | None] = mapped_column(String(300))
    languages: Mapped[list[Any]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)


class DocumentDerivedRow(Base):
    """An artefact made from a document's original: a working copy, later extracted text
    or OCR; the tool and version that made it, its SHA-256 in the content store."""

    __tablename__ = "document_derived"
    __table_args__ = (UniqueConstraint("document_id", "kind", "sha256",
                                       name="uq_document_derived_document_kind_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    tool: Mapped[str] = mapped_column(String(100))
    tool_version: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class DocumentFilter:
    """What the inbox shows: one agency's (``None``: all), attached to one kind of object
    (and one object), of one type."""

    def __init__(self, agency_id: int | None = None, kind: AttachmentKind | None = None,
                 target_id: int | None = None, doc_type: DocumentType | None = None) -> None:
        self.agency_id = agency_id
        self.kind = kind
        self.target_id = target_id
        self.doc_type = doc_type


_COLUMN = {AttachmentKind.CASE: "case_id", AttachmentKind.RECORD: "record_pk",
           AttachmentKind.SOURCE: "source_id"}


def _attachment(row: DocumentRow) -> Attachment:
    for kind, column in _COLUMN.items():
        value = getattr(row, column)
        if value is not None:
            return Attachment(kind, int(value))
    return Attachment(AttachmentKind.INBOX)


def _document(row: DocumentRow) -> Document:
    zone = dt.timezone(dt.timedelta(minutes=row.collected_offset))
    collection = Collection(
        collected_at=row.collected_at.astimezone(zone), collected_by=row.collected_by,
        method=CollectionMethod(row.method), source_url=row.source_url, device=row.device,
        from_person=row.from_person, languages=tuple(str(x) for x in row.languages),
        description=row.description)
    return Document(row.id, row.agency_id, row.sha256, row.size, DocumentType(row.doc_type),
                    row.filename, _attachment(row), tuple(str(x) for x in row.restricted_to),
                    collection, row.uploaded_by, row.uploaded_at)


def _derived(row: DocumentDerivedRow) -> Derived:
    return Derived(row.id, row.document_id, DerivedKind(row.kind), row.tool, row.tool_version,
                   row.sha256, row.media_type, row.created_at)


class DocumentRepository:
    """Documents, their artefacts and custody log, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, *, agency_id: int, sha256: str, size: int, doc_type: DocumentType,
            filename: str, attachment: Attachment, collection: Collection,
            uploaded_by: str, uploaded_at: dt.datetime) -> Document:
        """Keep a new document's row."""
        offset = collection.collected_at.utcoffset() or dt.timedelta()
        row = DocumentRow(
            agency_id=agency_id, sha256=sha256, size=size, doc_type=doc_type.value,
            filename=filename, restricted_to=[], collected_at=collection.collected_at,
            collected_offset=int(offset.total_seconds() // 60),
            collected_by=collection.collected_by, method=collection.method.value,
            source_url=collection.source_url, device=collection.device,
            from_person=collection.from_person, languages=list(collection.languages),
            description=collection.description, uploaded_by=uploaded_by,
            uploaded_at=uploaded_at)
        self._place(row, attachment)
        self._session.add(row)
        self._session.flush()
        return _document(row)

    @staticmethod
    def _place(row: DocumentRow, attachment: Attachment) -> None:
        row.case_id = row.record_pk = row.source_id = None
        if attachment.kind is not AttachmentKind.INBOX:
            setattr(row, _COLUMN[attachment.kind], attachment.target_id)

    def get(self, document_id: int) -> Document | None:
        """The document, or ``None``."""
        row = self._session.get(DocumentRow, document_id)
        return _document(row) if row is not None else None

    def attach(self, document_id: int, attachment: Attachment) -> None:
        """Move the document to ``attachment``."""
        row = self._session.get(DocumentRow, document_id)
        assert row is not None
        self._place(row, attachment)
        self._session.flush()

    def restrict(self, document_id: int, roles: tuple[str, ...]) -> None:
        """Restrict the document to ``roles`` (empty: lift the restriction)."""
        row = self._session.get(DocumentRow, document_id)
        assert row is not None
        row.restricted_to = list(roles)
        self._session.flush()

    def find(self, where: DocumentFilter, limit: int = 500) -> list[Document]:
        """Documents as ``where`` says, newest first."""
        query = select(DocumentRow).order_by(DocumentRow.uploaded_at.desc(),
                                             DocumentRow.id.desc()).limit(limit)
        if where.agency_id is not None:
            query = query.where(DocumentRow.agency_id == where.agency_id)
        if where.doc_type is not None:
            query = query.where(DocumentRow.doc_type == where.doc_type.value)
        if where.kind is AttachmentKind.INBOX:
            query = query.where(DocumentRow.case_id.is_(None), DocumentRow.record_pk.is_(None),
                                DocumentRow.source_id.is_(None))
        elif where.kind is not None:
            column = getattr(DocumentRow, _COLUMN[where.kind])
            query = query.where(column.is_not(None) if where.target_id is None
                                else column == where.target_id)
        return [_document(r) for r in self._session.execute(query).scalars()]

    def add_derived(self, *, document_id: int, kind: DerivedKind, tool: str,
                    tool_version: str, sha256: str, media_type: str,
                    created_at: dt.datetime) -> Derived:
        """Keep an artefact made from the document's original."""
        row = DocumentDerivedRow(document_id=document_id, kind=kind.value, tool=tool,
                                 tool_version=tool_version, sha256=sha256,
                                 media_type=media_type, created_at=created_at)
        self._session.add(row)
        self._session.flush()
        return _derived(row)

    def derived(self, document_id: int) -> list[Derived]:
        """The artefacts made from the document, oldest first."""
        rows = self._session.execute(
            select(DocumentDerivedRow).where(DocumentDerivedRow.document_id == document_id)
            .order_by(DocumentDerivedRow.id)).scalars()
        return [_derived(r) for r in rows]

    def source_exists(self, source_id: int) -> bool:
        """Whether the list ``source_id`` exists and its import finished."""
        found = self._session.execute(select(SourceRow.id).where(
            SourceRow.id == source_id, SourceRow.state == "ready")).first()
        return found is not None

    def custody(self, document_id: int) -> list[CustodyEntry]:
        """The document's chain of custody: the audit events about it, in order."""
        rows = self._session.execute(
            select(AuditEventRow).where(AuditEventRow.entity_type == "document",
                                        AuditEventRow.entity_id == str(document_id))
            .order_by(AuditEventRow.id)).scalars()
        return [CustodyEntry(r.id, r.occurred_at, r.actor, r.action, dict(r.details))
                for r in rows]
