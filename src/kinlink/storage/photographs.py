"""Perceptual hashes of photographs (in documents and case photographs) and the flags
raised when a new one is near an existing one of the same agency.

Revision 0018. A ``photo_hashes`` row is one picture: the document it is in (or the case
photograph it is), its place among the document's pictures, its PDF page, its pHash and
dHash (16 hex digits each), its size and the agency whose it is. A ``photo_flags`` row is
two pictures a rule found near: their distances, and a person's verdict (``waiting``
until someone confirms "same photograph" or dismisses it). A flag never links records or
cases: it is only shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kinlink.domain.documents import DocumentType
from kinlink.storage.documents import DocumentRow
from kinlink.storage.mediation_tables import CasePhotoRow
from kinlink.storage.review_tables import CaseRow
from kinlink.storage.tables import Base, RecordRow, SourceRow
from kinlink.storage.types import UtcDateTime

__all__ = ["PhotoFlagRow", "PhotoHashRow", "PhotoRepository", "StoredFlag", "StoredPhoto"]


class PhotoHashRow(Base):
    """One hashed picture (see the module's text)."""

    __tablename__ = "photo_hashes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    case_photo_id: Mapped[int | None] = mapped_column(ForeignKey("case_photos.id"),
                                                      index=True)
    picture: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    phash: Mapped[str] = mapped_column(String(16))
    dhash: Mapped[str] = mapped_column(String(16))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, index=True)
    """A case photograph replaced by another: no longer compared."""


class PhotoFlagRow(Base):
    """Two pictures found near: a flag for a person, never a link."""

    __tablename__ = "photo_flags"
    __table_args__ = (UniqueConstraint("new_id", "old_id", name="uq_photo_flags_new_id_old_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    new_id: Mapped[int] = mapped_column(ForeignKey("photo_hashes.id"), index=True)
    old_id: Mapped[int] = mapped_column(ForeignKey("photo_hashes.id"), index=True)
    phash_distance: Mapped[int] = mapped_column(Integer)
    dhash_distance: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), index=True)
    raised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


@dataclass(frozen=True)
class StoredPhoto:
    """A hashed picture: where it is and its hashes."""

    id: int
    agency_id: int
    document_id: int | None
    case_id: int | None
    picture: int
    page: int | None
    phash: str
    dhash: str
    width: int
    height: int


@dataclass(frozen=True)
class StoredFlag:
    """A flag with both its pictures."""

    id: int
    agency_id: int
    new: StoredPhoto
    old: StoredPhoto
    phash_distance: int
    dhash_distance: int
    status: str
    raised_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None


def _photo(row: PhotoHashRow, case_id: int | None) -> StoredPhoto:
    return StoredPhoto(row.id, row.agency_id, row.document_id, case_id, row.picture,
                       row.page, row.phash, row.dhash, row.width, row.height)


