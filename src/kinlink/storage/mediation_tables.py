"""Tables of mediation: channels, the lists sent through them, exports and answers.

What a list disclosed is kept as it was sent (``sent_values``), so that the record of
what left kinlink does not change when a case is edited later. Passphrases of exports
are never stored; their files' hashes are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kinlink.domain.access import HOME_AGENCY_ID
from kinlink.storage.tables import Base
from kinlink.storage.types import UtcDateTime

__all__ = ["AnswerImportRow", "AnswerRowRecord", "CasePhotoRow", "ChannelRow", "ListChildRow",
           "ListExportRow", "MediationListRow", "PendingExportRow"]


class ChannelRow(Base):
    """A mediation channel and the fields its lists may carry. It belongs to one agency
    (``agency_id``), whose people alone see it and its lists; names are unique within an
    agency."""

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("agency_id", "name", name="uq_channels_agency_id_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True,
                                           server_default=str(HOME_AGENCY_ID))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    fields: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class MediationListRow(Base):
    """One list of children for one channel: a draft until it is sent, then frozen."""

    __tablename__ = "mediation_lists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    fields: Mapped[list[str]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    sent_by: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer)


class ListChildRow(Base):
    """A child (a case) on a list, with the reference answers are matched back by."""

    __tablename__ = "list_children"
    __table_args__ = (UniqueConstraint("list_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("mediation_lists.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    sent_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ListExportRow(Base):
    """One encrypted file made of a list: its format, hash, who made it and when."""

    __tablename__ = "list_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("mediation_lists.id"), index=True)
    formats: Mapped[list[str]] = mapped_column(JSON)
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    children: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class PendingExportRow(Base):
    """An encrypted export waiting for its one download, for a few minutes
    (:mod:`kinlink.storage.pending_exports`): kept in the store so that every process of
    a server with several workers can give it out, once. The token is kept as its SHA-256
    only; the file is the AES-256 ZIP as made (its passphrase is never stored)."""

    __tablename__ = "pending_exports"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("mediation_lists.id"))
    username: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)


class AnswerImportRow(Base):
    """One answer file brought back for a list."""

    __tablename__ = "answer_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("mediation_lists.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, int]] = mapped_column(JSON)
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class AnswerRowRecord(Base):
    """One row of an answer file, where reconciliation put it, and what became of it.

    ``outcome`` is an :class:`~kinlink.domain.mediation.AnswerOutcome` (``matched``,
    ``contradiction``, ``unknown``: a child not on the list, ``rejected``: no usable
    reference and no name); ``state`` an :class:`~kinlink.domain.mediation.AnswerState`
    (``pending``: a person must look, ``ready``: sure, not applied yet, ``applied``,
    ``no_change`` or ``dismissed``).
    """

    __tablename__ = "answer_rows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("answer_imports.id"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    list_child_id: Mapped[int | None] = mapped_column(ForeignKey("list_children.id"),
                                                      index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    how: Mapped[str | None] = mapped_column(String(12))
    probability: Mapped[float | None] = mapped_column(Float)
    sure: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str | None] = mapped_column(String(20))
    status_text: Mapped[str] = mapped_column(Text)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    problem: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12))
    state_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class CasePhotoRow(Base):
    """The photograph attached to a case, printed in its dossier. One per case."""

    __tablename__ = "case_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    media_type: Mapped[str] = mapped_column(String(20))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