class PhotoRepository:
    """Hashed pictures and their flags, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def document_target(self, document_id: int) -> tuple[int, str] | None:
        """The document's agency and media type, or ``None``."""
        row = self._session.get(DocumentRow, document_id)
        if row is None:
            return None
        return row.agency_id, DocumentType(row.doc_type).media_type

    def case_photo_target(self, case_id: int) -> tuple[int, int, str] | None:
        """The case photograph's row id, the agency of the case's list, and its media
        type; or ``None`` when the case has no photograph."""
        found = self._session.execute(
            select(CasePhotoRow.id, SourceRow.agency_id, CasePhotoRow.media_type)
            .join(CaseRow, CaseRow.id == CasePhotoRow.case_id)
            .join(RecordRow, RecordRow.id == CaseRow.sought_record_pk)
            .join(SourceRow, SourceRow.id == RecordRow.source_id)
            .where(CasePhotoRow.case_id == case_id)).first()
        return (int(found[0]), int(found[1]), str(found[2])) if found is not None else None

    def case_photo(self, case_id: int) -> tuple[bytes, str] | None:
        """A case photograph's bytes and media type, or ``None``."""
        found = self._session.execute(select(CasePhotoRow.content, CasePhotoRow.media_type)
                                      .where(CasePhotoRow.case_id == case_id)).first()
        return (bytes(found[0]), str(found[1])) if found is not None else None

    def unhashed_documents(self, agency_id: int | None) -> list[int]:
        """The ids of the documents (of the agency; ``None``: all) with no picture kept."""
        query = select(DocumentRow.id).where(~DocumentRow.id.in_(
            select(PhotoHashRow.document_id).where(PhotoHashRow.document_id.is_not(None))))
        if agency_id is not None:
            query = query.where(DocumentRow.agency_id == agency_id)
        return list(self._session.execute(query.order_by(DocumentRow.id)).scalars())

    def unhashed_case_photos(self, agency_id: int | None) -> list[int]:
        """The case ids whose photograph (of the agency's cases; ``None``: all) has no
        picture kept."""
        query = (select(CasePhotoRow.case_id)
                 .join(CaseRow, CaseRow.id == CasePhotoRow.case_id)
                 .join(RecordRow, RecordRow.id == CaseRow.sought_record_pk)
                 .join(SourceRow, SourceRow.id == RecordRow.source_id)
                 .where(~CasePhotoRow.id.in_(select(PhotoHashRow.case_photo_id).where(
                     PhotoHashRow.case_photo_id.is_not(None)))))
        if agency_id is not None:
            query = query.where(SourceRow.agency_id == agency_id)
        return list(self._session.execute(query.order_by(CasePhotoRow.case_id)).scalars())

    def retire_case_photo(self, case_photo_id: int) -> None:
        """Stop comparing the pictures of a replaced case photograph."""
        for row in self._session.execute(select(PhotoHashRow).where(
                PhotoHashRow.case_photo_id == case_photo_id)).scalars():
            row.retired = True
        self._session.flush()

    def hashed(self, *, document_id: int | None = None,
               case_photo_id: int | None = None) -> bool:
        """Whether the document (or the case photograph) has hashes kept (not retired)."""
        query = select(PhotoHashRow.id).where(PhotoHashRow.retired.is_(False))
        query = query.where(PhotoHashRow.document_id == document_id) if document_id \
            is not None else query.where(PhotoHashRow.case_photo_id == case_photo_id)
        return self._session.execute(query.limit(1)).first() is not None

    def add(self, *, agency_id: int, document_id: int | None, case_photo_id: int | None,
            picture: int, page: int | None, phash: str, dhash: str, width: int,
            height: int) -> int:
        """Keep one picture's hashes; its id."""
        row = PhotoHashRow(agency_id=agency_id, document_id=document_id,
                           case_photo_id=case_photo_id, picture=picture, page=page,
                           phash=phash, dhash=dhash, width=width, height=height,
                           retired=False)
        self._session.add(row)
        self._session.flush()
        return row.id

    def of_agency(self, agency_id: int, excluding: set[int]) -> list[StoredPhoto]:
        """Every kept (not retired) picture of the agency but those in ``excluding``."""
        rows = self._session.execute(select(PhotoHashRow, CasePhotoRow.case_id).outerjoin(
            CasePhotoRow, CasePhotoRow.id == PhotoHashRow.case_photo_id).where(
            PhotoHashRow.agency_id == agency_id, PhotoHashRow.retired.is_(False))
            .order_by(PhotoHashRow.id)).all()
        return [_photo(r, c) for r, c in rows if r.id not in excluding]

    def photo(self, photo_id: int) -> StoredPhoto | None:
        """One picture, or ``None``."""
        found = self._session.execute(select(PhotoHashRow, CasePhotoRow.case_id).outerjoin(
            CasePhotoRow, CasePhotoRow.id == PhotoHashRow.case_photo_id).where(
            PhotoHashRow.id == photo_id)).first()
        return _photo(found[0], found[1]) if found is not None else None

    def raise_flag(self, *, agency_id: int, new_id: int, old_id: int, phash_distance: int,
                   dhash_distance: int, at: dt.datetime) -> int:
        """Keep a waiting flag; its id."""
        row = PhotoFlagRow(agency_id=agency_id, new_id=new_id, old_id=old_id,
                           phash_distance=phash_distance, dhash_distance=dhash_distance,
                           status="waiting", raised_at=at)
        self._session.add(row)
        self._session.flush()
        return row.id

    def _flag(self, row: PhotoFlagRow) -> StoredFlag:
        new, old = self.photo(row.new_id), self.photo(row.old_id)
        assert new is not None
        assert old is not None
        return StoredFlag(row.id, row.agency_id, new, old, row.phash_distance,
                          row.dhash_distance, row.status, row.raised_at, row.decided_by,
                          row.decided_at)

    def flag(self, flag_id: int) -> StoredFlag | None:
        """One flag, or ``None``."""
        row = self._session.get(PhotoFlagRow, flag_id)
        return self._flag(row) if row is not None else None

    def flags(self, agency_id: int | None, statuses: tuple[str, ...],
              document_id: int | None = None, limit: int = 500) -> list[StoredFlag]:
        """The flags of the agency (``None``: all) in ``statuses``, oldest first; only
        those with a picture in ``document_id`` when it is given."""
        query = select(PhotoFlagRow).where(PhotoFlagRow.status.in_(statuses))
        if agency_id is not None:
            query = query.where(PhotoFlagRow.agency_id == agency_id)
        if document_id is not None:
            mine = select(PhotoHashRow.id).where(PhotoHashRow.document_id == document_id)
            query = query.where(or_(PhotoFlagRow.new_id.in_(mine),
                                    PhotoFlagRow.old_id.in_(mine)))
        rows = self._session.execute(query.order_by(PhotoFlagRow.id).limit(limit)).scalars()
        return [self._flag(r) for r in rows]

    def decide(self, flag_id: int, status: str, by: str, at: dt.datetime) -> None:
        """Set a flag's verdict."""
        row = self._session.get(PhotoFlagRow, flag_id)
        assert row is not None
        row.status, row.decided_by, row.decided_at = status, by, at
        self._session.flush()
